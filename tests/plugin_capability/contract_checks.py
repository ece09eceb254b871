"""What a capability gets by declaring itself, with no file outside its folder edited: run by
tests/test_capability_contract.py with the tiny ping capability installed
(``--ds=tests.plugin_settings``); not collected by the main run, where it is not installed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import FunctionPack
from isv.choices import AppState, IsvState, SubscriptionState
from isv.models import App, Isv, Subscription
from isv.scopes import allowed_scopes
from merchants.choices import MerchantState
from merchants.models import Merchant
from openplatform.events.models import Event
from tests import factories
from tests.api.gate_support import make_token
from tests.oauth import Setup as OauthSetup
from tests.oauth import make_oauth_app, merchant_tokens
from tests.portal.support import client_for, make_member

pytestmark = pytest.mark.django_db

URL = "/api/v1/ping/echo"
SCOPE = "pack:ping_basics"


def call(client, raw_token, **params):
    return client.get(URL, params, HTTP_AUTHORIZATION=f"Bearer {raw_token}")


@pytest.fixture
def served(db):
    """A live app subscribed to ping_basics, an active merchant that granted it, a token."""
    isv = factories.make_isv()
    app = factories.make_app(isv=isv)
    subscription = factories.make_subscription(app=app, pack=factories.get_pack("ping_basics"))
    merchant = factories.make_merchant(isv=isv, state=MerchantState.ACTIVE)
    authorization = factories.make_authorization(
        merchant=merchant, app=app, packs=[factories.get_pack("ping_basics")])
    token, raw = make_token(app=app, scope=SCOPE, authorization=authorization)
    return {"isv": isv, "app": app, "subscription": subscription, "merchant": merchant,
            "authorization": authorization, "token": token, "raw": raw}


def test_its_pack_and_capability_are_in_the_catalog():
    pack = FunctionPack.objects.get(code="ping_basics")
    assert list(pack.capabilities.values_list("code", "status")) == [
        ("ping.echo.query", "available")]


def test_its_scope_is_granted_through_the_real_oauth_flow(client):
    isv = factories.make_isv()
    merchant = factories.make_merchant(isv=isv, state=MerchantState.ACTIVE)
    user = factories.make_merchant_user(merchant=merchant).user
    app = make_oauth_app(isv=isv, packs=("ping_basics",))
    assert SCOPE in allowed_scopes(app=app, grant_type="authorization_code")

    tokens = merchant_tokens(client, OauthSetup(app=app, merchant=merchant, user=user),
                             scope=SCOPE)

    assert tokens["scope"] == SCOPE
    response = call(client, tokens["access_token"], text="hello")
    assert response.status_code == 200, response.content
    assert response.json() == {"merchant_id": merchant.pk, "text": "hello"}
    assert Event.objects.get(type="ping.echoed").payload["data"] == {"text": "hello"}


def _exhaust_quota(s, client):
    Subscription.objects.filter(pk=s["subscription"].pk).update(daily_quota_override=1)
    assert call(client, s["raw"]).status_code == 200


REFUSALS = {
    "invalid_token": (401, lambda s, c: type(s["token"]).objects.filter(
        pk=s["token"].pk).update(expires=timezone.now() - timedelta(seconds=1))),
    "app_suspended": (403, lambda s, c: App.objects.filter(pk=s["app"].pk).update(
        state=AppState.OFFLINE)),
    "isv_suspended": (403, lambda s, c: Isv.objects.filter(pk=s["isv"].pk).update(
        state=IsvState.SUSPENDED)),
    "insufficient_scope": (403, lambda s, c: type(s["token"]).objects.filter(
        pk=s["token"].pk).update(scope="pack:merchant_basics")),
    "pack_not_subscribed": (403, lambda s, c: Subscription.objects.filter(
        pk=s["subscription"].pk).update(state=SubscriptionState.SUSPENDED)),
    "merchant_not_authorized": (403, lambda s, c: s["authorization"].packs.set(
        [factories.get_pack("merchant_basics")])),
    "merchant_suspended": (403, lambda s, c: Merchant.objects.filter(
        pk=s["merchant"].pk).update(state=MerchantState.SUSPENDED)),
    "quota_exceeded": (429, _exhaust_quota),
}


@pytest.mark.parametrize("code", REFUSALS)
def test_its_view_is_gated(client, served, code):
    status, breaker = REFUSALS[code]
    breaker(served, client)

    response = call(client, served["raw"])

    assert (response.status_code, response.json()["code"]) == (status, code)


def test_its_event_type_is_listed(client):
    types = {entry["type"]: entry for entry in client.get("/api/v1/event-types/").json()}
    assert types["ping.echoed"]["payload"] == {"text": "The text echoed."}


def test_its_error_codes_are_documented_and_answered(client, served):
    assert 'id="ping_text_too_long"' in client.get("/docs/errors").content.decode()
    response = call(client, served["raw"], text="x" * 21)
    assert (response.status_code, response.json()["code"]) == (409, "ping_text_too_long")


def test_its_operations_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"][URL]["get"]
    assert {"oauth2_merchant": [SCOPE]} in operation["security"]


def test_its_portal_nav_item_renders():
    member = make_member(factories.make_isv())
    page = client_for(member.user).get("/portal/")
    assert page.status_code == 200
    assert 'href="/portal/ping/"' in page.content.decode()
    assert client_for(member.user).get("/portal/ping/").status_code == 200
