"""The whole first day in one browser flow: a new developer signs up and verifies the address,
registers the company, a staff reviewer approves it in the admin (their own browser), the
developer creates an app, subscribes it to an industry solution, onboards a merchant by form
and 200 from a CSV, switches languages, and follows the quickstart's curl steps."""

import json
import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page, expect

from catalog.models import IndustrySolution
from isv.choices import IsvState
from isv.models import App, Isv
from merchants.models import Merchant
from tests import factories
from tests.e2e.support import fill_merchant_form, subscribe_to_solution
from tests.e2e.test_docs import curl, exports
from tests.e2e.test_portal_onboarding import LICENCE, PASSWORD
from tests.portal.test_merchants_import import csv_file, merchant_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STAFF_PASSWORD = "pw-Secret-123"  # what factories.make_user gives everyone
COMPANY = "杭州全流程科技有限公司"


def zh(message: str) -> str:
    """The label the developer sees once the portal speaks Simplified Chinese."""
    with translation.override("zh-hans"):
        return gettext(message)


def sign_up_and_verify(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/signup/")
    page.get_by_label("Email address").fill("First.Day@Example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_contain_text("Verify your email address")

    [message] = mail.outbox
    page.goto(re.search(r"https?://\S+", message.body).group(0))
    expect(page.locator(".messages")).to_contain_text("is verified")


def register_company(page: Page) -> None:
    expect(page.get_by_role("heading", name="Register your company")).to_be_visible()
    page.get_by_label("Company name").fill(COMPANY)
    uscc = page.get_by_label("Unified social credit code")
    uscc.fill(factories.make_uscc())
    uscc.blur()
    expect(page.locator("#uscc-feedback")).to_contain_text("well formed")
    page.get_by_label("Legal representative").fill("张三")
    page.get_by_label("Contact name").fill("李四")
    page.get_by_label("Contact mobile phone").fill("13800138000")
    page.get_by_label("Contact email").fill("bd@example.com")
    page.get_by_label("Business licence").set_input_files(LICENCE)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".page-header")).to_contain_text("Pending review")


def approve_in_admin(browser: Browser, base_url: str) -> None:
    """A staff reviewer, in a browser of their own, runs the admin's approve action. (A superuser:
    under xdist the governance group a migration made is not always back after another
    browser test emptied the tables; the group's own rights are tested in tests/test_admin.py.)"""
    factories.make_user("reviewer", is_staff=True, is_superuser=True)
    context = browser.new_context(locale="en-US")
    try:
        admin = context.new_page()
        admin.goto(f"{base_url}/admin/login/?next=/admin/isv/isv/")
        admin.locator("#id_username").fill("reviewer")
        admin.locator("#id_password").fill(STAFF_PASSWORD)
        admin.get_by_role("button", name="Log in").click()
        row = admin.locator("#result_list tbody tr", has_text=COMPANY)
        row.get_by_role("checkbox").check()
        admin.locator("select[name=action]").select_option("approve_isvs")
        admin.get_by_role("button", name="Go").click()
        expect(admin.locator(".messagelist")).to_contain_text("done for 1 of 1")
        expect(row).to_contain_text("Active")
    finally:
        context.close()


def create_app_and_subscribe_a_solution(page: Page) -> None:
    page.locator(".side-nav").get_by_role("link", name="Apps", exact=True).click()
    page.get_by_role("link", name="Create an app").click()
    page.get_by_label("Name").fill("Cashier")
    page.get_by_label("Redirect URIs").fill("https://pos.example.com/cb")
    page.get_by_role("button", name="Create the app").click()
    expect(page.get_by_role("heading", name="Cashier is created")).to_be_visible()
    page.get_by_role("link", name="I have saved it: go to the app").click()

    solution = IndustrySolution.objects.get(code="retail")
    subscribe_to_solution(page, solution=solution, app_label="Cashier · Sandbox")
    assert App.objects.get(name="Cashier").subscriptions.count() == solution.packs.count()


def onboard_a_merchant_by_form(page: Page) -> None:
    page.locator(".side-nav").get_by_role("link", name="Merchants").click()
    page.get_by_role("link", name="Onboard a merchant").first.click()
    fill_merchant_form(page, external_id="shop-first-day", seed=43)
    page.get_by_label("Settlement bank card number").fill(factories.make_bank_account(4343))
    page.get_by_role("button", name="Submit for screening").click()
    expect(page.locator(".messages")).to_contain_text("submitted for screening")
    expect(page.locator("#merchant-state")).to_contain_text("Active")


def onboard_200_merchants_by_csv(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/portal/merchants/import/")
    page.get_by_label("CSV or XLSX file").set_input_files(
        {"name": "merchants.csv", "mimeType": "text/csv",
         "buffer": csv_file(merchant_rows(200)).read()})
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview-summary")).to_contain_text("200")
    # Celery runs eagerly here: the click returns once the 200 rows are in.
    page.get_by_role("button", name="Start the import").click(timeout=30_000)
    expect(page.locator(".percent")).to_have_text("100 %", timeout=30_000)

    with page.expect_download() as download:
        page.locator("#import-report").click()
    report = download.value.path().read_text(encoding="utf-8-sig")
    assert len(report.splitlines()) == 201  # a header and one line per row


def switch_languages(page: Page) -> None:
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".brand")).to_have_text("Open Platform")
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".brand")).to_have_text("开放平台")


def follow_the_quickstart(page: Page, base_url: str) -> None:
    """In Chinese: the quickstart is written for the sandbox app made on approval, whose secret
    was never shown, so the developer rotates it on the app's page, as the page says."""
    page.locator(".side-nav").get_by_role("link", name=zh("Docs")).click()
    sandbox = App.objects.get(provisioned_on_approval=True)
    env = exports(page.locator("[data-step=env]").inner_text())
    assert env["CLIENT_ID"] == sandbox.client_id
    assert env["PLATFORM"] == base_url

    page.goto(f"{base_url}/portal/apps/{sandbox.pk}/")
    page.get_by_role("link", name=zh("Rotate the client secret")).click()
    page.get_by_role("button", name=zh("Rotate the secret")).click()
    env["CLIENT_SECRET"] = page.get_by_label(zh("Client secret")).input_value()
    page.locator(".side-nav").get_by_role("link", name=zh("Docs")).click()

    status, body = curl(page.locator("[data-step=token]").inner_text(), env)
    assert status == 200, body
    env["ACCESS_TOKEN"] = json.loads(body)["access_token"]
    status, body = curl(page.locator("[data-step=first-call]").inner_text(), env)
    assert status == 200, body
    listed = {merchant["short_name"] for merchant in json.loads(body)["results"]}
    # A cursor-paginated first page: the ISV's newest merchants, the CSV's rows.
    assert listed and listed <= set(Merchant.objects.values_list("short_name", flat=True))


def test_a_new_developer_goes_from_sign_up_to_the_first_api_call(
        live_server, page: Page, browser: Browser):
    sign_up_and_verify(page, live_server.url)
    register_company(page)

    approve_in_admin(browser, live_server.url)
    assert Isv.objects.get().state == IsvState.ACTIVE
    page.reload()
    expect(page.locator(".page-header")).not_to_contain_text("Pending review")

    create_app_and_subscribe_a_solution(page)
    onboard_a_merchant_by_form(page)
    onboard_200_merchants_by_csv(page, live_server.url)
    bulk = Merchant.objects.filter(isv=Isv.objects.get(), external_id__startswith="bulk-")
    assert bulk.count() == 200

    switch_languages(page)
    follow_the_quickstart(page, live_server.url)
