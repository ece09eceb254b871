"""Bulk import of the negative list (CSV, XLSX: all rows or none, bad rows named) and export."""

import csv
import io
import time
from datetime import timedelta
from unittest.mock import patch

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance import imports, screening, services, tasks
from governance.choices import EntryCategory, EntryKind
from governance.models import NegativeListEntry
from openplatform.audit.models import AuditEvent
from openplatform.data import pii
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = ["kind", "value", "category", "source", "note", "expires_at"]
IMPORT_URL = reverse("admin:governance_negativelistentry_import")
CHANGELIST_URL = reverse("admin:governance_negativelistentry_changelist")


def entry_row(number: int) -> list[str]:
    """A valid row; the kind cycles through USCC, phone and keyword so values stay distinct."""
    kind = (EntryKind.USCC, EntryKind.PHONE, EntryKind.KEYWORD)[number % 3]
    value = {
        EntryKind.USCC: factories.make_uscc(100_000 + number),
        EntryKind.PHONE: f"139{number:08d}",
        EntryKind.KEYWORD: f"违禁词{number}",
    }[kind]
    return [kind, value, EntryCategory.GAMBLING, "public notice 2025-17", "", ""]


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(content: bytes, name: str = "list.csv") -> list[imports.ImportRow]:
    return imports.read_import_file(name=name, content=content).rows


def import_errors(content: bytes, *, actor, name: str = "list.csv") -> list[imports.RowError]:
    with pytest.raises(ValidationError) as raised:
        services.negative_list_entries_import(actor=actor, rows=read(content, name),
                                              file_name=name)
    return imports.row_errors_of(raised.value)


@pytest.fixture
def governance_staff(db):
    user = factories.make_user("governor", is_staff=True)
    user.groups.add(Group.objects.get(name="governance"))
    return user


