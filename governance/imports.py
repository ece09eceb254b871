"""Reading, checking and writing negative-list files (CSV and XLSX) for bulk import and export.

A file has a header row naming its columns (``IMPORT_COLUMNS``, in any order; other columns are
ignored). Rows are numbered as a spreadsheet numbers them: the header is row 1, so the first
entry is row 2. ``check_rows`` validates every row and reports every problem with its row and
column; the service ``negative_list_entries_import`` runs it again inside its transaction and
imports all rows or none.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from governance.choices import EntryKind
from governance.models import NegativeListEntry
from governance.normalise import entry_value
from openplatform.data import spreadsheets
from openplatform.data.spreadsheets import cell_text

IMPORT_COLUMNS = ("kind", "value", "category", "source", "note", "expires_at")
REQUIRED_COLUMNS = ("kind", "value", "category", "source")
EXPORT_COLUMNS = ("kind", "display_value", "category", "source", "note", "expires_at",
                  "created_at")
MAX_IMPORT_ROWS = 50_000
# Rows checked (and, in the service, inserted) between two progress reports.
PROGRESS_STEP = 1000
# Values per ``IN (...)`` lookup when looking for entries already on the list.
_LOOKUP_CHUNK = 500

# on_progress(phase, done, total): phase is "checking" or "importing".
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ImportRow:
    number: int
    values: dict[str, Any]


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str
    code: str


@dataclass
class ImportFile:
    rows: list[ImportRow]
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class CheckedImport:
    """Unsaved entries for the valid rows (in file order) and every row's errors."""

    entries: list[NegativeListEntry]
    row_numbers: list[int]
    errors: list[RowError]

    @property
    def kind_counts(self) -> dict[str, int]:
        return dict(Counter(entry.kind for entry in self.entries))


# --- Reading a file --------------------------------------------------------------------------


def read_import_file(*, name: str, content: bytes) -> ImportFile:
    """The rows of an uploaded CSV (UTF-8, or GB18030 as saved by Chinese Excel) or XLSX file.

    Raises ValidationError for a file that cannot be read as a whole: wrong format, missing
    columns, no entries, more than MAX_IMPORT_ROWS entries.
    """
    table = spreadsheets.read_table(
        name=name, content=content, columns=IMPORT_COLUMNS, required=REQUIRED_COLUMNS,
        max_rows=MAX_IMPORT_ROWS,
        missing_columns=_("The header row lacks the column(s) %(columns)s."),
        too_many_rows=_("The file holds more than %(limit)d entries; split it."),
        no_rows=_("The file holds no entries."))
    ignored = [column for column in table.header if column and column not in IMPORT_COLUMNS]
    return ImportFile(rows=[ImportRow(number=number, values=cells)
                            for number, cells in table.rows],
                      ignored_columns=ignored)


# --- Checking rows ---------------------------------------------------------------------------


def check_rows(rows: Sequence[ImportRow], *, on_progress: Progress | None = None) -> CheckedImport:
    """Validate every row: kind, value (normalised as ``entry_value`` does, so ID numbers and
    bank accounts become digests), category, source, note, expiry (ISO date or date and time,
    in the future), duplicates within the file and entries already on the list."""
    checked = CheckedImport(entries=[], row_numbers=[], errors=[])
    first_row_of: dict[tuple[str, str], int] = {}
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        entry, errors = _check_row(row)
        if entry is not None:
            key = (entry.kind, entry.value)
            if key in first_row_of:
                errors.append(RowError(
                    row.number, "value",
                    _("Same entry as row %(row)d.") % {"row": first_row_of[key]},
                    "duplicate_in_file"))
            else:
                first_row_of[key] = row.number
        if errors:
            checked.errors.extend(errors)
        else:
            checked.entries.append(entry)
            checked.row_numbers.append(row.number)
        if on_progress is not None and (done % PROGRESS_STEP == 0 or done == total):
            on_progress("checking", done, total)
    checked.errors.extend(_already_listed(first_row_of))
    checked.errors.sort(key=lambda error: (error.row, IMPORT_COLUMNS.index(error.field)))
    if checked.errors:
        failed = {error.row for error in checked.errors}
        kept = [(number, entry) for number, entry in zip(checked.row_numbers, checked.entries,
                                                         strict=True) if number not in failed]
        checked.row_numbers = [number for number, _entry in kept]
        checked.entries = [entry for _number, entry in kept]
    return checked


