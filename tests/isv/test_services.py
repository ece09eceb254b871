import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from oauth2_provider.models import (
    get_access_token_model,
    get_grant_model,
    get_refresh_token_model,
)

from catalog.models import IndustrySolution
from isv import selectors
from isv.choices import (
    APP_TRANSITIONS,
    ISV_TRANSITIONS,
    OPEN_SUBSCRIPTION_STATES,
    SUBSCRIPTION_TRANSITIONS,
    AppEnvironment,
    AppState,
    IsvKind,
    IsvState,
    MemberRole,
    SubscriptionState,
)
from isv.models import App, Isv, IsvMember, Subscription
from isv.services import subscriptions as subscription_services
from isv.services.apps import (
    app_approve,
    app_create,
    app_go_live,
    app_reinstate,
    app_reject_review,
    app_rotate_secret,
    app_submit_for_review,
    app_suspend,
    app_take_offline,
)
from isv.services.providers import (
    isv_approve,
    isv_clear_out,
    isv_lift_restriction,
    isv_register,
    isv_reinstate,
    isv_reject,
    isv_restrict,
    isv_resubmit,
    isv_suspend,
)
from isv.services.subscriptions import (
    subscription_approve,
    subscription_cancel,
    subscription_create,
    subscription_reject,
    subscription_resume,
    subscription_subscribe_solution,
    subscription_suspend,
)
from isv.services.team import isv_member_add
from merchants.choices import AuthorizationState, MerchantState
from openplatform.audit.models import AuditEvent
from openplatform.data.validators import USCC_CHARSET
from openplatform.errors import DomainError, IllegalTransition, PermissionDenied
from openplatform.events.models import Event
from tests import factories

pytestmark = pytest.mark.django_db

REASON = {"reason": "Breach of the platform rules"}


@dataclass(frozen=True)
class Move:
    """One service of a state machine: the states it moves from, and where to."""

    service: Callable
    to: str
    sources: tuple[str, ...]
    action: str
    kwargs: dict = field(default_factory=dict)
    environment: str = AppEnvironment.SANDBOX


ISV_MOVES = {
    "isv_approve": Move(isv_approve, IsvState.ACTIVE, (IsvState.PENDING_REVIEW,),
                        "isv.approved"),
    "isv_reject": Move(isv_reject, IsvState.REJECTED, (IsvState.PENDING_REVIEW,),
                       "isv.rejected", REASON),
    "isv_resubmit": Move(isv_resubmit, IsvState.PENDING_REVIEW, (IsvState.REJECTED,),
                         "isv.resubmitted"),
    "isv_restrict": Move(isv_restrict, IsvState.RESTRICTED, (IsvState.ACTIVE,),
                         "isv.restricted", REASON),
    "isv_lift_restriction": Move(isv_lift_restriction, IsvState.ACTIVE,
                                 (IsvState.RESTRICTED,), "isv.restriction_lifted", REASON),
    "isv_suspend": Move(isv_suspend, IsvState.SUSPENDED,
                        (IsvState.ACTIVE, IsvState.RESTRICTED), "isv.suspended", REASON),
    "isv_reinstate": Move(isv_reinstate, IsvState.ACTIVE, (IsvState.SUSPENDED,),
                          "isv.reinstated", REASON),
    "isv_clear_out": Move(isv_clear_out, IsvState.CLEARED_OUT, (IsvState.SUSPENDED,),
                          "isv.cleared_out", REASON),
}

APP_MOVES = {
    "app_submit_for_review": Move(app_submit_for_review, AppState.IN_REVIEW,
                                  (AppState.DEVELOPING,), "app.submitted_for_review",
                                  environment=AppEnvironment.PRODUCTION),
    "app_approve": Move(app_approve, AppState.LIVE, (AppState.IN_REVIEW,),
                        "app.approved", environment=AppEnvironment.PRODUCTION),
    "app_reject_review": Move(app_reject_review, AppState.DEVELOPING,
                              (AppState.IN_REVIEW,), "app.review_rejected", REASON,
                              environment=AppEnvironment.PRODUCTION),
    "app_go_live": Move(app_go_live, AppState.LIVE,
                        (AppState.DEVELOPING, AppState.OFFLINE), "app.live"),
    "app_take_offline": Move(app_take_offline, AppState.OFFLINE, (AppState.LIVE,),
                             "app.taken_offline"),
    "app_suspend": Move(app_suspend, AppState.SUSPENDED,
                        (AppState.DEVELOPING, AppState.IN_REVIEW, AppState.LIVE,
                         AppState.OFFLINE), "app.suspended", REASON),
    "app_reinstate": Move(app_reinstate, AppState.OFFLINE, (AppState.SUSPENDED,),
                          "app.reinstated", REASON),
}

