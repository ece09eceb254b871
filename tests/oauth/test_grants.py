"""Both grants through DOT's real endpoints: client credentials, and the authorization code with
PKCE through the consent form; scopes, redirect URIs and refused grants."""

import pytest
from oauth2_provider.models import AccessToken

from catalog.models import FunctionPack
from isv.choices import AppEnvironment, AppState, IsvState, SubscriptionState
from isv.models import Subscription
from merchants.choices import MerchantState
from merchants.models import Authorization, AuthorizationToken
from tests import factories
from tests.oauth import (
    AUTHORIZE_URL,
    CLIENT_SECRET,
    REDIRECT_URI,
    TOKEN_URL,
    authorize_url,
    client_credentials,
    consent_data,
    exchange_code,
    make_oauth_app,
    make_setup,
    merchant_tokens,
    obtain_code,
    pkce_pair,
    query_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db):
    return make_setup()


# --- client credentials -------------------------------------------------------------------

def test_client_credentials_token_reads_as_the_app(client, setup):
    response = client_credentials(client, setup.app, scope="isv:read isv:merchants")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scope"] == "isv:read isv:merchants"
    assert body["expires_in"] <= 2 * 60 * 60
    assert "refresh_token" not in body
    token = AccessToken.objects.get()
    assert token.application == setup.app and token.user is None
    assert not AuthorizationToken.objects.exists()


def test_client_credentials_defaults_to_isv_read(client, setup):
    assert client_credentials(client, setup.app).json()["scope"] == "isv:read"


@pytest.mark.parametrize("scope", ["pack:merchant_basics", "isv:read pack:merchant_basics",
                                   "isv:write"])
def test_client_credentials_may_not_ask_for_packs_or_unknown_scopes(client, setup, scope):
    response = client_credentials(client, setup.app, scope=scope)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"
    assert not AccessToken.objects.exists()


def test_wrong_client_secret_gets_no_token(client, setup):
    response = client.post(TOKEN_URL, {"grant_type": "client_credentials",
                                       "client_id": setup.app.client_id,
                                       "client_secret": "not-the-secret"})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize("unusable", ["app_suspended", "isv_suspended"])
def test_suspended_app_or_isv_gets_no_token(client, setup, unusable):
    if unusable == "app_suspended":
        setup.app.state = AppState.SUSPENDED
        setup.app.save()
    else:
        setup.app.isv.state = IsvState.SUSPENDED
        setup.app.isv.save()
    response = client_credentials(client, setup.app)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert not AccessToken.objects.exists()


def test_password_grant_is_refused(client, setup):
    response = client.post(TOKEN_URL, {"grant_type": "password", "username": setup.user.username,
                                       "password": "pw-Secret-123",
                                       "client_id": setup.app.client_id,
                                       "client_secret": CLIENT_SECRET})
    assert response.status_code in (400, 401)
    assert response.json()["error"] in ("unauthorized_client", "unsupported_grant_type")
    assert not AccessToken.objects.exists()


# --- authorization code with PKCE through the consent page ---------------------------------

