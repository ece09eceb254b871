"""Bulk onboarding from a file: template, preview, background job with progress, per-row
report, idempotent on external_id, bad rows reported without stopping the good ones."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from merchants import imports
from merchants.models import Merchant
from merchants.services.onboarding import INPUT_FIELDS
from openplatform.jobs.choices import JobState
from openplatform.jobs.models import Job
from tests import factories
from tests.portal.support import client_for, make_member

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("portal:merchant_import")
START_URL = reverse("portal:merchant_import_start")


def merchant_rows(count: int, *, start: int = 1) -> list[dict[str, str]]:
    rows = []
    for number in range(start, start + count):
        rows.append({
            "external_id": f"bulk-{number:04d}", "legal_name": f"杭州示例贸易有限公司{number}",
            "short_name": f"示例{number}号店", "uscc": factories.make_uscc(900000 + number),
            "legal_rep_name": "赵六", "legal_rep_id_number": factories.make_id_number(number),
            "settlement_account_name": f"杭州示例贸易有限公司{number}",
            "settlement_bank_name": "招商银行",
            "settlement_account": factories.make_bank_account(700000 + number),
            "contact_phone": f"139{number:08d}", "contact_email": "", "mcc": "5411",
            "address": "杭州市西湖区文三路1号", "business_scope": "日用百货零售", "website": "",
        })
    return rows


def csv_file(rows: list[dict[str, str]], name: str = "merchants.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=INPUT_FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[dict[str, str]]) -> SimpleUploadedFile:
    workbook = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx()))
    for row in rows:
        workbook.active.append([row[name] for name in INPUT_FIELDS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("merchants.xlsx", buffer.getvalue())


def upload_and_import(client, upload, capture, *, submit: bool = False) -> Job:
    preview = client.post(IMPORT_URL, {"file": upload})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    token = preview.context["start_form"].initial["upload"]
    data = {"upload": token, **({"submit_for_screening": "on"} if submit else {})}
    with capture(execute=True):
        response = client.post(START_URL, data)
    job = Job.objects.order_by("-created_at").first()
    assert response.url == reverse("portal:merchant_import_job", args=[job.pk])
    return job


def report(client, job) -> list[dict[str, str]]:
    response = client.get(reverse("portal:merchant_import_report", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_templates_hold_every_column(owner_client, portal_isv, file_format):
    response = owner_client.get(reverse("portal:merchant_import_template", args=[file_format]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="merchants.{file_format}"'
    if file_format == "csv":
        header = response.content.decode("utf-8-sig").strip().split(",")
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        header = [cell.value for cell in sheet[1]]
    assert header == list(INPUT_FIELDS)


def test_the_preview_shows_the_first_rows_and_every_row_error(owner_client, portal_isv):
    rows = merchant_rows(12)
    rows[3]["uscc"] = "bad"
    rows[7]["contact_phone"] = ""
    factories.make_merchant(isv=portal_isv, external_id=rows[0]["external_id"])

    response = owner_client.post(IMPORT_URL, {"file": csv_file(rows)})

    body = response.content.decode()
    assert response.context["counts"] == {"created": 9, "existing": 1, "error": 2}
    assert [(error.row, error.field) for error in response.context["errors"]] == [
        (5, "uscc"), (9, "contact_phone")]
    assert rows[9]["short_name"] in body and rows[10]["short_name"] not in body
    assert rows[0]["legal_rep_id_number"] not in body
    assert Merchant.objects.count() == 1 and not Job.objects.exists()


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"external_id,legal_name\nx,y\n", "m.csv", "lacks the column"),
    (b"hello", "m.txt", "Upload a .csv or .xlsx file"),
    (b"not a zip", "m.xlsx", "not a readable XLSX"),
    (",".join(INPUT_FIELDS).encode() + b"\n", "m.csv", "holds no merchants"),
])
def test_an_unreadable_file_is_refused_beside_the_upload_field(owner_client, portal_isv,
                                                               content, name, message):
    response = owner_client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)})

    assert response.status_code == 400
    assert message in str(response.context["form"].errors["file"])


def test_200_rows_are_created_with_full_progress_and_a_report(
    owner_client, portal_isv, django_capture_on_commit_callbacks,
):
    job = upload_and_import(owner_client, csv_file(merchant_rows(200)),
                            django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert (job.done, job.total, job.percent) == (200, 200, 100)
    assert Merchant.objects.filter(isv=portal_isv).count() == 200
    lines = report(owner_client, job)
    assert len(lines) == 200
    assert {line["result"] for line in lines} == {"created"}
    assert lines[0]["row"] == "2" and lines[0]["external_id"] == "bulk-0001"
    page = owner_client.get(reverse("portal:merchant_import_job", args=[job.pk]))
    body = page.content.decode()
    assert "100 %" in body and 'id="import-report"' in body
    assert "hx-trigger" not in body


def test_re_uploading_the_same_file_creates_nothing_twice(
    owner_client, portal_isv, django_capture_on_commit_callbacks,
):
    rows = merchant_rows(200)
    upload_and_import(owner_client, csv_file(rows), django_capture_on_commit_callbacks)

    again = upload_and_import(owner_client, csv_file(rows), django_capture_on_commit_callbacks)

    assert Merchant.objects.count() == 200
    lines = report(owner_client, again)
    assert [line["result"] for line in lines] == ["existing"] * 200
    again.refresh_from_db()
    assert "0 created, 200 already onboarded" in again.message


def test_bad_rows_are_reported_by_row_and_field_and_the_good_ones_go_on(
    owner_client, portal_isv, django_capture_on_commit_callbacks,
):
    rows = merchant_rows(200)
    rows[10]["settlement_account"] = "6222020000000000421"  # wrong Luhn digit: row 12
    rows[150]["mcc"] = "12"  # row 152

    job = upload_and_import(owner_client, csv_file(rows), django_capture_on_commit_callbacks)

    assert Merchant.objects.count() == 198
    errors = [line for line in report(owner_client, job) if line["result"] == "error"]
    assert [(line["row"], line["external_id"], line["field"]) for line in errors] == [
        ("12", "bulk-0011", "settlement_account"), ("152", "bulk-0151", "mcc")]
    assert all(line["message"] for line in errors)
    body = owner_client.get(reverse("portal:merchant_import_job", args=[job.pk])).content
    assert "bulk-0151" in body.decode()


def test_a_repeated_external_id_in_the_file_is_an_error_of_its_second_row(
    owner_client, portal_isv, django_capture_on_commit_callbacks,
):
    rows = merchant_rows(3)
    rows[2]["external_id"] = rows[0]["external_id"]

    job = upload_and_import(owner_client, csv_file(rows), django_capture_on_commit_callbacks)

    lines = report(owner_client, job)
    assert [line["result"] for line in lines] == ["created", "created", "error"]
    assert "row 2" in lines[2]["message"]


def test_an_xlsx_file_works(owner_client, portal_isv, django_capture_on_commit_callbacks):
    job = upload_and_import(owner_client, xlsx_file(merchant_rows(5)),
                            django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and Merchant.objects.count() == 5
    merchant = Merchant.objects.get(external_id="bulk-0001")
    assert merchant.reveal_legal_rep_id_number() == factories.make_id_number(1)


def test_imported_merchants_can_be_submitted_for_screening(
    owner_client, portal_isv, django_capture_on_commit_callbacks,
):
    upload_and_import(owner_client, csv_file(merchant_rows(3)),
                      django_capture_on_commit_callbacks, submit=True)

    assert set(Merchant.objects.values_list("state", flat=True)) == {"active"}


def test_the_upload_is_deleted_once_imported(owner_client, portal_isv, settings,
                                             django_capture_on_commit_callbacks):
    upload_and_import(owner_client, csv_file(merchant_rows(2)),
                      django_capture_on_commit_callbacks)

    folder = settings.MEDIA_ROOT / imports.UPLOAD_FOLDER / str(portal_isv.pk)
    assert list(folder.iterdir()) == []


def test_the_stored_upload_is_encrypted(owner_client, portal_isv, settings):
    rows = merchant_rows(1)
    owner_client.post(IMPORT_URL, {"file": csv_file(rows)})

    [stored] = (settings.MEDIA_ROOT / imports.UPLOAD_FOLDER / str(portal_isv.pk)).iterdir()
    assert rows[0]["legal_rep_id_number"].encode() not in stored.read_bytes()


def test_the_job_page_polls_while_the_job_runs(owner_client, portal_isv, portal_owner):
    job = Job.objects.create(kind="merchant_import", isv=portal_isv, created_by=portal_owner,
                             state=JobState.RUNNING, done=50, total=200)
    url = reverse("portal:merchant_import_job", args=[job.pk])

    page = owner_client.get(url).content.decode()
    fragment = owner_client.get(url, headers={"HX-Request": "true"})

    assert 'hx-trigger="every 1s"' in page and "25 %" in page
    assert ">Refresh<" in page
    assert fragment.content.decode().lstrip().startswith('<div id="import-progress"')
    job.state = JobState.SUCCEEDED
    job.save()
    finished = owner_client.get(url, headers={"HX-Request": "true"})
    assert finished["HX-Refresh"] == "true"


def test_another_isvs_upload_and_job_are_out_of_reach(owner_client, portal_isv,
                                                      django_capture_on_commit_callbacks):
    other_isv = factories.make_isv()
    other = client_for(make_member(other_isv).user)
    preview = other.post(IMPORT_URL, {"file": csv_file(merchant_rows(1))})
    token = preview.context["start_form"].initial["upload"]
    other_job = upload_and_import(other, csv_file(merchant_rows(1, start=50)),
                                  django_capture_on_commit_callbacks)

    response = owner_client.post(START_URL, {"upload": token}, follow=True)

    assert "no longer available" in response.content.decode()
    assert not Job.objects.filter(isv=portal_isv).exists()
    for name in ("portal:merchant_import_job", "portal:merchant_import_report"):
        assert owner_client.get(reverse(name, args=[other_job.pk])).status_code == 404
