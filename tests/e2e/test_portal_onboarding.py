"""A new developer signs up, verifies the address, registers the company (the USCC is
checked as they type), staff approve it, and the dashboard shows it active; in both
languages."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from isv.choices import IsvState
from isv.models import Isv
from isv.services.providers import isv_approve
from tests import factories
from tests.portal.support import PASSWORD as MEMBER_PASSWORD
from tests.portal.support import make_verified_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-Horse-battery-9"
LICENCE = {"name": "licence.pdf", "mimeType": "application/pdf",
           "buffer": b"%PDF-1.7\n%e2e licence\n"}


def test_sign_up_verify_register_approve_and_see_the_dashboard(live_server, page: Page):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email address").fill("Dev@Example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("alert")).to_contain_text("Verify your email address")
    expect(page).to_have_url(re.compile(r"/portal/registration/$"))

    [message] = mail.outbox
    link = re.search(r"https?://\S+", message.body).group(0)
    page.goto(link)
    expect(page.locator(".messages")).to_contain_text("is verified")
    expect(page.get_by_role("heading", name="Register your company")).to_be_visible()

    page.get_by_label("Company name").fill("杭州示例科技有限公司")
    uscc = page.get_by_label("Unified social credit code")
    uscc.fill("91310000ABC")
    uscc.blur()
    expect(page.locator("#uscc-feedback")).to_contain_text("exactly 18 characters")
    uscc.fill(factories.make_uscc())
    uscc.blur()
    expect(page.locator("#uscc-feedback")).to_contain_text("well formed")
    page.get_by_label("Legal representative").fill("张三")
    page.get_by_label("Contact name").fill("李四")
    page.get_by_label("Contact mobile phone").fill("13800138000")
    page.get_by_label("Contact email").fill("bd@example.com")
    page.get_by_label("Business licence").set_input_files(LICENCE)
    page.get_by_role("button", name="Submit for review").click()

    expect(page.locator(".messages")).to_contain_text("Registration received")
    expect(page.locator(".page-header")).to_contain_text("Pending review")

    isv = Isv.objects.get()
    isv_approve(isv=isv, actor=factories.make_user("reviewer", is_staff=True))
    assert Isv.objects.get().state == IsvState.ACTIVE

    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator("#isv-state")).to_contain_text("Active")
    expect(page.locator(".sidebar")).to_contain_text("杭州示例科技有限公司")


def test_the_language_switcher_works_on_portal_pages(live_server, page: Page):
    owner = make_verified_user("owner@example.com")
    factories.make_isv(owner=owner, name="Switch Ltd")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("owner@example.com")
    page.get_by_label("Password").fill(MEMBER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#isv-state")).to_be_visible()

    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".brand")).to_have_text("开放平台")
    expect(page).to_have_url(re.compile(r"/portal/$"))

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".brand")).to_have_text("Open Platform")
