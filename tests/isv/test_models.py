import itertools

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from isv.choices import (
    OPEN_SUBSCRIPTION_STATES,
    AppState,
    IsvKind,
    IsvState,
    MemberRole,
    SubscriptionState,
)
from isv.models import App, Isv, IsvMember, Subscription
from tests import factories

pytestmark = pytest.mark.django_db

CLOSED_SUBSCRIPTION_STATES = [state for state in SubscriptionState
                              if state not in OPEN_SUBSCRIPTION_STATES]


def test_uscc_belongs_to_one_isv():
    uscc = factories.make_uscc()
    factories.make_isv(uscc=uscc)

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_isv(uscc=uscc)


def test_self_developer_without_its_merchant_violates_the_check():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_isv(kind=IsvKind.SELF, merchant=None)


def test_company_tied_to_a_merchant_violates_the_check(merchant):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_isv(kind=IsvKind.COMPANY, merchant=merchant)


def test_self_developer_tied_to_its_merchant_is_valid(merchant):
    isv = factories.make_isv(kind=IsvKind.SELF, merchant=merchant)

    assert merchant.developer_account == isv


def test_merchant_has_one_developer_account(merchant):
    factories.make_isv(kind=IsvKind.SELF, merchant=merchant)

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_isv(kind=IsvKind.SELF, merchant=merchant)


def test_rejected_isv_without_reason_violates_the_check():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_isv(state=IsvState.REJECTED, rejection_reason="")


def test_person_is_a_member_of_an_isv_once(isv, owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        IsvMember.objects.create(isv=isv, user=owner, role=MemberRole.DEVELOPER)


@pytest.mark.parametrize(
    ("make", "model", "column"),
    [
        (lambda: factories.make_isv(), Isv, "state"),
        (lambda: factories.make_isv(), Isv, "kind"),
        (lambda: factories.make_app(), App, "state"),
        (lambda: factories.make_app(), App, "environment"),
        (lambda: factories.make_subscription(), Subscription, "state"),
    ],
    ids=["isv-state", "isv-kind", "app-state", "app-environment", "subscription-state"],
)
def test_columns_hold_only_their_choices(make, model, column):
    row = make()

    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{column: "bogus"})


@pytest.mark.parametrize(("first", "second"),
                         list(itertools.product(OPEN_SUBSCRIPTION_STATES, repeat=2)))
def test_two_open_subscriptions_of_one_app_to_one_pack_violate_the_constraint(first, second,
                                                                              app):
    factories.make_subscription(app=app, state=first)

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_subscription(app=app, state=second)


@pytest.mark.parametrize("closed", CLOSED_SUBSCRIPTION_STATES)
@pytest.mark.parametrize("other", list(SubscriptionState))
def test_closed_subscription_leaves_room_for_another(closed, other, app):
    factories.make_subscription(app=app, state=closed)

    factories.make_subscription(app=app, state=other)

    assert Subscription.objects.filter(app=app).count() == 2


def test_open_subscriptions_of_one_app_to_different_packs_are_fine(app):
    factories.make_subscription(app=app, pack=factories.get_pack("merchant_basics"))
    factories.make_subscription(app=app, pack=factories.get_pack("payment_basics"))

    assert Subscription.objects.filter(app=app).count() == 2


def test_rejected_subscription_without_reason_violates_the_check(app):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_subscription(app=app, state=SubscriptionState.REJECTED, reason="")


@pytest.mark.parametrize("state", IsvState)
def test_isv_is_operational_while_active_or_restricted(state):
    isv = factories.make_isv(state=state)

    assert isv.is_operational == (state in (IsvState.ACTIVE, IsvState.RESTRICTED))


def test_subscription_quota_defaults_to_the_pack_and_may_be_overridden(app):
    subscription = factories.make_subscription(app=app)
    pack = subscription.pack

    assert (subscription.daily_quota, subscription.per_second_quota) == (
        pack.default_daily_quota, pack.default_per_second_quota)
    subscription.daily_quota_override = 7
    subscription.per_second_quota_override = 3
    assert (subscription.daily_quota, subscription.per_second_quota) == (7, 3)


def test_isv_shows_its_name():
    assert str(factories.make_isv(name="杭州示例科技有限公司")) == "杭州示例科技有限公司"


def test_member_shows_person_isv_and_role(isv, owner):
    member = IsvMember.objects.get(isv=isv, user=owner)

    with translation.override("en"):
        assert str(member) == f"owner · {isv.name} (Owner)"


def test_app_shows_its_name_or_else_its_client_id(isv):
    named = factories.make_app(isv=isv, name="门店收银")
    unnamed = factories.make_app(isv=isv, name="")

    assert str(named) == "门店收银"
    assert str(unnamed) == unnamed.client_id


def test_subscription_shows_app_pack_and_state(isv):
    app = factories.make_app(isv=isv, name="门店收银", state=AppState.LIVE)
    subscription = factories.make_subscription(app=app, state=SubscriptionState.ACTIVE)

    with translation.override("en"):
        assert str(subscription) == "门店收银 → merchant_basics (Active)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "app_state, isv_state, usable",
    [
        (AppState.LIVE, IsvState.ACTIVE, True),
        (AppState.DEVELOPING, IsvState.RESTRICTED, True),
        (AppState.SUSPENDED, IsvState.ACTIVE, False),
        (AppState.LIVE, IsvState.SUSPENDED, False),
        (AppState.LIVE, IsvState.CLEARED_OUT, False),
    ],
)
def test_app_is_usable_for_new_tokens_only_while_it_and_its_isv_may_operate(
    app_state, isv_state, usable
):
    app = factories.make_app(isv=factories.make_isv(state=isv_state), state=app_state)
    assert app.is_usable(request=None) is usable