SUBSCRIPTION_MOVES = {
    "subscription_approve": Move(subscription_approve, SubscriptionState.ACTIVE,
                                 (SubscriptionState.PENDING_REVIEW,), "subscription.approved"),
    "subscription_reject": Move(subscription_reject, SubscriptionState.REJECTED,
                                (SubscriptionState.PENDING_REVIEW,), "subscription.rejected",
                                REASON),
    "subscription_suspend": Move(subscription_suspend, SubscriptionState.SUSPENDED,
                                 (SubscriptionState.ACTIVE,), "subscription.suspended", REASON),
    "subscription_resume": Move(subscription_resume, SubscriptionState.ACTIVE,
                                (SubscriptionState.SUSPENDED,), "subscription.resumed"),
    "subscription_cancel": Move(subscription_cancel, SubscriptionState.CANCELLED,
                                tuple(OPEN_SUBSCRIPTION_STATES), "subscription.cancelled"),
}


def moves_from_table(transitions) -> set[tuple[str, str]]:
    return {(source, target) for source, targets in transitions.items() for target in targets}


def moves_of_services(moves: dict[str, Move]) -> set[tuple[str, str]]:
    return {(source, move.to) for move in moves.values() for source in move.sources}


def cases(moves: dict[str, Move], states, *, legal: bool) -> list:
    """(service, state) pairs: the states a service moves from, or every other state."""
    return [
        pytest.param(name, state, id=f"{name}-from-{state}")
        for name, move in moves.items()
        for state in states
        if (state in move.sources) == legal
    ]


def audit_for(target) -> AuditEvent:
    return AuditEvent.objects.get(target_type=ContentType.objects.get_for_model(target),
                                  target_id=str(target.pk))


def assert_recorded(target, *, action: str, before: str, after: str, actor,
                    reason: str = "") -> Event:
    # Approval also provisions the ISV's sandbox (isv_provision_sandbox), which writes its own
    # lines and events: look at the move's own.
    audit = audit_for(target) if action != "isv.approved" else AuditEvent.objects.get(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk),
        action=action)
    assert audit.action == action
    assert audit.actor == actor
    assert audit.reason == reason
    assert audit.before == {"state": before}
    assert audit.after["state"] == after
    event = Event.objects.get(type=action)
    assert event.payload["type"] == action
    assert event.payload["data"]["state"] == after
    assert "reason" not in event.payload["data"]
    return event


def assert_nothing_written() -> None:
    assert not AuditEvent.objects.exists()
    assert not Event.objects.exists()


def error_codes(error: ValidationError) -> dict[str, list[str]]:
    return {name: [item.code for item in items] for name, items in error.error_dict.items()}


@pytest.mark.parametrize(
    ("moves", "transitions"),
    [(ISV_MOVES, ISV_TRANSITIONS), (APP_MOVES, APP_TRANSITIONS),
     (SUBSCRIPTION_MOVES, SUBSCRIPTION_TRANSITIONS)],
    ids=["isv", "app", "subscription"],
)
def test_every_move_of_the_table_has_exactly_its_service(moves, transitions):
    assert moves_of_services(moves) == moves_from_table(transitions)


# --- ISV state machine ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "source"), cases(ISV_MOVES, IsvState, legal=True))
def test_isv_service_moves_the_isv_and_records_it(name, source, staff_user):
    move = ISV_MOVES[name]
    isv = factories.make_isv(state=source)

    result = move.service(isv=isv, actor=staff_user, **move.kwargs)

    isv.refresh_from_db()
    assert result.state == isv.state == move.to
    event = assert_recorded(isv, action=move.action, before=source, after=move.to,
                            actor=staff_user, reason=move.kwargs.get("reason", ""))
    assert event.isv == isv
    assert event.payload["data"]["isv_id"] == str(isv.pk)


