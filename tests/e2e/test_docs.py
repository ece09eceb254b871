"""The quickstart works as written: a developer signs in, opens Docs, and the test follows the
page's own commands (get a token with client credentials, list the merchants) against the live
server, as curl would send them."""

import base64
import json
import re
import shlex
import string
import urllib.request
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import Page, expect

from merchants.choices import MerchantState
from tests import factories
from tests.oauth import CLIENT_SECRET, make_oauth_app
from tests.portal.support import PASSWORD, make_verified_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EXPORT = re.compile(r'^export (\w+)="([^"]*)"$')


def exports(block: str) -> dict[str, str]:
    return {match[1]: match[2] for line in block.splitlines() if (match := EXPORT.match(line))}


def curl(command: str, env: dict[str, str]) -> tuple[int, bytes]:
    """Send ``command`` (curl -s [-X M] [-u U:P] [-d D | --data-urlencode D] [-H H] URL) with
    urllib, as curl would, after the shell's expansion of ``$NAME``."""
    words = shlex.split(string.Template(command.replace("\\\n", " ")).substitute(env))
    assert words[0] == "curl"
    method, url, data, headers = None, None, [], {}
    words = iter(words[1:])
    for word in words:
        if word == "-s":
            continue
        if word == "-X":
            method = next(words)
        elif word == "-u":
            headers["Authorization"] = "Basic " + base64.b64encode(next(words).encode()).decode()
        elif word == "-d":
            data.append(next(words))
        elif word == "--data-urlencode":
            name, _, value = next(words).partition("=")
            data.append(f"{name}={quote_plus(value)}")
        elif word == "-H":
            name, _, value = next(words).partition(":")
            headers[name.strip()] = value.strip()
        else:
            assert not word.startswith("-"), f"the test does not know curl's {word}"
            url = word
    body = "&".join(data).encode() if data else None
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=body, headers=headers,
                                     method=method or ("POST" if body else "GET"))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_quickstart_curl_steps_get_a_token_and_make_the_first_call(live_server, page: Page):
    owner = make_verified_user("dev@example.com")
    isv = factories.make_isv(owner=owner, name="Quickstart Ltd")
    app = make_oauth_app(isv=isv, name="My sandbox")
    factories.make_merchant(isv=isv, state=MerchantState.ACTIVE, short_name="First Shop")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill("dev@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.locator(".side-nav").get_by_role("link", name="Docs").click()
    expect(page.get_by_role("heading", name="Quickstart", exact=True)).to_be_visible()

    env = exports(page.locator("[data-step=env]").inner_text())
    assert env["CLIENT_ID"] == app.client_id
    assert env["PLATFORM"] == live_server.url
    env["CLIENT_SECRET"] = CLIENT_SECRET  # what the developer pastes from app creation

    status, body = curl(page.locator("[data-step=token]").inner_text(), env)
    assert status == 200, body
    token = json.loads(body)
    assert set(token["scope"].split()) == {"isv:read", "isv:merchants"}
    env["ACCESS_TOKEN"] = token["access_token"]

    status, body = curl(page.locator("[data-step=first-call]").inner_text(), env)
    assert status == 200, body
    assert [merchant["short_name"] for merchant in json.loads(body)["results"]] == ["First Shop"]
