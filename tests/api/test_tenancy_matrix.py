"""Two ISVs side by side: nothing of one is ever returned to, or changed by, the other.

Every endpoint that takes an id is called with one tenant's token and the other tenant's ids,
both ways round: 404 ``not_found`` each time, and the other tenant's rows stay as they were.
"""

from dataclasses import dataclass

import pytest
from django.db import transaction

from isv.models import App, Subscription
from merchants.choices import MerchantState
from merchants.models import Authorization, Merchant
from openplatform.audit.models import AuditEvent
from openplatform.events import services as events
from openplatform.events.models import Delivery, Event, WebhookEndpoint
from tests import factories
from tests.api.isv_api_support import client_for, merchant_payload

pytestmark = pytest.mark.django_db


@dataclass
class Tenant:
    app: App
    other_app: App
    merchant: Merchant
    draft: Merchant
    subscription: Subscription
    authorization: Authorization
    endpoint: WebhookEndpoint
    event: Event


def make_tenant() -> Tenant:
    isv = factories.make_isv()
    app = factories.make_app(isv=isv)
    merchant = factories.make_merchant(isv=isv, state=MerchantState.ACTIVE)
    endpoint, _secret = events.webhook_endpoint_create(
        app=app, actor=None, url="http://127.0.0.1:9/hooks", event_types=["*"])
    with transaction.atomic():
        event = events.event_emit(type="merchant.activated", isv=isv, app=app,
                                  data={"merchant_id": str(merchant.pk), "state": "active"})
    return Tenant(
        app=app,
        other_app=factories.make_app(isv=isv),
        merchant=merchant,
        draft=factories.make_merchant(isv=isv),
        subscription=factories.make_subscription(app=app),
        authorization=factories.make_authorization(merchant=merchant, app=app),
        endpoint=endpoint,
        event=event,
    )


@pytest.fixture
def tenants():
    return make_tenant(), make_tenant()


# (method, url template, body): {…} are the victim's ids.
ENDPOINTS = [
    ("get", "/api/v1/apps/{app}/", None),
    ("get", "/api/v1/apps/{other_app}/", None),
    ("get", "/api/v1/apps/{app}/subscriptions/", None),
    ("post", "/api/v1/apps/{app}/subscriptions/", {"pack": "credit_score"}),
    ("post", "/api/v1/apps/{other_app}/subscriptions/", {"solution": "retail"}),
    ("post", "/api/v1/subscriptions/{subscription}/cancel", None),
    ("get", "/api/v1/merchants/{merchant}/", None),
    ("get", "/api/v1/merchants/{draft}/", None),
    ("patch", "/api/v1/merchants/{draft}/", {"short_name": "被改了"}),
    ("post", "/api/v1/merchants/{draft}/submit", None),
    ("post", "/api/v1/merchants/{merchant}/authorization-link",
     {"packs": ["merchant_basics"], "redirect_uri": "https://example.com/callback"}),
    ("post", "/api/v1/authorizations/{authorization}/revoke", {"reason": "hostile"}),
    ("get", "/api/v1/webhook-endpoints/{endpoint}/", None),
    ("patch", "/api/v1/webhook-endpoints/{endpoint}/", {"url": "http://127.0.0.1:9/mine"}),
    ("delete", "/api/v1/webhook-endpoints/{endpoint}/", None),
    ("post", "/api/v1/webhook-endpoints/{endpoint}/rotate-secret", {"overlap_hours": 0}),
    ("post", "/api/v1/webhook-endpoints/{endpoint}/enable", None),
    ("post", "/api/v1/webhook-endpoints/{endpoint}/disable", None),
    ("post", "/api/v1/webhook-endpoints/{endpoint}/test", None),
    ("get", "/api/v1/events/{event}/", None),
    ("post", "/api/v1/events/{event}/resend", None),
]


def _ids(tenant: Tenant) -> dict[str, object]:
    return {"app": tenant.app.pk, "other_app": tenant.other_app.pk,
            "merchant": tenant.merchant.pk, "draft": tenant.draft.pk,
            "subscription": tenant.subscription.pk, "authorization": tenant.authorization.pk,
            "endpoint": tenant.endpoint.pk, "event": tenant.event.pk}