@pytest.fixture
def staff_client(client, governance_staff):
    client.force_login(governance_staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# --- The service -----------------------------------------------------------------------------


def test_ten_thousand_rows_import_in_one_go_with_one_audit_line(
    governance_staff, django_capture_on_commit_callbacks
):
    content = csv_bytes([entry_row(number) for number in range(10_000)])
    progress = []

    started = time.monotonic()
    with (patch.object(tasks.rescreen_all_task, "delay") as rescreen,
          patch.object(screening, "bump_negative_list_version") as bump,
          django_capture_on_commit_callbacks(execute=True)):
        count = services.negative_list_entries_import(
            actor=governance_staff, rows=read(content), file_name="notice-17.csv",
            on_progress=lambda phase, done, total: progress.append((phase, done, total)))
    seconds = time.monotonic() - started

    assert count == 10_000
    assert NegativeListEntry.objects.count() == 10_000
    assert NegativeListEntry.objects.filter(created_by=governance_staff).count() == 10_000
    audit = AuditEvent.objects.get()
    assert audit.action == "negative_list.entries_imported"
    assert audit.target_type == ContentType.objects.get_for_model(ContentType)
    assert audit.after["count"] == 10_000
    assert audit.after["file_name"] == "notice-17.csv"
    assert sum(audit.after["kinds"].values()) == 10_000
    # One version bump and one re-screen, not one per entry.
    bump.assert_called_once_with()
    rescreen.assert_called_once_with()
    assert progress[0] == ("checking", 1000, 10_000)
    assert ("checking", 10_000, 10_000) in progress
    assert progress[-1] == ("importing", 10_000, 10_000)
    assert seconds < 30


def test_one_bad_uscc_in_ten_thousand_rows_imports_nothing_and_names_row_and_column(
    governance_staff
):
    rows = [entry_row(number) for number in range(10_000)]
    rows[5000] = [EntryKind.USCC, "91310000ABCDEFGHIJ", EntryCategory.FRAUD, "notice", "", ""]

    errors = import_errors(csv_bytes(rows), actor=governance_staff)

    # The 5,001st entry sits on spreadsheet row 5,002 (the header is row 1).
    assert [(error.row, error.field) for error in errors] == [(5002, "value")]
    assert NegativeListEntry.objects.count() == 0
    assert not AuditEvent.objects.exists()


def test_the_error_message_names_the_row_and_column(governance_staff):
    rows = [entry_row(1), [EntryKind.KEYWORD, "赌场", "casino", "notice", "", ""]]

    with pytest.raises(ValidationError) as raised:
        services.negative_list_entries_import(actor=governance_staff,
                                              rows=read(csv_bytes(rows)), file_name="x.csv")

    [message] = raised.value.message_dict["rows"]
    assert message.startswith("Row 3, column category:")
    assert NegativeListEntry.objects.count() == 0


@pytest.mark.parametrize(("row", "field", "code"), [
    (["gambling", "赌场", "gambling", "notice", "", ""], "kind", "invalid_choice"),
    (["keyword", "赌场", "casino", "notice", "", ""], "category", "invalid_choice"),
    (["keyword", "", "gambling", "notice", "", ""], "value", "blank"),
    (["keyword", "赌场", "gambling", "", "", ""], "source", "blank"),
    (["phone", "12345", "fraud", "notice", "", ""], "value", "phone_format"),
    (["id_number", "110105198001010000", "fraud", "notice", "", ""], "value",
     "id_number_checksum"),
    (["keyword", "赌场", "gambling", "notice", "", "next tuesday"], "expires_at", "invalid_date"),
    (["keyword", "赌场", "gambling", "notice", "", "2001-01-01"], "expires_at", "expired"),
])
def test_each_bad_column_is_reported_with_its_row(governance_staff, row, field, code):
    errors = import_errors(csv_bytes([entry_row(1), row]), actor=governance_staff)

    assert [(error.row, error.field, error.code) for error in errors] == [(3, field, code)]
    assert NegativeListEntry.objects.count() == 0


def test_every_bad_row_is_reported_not_only_the_first(governance_staff):
    rows = [entry_row(number) for number in range(10)]
    rows[2][2] = "casino"
    rows[7][0] = "nonsense"

    errors = import_errors(csv_bytes(rows), actor=governance_staff)

    assert [(error.row, error.field) for error in errors] == [(4, "category"), (9, "kind")]


def test_duplicates_within_the_file_and_on_the_list_are_reported_per_row(governance_staff):
    services.negative_list_entry_add(actor=governance_staff, kind=EntryKind.KEYWORD,
                                     value="赌场", category=EntryCategory.GAMBLING,
                                     source="earlier")
    rows = [
        entry_row(1),
        [EntryKind.KEYWORD, "賭 場", EntryCategory.GAMBLING, "notice", "", ""],  # listed
        [EntryKind.PHONE, "13912345678", EntryCategory.FRAUD, "notice", "", ""],
        [EntryKind.PHONE, "139 1234 5678", EntryCategory.FRAUD, "notice", "", ""],  # row 4 again
    ]

    errors = import_errors(csv_bytes(rows), actor=governance_staff)

    assert [(error.row, error.field, error.code) for error in errors] == [
        (3, "value", "entry_exists"), (5, "value", "duplicate_in_file")]
    assert "row 4" in errors[1].message
    assert NegativeListEntry.objects.count() == 1


def test_id_numbers_and_accounts_are_imported_as_digests(governance_staff):
    id_number, account = factories.make_id_number(5), factories.make_bank_account(5)
    rows = [[EntryKind.ID_NUMBER, id_number, EntryCategory.FRAUD, "police", "", "2099-12-31"],
            [EntryKind.BANK_ACCOUNT, account, EntryCategory.FRAUD, "police", "", ""]]

    services.negative_list_entries_import(actor=governance_staff, rows=read(csv_bytes(rows)),
                                          file_name="police.csv")

    by_kind = {entry.kind: entry for entry in NegativeListEntry.objects.all()}
    assert by_kind[EntryKind.ID_NUMBER].value == pii.digest_id_number(id_number)
    assert by_kind[EntryKind.BANK_ACCOUNT].value == pii.digest_bank_account(account)
    assert id_number not in by_kind[EntryKind.ID_NUMBER].display_value
    expires = timezone.localtime(by_kind[EntryKind.ID_NUMBER].expires_at)
    assert (expires.year, expires.month, expires.day, expires.hour) == (2099, 12, 31, 0)


def test_xlsx_rows_import_with_numbers_and_dates_as_cells(governance_staff):
    expires = timezone.now().replace(tzinfo=None) + timedelta(days=30)
    rows = [[EntryKind.PHONE, 13812345678, EntryCategory.FRAUD, "notice", "", expires],
            [EntryKind.INDUSTRY, 7995, EntryCategory.GAMBLING, "policy", "lotteries", None],
            [EntryKind.USCC, factories.make_uscc(42), EntryCategory.UNLICENSED, "notice", "",
             None]]

    count = services.negative_list_entries_import(
        actor=governance_staff, rows=read(xlsx_bytes(rows), "list.xlsx"), file_name="list.xlsx")

    assert count == 3
    assert set(NegativeListEntry.objects.values_list("kind", "value")) == {
        (EntryKind.PHONE, "13812345678"), (EntryKind.INDUSTRY, "7995"),
        (EntryKind.USCC, factories.make_uscc(42))}


def test_xlsx_errors_name_the_spreadsheet_row(governance_staff):
    rows = [entry_row(1), [None] * 6, [EntryKind.PHONE, 123, EntryCategory.FRAUD, "x", "", None]]

    errors = import_errors(xlsx_bytes(rows), actor=governance_staff, name="list.xlsx")

    # The blank row 3 is skipped but still counted.
    assert [(error.row, error.field) for error in errors] == [(4, "value")]


@pytest.mark.parametrize(("name", "content", "code"), [
    ("list.txt", b"kind,value", "unsupported_format"),
    ("list.csv", b"", "empty"),
    ("list.csv", b"kind,value,category\n", "missing_columns"),
    ("list.csv", b"kind,value,category,source\n", "empty"),
    ("list.xlsx", b"not a workbook", "invalid_xlsx"),
])
def test_unreadable_files_are_refused_as_a_whole(name, content, code):
    with pytest.raises(ValidationError) as raised:
        imports.read_import_file(name=name, content=content)
    assert raised.value.code == code


def test_gb18030_csv_from_chinese_excel_is_read():
    content = "kind,value,category,source\nkeyword,赌场,gambling,公告\n".encode("gb18030")

    [row] = imports.read_import_file(name="list.csv", content=content).rows

    assert row.values["value"] == "赌场"


def test_checking_ten_thousand_rows_is_fast():
    rows = read(csv_bytes([entry_row(number) for number in range(10_000)]))

    started = time.monotonic()
    checked = imports.check_rows(rows)
    seconds = time.monotonic() - started

    assert checked.errors == []
    assert len(checked.entries) == 10_000
    assert seconds < 10


# --- The admin -------------------------------------------------------------------------------


def upload(client, content: bytes, name: str = "list.csv"):
    return client.post(IMPORT_URL, {"file": _named(content, name)})


def _named(content: bytes, name: str):
    file = io.BytesIO(content)
    file.name = name
    return file


def test_admin_preview_then_confirm_imports_ten_thousand_rows(staff_client, governance_staff):
    rows = [entry_row(number) for number in range(9_999)]
    rows.append([EntryKind.ID_NUMBER, factories.make_id_number(9), EntryCategory.FRAUD,
                 "police", "", ""])

    preview = upload(staff_client, csv_bytes(rows))

    assert preview.status_code == 200
    assert preview.context["row_count"] == 10_000
    assert preview.context["valid_count"] == 10_000
    assert preview.context["errors"] == []
    assert len(preview.context["preview_rows"]) == 50
    assert NegativeListEntry.objects.count() == 0
    page = preview.content.decode()
    assert "10,000 rows checked" in page
    assert factories.make_id_number(9) not in page

    status_url = preview.context["status_url"]
    assert staff_client.get(status_url).json()["phase"] == "waiting"
    response = staff_client.post(preview.context["confirm_url"], follow=True)

    assert response.redirect_chain[-1][0] == CHANGELIST_URL
    assert NegativeListEntry.objects.count() == 10_000
    assert AuditEvent.objects.get().actor == governance_staff
    assert "Imported 10000 entries" in response.content.decode()
    assert staff_client.get(status_url).json() == {"phase": "done", "done": 10_000,
                                                   "total": 10_000}
    # The stored upload is gone: confirming twice imports nothing more.
    again = staff_client.post(preview.context["confirm_url"], follow=True)
    assert again.redirect_chain[-1][0] == IMPORT_URL
    assert NegativeListEntry.objects.count() == 10_000


def test_admin_confirm_answers_the_progress_script_with_json(staff_client):
    preview = upload(staff_client, csv_bytes([entry_row(1)]))

    response = staff_client.post(preview.context["confirm_url"],
                                 headers={"Accept": "application/json"})

    assert response.json() == {"redirect": CHANGELIST_URL}


def test_admin_preview_lists_every_bad_row_and_offers_no_confirmation(staff_client):
    rows = [entry_row(number) for number in range(6000)]
    rows[5000] = [EntryKind.USCC, "91310000ABCDEFGHIJ", EntryCategory.FRAUD, "notice", "", ""]
    rows[10][2] = "casino"

    preview = upload(staff_client, csv_bytes(rows))

    assert preview.status_code == 200
    assert [(error.row, error.field) for error in preview.context["errors"]] == [
        (12, "category"), (5002, "value")]
    assert preview.context["token"] is None
    page = preview.content.decode()
    assert "<td>5002</td><td>value</td>" in page
    assert "Nothing was imported" in page
    assert 'id="import-confirm"' not in page
    assert NegativeListEntry.objects.count() == 0


def test_admin_confirm_shows_rows_listed_since_the_preview(staff_client, governance_staff):
    preview = upload(staff_client, csv_bytes([entry_row(1), entry_row(2)]))
    services.negative_list_entry_add(actor=governance_staff, kind=entry_row(2)[0],
                                     value=entry_row(2)[1], category=EntryCategory.FRAUD,
                                     source="meanwhile")

    response = staff_client.post(preview.context["confirm_url"])

    assert [(error.row, error.code) for error in response.context["errors"]] == [
        (3, "entry_exists")]
    assert NegativeListEntry.objects.count() == 1


def test_admin_xlsx_upload_works(staff_client):
    rows = [[EntryKind.KEYWORD, "六合彩", EntryCategory.GAMBLING, "notice", "", None]]

    preview = upload(staff_client, xlsx_bytes(rows), "list.xlsx")
    staff_client.post(preview.context["confirm_url"])

    assert NegativeListEntry.objects.get().value == "六合彩"


def test_admin_refuses_a_file_too_large(staff_client, monkeypatch):
    monkeypatch.setattr("governance.admin.MAX_IMPORT_FILE_BYTES", 1024 * 1024)
    row = entry_row(1)
    row[4] = "x" * 1024 * 1024

    response = upload(staff_client, csv_bytes([row]))

    assert response.context["form"].errors["file"] == ["The file is larger than 1 MB; split it."]


def test_admin_refuses_an_unreadable_file_on_the_upload_form(staff_client):
    response = upload(staff_client, b"hello", "list.pdf")

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Upload a .csv or .xlsx file."]


def test_admin_import_needs_the_add_permission(client):
    viewer = factories.make_user("viewer", is_staff=True)
    client.force_login(viewer)

    assert client.get(IMPORT_URL).status_code == 403


def test_another_user_cannot_confirm_or_watch_an_import(staff_client):
    preview = upload(staff_client, csv_bytes([entry_row(1)]))
    staff_client.post(preview.context["confirm_url"])
    second = upload(staff_client, csv_bytes([entry_row(2)]))
    other = factories.make_user("other", is_staff=True)
    other.groups.add(Group.objects.get(name="governance"))
    staff_client.force_login(other)

    staff_client.post(second.context["confirm_url"])

    assert NegativeListEntry.objects.count() == 1
    assert staff_client.get(preview.context["status_url"]).json()["phase"] == "waiting"


def test_template_download_has_the_import_columns(staff_client):
    response = staff_client.get(reverse("admin:governance_negativelistentry_import_template"))

    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").strip() == ",".join(HEADER)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_holds_display_values_and_never_a_clear_id_number(
    staff_client, governance_staff, file_format
):
    id_number = factories.make_id_number(321)
    services.negative_list_entry_add(actor=governance_staff, kind=EntryKind.ID_NUMBER,
                                     value=id_number, category=EntryCategory.FRAUD,
                                     source="police")
    services.negative_list_entry_add(actor=governance_staff, kind=EntryKind.KEYWORD,
                                     value="赌场", category=EntryCategory.GAMBLING,
                                     source="notice")

    response = staff_client.get(
        reverse("admin:governance_negativelistentry_export", args=[file_format]))

    assert response.status_code == 200
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(imports.EXPORT_COLUMNS)
    exported = {row[0]: row for row in rows[1:]}
    digest_entry = NegativeListEntry.objects.get(kind=EntryKind.ID_NUMBER)
    assert exported[EntryKind.ID_NUMBER][1] == digest_entry.display_value
    assert exported[EntryKind.KEYWORD][1] == "赌场"
    text = repr(rows)
    assert id_number not in text
    assert digest_entry.value not in text


def test_export_follows_the_changelist_filters(staff_client, governance_staff):
    for value, category in (("赌场", EntryCategory.GAMBLING), ("诈骗", EntryCategory.FRAUD)):
        services.negative_list_entry_add(actor=governance_staff, kind=EntryKind.KEYWORD,
                                         value=value, category=category, source="notice")

    response = staff_client.get(
        reverse("admin:governance_negativelistentry_export", args=["csv"]),
        {"category__exact": EntryCategory.FRAUD})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["诈骗"]


def test_changelist_offers_import_and_export(staff_client):
    page = staff_client.get(CHANGELIST_URL).content.decode()

    assert IMPORT_URL in page
    assert reverse("admin:governance_negativelistentry_export", args=["xlsx"]) in page