@pytest.mark.parametrize(("name", "source"), cases(ISV_MOVES, IsvState, legal=False))
def test_isv_service_refuses_every_other_state_and_writes_nothing(name, source, staff_user):
    move = ISV_MOVES[name]
    isv = factories.make_isv(state=source)

    with pytest.raises(IllegalTransition) as raised:
        move.service(isv=isv, actor=staff_user, **move.kwargs)

    assert raised.value.code == "illegal_transition"
    isv.refresh_from_db()
    assert isv.state == source
    assert_nothing_written()


def test_isv_approval_names_the_reviewer(staff_user):
    isv = isv_approve(isv=factories.make_isv(state=IsvState.PENDING_REVIEW),
                               actor=staff_user)

    assert isv.reviewed_by == staff_user
    assert isv.reviewed_at is not None


def test_isv_rejection_keeps_the_reason_and_names_the_reviewer(staff_user):
    isv = isv_reject(isv=factories.make_isv(state=IsvState.PENDING_REVIEW),
                              actor=staff_user, reason="  Licence unreadable ")

    isv.refresh_from_db()
    assert isv.rejection_reason == "Licence unreadable"
    assert isv.reviewed_by == staff_user
    assert isv.reviewed_at is not None
    assert audit_for(isv).reason == "Licence unreadable"


@pytest.mark.parametrize("reason", ["", "   "])
@pytest.mark.parametrize(
    ("service", "state"),
    [(isv_reject, IsvState.PENDING_REVIEW), (isv_restrict, IsvState.ACTIVE),
     (isv_lift_restriction, IsvState.RESTRICTED),
     (isv_suspend, IsvState.ACTIVE), (isv_reinstate, IsvState.SUSPENDED),
     (isv_clear_out, IsvState.SUSPENDED)],
)
def test_isv_governance_needs_a_reason(service, state, reason, staff_user):
    isv = factories.make_isv(state=state)

    with pytest.raises(ValidationError) as raised:
        service(isv=isv, actor=staff_user, reason=reason)

    assert error_codes(raised.value) == {"reason": ["required"]}
    isv.refresh_from_db()
    assert isv.state == state
    assert_nothing_written()


def test_resubmission_clears_the_rejection_reason(owner):
    isv = factories.make_isv(state=IsvState.REJECTED, owner=owner)

    isv_resubmit(isv=isv, actor=owner)

    isv.refresh_from_db()
    assert isv.state == IsvState.PENDING_REVIEW
    assert isv.rejection_reason == ""


# --- registration and members -----------------------------------------------------------------


def registration(**overrides) -> dict:
    return {
        "name": "杭州示例科技有限公司",
        "uscc": factories.make_uscc(),
        "legal_representative": "张三",
        "contact_name": "李四",
        "contact_email": "dev@example.com",
        "contact_phone": "+86 138-0013-8000",
        **overrides,
    }


def test_registration_creates_a_pending_isv_owned_by_its_registrant():
    user = factories.make_user()
    uscc = factories.make_uscc()

    isv = isv_register(actor=user, **registration(uscc=f" {uscc.lower()} "))

    isv.refresh_from_db()
    assert isv.state == IsvState.PENDING_REVIEW
    assert isv.kind == IsvKind.COMPANY
    assert isv.uscc == uscc
    assert isv.contact_phone == "13800138000"
    assert selectors.member_role(isv=isv, user=user) == MemberRole.OWNER
    assert selectors.isv_for_user(user=user) == isv
    audit = audit_for(isv)
    assert audit.action == "isv.registered"
    assert audit.actor == user
    assert audit.after["state"] == IsvState.PENDING_REVIEW
    event = Event.objects.get()
    assert event.type == "isv.registered"
    assert event.isv == isv
    assert event.payload["data"] == {"isv_id": str(isv.pk), "kind": IsvKind.COMPANY,
                                     "state": IsvState.PENDING_REVIEW}


def test_registration_reports_every_field_error_at_once_and_writes_nothing():
    user = factories.make_user()

    with pytest.raises(ValidationError) as raised:
        isv_register(actor=user, **registration(
            name=" ", uscc="91310000ABC", contact_email="not-an-email", contact_phone="12345",
        ))

    assert error_codes(raised.value) == {
        "name": ["blank"],
        "uscc": ["uscc_length"],
        "contact_email": ["invalid"],
        "contact_phone": ["phone_format"],
    }
    assert not Isv.objects.exists()
    assert not IsvMember.objects.exists()
    assert_nothing_written()


