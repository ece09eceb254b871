"""Helpers that drive DOT's real endpoints the way a client and a merchant user would."""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from isv.choices import AppEnvironment
from merchants.choices import MerchantState
from tests import factories

CLIENT_SECRET = "client-secret-for-tests"
REDIRECT_URI = "https://example.com/callback"
AUTHORIZE_URL = "/oauth/authorize/"
TOKEN_URL = "/oauth/token/"


@dataclass
class Setup:
    app: object
    merchant: object
    user: object


def make_oauth_app(*, isv=None, environment=AppEnvironment.SANDBOX, redirect_uris=REDIRECT_URI,
                   packs=("merchant_basics",), **fields):
    app = factories.make_app(isv=isv, environment=environment, redirect_uris=redirect_uris,
                             client_secret=CLIENT_SECRET, hash_client_secret=True, **fields)
    for code in packs:
        factories.make_subscription(app=app, pack=factories.get_pack(code))
    return app


def make_setup() -> Setup:
    """A live sandbox app subscribed to merchant_basics, and a user acting for one merchant."""
    isv = factories.make_isv()
    merchant = factories.make_merchant(isv=isv, state=MerchantState.ACTIVE)
    user = factories.make_merchant_user(merchant=merchant).user
    return Setup(app=make_oauth_app(isv=isv), merchant=merchant, user=user)


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def authorize_url(app, *, scope="pack:merchant_basics", redirect_uri=REDIRECT_URI,
                  challenge: str | None = None, **params) -> str:
    query = {"response_type": "code", "client_id": app.client_id, "redirect_uri": redirect_uri,
             "scope": scope, "state": "xyz", **params}
    if challenge is not None:
        query.update(code_challenge=challenge, code_challenge_method="S256")
    return f"{AUTHORIZE_URL}?{urlencode(query)}"


def consent_data(response, *, merchant=None, allow=True, **overrides) -> dict:
    """The consent form as the browser would post it, from the rendered GET response."""
    form = response.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    if merchant is not None:
        data["merchant"] = merchant.pk
    if allow:
        data["allow"] = "on"
    data.update(overrides)
    return data


def query_of(response) -> dict[str, str]:
    query = parse_qs(urlsplit(response["Location"]).query)
    return {key: values[0] for key, values in query.items()}


def obtain_code(client, setup: Setup, *, scope="pack:merchant_basics", merchant=None):
    """Log in, open the consent page, consent; return (code, verifier)."""
    verifier, challenge = pkce_pair()
    client.force_login(setup.user)
    page = client.get(authorize_url(setup.app, scope=scope, challenge=challenge))
    assert page.status_code == 200, page.content
    response = client.post(AUTHORIZE_URL, consent_data(page, merchant=merchant or setup.merchant))
    assert response.status_code == 302, response.content
    return query_of(response)["code"], verifier


def exchange_code(client, app, code: str, verifier: str | None):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
            "client_id": app.client_id, "client_secret": CLIENT_SECRET}
    if verifier is not None:
        data["code_verifier"] = verifier
    return client.post(TOKEN_URL, data)


def merchant_tokens(client, setup: Setup, **kwargs) -> dict:
    code, verifier = obtain_code(client, setup, **kwargs)
    response = exchange_code(client, setup.app, code, verifier)
    assert response.status_code == 200, response.content
    return response.json()


def client_credentials(client, app, **data):
    return client.post(TOKEN_URL, {"grant_type": "client_credentials", "client_id": app.client_id,
                                   "client_secret": CLIENT_SECRET, **data})


def refresh(client, app, refresh_token: str):
    return client.post(TOKEN_URL, {"grant_type": "refresh_token", "refresh_token": refresh_token,
                                   "client_id": app.client_id, "client_secret": CLIENT_SECRET})


def introspect(client, app, token: str) -> dict:
    response = client.post("/oauth/introspect/", {"token": token, "client_id": app.client_id,
                                                  "client_secret": CLIENT_SECRET})
    assert response.status_code == 200, response.content
    return response.json()