def _snapshot(tenant: Tenant) -> dict:
    isv = tenant.app.isv
    return {
        "merchants": list(Merchant.objects.filter(isv=isv).order_by("pk").values()),
        "subscriptions": list(Subscription.objects.filter(app__isv=isv).order_by("pk").values()),
        "authorizations": list(Authorization.objects.filter(app__isv=isv).order_by("pk")
                               .values()),
        "webhook_endpoints": list(WebhookEndpoint.objects.filter(app__isv=isv).order_by("pk")
                                  .values()),
        "deliveries": list(Delivery.objects.filter(event__isv=isv).order_by("pk").values()),
    }


def _writes() -> tuple[int, int]:
    return AuditEvent.objects.count(), Event.objects.count()


@pytest.mark.parametrize(("method", "template", "body"), ENDPOINTS,
                         ids=[f"{method} {template}" for method, template, _body in ENDPOINTS])
@pytest.mark.parametrize("direction", ["a→b", "b→a"])
def test_other_tenants_ids_are_404_and_change_nothing(tenants, direction, method, template,
                                                      body):
    attacker, victim = tenants if direction == "a→b" else tenants[::-1]
    before, writes = _snapshot(victim), _writes()
    api = client_for(attacker.app)
    response = getattr(api, method)(template.format(**_ids(victim)), body, format="json")
    assert response.status_code == 404, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"
    assert _snapshot(victim) == before
    assert _writes() == writes


@pytest.mark.parametrize(("url", "key"), [
    ("/api/v1/apps/", "app"), ("/api/v1/merchants/", "merchant"),
    ("/api/v1/authorizations/", "authorization"),
    ("/api/v1/webhook-endpoints/", "endpoint"), ("/api/v1/events/", "event"),
])
def test_lists_hold_only_the_callers_rows(tenants, url, key):
    mine, theirs = tenants
    rows = client_for(mine.app).get(url).json()["results"]
    ids = {row["id"] for row in rows}
    assert ids == _own_ids(mine, key)
    assert not ids & _own_ids(theirs, key)


def _own_ids(tenant: Tenant, key: str) -> set:
    return {"app": {tenant.app.pk, tenant.other_app.pk},
            "merchant": {tenant.merchant.pk, tenant.draft.pk},
            "authorization": {tenant.authorization.pk},
            "endpoint": {tenant.endpoint.pk},
            "event": {str(tenant.event.pk)}}[key]


def test_same_external_id_in_two_isvs_are_two_merchants(tenants):
    mine, theirs = tenants
    before = _snapshot(theirs)
    response = client_for(mine.app).post(
        "/api/v1/merchants/", merchant_payload(external_id=theirs.draft.external_id),
        format="json")
    assert response.status_code == 201
    assert response.json()["id"] != theirs.draft.pk
    assert _snapshot(theirs) == before


def test_filters_cannot_reach_other_tenants_rows(tenants):
    mine, theirs = tenants
    api = client_for(mine.app)
    assert api.get(f"/api/v1/merchants/?q={theirs.draft.external_id}").json()["results"] == []
    assert api.get(f"/api/v1/authorizations/?merchant={theirs.merchant.pk}").json()["results"] \
        == []
    assert api.get(f"/api/v1/webhook-endpoints/?app={theirs.app.pk}").json()["results"] == []
    assert api.get(f"/api/v1/events/?app={theirs.app.pk}").json()["results"] == []


def test_an_endpoint_cannot_be_added_to_another_tenants_app(tenants):
    mine, theirs = tenants
    before, writes = _snapshot(theirs), _writes()
    response = client_for(mine.app).post(
        "/api/v1/webhook-endpoints/",
        {"app": theirs.app.pk, "url": "http://127.0.0.1:9/mine", "event_types": ["*"]},
        format="json")
    assert response.status_code == 400, response.content
    assert {(error["field"], error["code"]) for error in response.json()["errors"]} == {
        ("app", "does_not_exist")}
    assert _snapshot(theirs) == before
    assert _writes() == writes
