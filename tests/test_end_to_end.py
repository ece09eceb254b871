"""End to end through the front door: real tokens from DOT's endpoints (client credentials, and
the authorization code with PKCE through the consent form), then ``merchant.info.query``, and
each gate code by breaking one condition at a time."""

import pytest

from governance import services as governance_services
from isv.choices import IsvState, SubscriptionState
from isv.services.apps import app_suspend
from isv.services.providers import isv_restrict, isv_suspend
from isv.services.subscriptions import subscription_suspend
from merchants.choices import MerchantState
from merchants.services.authorizations import authorization_revoke
from merchants.services.lifecycle import merchant_suspend
from tests import factories
from tests.oauth import client_credentials, make_setup, merchant_tokens

pytestmark = pytest.mark.django_db
CAPABILITY_URL = "/api/v1/merchant/info"


def call(client, token: str):
    return client.get(CAPABILITY_URL, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def world(client):
    setup = make_setup()
    tokens = merchant_tokens(client, setup)
    client.logout()
    return setup, tokens["access_token"]


def test_tokens_both_ways_reach_the_capability_through_the_gate(client, world):
    setup, merchant_token = world
    response = call(client, merchant_token)
    assert response.status_code == 200, response.content
    assert response.json()["external_id"] == setup.merchant.external_id

    app_token = client_credentials(client, setup.app, scope="isv:read").json()["access_token"]
    refused = call(client, app_token)
    assert refused.status_code == 403
    assert refused.json()["code"] == "insufficient_scope"


def _staff():
    return factories.make_user(is_staff=True)


def _suspend_app(setup):
    app_suspend(app=setup.app, actor=_staff(), reason="Abuse")


def _suspend_isv(setup):
    isv_suspend(isv=setup.app.isv, actor=_staff(), reason="Fraud")


def _cancel_subscription(setup):
    subscription = setup.app.subscriptions.get(state=SubscriptionState.ACTIVE)
    subscription_suspend(subscription=subscription, actor=_staff(),
                                      reason="Overdue")


def _restrict_pack(setup):
    governance_services.governance_restrict(
        target=setup.merchant, actor=_staff(), reason_code="fraud_suspected",
        reason="Order brushing", packs=[factories.get_pack("merchant_basics")])


def _suspend_merchant(setup):
    merchant_suspend(merchant=setup.merchant, actor=_staff(), reason="Gambling")


BREAKS = {
    "app_suspended": (403, _suspend_app),
    "isv_suspended": (403, _suspend_isv),
    "pack_not_subscribed": (403, _cancel_subscription),
    "merchant_suspended": (403, _suspend_merchant),
    "merchant_suspended (pack restricted)": (403, _restrict_pack),
}


@pytest.mark.parametrize("code", BREAKS)
def test_breaking_one_condition_refuses_the_very_next_call_with_its_code(
    client, world, code, django_capture_on_commit_callbacks
):
    setup, token = world
    assert call(client, token).status_code == 200  # the decision is cached now
    status, breaks = BREAKS[code]

    with django_capture_on_commit_callbacks(execute=True):  # the commit invalidates the cache
        breaks(setup)

    response = call(client, token)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code.split(" ")[0]
    assert response.json()["detail"]


def test_revoked_authorization_and_unknown_token_are_invalid_token(client, world):
    setup, token = world
    authorization = setup.merchant.authorizations.get()
    authorization_revoke(authorization=authorization, actor=setup.user)
    assert call(client, token).json()["code"] == "invalid_token"
    assert call(client, "not-a-token").json()["code"] == "invalid_token"


def test_quota_exhaustion_is_a_429_with_retry_after(client, world):
    setup, token = world
    subscription = setup.app.subscriptions.get(state=SubscriptionState.ACTIVE)
    subscription.per_second_quota_override = 1
    subscription.daily_quota_override = 1
    subscription.save(update_fields=["per_second_quota_override", "daily_quota_override"])

    first, second = call(client, token), call(client, token)

    assert first.status_code == 200
    assert second.status_code == 429
    assert second["Retry-After"]
    assert second.json()["code"] == "quota_exceeded"


def test_a_restricted_isv_still_serves_its_merchants(client, world,
                                                     django_capture_on_commit_callbacks):
    setup, token = world
    with django_capture_on_commit_callbacks(execute=True):
        isv_restrict(isv=setup.app.isv, actor=_staff(), reason="Late filing")
    assert setup.app.isv.__class__.objects.get(pk=setup.app.isv.pk).state == IsvState.RESTRICTED
    assert call(client, token).status_code == 200


def test_a_negative_list_entry_suspends_a_live_merchant_before_its_next_call(
    client, world, settings, django_capture_on_commit_callbacks
):
    setup, token = world
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert call(client, token).status_code == 200  # the decision is cached now

    # The commit re-screens the merchant (the task), whose own commit invalidates the cache.
    with django_capture_on_commit_callbacks(execute=True):
        governance_services.negative_list_entry_add(
            actor=_staff(), kind="uscc", value=setup.merchant.uscc, category="gambling",
            source="test")

    setup.merchant.refresh_from_db()
    assert setup.merchant.state == MerchantState.SUSPENDED
    response = call(client, token)
    assert response.status_code == 403
    assert response.json()["code"] == "merchant_suspended"
