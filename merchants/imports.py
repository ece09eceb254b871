"""Bulk onboarding: reading merchant files (CSV, XLSX), checking them for the preview,
importing them row by row in a background job and writing the per-row report.

A file has a header row naming its columns (the fields of ``MerchantInput``, in any order;
other columns are ignored). Rows are numbered as a spreadsheet numbers them: the header is
row 1. Unlike the negative-list import, a bad row does not stop the others: each row is one
``merchant_create`` and the report says, for every row, whether it was created, already
existed (same external ID: re-uploading a file creates nothing twice) or failed, and why.
"""

import base64
import csv
import io
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

import openpyxl
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from isv.models import Isv
from merchants.models import Merchant
from merchants.services.lifecycle import merchant_submit
from merchants.services.onboarding import (
    INPUT_FIELDS,
    REQUIRED_INPUT_FIELDS,
    MerchantInput,
    merchant_create,
    merchant_validate,
)
from openplatform.data import pii, spreadsheets
from openplatform.errors import DomainError

IMPORT_COLUMNS = INPUT_FIELDS
ACCEPTED_UPLOAD = (".csv,.xlsx,text/csv,"
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 10_000
# The preview checks this many rows against the services (one query each); the import
# checks every row again anyway.
PREVIEW_CHECK_LIMIT = 1000
# External IDs per ``IN (...)`` lookup when looking for merchants already onboarded.
_LOOKUP_CHUNK = 500
UPLOAD_FOLDER = "merchant-imports"
_UPLOAD_SALT = "merchants.import.upload"

CREATED, EXISTING, ERROR = "created", "existing", "error"
REPORT_COLUMNS = ("row", "external_id", "result", "field", "message")

# progress(done, total)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportRow:
    number: int
    values: dict[str, str]

    @property
    def external_id(self) -> str:
        return self.values.get("external_id", "")

    def merchant_input(self) -> MerchantInput:
        return MerchantInput(**{name: self.values.get(name, "") for name in INPUT_FIELDS})


@dataclass(frozen=True)
class RowResult:
    row: int
    external_id: str
    result: str
    field: str = ""
    message: str = ""


# --- Reading a file --------------------------------------------------------------------------


def read_merchant_file(*, name: str, content: bytes) -> list[ImportRow]:
    """The rows of an uploaded CSV (UTF-8, or GB18030 as saved by Chinese Excel) or XLSX file.

    Raises ValidationError for a file that cannot be read as a whole: wrong format, missing
    columns, no rows, more than MAX_IMPORT_ROWS rows.
    """
    table = spreadsheets.read_table(
        name=name, content=content, columns=IMPORT_COLUMNS, required=REQUIRED_INPUT_FIELDS,
        max_rows=MAX_IMPORT_ROWS,
        missing_columns=_("The header row lacks the column(s) %(columns)s; start from the "
                          "template."),
        too_many_rows=_("The file holds more than %(limit)d merchants; split it."),
        no_rows=_("The file holds no merchants."))
    return [ImportRow(number=number, values={column: spreadsheets.cell_text(cell)
                                             for column, cell in cells.items()})
            for number, cells in table.rows]


# --- Templates -------------------------------------------------------------------------------


def template_csv() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(IMPORT_COLUMNS)
    # With a byte-order mark, so that Excel opens Chinese text as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "merchants"
    sheet.append(list(IMPORT_COLUMNS))
    for position, _column in enumerate(IMPORT_COLUMNS, start=1):
        letter = openpyxl.utils.get_column_letter(position)
        sheet.cell(row=1, column=position).font = Font(bold=True)
        sheet.column_dimensions[letter].width = 22
        # Text cells: ID and card numbers longer than 15 digits would lose digits as numbers.
        sheet.column_dimensions[letter].number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Keeping the upload between the preview and the job --------------------------------------


def upload_store(*, isv: Isv, name: str, content: bytes) -> str:
    """Keep an uploaded file (encrypted: it holds ID and card numbers in clear) and return a
    signed token naming it, valid for this ISV only."""
    path = f"{UPLOAD_FOLDER}/{isv.pk}/{uuid.uuid4().hex}.{spreadsheets.file_format(name)}"
    sealed = pii.encrypt(base64.b64encode(content).decode())
    stored = default_storage.save(path, ContentFile(sealed.encode()))
    return signing.dumps({"isv": isv.pk, "path": stored}, salt=_UPLOAD_SALT)


def upload_path(*, isv: Isv, token: str) -> str | None:
    """The stored path a token names, or None when it is not this ISV's or was tampered with."""
    try:
        data = signing.loads(token, salt=_UPLOAD_SALT)
    except signing.BadSignature:
        return None
    if data.get("isv") != isv.pk or not default_storage.exists(data.get("path", "")):
        return None
    return data["path"]


def upload_read(path: str) -> tuple[str, bytes]:
    """(file name, content) of a stored upload."""
    with default_storage.open(path, "rb") as stored:
        sealed = stored.read().decode()
    return PurePath(path).name, base64.b64decode(pii.decrypt(sealed))


def upload_delete(path: str) -> None:
    default_storage.delete(path)


# --- Checking and importing rows -------------------------------------------------------------


def _existing_external_ids(isv: Isv, external_ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(external_ids), _LOOKUP_CHUNK):
        found.update(Merchant.objects.visible_to(isv).filter(
            external_id__in=external_ids[start:start + _LOOKUP_CHUNK],
        ).values_list("external_id", flat=True))
    return found


def _error_results(row: ImportRow, error: ValidationError | DomainError) -> list[RowResult]:
    if isinstance(error, DomainError):
        return [RowResult(row.number, row.external_id, ERROR, error.field or "",
                          str(error.message))]
    if not hasattr(error, "error_dict"):
        return [RowResult(row.number, row.external_id, ERROR, "", " ".join(error.messages))]
    return [RowResult(row.number, row.external_id, ERROR, field, " ".join(problem.messages))
            for field, problems in error.error_dict.items() for problem in problems]


def _duplicate_or_existing(row: ImportRow, first_row_of: dict[str, int],
                           existing: set[str]) -> RowResult | None:
    """The result of a row whose external ID was seen earlier in the file or is onboarded
    already; None for a row to check or create. Records the row's external ID as seen."""
    external_id = row.external_id
    if not external_id:
        return None
    if external_id in first_row_of:
        return RowResult(row.number, external_id, ERROR, "external_id",
                         _("Same external ID as row %(row)d.") % {"row": first_row_of[external_id]})
    first_row_of[external_id] = row.number
    if external_id in existing:
        return RowResult(row.number, external_id, EXISTING, "",
                         _("Already onboarded; left unchanged."))
    return None


def check_rows(*, isv: Isv, rows: Sequence[ImportRow]) -> list[RowResult]:
    """What importing the first PREVIEW_CHECK_LIMIT rows would do, without saving anything:
    a result per row ("created" meaning "would be created") and one per field error."""
    rows = rows[:PREVIEW_CHECK_LIMIT]
    existing = _existing_external_ids(isv, [row.external_id for row in rows])
    first_row_of: dict[str, int] = {}
    results: list[RowResult] = []
    for row in rows:
        known = _duplicate_or_existing(row, first_row_of, existing)
        if known is not None:
            results.append(known)
            continue
        errors = merchant_validate(isv=isv, data=row.merchant_input())
        if errors:
            results.extend(_error_results(row, ValidationError(errors)))
        else:
            results.append(RowResult(row.number, row.external_id, CREATED))
    return results


def import_rows(
    *, isv: Isv, actor: AbstractBaseUser | None, rows: Sequence[ImportRow],
    submit_for_screening: bool, progress: Progress,
) -> list[RowResult]:
    """Create a merchant for each new row, each in its own transaction: a bad row is reported
    and the others go on. A row whose external ID is onboarded already is "existing"."""
    existing = _existing_external_ids(isv, [row.external_id for row in rows])
    first_row_of: dict[str, int] = {}
    results: list[RowResult] = []
    step = max(1, len(rows) // 100)
    for done, row in enumerate(rows, start=1):
        known = _duplicate_or_existing(row, first_row_of, existing)
        if known is not None:
            results.append(known)
        else:
            results.extend(_import_row(isv=isv, actor=actor, row=row,
                                       submit_for_screening=submit_for_screening))
        if done % step == 0 or done == len(rows):
            progress(done, len(rows))
    return results


def _import_row(*, isv: Isv, actor: AbstractBaseUser | None, row: ImportRow,
                submit_for_screening: bool) -> list[RowResult]:
    try:
        merchant = merchant_create(isv=isv, actor=actor, data=row.merchant_input())
    except (ValidationError, DomainError) as error:
        return _error_results(row, error)
    except IntegrityError:
        # Another upload or an API call onboarded the same external ID in between.
        return [RowResult(row.number, row.external_id, EXISTING, "",
                          _("Already onboarded; left unchanged."))]
    if not submit_for_screening:
        return [RowResult(row.number, row.external_id, CREATED, "", _("Saved as a draft."))]
    merchant_submit(merchant=merchant, actor=actor)
    return [RowResult(row.number, row.external_id, CREATED, "",
                      _("Submitted for screening."))]


def summary(results: Iterable[RowResult]) -> dict[str, int]:
    """How many rows were created, existing, or had errors (a row with several errors once)."""
    outcome_of_row: dict[int, str] = {}
    for result in results:
        outcome_of_row.setdefault(result.row, result.result)
    counts = dict.fromkeys((CREATED, EXISTING, ERROR), 0)
    for outcome in outcome_of_row.values():
        counts[outcome] += 1
    return counts


def report_csv(results: Iterable[RowResult]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REPORT_COLUMNS)
    for result in results:
        writer.writerow([result.row, result.external_id, result.result, result.field,
                         result.message])
    return buffer.getvalue().encode("utf-8-sig")


def report_rows(content: bytes) -> list[RowResult]:
    """The results a report holds (to show them again on the job's page)."""
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    next(reader, None)
    return [RowResult(int(row), external_id, result, field, message)
            for row, external_id, result, field, message in reader]
