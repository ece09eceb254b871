"""A developer creates an app, copies its secret (shown once), and subscribes it to an industry
solution from the catalog in one step."""

import re

import pytest
from django.contrib.auth.hashers import check_password
from playwright.sync_api import Page, expect

from catalog.models import IndustrySolution
from isv.models import App
from tests import factories
from tests.e2e.support import subscribe_to_solution
from tests.portal.support import PASSWORD, make_verified_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_create_an_app_see_its_secret_once_and_subscribe_a_solution(live_server, page: Page):
    factories.make_isv(owner=make_verified_user("dev@example.com"), name="Apps Ltd")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("dev@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Apps", exact=True).click()
    page.get_by_role("link", name="Create an app").click()
    page.get_by_label("Name").fill("Cashier")
    page.get_by_label("Redirect URIs").fill("ftp://bad.example/cb")
    page.get_by_role("button", name="Create the app").click()
    expect(page.locator("#id_redirect_uris-errors")).to_contain_text("https")
    expect(page.get_by_label("Name")).to_have_value("Cashier")
    page.get_by_label("Redirect URIs").fill("https://pos.example.com/cb")
    page.get_by_role("button", name="Create the app").click()

    expect(page.get_by_role("heading", name="Cashier is created")).to_be_visible()
    secret = page.get_by_label("Client secret").input_value()
    app = App.objects.get(name="Cashier")
    assert check_password(secret, app.client_secret)
    expect(page.get_by_role("button", name="Copy").first).to_be_visible()

    page.get_by_role("link", name="I have saved it: go to the app").click()
    expect(page).to_have_url(re.compile(rf"/portal/apps/{app.pk}/$"))
    assert secret not in page.content()

    solution = IndustrySolution.objects.get(code="retail")
    subscribe_to_solution(page, solution=solution, app_label="Cashier · Sandbox")

    expect(page.locator("#subscriptions")).to_contain_text(solution.display_name)
    assert app.subscriptions.count() == solution.packs.count()
