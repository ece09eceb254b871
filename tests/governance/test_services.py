"""The governance ladder and the rectification workflow (governance/services.py)."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from governance import services
from governance.choices import ACTION_TRANSITIONS, ActionKind, ActionState, TargetType
from governance.models import GovernanceAction
from governance.selectors import audit_trail_for, open_actions_for_isv, restricted_pack_codes
from governance.tasks import escalate_overdue_rectifications
from isv.choices import AppState, IsvState
from isv.models import Isv
from merchants.choices import AuthorizationState, MerchantState
from openplatform.audit.models import AuditEvent
from openplatform.errors import DomainError, IllegalTransition
from openplatform.events.models import Event
from tests import factories

pytestmark = pytest.mark.django_db

TARGET_KINDS = (TargetType.ISV, TargetType.APP, TargetType.MERCHANT)
# The state each kind of target trades in.
SERVING_STATE = {
    TargetType.ISV: IsvState.ACTIVE,
    TargetType.APP: AppState.LIVE,
    TargetType.MERCHANT: MerchantState.ACTIVE,
}
RESTRICTED_PACK = "credit_score"


# --- Helpers ---------------------------------------------------------------------------------


def make_target(kind: str, state: str | None = None):
    state = state or SERVING_STATE[kind]
    if kind == TargetType.ISV:
        return factories.make_isv(state=state)
    if kind == TargetType.APP:
        return factories.make_app(state=state)
    return factories.make_merchant(state=state)


def owning_isv(target) -> Isv:
    return target if isinstance(target, Isv) else target.isv


def audit_rows_on(instance) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(instance), target_id=str(instance.pk)
        ).order_by("id")
    )


def written_rows() -> tuple[int, int, int]:
    return GovernanceAction.objects.count(), AuditEvent.objects.count(), Event.objects.count()


@contextmanager
def writes_nothing():
    before = written_rows()
    yield
    assert written_rows() == before


def error_codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [item.code for item in items] for field, items in error.error_dict.items()}


def warn(target, actor=None, **overrides):
    return services.governance_warn(
        target=target, actor=actor,
        **{"reason_code": "misleading_claims", "reason": "The shop page overstates yields.",
           **overrides},
    )


def rectify(target, actor=None, **overrides):
    return services.governance_order_rectification(
        target=target, actor=actor,
        **{"reason_code": "licence_expired", "reason": "The business licence has expired.",
           "evidence_required": "A photo of the renewed licence.", **overrides},
    )


def restrict(target, actor=None, **overrides):
    return services.governance_restrict(
        target=target, actor=actor,
        **{"reason_code": "credit_misuse", "reason": "Credit scores queried without consent.",
           "packs": [factories.get_pack(RESTRICTED_PACK)], **overrides},
    )


def suspend(target, actor=None, **overrides):
    return services.governance_suspend(
        target=target, actor=actor,
        **{"reason_code": "gambling", "reason": "Takes bets on football matches.", **overrides},
    )


def clear_out(target, actor=None, **overrides):
    return services.governance_clear_out(
        target=target, actor=actor,
        **{"reason_code": "gambling", "reason": "Repeated gambling after suspension.",
           **overrides},
    )


def reinstate(target, actor=None, **overrides):
    return services.governance_reinstate(
        target=target, actor=actor,
        **{"reason_code": "appeal_upheld", "reason": "The appeal showed a data error.",
           **overrides},
    )


STEPS = {
    "warn": (warn, ActionKind.WARNING, "governance.warning"),
    "rectify": (rectify, ActionKind.RECTIFY, "governance.rectification_ordered"),
    "restrict": (restrict, ActionKind.RESTRICT, "governance.restricted"),
    "suspend": (suspend, ActionKind.SUSPEND, "governance.suspended"),
    "clear_out": (clear_out, ActionKind.CLEAR_OUT, "governance.cleared_out"),
    "reinstate": (reinstate, ActionKind.REINSTATE, "governance.reinstated"),
}
# Warnings, orders and measures stay open; a clear-out or reinstatement is done when recorded.
ACTION_STATE_AFTER = {
    "warn": ActionState.OPEN,
    "rectify": ActionState.OPEN,
    "restrict": ActionState.OPEN,
    "suspend": ActionState.OPEN,
    "clear_out": ActionState.RESOLVED,
    "reinstate": ActionState.RESOLVED,
}

# (target kind, its state before, step, its state after, audit lines of the target's services)
LADDER = [
    (TargetType.ISV, IsvState.ACTIVE, "warn", IsvState.ACTIVE, []),
    (TargetType.APP, AppState.LIVE, "warn", AppState.LIVE, []),
    (TargetType.MERCHANT, MerchantState.ACTIVE, "warn", MerchantState.ACTIVE, []),
    (TargetType.ISV, IsvState.ACTIVE, "rectify", IsvState.ACTIVE, []),
    (TargetType.APP, AppState.LIVE, "rectify", AppState.LIVE, []),
    (TargetType.MERCHANT, MerchantState.ACTIVE, "rectify", MerchantState.RECTIFYING,
     ["merchant.rectification_ordered"]),
    (TargetType.ISV, IsvState.ACTIVE, "restrict", IsvState.RESTRICTED, ["isv.restricted"]),
    (TargetType.APP, AppState.LIVE, "restrict", AppState.LIVE, []),
    (TargetType.MERCHANT, MerchantState.ACTIVE, "restrict", MerchantState.ACTIVE, []),
    (TargetType.ISV, IsvState.ACTIVE, "suspend", IsvState.SUSPENDED, ["isv.suspended"]),
    (TargetType.ISV, IsvState.RESTRICTED, "suspend", IsvState.SUSPENDED, ["isv.suspended"]),
    (TargetType.APP, AppState.LIVE, "suspend", AppState.SUSPENDED, ["app.suspended"]),
    (TargetType.APP, AppState.OFFLINE, "suspend", AppState.SUSPENDED, ["app.suspended"]),
    (TargetType.MERCHANT, MerchantState.ACTIVE, "suspend", MerchantState.SUSPENDED,
     ["merchant.suspended"]),
    (TargetType.MERCHANT, MerchantState.RECTIFYING, "suspend", MerchantState.SUSPENDED,
     ["merchant.suspended"]),
    (TargetType.ISV, IsvState.SUSPENDED, "clear_out", IsvState.CLEARED_OUT,
     ["isv.cleared_out"]),
    (TargetType.ISV, IsvState.ACTIVE, "clear_out", IsvState.CLEARED_OUT,
     ["isv.suspended", "isv.cleared_out"]),
    (TargetType.ISV, IsvState.RESTRICTED, "clear_out", IsvState.CLEARED_OUT,
     ["isv.suspended", "isv.cleared_out"]),
    (TargetType.MERCHANT, MerchantState.SUSPENDED, "clear_out", MerchantState.CLEARED_OUT,
     ["merchant.cleared_out"]),
    (TargetType.MERCHANT, MerchantState.ACTIVE, "clear_out", MerchantState.CLEARED_OUT,
     ["merchant.suspended", "merchant.cleared_out"]),
    (TargetType.MERCHANT, MerchantState.RECTIFYING, "clear_out", MerchantState.CLEARED_OUT,
     ["merchant.suspended", "merchant.cleared_out"]),
    (TargetType.ISV, IsvState.SUSPENDED, "reinstate", IsvState.ACTIVE, ["isv.reinstated"]),
    (TargetType.ISV, IsvState.RESTRICTED, "reinstate", IsvState.ACTIVE,
     ["isv.restriction_lifted"]),
    (TargetType.APP, AppState.SUSPENDED, "reinstate", AppState.OFFLINE, ["app.reinstated"]),
    (TargetType.MERCHANT, MerchantState.SUSPENDED, "reinstate", MerchantState.ACTIVE,
     ["merchant.reinstated"]),
]


# --- The ladder, rung by rung ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "before", "step", "after", "service_audit"), LADDER,
    ids=[f"{kind}-{before}-{step}" for kind, before, step, _after, _audit in LADDER],
)
def test_ladder_step_moves_target_and_records_action_audit_and_event(
    kind, before, step, after, service_audit, staff_user
):
    target = make_target(kind, before)
    run, action_kind, event_type = STEPS[step]

    action = run(target, staff_user)

    target.refresh_from_db()
    assert target.state == after
    action.refresh_from_db()
    assert action.kind == action_kind
    assert action.target_type == kind
    assert action.target == target
    assert action.actor == staff_user
    assert action.state == ACTION_STATE_AFTER[step]
    assert (action.resolved_at is not None) == (action.state == ActionState.RESOLVED)

    rows = audit_rows_on(target)
    assert [row.action for row in rows] == [*service_audit, f"governance.{action_kind}"]
    own = rows[-1]
    assert own.actor == staff_user
    assert own.reason == action.reason
    assert own.before == {"state": before}
    assert own.after["state"] == after
    assert own.after["action_id"] == str(action.pk)
    assert own.after["reason_code"] == action.reason_code

    event = Event.objects.get(type=event_type)
    assert event.isv == owning_isv(target)
    assert event.app == (target if kind == TargetType.APP else None)
    assert event.payload["data"] == {
        "action_id": str(action.pk),
        "kind": action_kind,
        "state": action.state,
        "target_type": kind,
        "target_id": str(target.pk),
        "reason_code": action.reason_code,
        "reason": action.reason,
        "deadline": action.deadline.isoformat() if action.deadline else None,
    }


WALKS = {
    TargetType.ISV: [
        ("warn", IsvState.ACTIVE), ("rectify", IsvState.ACTIVE),
        ("restrict", IsvState.RESTRICTED), ("reinstate", IsvState.ACTIVE),
        ("suspend", IsvState.SUSPENDED), ("reinstate", IsvState.ACTIVE),
        ("suspend", IsvState.SUSPENDED), ("clear_out", IsvState.CLEARED_OUT),
    ],
    TargetType.APP: [
        ("warn", AppState.LIVE), ("rectify", AppState.LIVE), ("restrict", AppState.LIVE),
        ("reinstate", AppState.LIVE), ("suspend", AppState.SUSPENDED),
        ("reinstate", AppState.OFFLINE), ("suspend", AppState.SUSPENDED),
    ],
    TargetType.MERCHANT: [
        ("warn", MerchantState.ACTIVE), ("restrict", MerchantState.ACTIVE),
        ("reinstate", MerchantState.ACTIVE), ("rectify", MerchantState.RECTIFYING),
        ("suspend", MerchantState.SUSPENDED), ("reinstate", MerchantState.ACTIVE),
        ("suspend", MerchantState.SUSPENDED), ("clear_out", MerchantState.CLEARED_OUT),
    ],
}


@pytest.mark.parametrize("kind", TARGET_KINDS)
def test_walking_the_whole_ladder(kind, staff_user):
    target = make_target(kind)
    for step, expected in WALKS[kind]:
        STEPS[step][0](target, staff_user)
        target.refresh_from_db()
        assert target.state == expected, step
    assert GovernanceAction.objects.count() == len(WALKS[kind])
    assert Event.objects.filter(type__startswith="governance.").count() == len(WALKS[kind])


def test_restriction_records_the_named_packs():
    merchant = make_target(TargetType.MERCHANT)
    packs = [factories.get_pack(RESTRICTED_PACK), factories.get_pack("payment_basics")]

    action = restrict(merchant, packs=packs)

    assert set(action.restricted_packs.values_list("code", flat=True)) == {
        RESTRICTED_PACK, "payment_basics"}
    assert audit_rows_on(merchant)[-1].after["restricted_packs"] == sorted(
        [RESTRICTED_PACK, "payment_basics"])


def test_isv_restriction_needs_no_packs():
    isv = make_target(TargetType.ISV)

    action = restrict(isv, packs=[])

    assert not action.restricted_packs.exists()
    assert Isv.objects.get(pk=isv.pk).state == IsvState.RESTRICTED


@pytest.mark.parametrize("kind", [TargetType.APP, TargetType.MERCHANT])
def test_restricting_a_merchant_or_app_needs_packs(kind):
    target = make_target(kind)

    with writes_nothing(), pytest.raises(ValidationError) as raised:
        restrict(target, packs=[])

    assert error_codes(raised.value) == {"packs": ["packs_required"]}


def test_rectification_deadline_defaults_to_the_configured_days(settings):
    settings.RECTIFICATION_DEFAULT_DAYS = 7
    merchant = make_target(TargetType.MERCHANT)
    start = timezone.now()

    action = rectify(merchant)

    assert start + timedelta(days=7) <= action.deadline <= timezone.now() + timedelta(days=7)
    merchant.refresh_from_db()
    assert merchant.rectification_deadline == action.deadline


def test_rectification_takes_an_explicit_deadline():
    deadline = timezone.now() + timedelta(days=3)

    action = rectify(make_target(TargetType.ISV), deadline=deadline)

    assert action.deadline == deadline
    assert action.evidence_required == "A photo of the renewed licence."


@pytest.mark.parametrize("kind", TARGET_KINDS)
def test_rectification_deadline_must_be_in_the_future(kind):
    target = make_target(kind)

    with writes_nothing(), pytest.raises(ValidationError) as raised:
        rectify(target, deadline=timezone.now() - timedelta(minutes=1))

    assert error_codes(raised.value) == {"deadline": ["deadline_in_past"]}


@pytest.mark.parametrize("step", list(STEPS))
def test_reason_code_and_reason_are_required(step):
    merchant = make_target(TargetType.MERCHANT, MerchantState.SUSPENDED)

    with writes_nothing(), pytest.raises(ValidationError) as raised:
        STEPS[step][0](merchant, reason_code="  ", reason="")

    assert error_codes(raised.value) == {"reason_code": ["required"], "reason": ["required"]}


def test_every_field_error_is_reported_at_once():
    merchant = make_target(TargetType.MERCHANT)

    with writes_nothing(), pytest.raises(ValidationError) as raised:
        rectify(merchant, reason_code="x" * 65, reason="",
                deadline=timezone.now() - timedelta(days=1))

    assert error_codes(raised.value) == {
        "reason_code": ["max_length"], "reason": ["required"], "deadline": ["deadline_in_past"],
    }


# --- Reinstatement and clear-out -------------------------------------------------------------


@pytest.mark.parametrize("kind", [TargetType.APP, TargetType.MERCHANT])
def test_reinstating_lifts_pack_restrictions_without_a_state_change(kind, staff_user):
    target = make_target(kind)
    restriction = restrict(target, staff_user)
    scope = {"app": target} if kind == TargetType.APP else {"merchant": target}
    assert restricted_pack_codes(**scope) == {RESTRICTED_PACK}

    action = reinstate(target, staff_user)

    assert restricted_pack_codes(**scope) == set()
    restriction.refresh_from_db()
    assert restriction.state == ActionState.RESOLVED
    assert restriction.resolved_at is not None
    target.refresh_from_db()
    assert target.state == SERVING_STATE[kind]
    assert [row.action for row in audit_rows_on(target)] == [
        "governance.restrict", "governance.reinstate"]
    assert audit_rows_on(target)[-1].after["closed_action_ids"] == [str(restriction.pk)]
    assert action.state == ActionState.RESOLVED


def test_reinstating_resolves_every_open_restriction_and_suspension():
    merchant = make_target(TargetType.MERCHANT)
    first = restrict(merchant)
    second = restrict(merchant, packs=[factories.get_pack("payment_basics")])
    suspension = suspend(merchant)
    warning = warn(merchant)

    action = reinstate(merchant)

    closed = GovernanceAction.objects.filter(pk__in=[first.pk, second.pk, suspension.pk])
    assert set(closed.values_list("state", flat=True)) == {ActionState.RESOLVED}
    assert sorted(audit_rows_on(merchant)[-1].after["closed_action_ids"]) == sorted(
        str(pk) for pk in (first.pk, second.pk, suspension.pk))
    warning.refresh_from_db()
    assert warning.state == ActionState.OPEN
    assert action.kind == ActionKind.REINSTATE
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.ACTIVE


@pytest.mark.parametrize("kind", TARGET_KINDS)
def test_reinstating_a_target_in_good_standing_is_refused(kind):
    target = make_target(kind)

    with writes_nothing(), pytest.raises(DomainError) as raised:
        reinstate(target)

    assert raised.value.code == "nothing_to_reinstate"


def test_reinstating_a_rectifying_merchant_is_refused():
    merchant = make_target(TargetType.MERCHANT)
    rectify(merchant)

    with writes_nothing(), pytest.raises(DomainError) as raised:
        reinstate(merchant)

    assert raised.value.code == "nothing_to_reinstate"


@pytest.mark.parametrize("kind", [TargetType.ISV, TargetType.MERCHANT])
def test_reinstating_a_cleared_out_target_is_an_illegal_transition(kind):
    target = make_target(kind, "cleared_out")

    with writes_nothing(), pytest.raises(IllegalTransition):
        reinstate(target)


def test_clearing_out_an_app_is_not_applicable():
    app = make_target(TargetType.APP, AppState.SUSPENDED)

    with writes_nothing(), pytest.raises(DomainError) as raised:
        clear_out(app)

    assert raised.value.code == "not_applicable"


@pytest.mark.parametrize(
    ("kind", "state"),
    [(TargetType.ISV, IsvState.PENDING_REVIEW), (TargetType.ISV, IsvState.CLEARED_OUT),
     (TargetType.MERCHANT, MerchantState.DRAFT),
     (TargetType.MERCHANT, MerchantState.CLEARED_OUT)],
)
def test_clearing_out_a_target_that_cannot_be_suspended_is_illegal(kind, state):
    target = make_target(kind, state)

    with writes_nothing(), pytest.raises(IllegalTransition):
        clear_out(target)


def test_clearing_out_an_active_merchant_revokes_its_authorizations(staff_user):
    merchant = make_target(TargetType.MERCHANT)
    app = factories.make_app(isv=merchant.isv)
    authorization = factories.make_authorization(merchant=merchant, app=app)

    clear_out(merchant, staff_user)

    merchant.refresh_from_db()
    assert merchant.state == MerchantState.CLEARED_OUT
    authorization.refresh_from_db()
    assert authorization.state == AuthorizationState.REVOKED
    assert [row.action for row in audit_rows_on(merchant)] == [
        "merchant.suspended", "merchant.cleared_out", "governance.clear_out"]
    assert Event.objects.filter(type="authorization.revoked").count() == 1


def test_clearing_out_closes_the_open_suspension():
    merchant = make_target(TargetType.MERCHANT)
    suspension = suspend(merchant)

    clear_out(merchant)

    suspension.refresh_from_db()
    assert suspension.state == ActionState.RESOLVED


# --- Other illegal moves on the target -------------------------------------------------------


@pytest.mark.parametrize("kind", TARGET_KINDS)
def test_suspending_a_suspended_target_is_illegal(kind):
    target = make_target(kind, "suspended")

    with writes_nothing(), pytest.raises(IllegalTransition):
        suspend(target)


def test_restricting_a_restricted_isv_is_illegal():
    isv = make_target(TargetType.ISV, IsvState.RESTRICTED)

    with writes_nothing(), pytest.raises(IllegalTransition):
        restrict(isv)


def test_ordering_a_rectifying_merchant_to_rectify_again_is_illegal():
    merchant = make_target(TargetType.MERCHANT)
    rectify(merchant)

    with writes_nothing(), pytest.raises(IllegalTransition):
        rectify(merchant)


# --- Rectification workflow ------------------------------------------------------------------


def order_in_state(state: str, *, overdue: bool = False, target=None) -> GovernanceAction:
    """A rectification order forced into ``state`` (test set-up, not a business action)."""
    order = rectify(target or make_target(TargetType.ISV))
    deadline = timezone.now() + (timedelta(days=-1) if overdue else timedelta(days=5))
    GovernanceAction.objects.filter(pk=order.pk).update(state=state, deadline=deadline)
    order.refresh_from_db()
    return order


def warning_in_state(state: str) -> GovernanceAction:
    warning = warn(make_target(TargetType.ISV))
    GovernanceAction.objects.filter(pk=warning.pk).update(state=state)
    warning.refresh_from_db()
    return warning


def submit(action, actor=None):
    return services.rectification_submit_evidence(action=action, actor=actor,
                                                  statement="The licence was renewed.")


def accept(action, actor=None):
    return services.rectification_accept(action=action, actor=actor, note="Licence checked.")


def reject(action, actor=None):
    return services.rectification_reject(action=action, actor=actor, note="Photo unreadable.")


def escalate(action, actor=None):
    return services.rectification_escalate(action=action, actor=actor)


def acknowledge(action, actor=None):
    return services.governance_action_acknowledge(action=action, actor=actor)


# (service, the one state it moves from, the state it moves to)
ACTION_MOVES = {
    "submit_evidence": (submit, ActionState.OPEN, ActionState.EVIDENCE_SUBMITTED),
    "accept": (accept, ActionState.EVIDENCE_SUBMITTED, ActionState.RESOLVED),
    "reject": (reject, ActionState.EVIDENCE_SUBMITTED, ActionState.OPEN),
    "escalate": (escalate, ActionState.OPEN, ActionState.ESCALATED),
    "acknowledge": (acknowledge, ActionState.OPEN, ActionState.RESOLVED),
}
ACTION_AUDIT = {
    "submit_evidence": "governance.rectification_evidence_submitted",
    "accept": "governance.rectification_accepted",
    "reject": "governance.rectification_rejected",
    "escalate": "governance.rectification_escalated",
    "acknowledge": "governance.warning_acknowledged",
}
# The rectification service that moves an order into each state.
RECTIFICATION_SERVICE_INTO = {
    ActionState.EVIDENCE_SUBMITTED: submit,
    ActionState.RESOLVED: accept,
    ActionState.OPEN: reject,
    ActionState.ESCALATED: escalate,
}
ILLEGAL_ACTION_PAIRS = [
    (source, to) for source in ActionState for to in ActionState
    if to not in ACTION_TRANSITIONS[source]
]


def action_for(move: str, state: str) -> GovernanceAction:
    if move == "acknowledge":
        return warning_in_state(state)
    return order_in_state(state, overdue=move == "escalate")


def test_every_legal_action_move_has_a_service():
    legal = {(source, to) for source, targets in ACTION_TRANSITIONS.items() for to in targets}
    assert {(source, to) for _run, source, to in ACTION_MOVES.values()} == legal


@pytest.mark.parametrize("move", list(ACTION_MOVES))
def test_legal_action_move(move, staff_user):
    run, source, to = ACTION_MOVES[move]
    action = action_for(move, source)

    run(action, staff_user)

    action.refresh_from_db()
    assert action.state == to
    row = audit_rows_on(action)[-1]
    assert row.action == ACTION_AUDIT[move]
    assert row.actor == staff_user
    assert row.before == {"state": source}
    assert row.after["state"] == to
    event = Event.objects.get(type=ACTION_AUDIT[move])
    assert event.isv == action.target
    assert event.payload["data"]["action_id"] == str(action.pk)
    assert event.payload["data"]["state"] == to


@pytest.mark.parametrize(
    ("move", "state"),
    [(move, state) for move, (_run, source, _to) in ACTION_MOVES.items()
     for state in ActionState if state != source],
)
def test_action_service_refuses_every_other_source_state(move, state):
    run = ACTION_MOVES[move][0]
    action = action_for(move, state)

    with writes_nothing():
        if move == "escalate":
            assert run(action) is None
        else:
            with pytest.raises(IllegalTransition):
                run(action)

    action.refresh_from_db()
    assert action.state == state


@pytest.mark.parametrize(("source", "to"), ILLEGAL_ACTION_PAIRS)
def test_illegal_action_pair_is_refused(source, to):
    action = order_in_state(source, overdue=to == ActionState.ESCALATED)
    run = RECTIFICATION_SERVICE_INTO[to]

    with writes_nothing():
        if to == ActionState.ESCALATED:
            assert run(action) is None
        else:
            with pytest.raises(IllegalTransition):
                run(action)


@pytest.mark.parametrize("run", [submit, accept, reject, escalate],
                         ids=["submit_evidence", "accept", "reject", "escalate"])
def test_rectification_services_refuse_a_warning(run):
    warning = warn(make_target(TargetType.MERCHANT))

    with writes_nothing(), pytest.raises(DomainError) as raised:
        run(warning)

    assert raised.value.code == "not_a_rectification"


def test_acknowledging_a_rectification_order_is_refused():
    order = rectify(make_target(TargetType.ISV))

    with writes_nothing(), pytest.raises(DomainError) as raised:
        acknowledge(order)

    assert raised.value.code == "not_a_warning"


def test_submitting_evidence_stores_statement_and_document(settings, tmp_path, owner):
    settings.MEDIA_ROOT = tmp_path
    order = rectify(make_target(TargetType.MERCHANT))

    services.rectification_submit_evidence(
        action=order, actor=owner, statement="  Licence renewed on 1 March.  ",
        evidence=SimpleUploadedFile("licence.pdf", b"%PDF-1.4 renewed"),
    )

    order.refresh_from_db()
    assert order.state == ActionState.EVIDENCE_SUBMITTED
    assert order.statement == "Licence renewed on 1 March."
    assert order.evidence.read() == b"%PDF-1.4 renewed"


def test_evidence_needs_a_statement():
    order = rectify(make_target(TargetType.ISV))

    with writes_nothing(), pytest.raises(ValidationError) as raised:
        services.rectification_submit_evidence(action=order, actor=None, statement=" ")

    assert error_codes(raised.value) == {"statement": ["required"]}


def test_evidence_after_the_deadline_is_refused():
    order = order_in_state(ActionState.OPEN, overdue=True)

    with writes_nothing(), pytest.raises(DomainError) as raised:
        submit(order)

    assert raised.value.code == "deadline_passed"


def test_accepting_evidence_never_submitted_is_illegal():
    order = rectify(make_target(TargetType.MERCHANT))

    with writes_nothing(), pytest.raises(IllegalTransition):
        accept(order)


def test_accepting_evidence_ends_a_merchants_rectification(staff_user):
    merchant = make_target(TargetType.MERCHANT)
    order = rectify(merchant)
    submit(order)

    accept(order, staff_user)

    merchant.refresh_from_db()
    assert merchant.state == MerchantState.ACTIVE
    assert merchant.rectification_deadline is None
    order.refresh_from_db()
    assert order.state == ActionState.RESOLVED
    assert order.decision_note == "Licence checked."
    assert order.resolved_at is not None
    assert audit_rows_on(merchant)[-1].action == "merchant.rectified"


@pytest.mark.parametrize("kind", [TargetType.ISV, TargetType.APP])
def test_accepting_evidence_leaves_an_isv_or_app_in_its_state(kind):
    target = make_target(kind)
    order = rectify(target)
    submit(order)

    accept(order)

    target.refresh_from_db()
    assert target.state == SERVING_STATE[kind]


def test_rejecting_evidence_needs_a_note_and_reopens_the_order():
    order = rectify(make_target(TargetType.MERCHANT))
    submit(order)

    with writes_nothing(), pytest.raises(ValidationError) as raised:
        services.rectification_reject(action=order, actor=None, note="")
    assert error_codes(raised.value) == {"note": ["required"]}

    reject(order)
    order.refresh_from_db()
    assert order.state == ActionState.OPEN
    assert order.decision_note == "Photo unreadable."


# --- Escalation of overdue orders ------------------------------------------------------------


@pytest.mark.parametrize("kind", TARGET_KINDS)
def test_overdue_order_escalates_exactly_once(kind):
    target = make_target(kind)
    order = rectify(target)
    later = order.deadline + timedelta(seconds=1)

    assert services.rectification_escalate_overdue(now=later) == 1
    assert services.rectification_escalate_overdue(now=later) == 0

    suspension = GovernanceAction.objects.get(kind=ActionKind.SUSPEND)
    assert suspension.target == target
    assert suspension.reason_code == services.ESCALATION_REASON_CODE
    assert suspension.actor is None
    order.refresh_from_db()
    assert order.state == ActionState.ESCALATED
    assert order.escalated_to == suspension
    target.refresh_from_db()
    assert target.state == "suspended"
    assert [row.action for row in audit_rows_on(order)] == ["governance.rectification_escalated"]
    assert audit_rows_on(order)[0].after == {"state": ActionState.ESCALATED,
                                             "escalated_to": str(suspension.pk)}
    assert Event.objects.filter(type="governance.suspended").count() == 1


def test_escalating_the_same_order_twice_returns_nothing_the_second_time():
    order = rectify(make_target(TargetType.MERCHANT))
    later = order.deadline + timedelta(seconds=1)
    assert services.rectification_escalate(action=order, now=later) is not None

    with writes_nothing():
        assert services.rectification_escalate(action=order, now=later) is None


def test_order_not_yet_due_is_untouched():
    merchant = make_target(TargetType.MERCHANT)
    order = rectify(merchant)

    with writes_nothing():
        assert services.rectification_escalate_overdue() == 0
        assert services.rectification_escalate(action=order) is None

    order.refresh_from_db()
    assert order.state == ActionState.OPEN
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.RECTIFYING


def test_order_under_review_is_not_escalated():
    order = rectify(make_target(TargetType.MERCHANT))
    submit(order)

    with writes_nothing():
        assert services.rectification_escalate_overdue(
            now=order.deadline + timedelta(days=1)) == 0


def test_escalation_of_an_already_suspended_target_opens_no_second_suspension():
    merchant = make_target(TargetType.MERCHANT)
    order = rectify(merchant)
    suspend(merchant)

    assert services.rectification_escalate(
        action=order, now=order.deadline + timedelta(seconds=1)) is None

    order.refresh_from_db()
    assert order.state == ActionState.ESCALATED
    assert order.escalated_to is None
    assert GovernanceAction.objects.filter(kind=ActionKind.SUSPEND).count() == 1


def test_escalation_task_escalates_what_is_due():
    merchant = make_target(TargetType.MERCHANT)
    order_in_state(ActionState.OPEN, overdue=True, target=merchant)
    rectify(make_target(TargetType.ISV))

    assert escalate_overdue_rectifications() == 1
    assert escalate_overdue_rectifications() == 0
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.SUSPENDED


# --- Selectors -------------------------------------------------------------------------------


def test_restricted_pack_codes_reads_open_restrictions_of_that_merchant_or_app():
    merchant = make_target(TargetType.MERCHANT)
    app = factories.make_app(isv=merchant.isv)
    restrict(merchant)
    restrict(app, packs=[factories.get_pack("payment_basics")])
    restrict(make_target(TargetType.MERCHANT), packs=[factories.get_pack("merchant_basics")])

    assert restricted_pack_codes(merchant=merchant) == {RESTRICTED_PACK}
    assert restricted_pack_codes(app=app) == {"payment_basics"}
    assert restricted_pack_codes(merchant=merchant, app=app) == {RESTRICTED_PACK,
                                                                 "payment_basics"}
    assert restricted_pack_codes() == set()


def test_open_actions_for_isv_covers_its_apps_and_merchants(django_assert_num_queries):
    isv = make_target(TargetType.ISV)
    app = factories.make_app(isv=isv)
    merchant = factories.make_merchant(isv=isv, state=MerchantState.ACTIVE)
    on_isv = warn(isv)
    on_app = restrict(app)
    on_merchant = rectify(merchant)
    acknowledge(warn(isv))
    warn(make_target(TargetType.MERCHANT))

    with django_assert_num_queries(2):
        actions = list(open_actions_for_isv(isv=isv))
        targets = [action.target for action in actions]
        packs = [[pack.code for pack in action.restricted_packs.all()] for action in actions]

    assert actions == [on_merchant, on_app, on_isv]
    assert targets == [merchant, app, isv]
    assert packs == [[], [RESTRICTED_PACK], []]


def test_audit_trail_for_a_target_includes_its_actions():
    merchant = make_target(TargetType.MERCHANT)
    order = rectify(merchant)
    submit(order)
    warn(make_target(TargetType.MERCHANT))

    trail = [row.action for row in audit_trail_for(target=merchant)]

    assert trail == [
        "governance.rectification_evidence_submitted",
        "governance.rectify",
        "merchant.rectification_ordered",
    ]
