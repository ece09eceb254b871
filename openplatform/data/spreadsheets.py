"""Reading uploaded tables (CSV or XLSX) row by row, for the bulk imports."""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FORMATS = ("csv", "xlsx")


def file_format(name: str) -> str:
    """``csv`` or ``xlsx`` from the file's name; anything else is refused."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in FORMATS:
        raise ValidationError(_("Upload a .csv or .xlsx file."), code="unsupported_format")
    return extension


@dataclass(frozen=True)
class Table:
    """An uploaded table: its header (lower-cased) and, for each record that is not blank, its
    number in the file (the header is row 1) and its cells in the known columns (None where
    the record is short)."""

    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]


def read_table(*, name: str, content: bytes, columns: Sequence[str], required: Sequence[str],
               max_rows: int, missing_columns: str, too_many_rows: str, no_rows: str) -> Table:
    """The header and rows of an uploaded table whose first row names its columns.

    Raises ValidationError for a file that cannot be read as a whole: wrong format, a missing
    required column, no rows, more than ``max_rows`` rows. The messages of the last three say
    what a row is, so they are the caller's: ``missing_columns`` with ``%(columns)s``,
    ``too_many_rows`` with ``%(limit)d``.
    """
    table_records = records(name=name, content=content)
    header = next(table_records, None)
    if header is None:
        raise ValidationError(_("The file is empty."), code="empty")
    header_names = [cell_text(cell).lower() for cell in header]
    missing = [column for column in required if column not in header_names]
    if missing:
        raise ValidationError(missing_columns % {"columns": ", ".join(missing)},
                              code="missing_columns")
    positions = {column: header_names.index(column) for column in columns
                 if column in header_names}
    rows = []
    for number, record in enumerate(table_records, start=2):
        if not any(cell_text(cell) for cell in record):
            continue
        if len(rows) == max_rows:
            raise ValidationError(too_many_rows % {"limit": max_rows}, code="too_many_rows")
        rows.append((number, {column: record[position] if position < len(record) else None
                              for column, position in positions.items()}))
    if not rows:
        raise ValidationError(no_rows, code="empty")
    return Table(header=header_names, rows=rows)


def cell_text(cell: Any) -> str:
    """A cell as text: stripped, "" for an empty cell, whole floats without their ".0"."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        # Excel keeps numbers (phones, MCCs) as floats: 13800138000.0 means 13800138000.
        return str(int(cell))
    return str(cell).strip()


def records(*, name: str, content: bytes) -> Iterable[Any]:
    """The file's records in order, the header first; blank lines stay, so numbering is the
    file's. CSV may be UTF-8 or GB18030 (as Chinese Excel saves it)."""
    return _csv_records(content) if file_format(name) == "csv" else _xlsx_records(content)


def _csv_records(content: bytes) -> Iterable[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError:
            raise ValidationError(_("The CSV file is neither UTF-8 nor GB18030 text."),
                                  code="invalid_encoding") from None
    return iter(csv.reader(io.StringIO(text, newline="")))


def _xlsx_records(content: bytes) -> Iterable[tuple[Any, ...]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises a variety of zip / XML errors on a damaged file
        raise ValidationError(_("The file is not a readable XLSX workbook."),
                              code="invalid_xlsx") from None
    return iter(workbook.active.iter_rows(values_only=True))
