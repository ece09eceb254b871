"""Refresh rotation, and revoking an authorization (service, page, clear-out, expiry) deleting
every token derived from it at once; the capability gate refuses a revoked or rotated-out
access token on its very next call, although its decision was cached."""

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken, RefreshToken

from merchants.choices import AuthorizationState
from merchants.models import Authorization, AuthorizationToken
from merchants.services.authorizations import authorization_expire, authorization_revoke
from merchants.services.lifecycle import merchant_clear_out, merchant_suspend
from tests import factories
from tests.oauth import (
    CLIENT_SECRET,
    client_credentials,
    exchange_code,
    introspect,
    make_oauth_app,
    make_setup,
    merchant_tokens,
    obtain_code,
    refresh,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db):
    return make_setup()


def assert_dead(client, setup, tokens: dict) -> None:
    assert introspect(client, setup.app, tokens["access_token"]) == {"active": False}
    response = refresh(client, setup.app, tokens["refresh_token"])
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_refresh_rotates_and_keeps_the_authorization(client, setup):
    first = merchant_tokens(client, setup)
    response = refresh(client, setup.app, first["refresh_token"])
    assert response.status_code == 200, response.content
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["scope"] == "pack:merchant_basics"
    assert introspect(client, setup.app, first["access_token"]) == {"active": False}
    assert introspect(client, setup.app, second["access_token"])["active"] is True
    link = AuthorizationToken.objects.get()
    assert link.authorization == Authorization.objects.get()


def test_reusing_a_rotated_refresh_token_fails_and_revokes_the_family(client, setup):
    first = merchant_tokens(client, setup)
    second = refresh(client, setup.app, first["refresh_token"]).json()
    reuse = refresh(client, setup.app, first["refresh_token"])
    assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant"
    # Reuse protection: the thief's replay also kills the legitimate chain.
    assert refresh(client, setup.app, second["refresh_token"]).status_code == 400
    assert introspect(client, setup.app, second["access_token"]) == {"active": False}


def test_revoking_the_authorization_deletes_every_token_at_once(client, setup):
    first = merchant_tokens(client, setup)
    second = refresh(client, setup.app, first["refresh_token"]).json()
    other = merchant_tokens(client, setup)
    authorization_revoke(authorization=Authorization.objects.get(),
                                  actor=setup.user, reason="No longer used")
    for tokens in (second, other):
        assert_dead(client, setup, tokens)
    assert not AccessToken.objects.exists()
    assert not RefreshToken.objects.exists()
    assert not AuthorizationToken.objects.exists()


def test_revoking_leaves_other_authorizations_and_app_tokens_alone(client, setup):
    mine = merchant_tokens(client, setup)
    neighbour = make_setup()
    theirs = merchant_tokens(client, neighbour)
    own_token = client_credentials(client, setup.app).json()["access_token"]
    authorization_revoke(
        authorization=Authorization.objects.get(merchant=setup.merchant), actor=None)
    assert_dead(client, setup, mine)
    assert introspect(client, neighbour.app, theirs["access_token"])["active"] is True
    assert introspect(client, setup.app, own_token)["active"] is True


def test_a_code_issued_before_revocation_cannot_be_exchanged(client, setup):
    code, verifier = obtain_code(client, setup)
    authorization_revoke(authorization=Authorization.objects.get(), actor=None)
    response = exchange_code(client, setup.app, code, verifier)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


def test_expiry_deletes_the_tokens(client, setup):
    tokens = merchant_tokens(client, setup)
    authorization_expire(authorization=Authorization.objects.get())
    assert_dead(client, setup, tokens)


def test_merchant_clear_out_deletes_the_tokens(client, setup, staff_user):
    tokens = merchant_tokens(client, setup)
    merchant_suspend(merchant=setup.merchant, actor=staff_user, reason="Gambling")
    merchant_clear_out(merchant=setup.merchant, actor=staff_user, reason="Gambling")
    assert Authorization.objects.get().state == AuthorizationState.REVOKED
    assert_dead(client, setup, tokens)