def _check_row(row: ImportRow) -> tuple[NegativeListEntry | None, list[RowError]]:
    values = row.values
    errors: list[RowError] = []

    def error(column: str, message: str, code: str) -> None:
        errors.append(RowError(row.number, column, message, code))

    entry = NegativeListEntry(
        kind=cell_text(values.get("kind")).lower(),
        category=cell_text(values.get("category")).lower(),
        source=cell_text(values.get("source")), note=cell_text(values.get("note")))
    raw_value = cell_text(values.get("value"))
    # The model's own checks (choices, lengths, required) for the columns not checked here.
    unchecked = ["kind", "expires_at", "created_by"]
    if entry.kind not in EntryKind.values:
        error("kind", _("Unknown kind “%(kind)s”; use one of %(kinds)s.")
              % {"kind": entry.kind, "kinds": ", ".join(EntryKind.values)}, "invalid_choice")
        unchecked += ["value", "display_value"]
    elif raw_value:
        try:
            entry.value, entry.display_value = entry_value(entry.kind, raw_value)
        except ValidationError as invalid:
            for problem in invalid.error_list:
                error("value", next(iter(problem)), problem.code or "invalid")
            unchecked += ["value", "display_value"]
    try:
        entry.expires_at = _expiry(values.get("expires_at"))
    except ValidationError as invalid:
        error("expires_at", invalid.messages[0], invalid.code)
    try:
        entry.clean_fields(exclude=unchecked)
    except ValidationError as invalid:
        for name, problems in invalid.error_dict.items():
            if name == "display_value" and "value" in invalid.error_dict:
                continue
            column = "value" if name == "display_value" else name
            for problem in problems:
                error(column, next(iter(problem)), problem.code or "invalid")
    return (None if errors else entry), errors


def _expiry(raw: Any) -> datetime | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime):
        moment = raw
    elif isinstance(raw, date):
        moment = datetime.combine(raw, time.min)
    else:
        text = str(raw).strip()
        try:
            moment = parse_datetime(text)
            if moment is None and (day := parse_date(text)) is not None:
                moment = datetime.combine(day, time.min)
        except ValueError:
            moment = None
        if moment is None:
            raise ValidationError(
                _("“%(value)s” is not an ISO date (2026-12-31) or date and time "
                  "(2026-12-31T18:00).") % {"value": text}, code="invalid_date")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment <= timezone.now():
        raise ValidationError(_("The expiry date has passed."), code="expired")
    return moment


def _already_listed(first_row_of: dict[tuple[str, str], int]) -> list[RowError]:
    by_kind: dict[str, list[str]] = {}
    for kind, value in first_row_of:
        by_kind.setdefault(kind, []).append(value)
    errors = []
    for kind, values in by_kind.items():
        for start in range(0, len(values), _LOOKUP_CHUNK):
            listed = NegativeListEntry.objects.filter(
                kind=kind, value__in=values[start:start + _LOOKUP_CHUNK]
            ).values_list("value", flat=True)
            errors.extend(
                RowError(first_row_of[(kind, value)], "value",
                         _("This value is already on the negative list."), "entry_exists")
                for value in listed)
    return errors



# --- Errors as the service raises them -------------------------------------------------------


def rows_error(errors: Sequence[RowError]) -> ValidationError:
    """One ValidationError naming every bad row and column (``rows`` key, params row/field)."""
    return ValidationError({"rows": [
        ValidationError(_("Row %(row)d, column %(field)s: %(detail)s"), code=error.code,
                        params={"row": error.row, "field": error.field, "detail": error.message})
        for error in errors
    ]})


def row_errors_of(error: ValidationError) -> list[RowError]:
    """The RowErrors a ``rows_error`` carries (for showing them again as a table)."""
    return [RowError(problem.params["row"], problem.params["field"], problem.params["detail"],
                     problem.code)
            for problem in error.error_dict["rows"]]


# --- Export ----------------------------------------------------------------------------------


def export_dataset(entries: Iterable[NegativeListEntry]) -> tablib.Dataset:
    """The entries as staff see them: digests are never exported (there is no clear value)."""
    dataset = tablib.Dataset(headers=list(EXPORT_COLUMNS))
    for entry in entries:
        dataset.append([entry.kind, entry.display_value, entry.category, entry.source,
                        entry.note, _iso(entry.expires_at), _iso(entry.created_at)])
    return dataset


def template_dataset() -> tablib.Dataset:
    return tablib.Dataset(headers=list(IMPORT_COLUMNS))


def _iso(moment: datetime | None) -> str:
    # As text: XLSX cells cannot hold a time zone.
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""
