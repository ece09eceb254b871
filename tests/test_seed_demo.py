"""``manage.py seed_demo``: demo data through the services, idempotent, with working logins."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command

from capabilities.payment import ledger
from capabilities.payment.models import LedgerTransaction, SandboxBuyer
from isv.choices import AppState, IsvState, SubscriptionState
from isv.models import App, Isv, IsvMember, Subscription
from merchants.choices import AuthorizationState, MerchantState
from merchants.models import Authorization, Merchant, MerchantUser
from openplatform.audit.models import AuditEvent
from openplatform.events.models import Event
from portal.management.commands.seed_demo import (
    APP_NAME,
    DEMO_LOGINS,
    DEMO_MERCHANTS,
    ISV_NAME,
)

pytestmark = pytest.mark.django_db

COUNTED_MODELS = (get_user_model(), Isv, IsvMember, App, Subscription, Merchant, MerchantUser,
                  Authorization, AuditEvent, Event, SandboxBuyer, LedgerTransaction)
LOGIN_LINE = re.compile(r"^\s+(\S+) / (\S+) — ", re.MULTILINE)
SECRET_LINE = re.compile(r"client secret: (\S+) — ")
BUYER_LINE = re.compile(r"^\s+(buyer-\d) / (\d+) / ", re.MULTILINE)


def seed(*args) -> str:
    output = StringIO()
    call_command("seed_demo", *args, stdout=output)
    return output.getvalue()


def counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in COUNTED_MODELS}


def test_second_run_creates_nothing_and_prints_the_same_logins():
    first = seed()
    after_first = counts()
    second = seed()

    assert counts() == after_first
    assert LOGIN_LINE.findall(second) == LOGIN_LINE.findall(first)
    assert SECRET_LINE.search(first)
    assert not SECRET_LINE.search(second)


def test_printed_logins_work(client):
    printed = LOGIN_LINE.findall(seed())

    assert {username for username, _password in printed} == {
        login.username for login in DEMO_LOGINS}
    for username, password in printed:
        assert client.login(username=username, password=password), username


def test_demo_world_is_in_the_promised_states():
    output = seed()

    isv = Isv.objects.get(name=ISV_NAME)
    app = App.objects.get(isv=isv, name=APP_NAME)
    assert isv.state == IsvState.ACTIVE
    assert isv.members.get().user.username == "isv-owner"
    assert (app.state, app.client_id in output) == (AppState.LIVE, True)
    assert dict(app.subscriptions.values_list("pack__code", "state")) == {
        "merchant_basics": SubscriptionState.ACTIVE,
        "face_to_face_payment": SubscriptionState.ACTIVE,
        "payment_basics": SubscriptionState.ACTIVE,
        "credit_score": SubscriptionState.PENDING_REVIEW,
    }
    demo_merchants = Merchant.objects.filter(
        isv=isv, external_id__in=[demo.data.external_id for demo in DEMO_MERCHANTS])
    assert sorted(demo_merchants.values_list("state", flat=True)) == sorted(
        [MerchantState.ACTIVE, MerchantState.MANUAL_REVIEW, MerchantState.DRAFT])
    active = demo_merchants.get(state=MerchantState.ACTIVE)
    assert active.users.get().user.username == "merchant-owner"
    authorization = Authorization.objects.get(merchant=active, app=app)
    assert authorization.state == AuthorizationState.ACTIVE
    assert list(authorization.packs.values_list("code", flat=True)) == ["merchant_basics"]
    staff = get_user_model().objects.get(username="staff")
    assert staff.is_staff and not staff.is_superuser
    assert list(staff.groups.values_list("name", flat=True)) == ["governance"]
    assert get_user_model().objects.get(username="admin").is_superuser


def test_every_change_went_through_a_service_and_was_audited():
    seed()

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"isv.registered", "isv.approved", "app.created", "app.live",
            "subscription.activated", "subscription.requested", "merchant.created",
            "merchant.submitted", "merchant.screening_started", "merchant.activated",
            "merchant.referred_to_review", "merchant_user.added",
            "authorization.granted", "payment.sandbox_buyer.created",
            "payment.sandbox_buyer.topped_up"} <= actions


def test_sandbox_buyers_are_funded_once_and_their_payment_codes_printed(settings):
    first = BUYER_LINE.findall(seed())
    second = BUYER_LINE.findall(seed())

    buyers = {buyer.login: buyer for buyer in SandboxBuyer.objects.all()}
    assert first == second == [(login, buyers[login].payment_code)
                               for login in ("buyer-1", "buyer-2")]
    balance = settings.PAYMENT["SANDBOX_BUYER_BALANCE"]
    assert [ledger.balance(ledger.buyer_wallet(buyer)[0]) for buyer in buyers.values()] == [
        balance, balance]
    assert ledger.verify().ok


def test_printed_secret_is_the_apps_secret_and_can_be_rotated():
    first_secret = SECRET_LINE.search(seed()).group(1)
    app = App.objects.get(name=APP_NAME)
    assert check_password(first_secret, app.client_secret)

    rotated_secret = SECRET_LINE.search(seed("--rotate-secret")).group(1)

    app.refresh_from_db()
    assert rotated_secret != first_secret
    assert check_password(rotated_secret, app.client_secret)


def test_seed_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
