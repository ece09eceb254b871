"""Idempotency-Key on every POST that creates or moves something."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from isv.models import Subscription
from merchants.choices import MerchantState
from merchants.models import Merchant
from merchants.services import onboarding
from openplatform.api.idempotency import request_fingerprint
from openplatform.models import IdempotencyRecord
from tests import factories
from tests.api.isv_api_support import client_for, merchant_payload

pytestmark = pytest.mark.django_db


def _post(api, url, body, key):
    return api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.fixture
def setting(app):
    """Every idempotent endpoint, with a body and the objects it needs."""
    merchant = factories.make_merchant(isv=app.isv)
    active = factories.make_merchant(isv=app.isv, state=MerchantState.ACTIVE)
    subscription = factories.make_subscription(app=app)
    authorization = factories.make_authorization(merchant=active, app=app)
    return {
        "merchant create": ("/api/v1/merchants/", merchant_payload()),
        "subscription create": (f"/api/v1/apps/{app.pk}/subscriptions/",
                                {"pack": "credit_score"}),
        "subscription cancel": (f"/api/v1/subscriptions/{subscription.pk}/cancel", {}),
        "merchant submit": (f"/api/v1/merchants/{merchant.pk}/submit", {}),
        "authorization link": (f"/api/v1/merchants/{active.pk}/authorization-link",
                               {"packs": ["merchant_basics"]}),
        "authorization revoke": (f"/api/v1/authorizations/{authorization.pk}/revoke",
                                 {"reason": "done"}),
    }


ENDPOINTS = ["merchant create", "subscription create", "subscription cancel",
             "merchant submit", "authorization link", "authorization revoke"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_replay_returns_the_first_response(app, setting, endpoint):
    url, body = setting[endpoint]
    api = client_for(app)
    first = _post(api, url, body, "key-1")
    replay = _post(api, url, body, "key-1")
    assert first.status_code in (200, 201), first.content
    assert (replay.status_code, replay.json()) == (first.status_code, first.json())
    assert replay["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_same_key_with_another_body_is_422(app, setting, endpoint):
    url, body = setting[endpoint]
    api = client_for(app)
    _post(api, url, body, "key-1")
    response = _post(api, url, {**body, "extra": 1}, "key-1")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "idempotency_key_reused"


def test_replayed_create_creates_one_merchant(app):
    api = client_for(app)
    payload = merchant_payload()
    _post(api, "/api/v1/merchants/", payload, "k")
    _post(api, "/api/v1/merchants/", payload, "k")
    assert Merchant.objects.count() == 1


def test_replayed_subscription_creates_one_subscription(app):
    api = client_for(app)
    first = _post(api, f"/api/v1/apps/{app.pk}/subscriptions/", {"solution": "retail"}, "k")
    again = _post(api, f"/api/v1/apps/{app.pk}/subscriptions/", {"solution": "retail"}, "k")
    assert again.json() == first.json()
    assert Subscription.objects.filter(app=app).count() == len(first.json()["subscriptions"])


def test_body_key_order_and_spacing_do_not_matter(app):
    api = client_for(app)
    url = f"/api/v1/apps/{app.pk}/subscriptions/"
    first = api.post(url, '{"pack": "credit_score"}', content_type="application/json",
                     HTTP_IDEMPOTENCY_KEY="k")
    again = api.post(url, '{ "pack":"credit_score" }', content_type="application/json",
                     HTTP_IDEMPOTENCY_KEY="k")
    assert again.status_code == first.status_code == 201
    assert again["Idempotent-Replayed"] == "true"


def test_request_in_flight_is_409(app):
    payload = merchant_payload()
    fingerprint = request_fingerprint(
        SimpleNamespace(method="POST", path="/api/v1/merchants/", data=payload))
    IdempotencyRecord.objects.create(app=app, key="busy", method="POST",
                                     path="/api/v1/merchants/",
                                     request_fingerprint=fingerprint)
    response = _post(client_for(app), "/api/v1/merchants/", payload, "busy")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_in_flight"
    assert response["Retry-After"] == "1"
    assert not Merchant.objects.exists()


def test_errors_are_replayed_as_problems(app):
    api = client_for(app)
    payload = merchant_payload(uscc="bad")
    first = _post(api, "/api/v1/merchants/", payload, "k")
    replay = _post(api, "/api/v1/merchants/", payload, "k")
    assert first.status_code == replay.status_code == 400
    assert replay["Content-Type"] == "application/problem+json"
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()


def test_keys_are_scoped_per_app(app):
    other_app = factories.make_app(isv=app.isv)
    first = _post(client_for(app), "/api/v1/merchants/", merchant_payload(), "shared")
    second = _post(client_for(other_app), "/api/v1/merchants/", merchant_payload(), "shared")
    assert (first.status_code, second.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in second


def test_a_key_older_than_24_hours_is_forgotten(app):
    api = client_for(app)
    _post(api, "/api/v1/merchants/", merchant_payload(), "old")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    response = _post(api, "/api/v1/merchants/", merchant_payload(), "old")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Merchant.objects.count() == 2


def test_a_server_error_releases_the_key(app, monkeypatch):


    def explode(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(onboarding, "merchant_create", explode)
    api = client_for(app)
    api.raise_request_exception = False
    assert _post(api, "/api/v1/merchants/", merchant_payload(), "k").status_code == 500
    assert not IdempotencyRecord.objects.filter(key="k").exists()


@pytest.mark.parametrize("key", ["", "x" * 256])
def test_an_unusable_key_is_400(app, key):
    response = _post(client_for(app), "/api/v1/merchants/", merchant_payload(), key)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert not Merchant.objects.exists()


def test_without_a_key_nothing_is_recorded(app):
    client_for(app).post("/api/v1/merchants/", merchant_payload(), format="json")
    assert not IdempotencyRecord.objects.exists()
