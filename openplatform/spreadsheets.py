"""Reading uploaded tables (CSV or XLSX) row by row, for the bulk imports."""

import csv
import io
from collections.abc import Iterable
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