def test_registration_refuses_a_uscc_with_a_wrong_check_character():
    uscc = factories.make_uscc()
    wrong = uscc[:-1] + next(char for char in USCC_CHARSET if char != uscc[-1])

    with pytest.raises(ValidationError) as raised:
        isv_register(actor=factories.make_user(), **registration(uscc=wrong))

    assert error_codes(raised.value) == {"uscc": ["uscc_checksum"]}
    assert not Isv.objects.exists()
    assert_nothing_written()


def test_registration_refuses_a_uscc_already_registered(isv):
    with pytest.raises(ValidationError) as raised:
        isv_register(actor=factories.make_user(),
                              **registration(uscc=f"{isv.uscc.lower()} "))

    assert error_codes(raised.value) == {"uscc": ["uscc_taken"]}
    assert Isv.objects.count() == 1
    assert_nothing_written()


@pytest.mark.parametrize("actor", [None, AnonymousUser()], ids=["system", "anonymous"])
def test_registration_needs_a_signed_in_person(actor):
    with pytest.raises(PermissionDenied):
        isv_register(actor=actor, **registration())

    assert not Isv.objects.exists()


def test_merchant_registers_as_its_own_developer(merchant):
    user = factories.make_user()
    factories.make_merchant_user(merchant=merchant, user=user)

    isv = isv_register(actor=user, kind=IsvKind.SELF, merchant=merchant,
                                **registration())

    assert isv.kind == IsvKind.SELF
    assert isv.merchant == merchant


@pytest.mark.parametrize(
    ("kind", "situation", "code"),
    [
        (IsvKind.SELF, "no_merchant", "merchant_required"),
        (IsvKind.SELF, "stranger", "merchant_not_yours"),
        (IsvKind.SELF, "already_developer", "merchant_taken"),
        (IsvKind.COMPANY, "merchant_user", "merchant_not_allowed"),
    ],
)
def test_registration_checks_the_merchant_of_a_self_developer(kind, situation, code, merchant):
    user = factories.make_user()
    if situation != "stranger":
        factories.make_merchant_user(merchant=merchant, user=user)
    if situation == "already_developer":
        factories.make_isv(kind=IsvKind.SELF, merchant=merchant)
    isv_count = Isv.objects.count()

    with pytest.raises(ValidationError) as raised:
        isv_register(actor=user, kind=kind,
                              merchant=None if situation == "no_merchant" else merchant,
                              **registration())

    assert error_codes(raised.value) == {"merchant": [code]}
    assert Isv.objects.count() == isv_count
    assert_nothing_written()


def test_member_add_gives_the_person_a_role(isv, owner):
    user = factories.make_user()

    member = isv_member_add(isv=isv, user=user, role=MemberRole.DEVELOPER, actor=owner)

    assert member.invited_by == owner
    assert selectors.member_role(isv=isv, user=user) == MemberRole.DEVELOPER
    assert audit_for(member).action == "isv.member_added"
    event = Event.objects.get()
    assert event.type == "isv.member_added"
    assert event.payload["data"]["role"] == MemberRole.DEVELOPER


def test_member_add_refuses_an_existing_member(isv, owner):
    with pytest.raises(DomainError) as raised:
        isv_member_add(isv=isv, user=owner, role=MemberRole.ADMIN, actor=owner)

    assert raised.value.code == "already_member"
    assert selectors.member_role(isv=isv, user=owner) == MemberRole.OWNER
    assert_nothing_written()


def test_member_add_refuses_an_unknown_role(isv, owner):
    with pytest.raises(ValidationError) as raised:
        isv_member_add(isv=isv, user=factories.make_user(), role="boss", actor=owner)

    assert error_codes(raised.value) == {"role": ["invalid_choice"]}
    assert_nothing_written()


# --- apps and their credentials ---------------------------------------------------------------


def test_app_create_returns_a_secret_that_authenticates_and_is_stored_hashed(isv, owner):
    app, secret = app_create(isv=isv, actor=owner, name="门店收银",
                                      redirect_uris="https://shop.example.com/callback")

    app.refresh_from_db()
    assert secret
    assert check_password(secret, app.client_secret)
    assert secret not in app.client_secret
    assert not App.objects.filter(client_secret=secret).exists()
    assert app.hash_client_secret
    assert app.client_type == App.CLIENT_CONFIDENTIAL
    assert app.authorization_grant_type == App.GRANT_AUTHORIZATION_CODE
    assert (app.isv, app.state, app.environment) == (isv, AppState.DEVELOPING,
                                                     AppEnvironment.SANDBOX)
    audit = audit_for(app)
    assert (audit.action, audit.actor) == ("app.created", owner)
    assert secret not in json.dumps(audit.after)
    event = Event.objects.get()
    assert (event.type, event.isv, event.app) == ("app.created", isv, app)
    assert secret not in json.dumps(event.payload)