def test_consent_page_shows_isv_app_merchant_and_packs_in_words(client, setup):
    client.force_login(setup.user)
    _verifier, challenge = pkce_pair()
    response = client.get(authorize_url(setup.app, challenge=challenge),
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    pack = FunctionPack.objects.get(code="merchant_basics")
    for text in (setup.app.isv.name, setup.app.name, setup.merchant.short_name,
                 pack.name, pack.description, "Verified service provider", "Sandbox app"):
        assert text in page


def test_consent_page_speaks_chinese_by_default(client, setup, platform_default_language):
    client.force_login(setup.user)
    response = client.get(authorize_url(setup.app, challenge=pkce_pair()[1]))
    pack = FunctionPack.objects.get(code="merchant_basics")
    page = response.content.decode()
    assert pack.name_zh in page and pack.description_zh in page


def test_authorization_code_with_pkce_yields_a_token_linked_to_the_authorization(client, setup):
    code, verifier = obtain_code(client, setup)
    response = exchange_code(client, setup.app, code, verifier)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scope"] == "pack:merchant_basics"
    assert body["refresh_token"]

    authorization = Authorization.objects.get()
    assert (authorization.merchant, authorization.app) == (setup.merchant, setup.app)
    assert list(authorization.packs.values_list("code", flat=True)) == ["merchant_basics"]
    assert authorization.granted_by == setup.user
    token = AccessToken.objects.get()
    assert token.user == setup.user
    assert token.merchant_authorization.authorization == authorization
    # Tokens are kept as checksums only (RFC 9700 token storage).
    assert token.token == ""


def test_the_redirect_carries_state_and_issuer(client, setup):
    client.force_login(setup.user)
    page = client.get(authorize_url(setup.app, challenge=pkce_pair()[1]))
    response = client.post(AUTHORIZE_URL, consent_data(page, merchant=setup.merchant))
    assert response["Location"].startswith(REDIRECT_URI)
    query = query_of(response)
    assert query["state"] == "xyz" and query["code"] and query["iss"]


def test_a_code_is_used_once(client, setup):
    code, verifier = obtain_code(client, setup)
    assert exchange_code(client, setup.app, code, verifier).status_code == 200
    again = exchange_code(client, setup.app, code, verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_authorize_without_pkce_is_refused(client, setup):
    client.force_login(setup.user)
    response = client.get(authorize_url(setup.app))
    assert response.status_code == 302
    assert query_of(response)["error"] == "invalid_request"


def test_plain_pkce_is_refused_and_grants_nothing(client, setup):
    client.force_login(setup.user)
    page = client.get(authorize_url(setup.app, code_challenge="x" * 50,
                                    code_challenge_method="plain"))
    if page.status_code == 200:
        page = client.post(AUTHORIZE_URL, consent_data(page, merchant=setup.merchant))
    assert page.status_code == 302
    assert query_of(page)["error"] == "invalid_request"
    assert not Authorization.objects.exists()


def test_token_exchange_without_or_with_a_wrong_verifier_is_refused(client, setup):
    code, _verifier = obtain_code(client, setup)
    missing = exchange_code(client, setup.app, code, None)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    wrong = exchange_code(client, setup.app, code, pkce_pair()[0])
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


@pytest.mark.parametrize("scope", ["pack:credit_score", "pack:merchant_basics pack:credit_score",
                                   "isv:read", "pack:no_such_pack"])
def test_unsubscribed_or_foreign_scope_is_refused_at_authorize(client, setup, scope):
    client.force_login(setup.user)
    response = client.get(authorize_url(setup.app, scope=scope, challenge=pkce_pair()[1]))
    assert response.status_code == 302
    assert query_of(response)["error"] == "invalid_scope"


def test_pending_subscription_does_not_count(client, setup):
    factories.make_subscription(app=setup.app, pack=factories.get_pack("credit_score"),
                                state=SubscriptionState.PENDING_REVIEW)
    client.force_login(setup.user)
    response = client.get(authorize_url(setup.app, scope="pack:credit_score",
                                        challenge=pkce_pair()[1]))
    assert query_of(response)["error"] == "invalid_scope"


def test_a_scope_slipped_into_the_consent_form_grants_nothing(client, setup):
    client.force_login(setup.user)
    page = client.get(authorize_url(setup.app, challenge=pkce_pair()[1]))
    response = client.post(AUTHORIZE_URL, consent_data(
        page, merchant=setup.merchant, scope="pack:merchant_basics pack:credit_score"))
    assert response.status_code == 302
    assert query_of(response)["error"] == "invalid_scope"
    assert not Authorization.objects.exists()


def test_subscription_ended_after_consent_is_refused_at_token(client, setup):
    code, verifier = obtain_code(client, setup)
    Subscription.objects.filter(app=setup.app).update(state=SubscriptionState.SUSPENDED)
    response = exchange_code(client, setup.app, code, verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"
    assert not AccessToken.objects.exists()


def test_implicit_grant_is_refused(client, setup):
    client.force_login(setup.user)
    response = client.get(authorize_url(setup.app, response_type="token"))
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert "error=" in response["Location"]
    assert "access_token" not in response.get("Location", "")
    assert not AccessToken.objects.exists()


def test_refusing_redirects_with_access_denied(client, setup):
    client.force_login(setup.user)
    page = client.get(authorize_url(setup.app, challenge=pkce_pair()[1]))
    response = client.post(AUTHORIZE_URL, consent_data(page, merchant=setup.merchant,
                                                       allow=False))
    assert response.status_code == 302
    assert query_of(response)["error"] == "access_denied"
    assert not Authorization.objects.exists()


def test_approval_prompt_auto_still_asks_for_consent(client, setup):
    merchant_tokens(client, setup)
    response = client.get(authorize_url(setup.app, challenge=pkce_pair()[1],
                                        approval_prompt="auto"))
    assert response.status_code == 200
    assert "authorizationForm" in response.content.decode()


def test_consent_extends_the_existing_authorization(client, setup):
    factories.make_subscription(app=setup.app, pack=factories.get_pack("credit_score"))
    merchant_tokens(client, setup)
    merchant_tokens(client, setup, scope="pack:credit_score")
    authorization = Authorization.objects.get()
    assert set(authorization.packs.values_list("code", flat=True)) == {
        "merchant_basics", "credit_score"}
    assert AuthorizationToken.objects.filter(authorization=authorization).count() == 2


# --- the merchant the user acts for --------------------------------------------------------

def test_a_user_of_two_merchants_picks_one(client, setup):
    other = factories.make_merchant(isv=setup.app.isv, state=MerchantState.RECTIFYING)
    factories.make_merchant_user(merchant=other, user=setup.user)
    client.force_login(setup.user)
    page = client.get(authorize_url(setup.app, challenge=pkce_pair()[1]))
    choices = {choice.value for choice, _label in page.context["form"].fields["merchant"].choices}
    assert choices == {setup.merchant.pk, other.pk}

    code, verifier = obtain_code(client, setup, merchant=other)
    assert exchange_code(client, setup.app, code, verifier).status_code == 200
    authorization = Authorization.objects.get()
    assert authorization.merchant == other
    assert AccessToken.objects.get().merchant_authorization.authorization == authorization


def test_another_users_merchant_cannot_be_chosen(client, setup):
    stranger = factories.make_merchant(isv=setup.app.isv, state=MerchantState.ACTIVE)
    client.force_login(setup.user)
    page = client.get(authorize_url(setup.app, challenge=pkce_pair()[1]))
    response = client.post(AUTHORIZE_URL, consent_data(page, merchant=stranger))
    assert response.status_code == 200
    assert "merchant" in response.context["form"].errors
    assert not Authorization.objects.exists()


@pytest.mark.parametrize("state", [None, MerchantState.SUSPENDED, MerchantState.DRAFT])
def test_a_user_without_an_active_merchant_cannot_consent(client, setup, state):
    user = factories.make_user()
    if state is not None:
        merchant = factories.make_merchant(isv=setup.app.isv, state=state)
        factories.make_merchant_user(merchant=merchant, user=user)
    client.force_login(user)
    page = client.get(authorize_url(setup.app, challenge=pkce_pair()[1]))
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="merchant"' not in content
    assert 'name="allow"' not in content
    response = client.post(AUTHORIZE_URL, consent_data(page))
    assert response.status_code == 200
    assert "merchant" in response.context["form"].errors
    assert not Authorization.objects.exists()


def test_an_anonymous_user_logs_in_and_comes_back(client, setup):
    url = authorize_url(setup.app, challenge=pkce_pair()[1])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    login = client.post("/accounts/login/", {"username": setup.user.username,
                                             "password": "pw-Secret-123", "next": url})
    assert login.status_code == 302 and login["Location"] == url
    assert client.get(url).status_code == 200


def test_login_page_renders(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


# --- redirect URIs --------------------------------------------------------------------------

@pytest.mark.parametrize(("environment", "redirect_uri", "allowed"), [
    (AppEnvironment.PRODUCTION, "https://shop.example.com/cb", True),
    (AppEnvironment.PRODUCTION, "http://127.0.0.1:8000/cb", False),
    (AppEnvironment.PRODUCTION, "http://shop.example.com/cb", False),
    (AppEnvironment.SANDBOX, "http://127.0.0.1:8000/cb", True),
    (AppEnvironment.SANDBOX, "http://localhost/cb", True),
    (AppEnvironment.SANDBOX, "http://shop.example.com/cb", False),
])
def test_redirect_uri_policy(client, setup, environment, redirect_uri, allowed):
    app = make_oauth_app(isv=setup.app.isv, environment=environment, redirect_uris=redirect_uri)
    client.force_login(setup.user)
    response = client.get(authorize_url(app, redirect_uri=redirect_uri,
                                        challenge=pkce_pair()[1]))
    if allowed:
        assert response.status_code == 200
        page = client.post(AUTHORIZE_URL, consent_data(response, merchant=setup.merchant))
        assert page["Location"].startswith(redirect_uri)
        assert "code" in query_of(page)
    else:
        # Never redirected to a refused URI: the user sees the error instead.
        assert response.status_code == 400
        assert "Location" not in response


def test_unregistered_redirect_uri_is_refused(client, setup):
    client.force_login(setup.user)
    response = client.get(authorize_url(setup.app, redirect_uri="https://evil.example.com/cb",
                                        challenge=pkce_pair()[1]))
    assert response.status_code == 400
    assert "Location" not in response
