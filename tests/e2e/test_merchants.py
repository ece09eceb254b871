"""A developer onboards a merchant by form (a bad card number is flagged beside the field as
they leave it, and fixed), then 200 merchants from a CSV file: the progress bar reaches
100 % and the report link appears."""

import re

import pytest
from playwright.sync_api import Page, expect

from merchants.models import Merchant
from tests import factories
from tests.e2e.support import fill_merchant_form
from tests.portal.support import PASSWORD, make_member
from tests.portal.test_merchants_import import csv_file, merchant_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".side-nav")).to_be_visible()


def test_onboard_one_merchant_by_form_then_200_from_a_csv(live_server, page: Page):
    isv = factories.make_isv()
    member = make_member(isv)
    log_in(page, live_server.url, member.user.email)

    page.locator(".side-nav").get_by_role("link", name="Merchants").click()
    expect(page.get_by_text("No merchants yet")).to_be_visible()
    page.get_by_role("link", name="Onboard a merchant").first.click()

    fill_merchant_form(page, external_id="shop-e2e-1", seed=42)
    card = page.get_by_label("Settlement bank card number")
    good_card = factories.make_bank_account(4242)
    card.fill(good_card[:-1] + str((int(good_card[-1]) + 1) % 10))
    card.blur()
    expect(page.locator("#settlement_account-feedback")).to_contain_text("check digit")
    card.fill(good_card)
    card.blur()
    expect(page.locator("#settlement_account-feedback")).to_contain_text("Looks right")
    page.get_by_role("button", name="Submit for screening").click()

    expect(page.locator(".messages")).to_contain_text("submitted for screening")
    expect(page.locator("#merchant-state")).to_contain_text("Active")
    expect(page.locator("#merchant-details")).not_to_contain_text(good_card)

    page.goto(f"{live_server.url}/portal/merchants/import/")
    upload = csv_file(merchant_rows(200))
    page.get_by_label("CSV or XLSX file").set_input_files(
        {"name": "merchants.csv", "mimeType": "text/csv", "buffer": upload.read()})
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview-summary")).to_contain_text("200")
    # Celery runs eagerly here: the click returns once the 200 rows are in.
    page.get_by_role("button", name="Start the import").click(timeout=30_000)

    expect(page).to_have_url(re.compile(r"/portal/merchants/import/[0-9a-f-]+/$"))
    expect(page.locator(".percent")).to_have_text("100 %", timeout=30_000)
    expect(page.locator("#import-report")).to_be_visible()
    assert Merchant.objects.filter(isv=isv).count() == 201