def test_app_create_reports_every_field_error_at_once_and_writes_nothing(isv, owner):
    with pytest.raises(ValidationError) as raised:
        app_create(isv=isv, actor=owner, name=" ", environment="staging",
                            redirect_uris="https://ok.example.com/cb ftp://example.com/cb")

    codes = error_codes(raised.value)
    assert set(codes) == {"name", "environment", "redirect_uris"}
    assert codes["name"] == ["required"]
    assert codes["environment"] == ["invalid_choice"]
    assert all(code for field_codes in codes.values() for code in field_codes)
    assert not App.objects.exists()
    assert_nothing_written()


@pytest.mark.parametrize("state", IsvState)
def test_only_an_operational_isv_creates_apps(state, owner):
    isv = factories.make_isv(state=state, owner=owner)
    operational = state in (IsvState.ACTIVE, IsvState.RESTRICTED)

    if operational:
        app, _secret = app_create(isv=isv, actor=owner, name="App")
        assert list(selectors.apps_for_isv(isv=isv)) == [app]
    else:
        with pytest.raises(DomainError) as raised:
            app_create(isv=isv, actor=owner, name="App")
        assert raised.value.code == "isv_not_active"
        assert not App.objects.exists()
        assert_nothing_written()


def test_rotating_the_secret_replaces_it(isv, owner):
    app, first = app_create(isv=isv, actor=owner, name="App")

    second = app_rotate_secret(app=app, actor=owner)

    app.refresh_from_db()
    assert second != first
    assert check_password(second, app.client_secret)
    assert not check_password(first, app.client_secret)
    assert AuditEvent.objects.filter(action="app.secret_rotated").count() == 1
    assert Event.objects.filter(type="app.secret_rotated", app=app).count() == 1


# --- app state machine ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "source"), cases(APP_MOVES, AppState, legal=True))
def test_app_service_moves_the_app_and_records_it(name, source, staff_user):
    move = APP_MOVES[name]
    app = factories.make_app(state=source, environment=move.environment)

    result = move.service(app=app, actor=staff_user, **move.kwargs)

    app.refresh_from_db()
    assert result.state == app.state == move.to
    event = assert_recorded(app, action=move.action, before=source, after=move.to,
                            actor=staff_user, reason=move.kwargs.get("reason", ""))
    assert (event.isv, event.app) == (app.isv, app)
    assert event.payload["data"]["app_id"] == str(app.pk)


@pytest.mark.parametrize(("name", "source"), cases(APP_MOVES, AppState, legal=False))
def test_app_service_refuses_every_other_state_and_writes_nothing(name, source, staff_user):
    move = APP_MOVES[name]
    app = factories.make_app(state=source, environment=move.environment)

    with pytest.raises(IllegalTransition):
        move.service(app=app, actor=staff_user, **move.kwargs)

    app.refresh_from_db()
    assert app.state == source
    assert_nothing_written()


def test_sandbox_app_needs_no_review(owner):
    app = factories.make_app(state=AppState.DEVELOPING, environment=AppEnvironment.SANDBOX)

    with pytest.raises(DomainError) as raised:
        app_submit_for_review(app=app, actor=owner)

    assert raised.value.code == "sandbox_needs_no_review"
    assert_nothing_written()


def test_production_app_goes_live_only_through_review(owner):
    app = factories.make_app(state=AppState.DEVELOPING, environment=AppEnvironment.PRODUCTION)

    with pytest.raises(DomainError) as raised:
        app_go_live(app=app, actor=owner)

    assert raised.value.code == "review_required"
    app.refresh_from_db()
    assert app.state == AppState.DEVELOPING
    assert_nothing_written()


@pytest.mark.parametrize("environment", AppEnvironment)
def test_any_app_goes_live_again_from_offline(environment, owner):
    app = factories.make_app(state=AppState.OFFLINE, environment=environment)

    assert app_go_live(app=app, actor=owner).state == AppState.LIVE