def test_the_my_authorizations_page_lists_and_revokes(client, setup):
    tokens = merchant_tokens(client, setup)
    authorization = Authorization.objects.get()
    page = client.get("/oauth/authorizations/", HTTP_ACCEPT_LANGUAGE="en")
    content = page.content.decode()
    assert page.status_code == 200
    assert setup.app.name in content and setup.app.isv.name in content
    assert "Merchant basics" in content

    response = client.post(f"/oauth/authorizations/{authorization.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/oauth/authorizations/"
    authorization.refresh_from_db()
    assert authorization.state == AuthorizationState.REVOKED
    assert authorization.revoked_reason
    assert_dead(client, setup, tokens)
    assert list(client.get("/oauth/authorizations/").context["authorizations"]) == []


def test_the_revoke_button_needs_post_and_csrf(setup):
    authorization = factories.make_authorization(merchant=setup.merchant, app=setup.app)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(setup.user)
    url = f"/oauth/authorizations/{authorization.pk}/revoke/"
    assert browser.get(url).status_code == 405
    assert browser.post(url).status_code == 403
    authorization.refresh_from_db()
    assert authorization.state == AuthorizationState.ACTIVE


def test_nobody_else_can_revoke_or_see_an_authorization(client, setup):
    authorization = factories.make_authorization(merchant=setup.merchant, app=setup.app)
    stranger = make_setup().user
    client.force_login(stranger)
    assert setup.app.name not in client.get("/oauth/authorizations/").content.decode()
    assert client.post(f"/oauth/authorizations/{authorization.pk}/revoke/").status_code == 404
    authorization.refresh_from_db()
    assert authorization.state == AuthorizationState.ACTIVE


def test_the_pages_need_a_login(client):
    response = client.get("/oauth/authorizations/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_introspection_tells_an_app_only_about_its_own_tokens(client, setup):
    token = client_credentials(client, setup.app).json()["access_token"]
    body = introspect(client, setup.app, token)
    assert body["active"] is True and body["client_id"] == setup.app.client_id
    other = make_oauth_app(isv=factories.make_isv())
    assert introspect(client, other, token) == {"active": False}


def test_introspection_needs_client_credentials(client, setup):
    token = client_credentials(client, setup.app).json()["access_token"]
    response = client.post("/oauth/introspect/", {"token": token})
    assert response.status_code in (401, 403)
    assert client.get("/oauth/introspect/", {"token": token}).status_code in (401, 403, 405)


def test_the_revocation_endpoint_revokes_a_refresh_token_and_its_access_token(client, setup):
    tokens = merchant_tokens(client, setup)
    response = client.post("/oauth/revoke_token/", {
        "token": tokens["refresh_token"], "token_type_hint": "refresh_token",
        "client_id": setup.app.client_id, "client_secret": CLIENT_SECRET})
    assert response.status_code == 200
    assert_dead(client, setup, tokens)


def test_another_app_cannot_revoke_a_token(client, setup):
    token = client_credentials(client, setup.app).json()["access_token"]
    other = make_oauth_app(isv=factories.make_isv())
    client.post("/oauth/revoke_token/", {"token": token, "client_id": other.client_id,
                                         "client_secret": CLIENT_SECRET})
    assert introspect(client, setup.app, token)["active"] is True



CAPABILITY_URL = "/api/v1/merchant/info"


def call_capability(client, access_token: str):
    return client.get(CAPABILITY_URL, HTTP_AUTHORIZATION=f"Bearer {access_token}")


def _warm(client, access_token: str) -> None:
    for _call in range(2):  # the second call is served from the cached decision
        assert call_capability(client, access_token).status_code == 200


def test_the_gate_refuses_an_access_token_revoked_at_the_endpoint_on_its_next_call(
        client, setup, django_capture_on_commit_callbacks):
    tokens = merchant_tokens(client, setup)
    _warm(client, tokens["access_token"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/oauth/revoke_token/", {
            "token": tokens["access_token"], "client_id": setup.app.client_id,
            "client_secret": CLIENT_SECRET})
    assert response.status_code == 200

    refused = call_capability(client, tokens["access_token"])
    assert refused.status_code == 401 and refused.json()["code"] == "invalid_token"


def test_the_gate_refuses_the_access_token_a_refresh_rotated_out(
        client, setup, django_capture_on_commit_callbacks):
    first = merchant_tokens(client, setup)
    _warm(client, first["access_token"])

    with django_capture_on_commit_callbacks(execute=True):
        second = refresh(client, setup.app, first["refresh_token"]).json()

    assert call_capability(client, first["access_token"]).json()["code"] == "invalid_token"
    assert call_capability(client, second["access_token"]).status_code == 200
