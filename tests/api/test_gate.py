"""The capability gate in front of ``merchant.info.query``: each refusal code, invalidation of
the cached decision by every service change and token change, quotas, metering and the warm
call's query budget (none)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import revoke_access_token

from governance import services as governance_services
from isv.choices import AppState, IsvKind, IsvState, SubscriptionState
from isv.models import App, Isv, Subscription
from isv.services.apps import app_suspend, app_take_offline
from isv.services.providers import isv_suspend
from isv.services.subscriptions import subscription_suspend
from merchants.choices import MerchantState
from merchants.models import AuthorizationToken, Merchant
from merchants.services.authorizations import authorization_revoke
from merchants.services.lifecycle import merchant_reinstate, merchant_suspend
from merchants.services.onboarding import store_create
from openplatform.api import metering
from openplatform.models import ApiCall
from tests import factories
from tests.api.gate_support import URL, call, make_token, ratelimit_day_left


def test_url_is_named():
    assert reverse("capability-merchant-info-query") == URL


def test_authorized_merchant_gets_its_masked_profile(client, setup):
    response = call(client, setup.raw_token)

    assert response.status_code == 200, response.content
    body = response.json()
    merchant = setup.merchant
    assert body["id"] == str(merchant.pk)
    assert body["external_id"] == merchant.external_id
    assert body["uscc"] == merchant.uscc
    assert body["legal_rep_name_masked"] == "王*"
    assert body["legal_rep_id_number_masked"] == merchant.legal_rep_id_number_masked
    assert body["settlement_account"]["account_number_masked"] == \
        merchant.settlement_account_masked
    assert body["contact_phone_masked"] == "139****5678"
    assert body["mcc"] == "5411"
    assert body["category_name"]
    assert body["state"] == MerchantState.ACTIVE
    assert [store["name"] for store in body["stores"]] == ["Main store"]
    content = response.content.decode()
    for secret in (merchant.reveal_legal_rep_id_number(), merchant.reveal_settlement_account(),
                   merchant.contact_phone, "王五"):
        assert secret not in content
    pack = factories.get_pack()
    assert response["RateLimit-Policy"] == (f'"day";q={pack.default_daily_quota};w=86400, '
                                            f'"second";q={pack.default_per_second_quota};w=1')
    assert response["RateLimit"].startswith('"day";r=')


def test_self_developer_acts_for_its_own_merchant_with_an_app_token(client, db, isv):
    merchant = factories.make_merchant(isv=isv, state=MerchantState.ACTIVE)
    own = factories.make_isv(kind=IsvKind.SELF, merchant=merchant)
    app = factories.make_app(isv=own)
    factories.make_subscription(app=app)
    _token, raw = make_token(app=app)

    response = call(client, raw)

    assert response.status_code == 200, response.content
    assert response.json()["id"] == str(merchant.pk)


def _expire_token(s, client):
    s.token.expires = timezone.now() - timedelta(seconds=1)
    s.token.save()


def _update(model, pk, **fields):
    model.objects.filter(pk=pk).update(**fields)


def _client_credentials_token(s, client):
    AuthorizationToken.objects.filter(access_token=s.token).delete()


def _authorization_without_pack(s, client):
    s.authorization.packs.set([factories.get_pack("payment_basics")])


def _exhaust_quota(s, client):
    _update(Subscription, s.subscription.pk, daily_quota_override=1)
    assert call(client, s.raw_token).status_code == 200


BREAKERS = {
    "invalid_token": (401, _expire_token),
    "app_suspended": (403, lambda s, c: _update(App, s.app.pk, state=AppState.OFFLINE)),
    "isv_suspended": (403, lambda s, c: _update(Isv, s.isv.pk, state=IsvState.SUSPENDED)),
    "insufficient_scope": (403, lambda s, c: _update(
        type(s.token), s.token.pk, scope="isv:read pack:payment_basics")),
    "pack_not_subscribed": (403, lambda s, c: _update(
        Subscription, s.subscription.pk, state=SubscriptionState.SUSPENDED)),
    "merchant_not_authorized": (403, _authorization_without_pack),
    "merchant_suspended": (403, lambda s, c: _update(
        Merchant, s.merchant.pk, state=MerchantState.SUSPENDED)),
    "quota_exceeded": (429, _exhaust_quota),
}


@pytest.mark.parametrize("code", BREAKERS)
def test_breaking_one_condition_gives_its_problem(client, setup, code):
    status, breaker = BREAKERS[code]
    breaker(setup, client)

    response = call(client, setup.raw_token)

    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code
    assert body["status"] == status
    assert body["instance"].startswith("urn:request:")
    assert body["detail"]


def test_missing_or_unknown_token_is_invalid_token(client, setup):
    for raw in (None, "not-a-token"):
        response = call(client, raw)
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_token"
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_app_token_without_merchant_is_not_authorized_and_says_how(client, setup):
    _client_credentials_token(setup, client)

    body = call(client, setup.raw_token).json()

    assert body["code"] == "merchant_not_authorized"
    assert "client_credentials" in body["detail"]
    assert setup.app.client_id in body["detail"]


@pytest.mark.parametrize(("state", "needle"), [
    (AppState.DEVELOPING, "development"), (AppState.IN_REVIEW, "review"),
    (AppState.OFFLINE, "offline"), (AppState.SUSPENDED, "/governance"),
])
def test_app_not_live_names_its_state_and_the_portal_page(client, setup, state, needle):
    _update(App, setup.app.pk, state=state)

    body = call(client, setup.raw_token).json()

    assert body["code"] == "app_suspended"
    assert needle in body["detail"]
    assert f"/portal/apps/{setup.app.pk}" in body["detail"]


def test_unsubscribed_pack_names_app_pack_and_subscriptions_page(client, setup):
    _update(Subscription, setup.subscription.pk, state=SubscriptionState.CANCELLED)

    body = call(client, setup.raw_token).json()

    assert body["code"] == "pack_not_subscribed"
    assert "merchant_basics" in body["detail"]
    assert f"/portal/apps/{setup.app.pk}/subscriptions" in body["detail"]


def _suspend_merchant(s):
    merchant_suspend(merchant=s.merchant, actor=None, reason="Fraud reports")


def _governance_suspend(s):
    governance_services.governance_suspend(target=s.merchant, actor=None,
                                           reason_code="fraud", reason="Fraud reports")


SERVICE_CHANGES = {
    "merchant suspended": ("merchant_suspended", _suspend_merchant),
    "merchant suspended by governance": ("merchant_suspended", _governance_suspend),
    "merchant pack restricted": ("merchant_suspended", lambda s: (
        governance_services.governance_restrict(
            target=s.merchant, actor=None, reason_code="complaints", reason="Complaints",
            packs=[factories.get_pack()]))),
    "app pack restricted": ("merchant_suspended", lambda s: (
        governance_services.governance_restrict(
            target=s.app, actor=None, reason_code="complaints", reason="Complaints",
            packs=[factories.get_pack()]))),
    "app suspended": ("app_suspended", lambda s: app_suspend(
        app=s.app, actor=None, reason="Abuse")),
    "app taken offline": ("app_suspended", lambda s: app_take_offline(
        app=s.app, actor=None)),
    "isv suspended": ("isv_suspended", lambda s: isv_suspend(
        isv=s.isv, actor=None, reason="Abuse")),
    "subscription suspended": ("pack_not_subscribed", lambda s: (
        subscription_suspend(subscription=s.subscription, actor=None,
                                          reason="Unpaid"))),
    "authorization revoked": ("invalid_token", lambda s: authorization_revoke(
        authorization=s.authorization, actor=None, reason="Merchant left")),
}


@pytest.mark.parametrize("change", SERVICE_CHANGES)
def test_service_change_refuses_the_very_next_call(client, setup, change,
                                                   django_capture_on_commit_callbacks):
    code, apply = SERVICE_CHANGES[change]
    assert call(client, setup.raw_token).status_code == 200
    assert call(client, setup.raw_token).status_code == 200  # served from the cached decision

    with django_capture_on_commit_callbacks(execute=True):
        apply(setup)

    assert call(client, setup.raw_token).json()["code"] == code


def test_reinstated_merchant_is_served_again(client, setup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _suspend_merchant(setup)
    assert call(client, setup.raw_token).json()["code"] == "merchant_suspended"

    with django_capture_on_commit_callbacks(execute=True):
        merchant_reinstate(merchant=setup.merchant, actor=None,
                                             reason="Cleared")

    assert call(client, setup.raw_token).status_code == 200


def test_new_store_shows_in_the_next_profile(client, setup, django_capture_on_commit_callbacks):
    assert len(call(client, setup.raw_token).json()["stores"]) == 1

    with django_capture_on_commit_callbacks(execute=True):
        store_create(merchant=setup.merchant, actor=None, external_id="S2",
                                       name="Airport store", city="Shanghai",
                                       address="Pudong Airport")

    assert len(call(client, setup.raw_token).json()["stores"]) == 2


def test_authorization_past_its_expiry_is_refused_despite_the_cache(client, setup, monkeypatch):
    _update(type(setup.authorization), setup.authorization.pk,
            expires_at=timezone.now() + timedelta(minutes=5))
    assert call(client, setup.raw_token).status_code == 200

    later = timezone.now() + timedelta(minutes=10)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert call(client, setup.raw_token).json()["code"] == "merchant_not_authorized"


def test_per_second_quota_gives_429_with_retry_after_and_ratelimit(client, setup, monkeypatch):
    _update(Subscription, setup.subscription.pk, per_second_quota_override=1,
            daily_quota_override=50)
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)

    first = call(client, setup.raw_token)
    second = call(client, setup.raw_token)

    assert first.status_code == 200
    assert first["RateLimit-Policy"] == '"day";q=50;w=86400, "second";q=1;w=1'
    assert first["RateLimit"].startswith('"day";r=49;t=')
    assert first["RateLimit"].endswith('"second";r=0;t=1')
    assert second.status_code == 429
    assert second.json()["code"] == "quota_exceeded"
    assert second["Retry-After"] == "1"
    assert second["RateLimit-Policy"] == first["RateLimit-Policy"]


def test_daily_quota_retry_after_is_the_time_to_midnight(client, setup):
    _update(Subscription, setup.subscription.pk, daily_quota_override=2)

    responses = [call(client, setup.raw_token) for _ in range(3)]

    assert [response.status_code for response in responses] == [200, 200, 429]
    retry_after = int(responses[2]["Retry-After"])
    assert 1 <= retry_after <= 24 * 60 * 60
    assert responses[2]["RateLimit"].startswith('"day";r=0;')
    assert f"/portal/apps/{setup.app.pk}/subscriptions" in responses[2].json()["detail"]


def test_warm_call_reads_no_table(client, setup, django_assert_num_queries):
    assert call(client, setup.raw_token).status_code == 200

    with django_assert_num_queries(0):
        response = call(client, setup.raw_token)

    assert response.status_code == 200
    assert response.json()["id"] == str(setup.merchant.pk)


def _revoke_token(s):
    s.token.revoke()


def _revoke_through_dot(s):
    revoke_access_token(s.token)


def _expire_token_in_the_database(s):
    s.token.expires = timezone.now() - timedelta(seconds=1)
    s.token.save()


def _unlink_the_authorization(s):
    AuthorizationToken.objects.filter(access_token=s.token).delete()


TOKEN_CHANGES = {
    "token revoked": ("invalid_token", _revoke_token),
    "token revoked through DOT": ("invalid_token", _revoke_through_dot),
    "token expired early": ("invalid_token", _expire_token_in_the_database),
    "token no longer acting for the merchant": ("merchant_not_authorized",
                                                _unlink_the_authorization),
}


@pytest.mark.parametrize("change", TOKEN_CHANGES)
def test_token_change_refuses_the_very_next_warm_call(client, setup, change,
                                                      django_capture_on_commit_callbacks):
    code, apply = TOKEN_CHANGES[change]
    assert call(client, setup.raw_token).status_code == 200
    assert call(client, setup.raw_token).status_code == 200  # warm: no table read

    with django_capture_on_commit_callbacks(execute=True):
        apply(setup)

    assert call(client, setup.raw_token).json()["code"] == code


def test_token_expiry_is_read_from_the_cached_decision(client, setup, monkeypatch,
                                                        django_assert_num_queries):
    _update(Subscription, setup.subscription.pk, daily_quota_override=50)
    assert ratelimit_day_left(call(client, setup.raw_token)) == 49
    later = setup.token.expires + timedelta(seconds=1)

    with monkeypatch.context() as patched, django_assert_num_queries(0):
        patched.setattr(timezone, "now", lambda: later)
        response = call(client, setup.raw_token)

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
    # The refused call was not counted in the quota.
    assert ratelimit_day_left(call(client, setup.raw_token)) == 48


def test_a_call_is_counted_once_when_its_cached_decision_went_stale(
        client, setup, django_capture_on_commit_callbacks):
    _update(Subscription, setup.subscription.pk, daily_quota_override=50)
    first = call(client, setup.raw_token)
    with django_capture_on_commit_callbacks(execute=True):
        store_create(merchant=setup.merchant, actor=None, external_id="S2",
                                       name="Airport store", city="Shanghai",
                                       address="Pudong Airport")
    second = call(client, setup.raw_token)

    assert [ratelimit_day_left(response) for response in (first, second)] == [49, 48]


def test_a_call_refused_after_a_warm_one_does_not_count_in_the_quota(
        client, setup, django_capture_on_commit_callbacks):
    _update(Subscription, setup.subscription.pk, daily_quota_override=50)
    assert ratelimit_day_left(call(client, setup.raw_token)) == 49
    with django_capture_on_commit_callbacks(execute=True):
        _suspend_merchant(setup)
    assert call(client, setup.raw_token).json()["code"] == "merchant_suspended"
    with django_capture_on_commit_callbacks(execute=True):
        merchant_reinstate(merchant=setup.merchant, actor=None,
                                             reason="Cleared")

    assert ratelimit_day_left(call(client, setup.raw_token)) == 48


def test_calls_are_metered_after_flush_refusals_included(client, setup):
    assert call(client, setup.raw_token).status_code == 200
    _update(Merchant, setup.merchant.pk, state=MerchantState.SUSPENDED)
    cache.clear()
    assert call(client, setup.raw_token).status_code == 403
    assert call(client, "unknown-token").status_code == 401
    assert not ApiCall.objects.exists()

    assert metering.flush() == 2

    calls = list(ApiCall.objects.order_by("id").values(
        "app_id", "merchant_id", "capability", "pack", "status_code", "error_code"))
    base = {"app_id": setup.app.pk, "merchant_id": setup.merchant.pk,
            "capability": "merchant.info.query", "pack": "merchant_basics"}
    assert calls == [{**base, "status_code": 200, "error_code": ""},
                     {**base, "status_code": 403, "error_code": "merchant_suspended"}]
    assert all(latency >= 0 for latency in ApiCall.objects.values_list("latency_ms", flat=True))