@pytest.mark.parametrize(
    ("name", "source"),
    [("app_go_live", AppState.OFFLINE), ("app_submit_for_review", AppState.DEVELOPING),
     ("app_approve", AppState.IN_REVIEW)],
)
def test_app_of_a_suspended_isv_cannot_head_for_live(name, source, staff_user):
    move = APP_MOVES[name]
    isv = factories.make_isv(state=IsvState.SUSPENDED)
    app = factories.make_app(isv=isv, state=source, environment=move.environment)

    with pytest.raises(DomainError) as raised:
        move.service(app=app, actor=staff_user)

    assert raised.value.code == "isv_not_active"
    assert_nothing_written()


@pytest.mark.parametrize(
    ("name", "source"),
    [("app_reject_review", AppState.IN_REVIEW), ("app_suspend", AppState.LIVE),
     ("app_reinstate", AppState.SUSPENDED)],
)
def test_app_governance_needs_a_reason(name, source, staff_user):
    move = APP_MOVES[name]
    app = factories.make_app(state=source, environment=move.environment)

    with pytest.raises(ValidationError) as raised:
        move.service(app=app, actor=staff_user, reason="")

    assert error_codes(raised.value) == {"reason": ["required"]}
    assert_nothing_written()


# --- ISV clear-out ----------------------------------------------------------------------------


def issue_tokens(app: App, *, name: str) -> tuple:
    expires = timezone.now() + timedelta(hours=1)
    access_token = get_access_token_model().objects.create(
        application=app, token=f"access-{name}", expires=expires, scope="isv:read",
    )
    refresh_token = get_refresh_token_model().objects.create(
        application=app, user=factories.make_user(), token=f"refresh-{name}",
        access_token=access_token,
    )
    grant = get_grant_model().objects.create(
        application=app, user=factories.make_user(), code=f"code-{name}", expires=expires,
        redirect_uri="https://example.com/callback", scope="isv:read",
    )
    return access_token, refresh_token, grant


def test_clear_out_revokes_every_token_and_suspends_every_app(staff_user):
    isv = factories.make_isv(state=IsvState.SUSPENDED)
    apps = {
        state: factories.make_app(isv=isv, state=state, environment=AppEnvironment.PRODUCTION)
        for state in AppState
    }
    tokens = issue_tokens(apps[AppState.LIVE], name="live") + issue_tokens(
        apps[AppState.OFFLINE], name="offline")
    bystander_tokens = issue_tokens(factories.make_app(), name="bystander")

    isv_clear_out(isv=isv, actor=staff_user, reason="Gambling merchants onboarded")

    for token in tokens:
        assert not type(token).objects.filter(pk=token.pk).exists()
    for token in bystander_tokens:
        assert type(token).objects.filter(pk=token.pk).exists()
    assert set(App.objects.filter(isv=isv).values_list("state", flat=True)) == {
        AppState.SUSPENDED}
    suspended_now = [app for state, app in apps.items() if state != AppState.SUSPENDED]
    for app in suspended_now:
        assert audit_for(app).action == "app.suspended"
        assert audit_for(app).reason == "Gambling merchants onboarded"
    assert not AuditEvent.objects.filter(target_id=str(apps[AppState.SUSPENDED].pk),
                                         action="app.suspended").exists()
    isv_audit = audit_for(isv)
    assert isv_audit.action == "isv.cleared_out"
    assert isv_audit.after["revoked"] == {"access_tokens": 2, "refresh_tokens": 2, "grants": 2}
    assert sorted(Event.objects.values_list("type", flat=True)) == sorted(
        ["isv.cleared_out"] + ["app.suspended"] * len(suspended_now))


# --- subscriptions ----------------------------------------------------------------------------


def test_pack_that_needs_no_review_is_active_at_once(app, owner):
    pack = factories.get_pack("merchant_basics")
    assert not pack.requires_review

    subscription = subscription_create(app=app, pack=pack, actor=owner)

    subscription.refresh_from_db()
    assert subscription.state == SubscriptionState.ACTIVE
    assert subscription.reviewed_at is not None
    assert subscription.reviewed_by is None
    assert selectors.active_pack_codes_for_app(app=app) == {"merchant_basics"}
    assert audit_for(subscription).action == "subscription.activated"
    event = Event.objects.get()
    assert event.type == "subscription.activated"
    assert event.payload["data"]["pack"] == "merchant_basics"


def test_pack_that_needs_review_waits_for_it(app, owner):
    pack = factories.get_pack("credit_score")
    assert pack.requires_review

    subscription = subscription_create(app=app, pack=pack, actor=owner)

    assert subscription.state == SubscriptionState.PENDING_REVIEW
    assert subscription.reviewed_at is None
    assert selectors.active_pack_codes_for_app(app=app) == set()
    assert audit_for(subscription).action == "subscription.requested"
    assert Event.objects.get().type == "subscription.requested"


@pytest.mark.parametrize("state", OPEN_SUBSCRIPTION_STATES)
def test_an_open_subscription_blocks_a_second_one(state, app, owner):
    factories.make_subscription(app=app, state=state)

    with pytest.raises(DomainError) as raised:
        subscription_create(app=app, pack=factories.get_pack(), actor=owner)

    assert raised.value.code == "already_subscribed"
    assert selectors.subscriptions_for_app(app=app).count() == 1
    assert_nothing_written()


@pytest.mark.parametrize("state", [SubscriptionState.CANCELLED, SubscriptionState.REJECTED])
def test_a_closed_subscription_leaves_room_for_a_new_one(state, app, owner):
    factories.make_subscription(app=app, state=state)

    subscription = subscription_create(app=app, pack=factories.get_pack(), actor=owner)

    assert subscription.state == SubscriptionState.ACTIVE


def test_suspended_app_cannot_subscribe(isv, owner):
    app = factories.make_app(isv=isv, state=AppState.SUSPENDED)

    with pytest.raises(DomainError) as raised:
        subscription_create(app=app, pack=factories.get_pack(), actor=owner)

    assert raised.value.code == "app_suspended"
    assert_nothing_written()


@pytest.mark.parametrize("state", IsvState)
def test_only_an_operational_isv_subscribes(state, owner):
    app = factories.make_app(isv=factories.make_isv(state=state))
    operational = state in (IsvState.ACTIVE, IsvState.RESTRICTED)

    if operational:
        subscription_create(app=app, pack=factories.get_pack(), actor=owner)
        assert selectors.active_pack_codes_for_app(app=app) == {"merchant_basics"}
    else:
        with pytest.raises(DomainError) as raised:
            subscription_create(app=app, pack=factories.get_pack(), actor=owner)
        assert raised.value.code == "isv_not_active"
        assert_nothing_written()


def test_pack_must_belong_to_the_solution_it_comes_with(app, owner):
    solution = IndustrySolution.objects.get(code="retail")
    pack = factories.get_pack("credit_score")
    assert not solution.packs.filter(pk=pack.pk).exists()

    with pytest.raises(DomainError) as raised:
        subscription_create(app=app, pack=pack, actor=owner, solution=solution)

    assert raised.value.code == "pack_not_in_solution"
    assert_nothing_written()


def test_solution_subscribes_the_app_to_each_of_its_packs(app, owner):
    solution = IndustrySolution.objects.get(code="retail")
    packs = list(solution.packs.all())

    subscriptions = subscription_subscribe_solution(app=app, solution=solution,
                                                             actor=owner)

    assert sorted(s.pack.code for s in subscriptions) == sorted(p.code for p in packs)
    assert all(s.solution == solution for s in subscriptions)
    assert {s.pack.code: s.state for s in subscriptions} == {
        p.code: SubscriptionState.PENDING_REVIEW if p.requires_review
        else SubscriptionState.ACTIVE for p in packs
    }
    assert AuditEvent.objects.count() == Event.objects.count() == len(packs)


def test_solution_skips_the_packs_the_app_holds(app, owner):
    solution = IndustrySolution.objects.get(code="retail")
    held = [factories.make_subscription(app=app, pack=pack, state=state)
            for pack, state in zip(solution.packs.order_by("code")[:2],
                                   [SubscriptionState.ACTIVE, SubscriptionState.PENDING_REVIEW],
                                   strict=True)]

    subscriptions = subscription_subscribe_solution(app=app, solution=solution,
                                                             actor=owner)

    assert len(subscriptions) == solution.packs.count() - len(held)
    assert not {s.pack_id for s in subscriptions} & {s.pack_id for s in held}
    assert selectors.subscriptions_for_app(app=app).count() == solution.packs.count()


def test_solution_subscribes_all_packs_or_none(app, owner, monkeypatch):
    solution = IndustrySolution.objects.get(code="retail")
    emitted = []

    def emit_then_fail(**kwargs):
        emitted.append(kwargs["type"])
        if len(emitted) == 3:
            raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(subscription_services, "event_emit", emit_then_fail)

    with pytest.raises(RuntimeError):
        subscription_subscribe_solution(app=app, solution=solution, actor=owner)

    assert not Subscription.objects.filter(app=app).exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(("name", "source"), cases(SUBSCRIPTION_MOVES, SubscriptionState,
                                                   legal=True))
def test_subscription_service_moves_it_and_records_it(name, source, staff_user):
    move = SUBSCRIPTION_MOVES[name]
    subscription = factories.make_subscription(state=source)

    result = move.service(subscription=subscription, actor=staff_user, **move.kwargs)

    subscription.refresh_from_db()
    assert result.state == subscription.state == move.to
    event = assert_recorded(subscription, action=move.action, before=source, after=move.to,
                            actor=staff_user, reason=move.kwargs.get("reason", ""))
    assert (event.isv, event.app) == (subscription.app.isv, subscription.app)
    assert event.payload["data"]["subscription_id"] == str(subscription.pk)


@pytest.mark.parametrize(("name", "source"), cases(SUBSCRIPTION_MOVES, SubscriptionState,
                                                   legal=False))
def test_subscription_service_refuses_every_other_state_and_writes_nothing(name, source,
                                                                           staff_user):
    move = SUBSCRIPTION_MOVES[name]
    subscription = factories.make_subscription(state=source)

    with pytest.raises(IllegalTransition):
        move.service(subscription=subscription, actor=staff_user, **move.kwargs)

    subscription.refresh_from_db()
    assert subscription.state == source
    assert_nothing_written()


@pytest.mark.parametrize(
    ("service", "reviewed"),
    [(subscription_approve, {}), (subscription_reject, REASON)],
)
def test_subscription_review_names_the_reviewer(service, reviewed, staff_user):
    subscription = factories.make_subscription(state=SubscriptionState.PENDING_REVIEW)

    service(subscription=subscription, actor=staff_user, **reviewed)

    subscription.refresh_from_db()
    assert subscription.reviewed_by == staff_user
    assert subscription.reviewed_at is not None
    assert subscription.reason == reviewed.get("reason", "")


@pytest.mark.parametrize(
    ("service", "state"),
    [(subscription_reject, SubscriptionState.PENDING_REVIEW),
     (subscription_suspend, SubscriptionState.ACTIVE)],
)
def test_subscription_refusal_needs_a_reason(service, state, staff_user):
    subscription = factories.make_subscription(state=state)

    with pytest.raises(ValidationError) as raised:
        service(subscription=subscription, actor=staff_user, reason=" ")

    assert error_codes(raised.value) == {"reason": ["required"]}
    assert_nothing_written()


def test_clear_out_revokes_merchants_authorizations_of_its_apps(staff_user):
    isv = factories.make_isv(state=IsvState.SUSPENDED)
    app = factories.make_app(isv=isv)
    merchant = factories.make_merchant(state=MerchantState.ACTIVE)
    authorization = factories.make_authorization(merchant=merchant, app=app)
    bystander = factories.make_authorization(merchant=merchant, app=factories.make_app())

    isv_clear_out(isv=isv, actor=staff_user, reason="Fraud")

    authorization.refresh_from_db()
    bystander.refresh_from_db()
    assert authorization.state == AuthorizationState.REVOKED
    assert authorization.revoked_reason == "Fraud"
    assert bystander.state == AuthorizationState.ACTIVE


@pytest.mark.parametrize(
    "environment, uri, accepted",
    [
        (AppEnvironment.PRODUCTION, "https://shop.example.com/cb", True),
        (AppEnvironment.PRODUCTION, "http://127.0.0.1:8080/cb", False),
        (AppEnvironment.SANDBOX, "http://127.0.0.1:8080/cb", True),
        (AppEnvironment.SANDBOX, "http://localhost/cb", True),
        (AppEnvironment.SANDBOX, "http://shop.example.com/cb", False),
    ],
)
def test_redirect_uris_are_https_or_loopback_for_sandbox_apps(isv, owner, environment, uri,
                                                               accepted):
    create = partial(app_create, isv=isv, actor=owner, name="Shop",
                     environment=environment, redirect_uris=uri)
    if accepted:
        app, _secret = create()
        assert app.redirect_uris == uri
    else:
        with pytest.raises(ValidationError) as raised:
            create()
        assert error_codes(raised.value) == {"redirect_uris": ["redirect_uri_scheme"]}
        assert not App.objects.exists()
