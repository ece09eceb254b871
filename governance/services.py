"""The governance ladder (治理): warn, order rectification, restrict, suspend, clear out, reinstate.

Each rung records a GovernanceAction and moves the target (ISV, app or merchant) through its own
state service in the same transaction, so the action row, the target's state, both audit lines
and both outbox events commit together or not at all.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import FunctionPack
from governance import (
    imports,
    screening,
    tasks,  # tasks imports this module back: used at call time
)
from governance.choices import (
    ACTION_TRANSITIONS,
    ActionKind,
    ActionState,
    EntryKind,
    TargetType,
)
from governance.errors import GovernanceError, GovernanceFieldError
from governance.models import GovernanceAction, NegativeListEntry
from governance.normalise import entry_value
from governance.screening import NegativeListIndex, ScreeningResult
from governance.selectors import OPEN_ACTION_STATES, actions_on, target_type_and_field
from isv.choices import APP_TRANSITIONS, ISV_TRANSITIONS, IsvState
from isv.models import App, Isv
from isv.services.apps import app_reinstate, app_suspend
from isv.services.providers import (
    isv_clear_out,
    isv_lift_restriction,
    isv_reinstate,
    isv_restrict,
    isv_suspend,
)
from merchants.choices import MERCHANT_TRANSITIONS, MerchantState
from merchants.errors import MerchantError
from merchants.models import Merchant
from merchants.services.lifecycle import (
    merchant_activate,
    merchant_clear_out,
    merchant_mark_rectified,
    merchant_order_rectification,
    merchant_refer_to_review,
    merchant_reinstate,
    merchant_reject,
    merchant_start_screening,
    merchant_suspend,
)
from openplatform.api import gate
from openplatform.audit.trail import audit_record, person
from openplatform.data.text import normalise_text
from openplatform.errors import DomainError, FieldError, IllegalTransition
from openplatform.events.services import event_emit
from openplatform.transitions import lock, transition

Target = Isv | App | Merchant
Actor = AbstractBaseUser | None

# The outbox event each rung emits to the target's ISV.
EVENT_TYPES = {
    ActionKind.WARNING: "governance.warning",
    ActionKind.RECTIFY: "governance.rectification_ordered",
    ActionKind.RESTRICT: "governance.restricted",
    ActionKind.SUSPEND: "governance.suspended",
    ActionKind.CLEAR_OUT: "governance.cleared_out",
    ActionKind.REINSTATE: "governance.reinstated",
}
# Measures that stay in force (open) until a reinstatement or a clear-out closes them.
MEASURE_KINDS = (ActionKind.RESTRICT, ActionKind.SUSPEND)
ESCALATION_REASON_CODE = "rectification_overdue"

_STATE_TRANSITIONS = {
    TargetType.ISV: ISV_TRANSITIONS,
    TargetType.APP: APP_TRANSITIONS,
    TargetType.MERCHANT: MERCHANT_TRANSITIONS,
}
# The three state machines share the spelling of these two states.
_SUSPENDED = IsvState.SUSPENDED
_CLEARED_OUT = IsvState.CLEARED_OUT


# --- The ladder ------------------------------------------------------------------------------


@transaction.atomic
def governance_warn(
    *, target: Target, actor: Actor, reason_code: str, reason: str
) -> GovernanceAction:
    """Warn the target (提醒); nothing changes until the warning is acknowledged."""
    action = _build_action(target=target, kind=ActionKind.WARNING, actor=actor,
                           reason_code=reason_code, reason=reason)
    target = lock(target)
    return _record_action(action, target=target, before_state=target.state)


@transaction.atomic
def governance_order_rectification(
    *,
    target: Target,
    actor: Actor,
    reason_code: str,
    reason: str,
    evidence_required: str,
    deadline: datetime | None = None,
) -> GovernanceAction:
    """Order the target to rectify (整改) by ``deadline``; a merchant goes to ``rectifying``.

    ISVs and apps have no rectifying state: for them the order alone is the measure. An order
    still open at its deadline escalates to a suspension (``rectification_escalate``).
    """
    if deadline is None:
        deadline = timezone.now() + timedelta(days=settings.RECTIFICATION_DEFAULT_DAYS)
    errors = {}
    if deadline <= timezone.now():
        errors["deadline"] = [ValidationError(_("The deadline must be in the future."),
                                              code=GovernanceFieldError.DEADLINE_IN_PAST)]
    action = _build_action(target=target, kind=ActionKind.RECTIFY, actor=actor,
                           reason_code=reason_code, reason=reason, errors=errors,
                           deadline=deadline, evidence_required=evidence_required.strip())
    target = lock(target)
    before_state = target.state
    if isinstance(target, Merchant):
        merchant_order_rectification(
            merchant=target, actor=actor, deadline=deadline, reason=action.reason)
    return _record_action(action, target=target, before_state=before_state)


@transaction.atomic
def governance_restrict(
    *,
    target: Target,
    actor: Actor,
    reason_code: str,
    reason: str,
    packs: Iterable[FunctionPack] = (),
) -> GovernanceAction:
    """Restrict the target: an ISV goes to ``restricted``; a merchant or app loses ``packs``.

    A merchant or app keeps its state: the capability gate refuses the named packs while the
    restriction is open (``governance.selectors.restricted_pack_codes``).
    """
    packs = list(packs)
    errors = {}
    if not packs and not isinstance(target, Isv):
        errors["packs"] = [ValidationError(_("Name the function packs to restrict."),
                                           code=GovernanceFieldError.PACKS_REQUIRED)]
    action = _build_action(target=target, kind=ActionKind.RESTRICT, actor=actor,
                           reason_code=reason_code, reason=reason, errors=errors)
    target = lock(target)
    before_state = target.state
    if isinstance(target, Isv):
        isv_restrict(isv=target, actor=actor, reason=action.reason)
    return _record_action(action, target=target, before_state=before_state, packs=packs)


@transaction.atomic
def governance_suspend(
    *, target: Target, actor: Actor, reason_code: str, reason: str
) -> GovernanceAction:
    """Suspend the target through its own state service (a suspended app, ISV or merchant
    is refused by the capability gate); the suspension stays open until a reinstatement."""
    action = _build_action(target=target, kind=ActionKind.SUSPEND, actor=actor,
                           reason_code=reason_code, reason=reason)
    target = lock(target)
    before_state = target.state
    _suspend_target(target, actor=actor, reason=action.reason)
    return _record_action(action, target=target, before_state=before_state)


@transaction.atomic
def governance_clear_out(
    *, target: Target, actor: Actor, reason_code: str, reason: str
) -> GovernanceAction:
    """Clear the target out (清退) for good: tokens and authorizations revoked, data kept.

    A target not yet suspended is suspended first, in the same transaction, for serious cases
    that skip the lower rungs. Open restrictions and suspensions are closed: nothing can lift
    them any more. An app is suspended, never cleared out.
    """
    if isinstance(target, App):
        raise DomainError(_("An app is suspended, not cleared out; clear out its ISV instead."),
                          code=GovernanceError.NOT_APPLICABLE)
    action = _build_action(target=target, kind=ActionKind.CLEAR_OUT, actor=actor,
                           reason_code=reason_code, reason=reason,
                           state=ActionState.RESOLVED, resolved_at=timezone.now())
    target = lock(target)
    before_state = target.state
    if target.state != _SUSPENDED:
        _suspend_target(target, actor=actor, reason=action.reason)
    if isinstance(target, Isv):
        isv_clear_out(isv=target, actor=actor, reason=action.reason)
    else:
        merchant_clear_out(merchant=target, actor=actor, reason=action.reason)
    closed = _close_open_measures(target, actor=actor, note=action.reason)
    return _record_action(action, target=target, before_state=before_state,
                          audit_after={"closed_action_ids": closed})


@transaction.atomic
def governance_reinstate(
    *, target: Target, actor: Actor, reason_code: str, reason: str
) -> GovernanceAction:
    """Lift a suspension or restriction and close every open restriction and suspension.

    A suspended target returns to service (a suspended app comes back offline); a restricted ISV
    becomes active; a merchant or app simply has its open restrictions lifted.
    """
    action = _build_action(target=target, kind=ActionKind.REINSTATE, actor=actor,
                           reason_code=reason_code, reason=reason,
                           state=ActionState.RESOLVED, resolved_at=timezone.now())
    target = lock(target)
    before_state = target.state
    if target.state == _CLEARED_OUT:
        raise IllegalTransition(_("“%(target)s” was cleared out and cannot be reinstated.")
                                % {"target": target})
    if target.state == _SUSPENDED:
        _reinstate_target(target, actor=actor, reason=action.reason)
    elif isinstance(target, Isv) and target.state == IsvState.RESTRICTED:
        isv_lift_restriction(isv=target, actor=actor, reason=action.reason)
    elif not _open_measures(target).exists():
        raise DomainError(_("“%(target)s” is neither suspended nor restricted.")
                          % {"target": target}, code=GovernanceError.NOTHING_TO_REINSTATE)
    closed = _close_open_measures(target, actor=actor, note=action.reason)
    return _record_action(action, target=target, before_state=before_state,
                          audit_after={"closed_action_ids": closed})


@transaction.atomic
def governance_action_acknowledge(
    *, action: GovernanceAction, actor: Actor
) -> GovernanceAction:
    """Close a warning once its addressee has read it."""
    action = lock(action)
    if action.kind != ActionKind.WARNING:
        raise DomainError(_("Only a warning is acknowledged."), code=GovernanceError.NOT_A_WARNING)
    return _move_action(action, source=ActionState.OPEN, to=ActionState.RESOLVED, actor=actor,
                        name="warning_acknowledged", resolved_at=timezone.now())


# --- Rectification workflow -----------------------------------------------------------------


@transaction.atomic
def rectification_submit_evidence(
    *, action: GovernanceAction, actor: Actor, statement: str, evidence: File | None = None
) -> GovernanceAction:
    """The ISV answers a rectification order with a statement and, optionally, a document."""
    action = _lock_rectification(action)
    statement = statement.strip()
    if not statement:
        raise ValidationError({"statement": [_required()]})
    fields = {"statement": statement}
    if evidence is not None:
        fields["evidence"] = evidence
    if action.state == ActionState.OPEN and action.deadline <= timezone.now():
        raise DomainError(_("The deadline of this rectification order has passed."),
                          code=GovernanceError.DEADLINE_PASSED)
    return _move_action(action, source=ActionState.OPEN, to=ActionState.EVIDENCE_SUBMITTED,
                        actor=actor, name="rectification_evidence_submitted", **fields)


@transaction.atomic
def rectification_accept(
    *, action: GovernanceAction, actor: Actor, note: str
) -> GovernanceAction:
    """Staff accept the evidence: the order is resolved and a rectifying merchant is active."""
    action = _lock_rectification(action)
    note = note.strip()
    action = _move_action(action, source=ActionState.EVIDENCE_SUBMITTED,
                          to=ActionState.RESOLVED, actor=actor, name="rectification_accepted",
                          reason=note, decision_note=note, resolved_at=timezone.now())
    target = lock(action.target)
    if isinstance(target, Merchant) and target.state == MerchantState.RECTIFYING:
        merchant_mark_rectified(merchant=target, actor=actor, reason=note)
    return action


@transaction.atomic
def rectification_reject(
    *, action: GovernanceAction, actor: Actor, note: str
) -> GovernanceAction:
    """Staff send the order back: it is open again and still bound by its deadline."""
    action = _lock_rectification(action)
    note = note.strip()
    if not note:
        raise ValidationError({"note": [_required()]})
    return _move_action(action, source=ActionState.EVIDENCE_SUBMITTED, to=ActionState.OPEN,
                        actor=actor, name="rectification_rejected", reason=note, decision_note=note)


@transaction.atomic
def rectification_escalate(
    *, action: GovernanceAction, actor: Actor = None, now: datetime | None = None
) -> GovernanceAction | None:
    """Escalate an open order past its deadline to a suspension; idempotent.

    Returns the suspension it opened. Returns None and writes nothing when the order is not
    open or not yet due. A target that can no longer be suspended (already suspended or
    cleared out) gets no second suspension: the order is marked escalated and None returned.
    """
    now = now or timezone.now()
    action = _lock_rectification(action)
    if action.state != ActionState.OPEN or action.deadline > now:
        return None
    target = action.target
    suspension = None
    if _SUSPENDED in _STATE_TRANSITIONS[action.target_type].get(target.state, ()):
        suspension = governance_suspend(
            target=target, actor=actor, reason_code=ESCALATION_REASON_CODE,
            reason=_("Rectification order %(id)s passed its deadline (%(deadline)s) without "
                     "accepted evidence.")
            % {"id": action.pk,
               "deadline": f"{timezone.localtime(action.deadline):%Y-%m-%d %H:%M}"},
        )
    _move_action(action, source=ActionState.OPEN, to=ActionState.ESCALATED, actor=actor,
                 name="rectification_escalated",
                 audit_after={"escalated_to": str(suspension.pk) if suspension else None},
                 escalated_to=suspension)
    return suspension


def rectification_escalate_overdue(*, now: datetime | None = None) -> int:
    """Escalate every open rectification order past its deadline, one transaction each.

    Returns how many suspensions the escalations opened; running it again finds nothing left.
    """
    now = now or timezone.now()
    due_ids = list(
        GovernanceAction.objects.filter(
            kind=ActionKind.RECTIFY, state=ActionState.OPEN, deadline__lte=now
        ).order_by("deadline", "pk").values_list("pk", flat=True)
    )
    escalated = 0
    for action in GovernanceAction.objects.filter(pk__in=due_ids).order_by("deadline", "pk"):
        if rectification_escalate(action=action, now=now) is not None:
            escalated += 1
    return escalated


# --- Helpers ---------------------------------------------------------------------------------


def _required() -> ValidationError:
    return ValidationError(_("This field is required."), code=FieldError.REQUIRED)


def _build_action(
    *,
    target: Target,
    kind: ActionKind,
    actor: Actor,
    reason_code: str,
    reason: str,
    errors: dict[str, list[ValidationError]] | None = None,
    **fields: Any,
) -> GovernanceAction:
    """An unsaved, fully validated action on ``target``; raises every field error at once."""
    target_type, field = target_type_and_field(target)
    errors = dict(errors or {})
    action = GovernanceAction(
        target_type=target_type, kind=kind, reason_code=reason_code.strip(),
        reason=reason.strip(), actor=person(actor),
        **{field: target}, **fields,
    )
    for name in ("reason_code", "reason"):
        if not getattr(action, name):
            errors[name] = [_required()]
    try:
        action.full_clean(exclude=list(errors))
    except ValidationError as error:
        for name, messages in error.error_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return action


def _record_action(
    action: GovernanceAction,
    *,
    target: Target,
    before_state: str,
    packs: Iterable[FunctionPack] = (),
    audit_after: dict[str, Any] | None = None,
) -> GovernanceAction:
    """Save the action and write its audit line (on the target) and its outbox event."""
    action.save()
    action.restricted_packs.set(packs)
    target.refresh_from_db(fields=["state"])
    audit_record(
        actor=action.actor, action=f"governance.{action.kind}", target=target,
        before={"state": before_state},
        after={
            "state": target.state,
            "action_id": str(action.pk),
            "kind": action.kind,
            "reason_code": action.reason_code,
            "deadline": _isoformat(action.deadline),
            "restricted_packs": sorted(pack.code for pack in packs),
            **(audit_after or {}),
        },
        reason=action.reason,
    )
    _emit(action, type=EVENT_TYPES[action.kind])
    # A restriction opened or lifted changes what the gate lets through for the target.
    gate.invalidate(action)
    return action


def _move_action(
    action: GovernanceAction,
    *,
    source: ActionState,
    to: ActionState,
    actor: Actor,
    name: str,
    reason: str = "",
    audit_after: dict[str, Any] | None = None,
    **fields: Any,
) -> GovernanceAction:
    """Move a locked action along ACTION_TRANSITIONS, with its audit line and outbox event.

    Several moves share a destination (a warning and an accepted order both end resolved);
    each service may start only from its own source state."""
    return transition(action, to, transitions=ACTION_TRANSITIONS, sources=[source], actor=actor,
                      action=f"governance.{name}", reason=reason, changes=fields,
                      audit_after=audit_after, locked=True,
                      emit=lambda moved: _emit(moved, type=f"governance.{name}"))


def _lock_rectification(action: GovernanceAction) -> GovernanceAction:
    action = lock(action)
    if action.kind != ActionKind.RECTIFY:
        raise DomainError(_("This action is not a rectification order."),
                          code=GovernanceError.NOT_A_RECTIFICATION)
    return action


def _emit(action: GovernanceAction, *, type: str) -> None:
    target = action.target
    isv = target if isinstance(target, Isv) else target.isv
    event_emit(type=type, isv=isv, app=target if isinstance(target, App) else None, data={
        "action_id": str(action.pk),
        "kind": action.kind,
        "state": action.state,
        "target_type": action.target_type,
        "target_id": str(target.pk),
        "reason_code": action.reason_code,
        "reason": action.reason,
        "deadline": _isoformat(action.deadline),
    })


def _suspend_target(target: Target, *, actor: Actor, reason: str) -> None:
    if isinstance(target, Isv):
        isv_suspend(isv=target, actor=actor, reason=reason)
    elif isinstance(target, App):
        app_suspend(app=target, actor=actor, reason=reason)
    else:
        merchant_suspend(merchant=target, actor=actor, reason=reason)


def _reinstate_target(target: Target, *, actor: Actor, reason: str) -> None:
    if isinstance(target, Isv):
        isv_reinstate(isv=target, actor=actor, reason=reason)
    elif isinstance(target, App):
        app_reinstate(app=target, actor=actor, reason=reason)
    else:
        merchant_reinstate(merchant=target, actor=actor, reason=reason)


def _open_measures(target: Target):
    return actions_on(target=target).filter(kind__in=MEASURE_KINDS, state=ActionState.OPEN)


def _close_open_measures(target: Target, *, actor: Actor, note: str) -> list[str]:
    """Resolve the target's open restrictions and suspensions; return their ids."""
    closed = []
    for measure in _open_measures(target).select_for_update().order_by("pk"):
        transition(measure, ActionState.RESOLVED, transitions=ACTION_TRANSITIONS,
                   sources=[ActionState.OPEN], actor=actor, action="governance.measure_lifted",
                   reason=note, locked=True,
                   changes={"resolved_at": timezone.now(), "decision_note": note})
        closed.append(str(measure.pk))
    return closed


def _isoformat(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


# --- The negative list -----------------------------------------------------------------------


@transaction.atomic
def negative_list_entry_add(
    *,
    actor: Actor,
    kind: str,
    value: str,
    category: str,
    source: str,
    note: str = "",
    expires_at: datetime | None = None,
) -> NegativeListEntry:
    """Add an entry; ID numbers and bank accounts are stored only as keyed digests."""
    entry = NegativeListEntry(kind=kind, category=category, source=source, note=note,
                              expires_at=expires_at, created_by=person(actor))
    try:
        entry.value, entry.display_value = entry_value(kind, value)
    except KeyError:
        raise ValidationError({"kind": ValidationError(_("Unknown entry kind."),
                                                       code=FieldError.INVALID_CHOICE)}) from None
    except ValidationError as error:
        raise ValidationError({"value": error.error_list}) from None
    if NegativeListEntry.objects.filter(kind=kind, value=entry.value).exists():
        raise ValidationError({"value": ValidationError(
            _("This value is already on the negative list."),
            code=GovernanceFieldError.ENTRY_EXISTS)})
    entry.full_clean()
    entry.save()
    audit_record(actor=actor, action="negative_list.entry_added", target=entry,
                 after=_entry_audit_data(entry))
    _negative_list_changed(entry)
    return entry


@transaction.atomic
def negative_list_entry_update(
    *,
    entry: NegativeListEntry,
    actor: Actor,
    category: str,
    source: str,
    note: str = "",
    expires_at: datetime | None = None,
) -> NegativeListEntry:
    """Change what an entry means or how long it lasts; its kind and value never change."""
    entry = lock(entry)
    before = _entry_audit_data(entry)
    entry.category, entry.source, entry.note, entry.expires_at = (
        category, source, note, expires_at)
    entry.full_clean()
    entry.save(update_fields=["category", "source", "note", "expires_at", "updated_at"])
    audit_record(actor=actor, action="negative_list.entry_updated", target=entry,
                 before=before, after=_entry_audit_data(entry))
    _negative_list_changed(entry)
    return entry


@transaction.atomic
def negative_list_entry_remove(*, entry: NegativeListEntry, actor: Actor) -> None:
    entry = lock(entry)
    audit_record(actor=actor, action="negative_list.entry_removed", target=entry,
                 before=_entry_audit_data(entry))
    entry.delete()


def _entry_audit_data(entry: NegativeListEntry) -> dict[str, Any]:
    # display_value, not value: for ID numbers and bank accounts it is the masked form.
    return {
        "kind": entry.kind,
        "display_value": entry.display_value,
        "category": entry.category,
        "source": entry.source,
        "expires_at": entry.expires_at.isoformat() if entry.expires_at else None,
    }


# --- Screening -------------------------------------------------------------------------------

ACCOUNTABILITY_REASON_CODE = "accountability.negative_list_share"
# Merchants screening may act on again; a suspended merchant is already out of service.
RESCREENED_STATES = (MerchantState.ACTIVE, MerchantState.RECTIFYING)
# The ISV's merchants the accountability share is computed over: those that went live.
_WENT_LIVE_STATES = (*RESCREENED_STATES, MerchantState.SUSPENDED, MerchantState.CLEARED_OUT)
_NEGATIVE_LIST_REASON_PREFIX = "negative_list."


@transaction.atomic
def merchant_screen(*, merchant: Merchant, actor: Actor = None) -> ScreeningResult:
    """Screen a submitted merchant: active when clean, manual review on a near miss, rejected
    on a hard hit with the hit's reason code (``negative_list.<category>`` or ``unlicensed``).

    An application whose USCC another merchant already holds live is rejected with
    ``uscc_already_live`` instead of being activated.
    """
    merchant = merchant_start_screening(merchant=merchant, actor=actor)
    result = screening.screen_merchant(merchant, screening.current_index())
    audit_record(actor=actor, action="governance.merchant_screened", target=merchant,
                 after={"outcome": result.outcome, "hits": _hits_audit_data(result)})
    hit = result.decisive_hit
    if result.outcome == screening.HARD_HIT:
        merchant_reject(merchant=merchant, actor=actor, reason_code=hit.reason_code,
                        message=hit.message)
    elif result.outcome == screening.NEAR_MISS:
        merchant_refer_to_review(merchant=merchant, actor=actor, reason=hit.message)
    else:
        try:
            merchant_activate(merchant=merchant, actor=actor)
        except DomainError as error:
            if error.code != MerchantError.USCC_ALREADY_LIVE:
                raise
            merchant_reject(merchant=merchant, actor=actor, reason_code=error.code,
                            message=str(error))
    return result


@transaction.atomic
def merchant_rescreen_live(
    *, merchant: Merchant, index: NegativeListIndex, actor: Actor = None
) -> GovernanceAction | None:
    """Screen an active or rectifying merchant again and act on its decisive hit.

    A hard hit suspends the merchant (pornography, gambling, drugs, sanctions) or orders it to
    rectify (other categories; a merchant already rectifying is warned instead, it cannot be
    ordered twice); a near miss warns it. Idempotent: nothing is done while an action with the
    same reason code is open, nor when one was taken since the entry was last changed, so that
    staff who reinstate a merchant are not overruled by the next nightly pass. A suspended or
    cleared-out merchant is not touched. Returns the action opened, or None.
    """
    merchant = lock(merchant)
    if merchant.state not in RESCREENED_STATES:
        return None
    hit = screening.screen_merchant(merchant, index).decisive_hit
    if hit is None or _already_acted_on(merchant, hit):
        return None
    reason = hit.message
    if hit.hard and hit.category in screening.SUSPENSION_CATEGORIES:
        action = governance_suspend(target=merchant, actor=actor, reason_code=hit.reason_code,
                                    reason=reason)
        _hold_isv_accountable(merchant.isv, actor=actor)
        return action
    if hit.hard and merchant.state == MerchantState.ACTIVE:
        return governance_order_rectification(
            target=merchant, actor=actor, reason_code=hit.reason_code, reason=reason,
            evidence_required=_("Show that the merchant's %(field)s no longer matches the "
                                "negative list, or that the match is wrong.")
            % {"field": screening.FIELD_LABELS[hit.field]},
        )
    return governance_warn(target=merchant, actor=actor, reason_code=hit.reason_code,
                           reason=reason)


def rescreen_for_entry(*, entry_id: int) -> int:
    """Re-screen the live merchants a (new or changed) entry could hit; return how many were
    acted on. An expired or removed entry hits nobody.

    The database finds the candidates: exact kinds by index; a keyword by the merchants whose
    stored ``screening_text`` contains it (on PostgreSQL through its trigram index, or a scan
    of that one column for a keyword of fewer than 3 characters, which has no trigram). Each
    candidate is then screened against the entry alone before anything is done to it.
    """
    now = timezone.now()
    entry = NegativeListEntry.objects.filter(pk=entry_id).first()
    if entry is None or (entry.expires_at is not None and entry.expires_at <= now):
        return 0
    index = NegativeListIndex([entry], check_registration=False)
    live = Merchant.objects.filter(state__in=RESCREENED_STATES)
    if entry.kind == EntryKind.KEYWORD:
        keyword = normalise_text(entry.value)
        if not keyword:
            return 0
        candidates = live.filter(screening_text__contains=keyword)
    elif entry.kind == EntryKind.DOMAIN:
        candidates = live.filter(Q(website=entry.value) | Q(website__endswith=f".{entry.value}"))
    else:
        column = screening.EXACT_KIND_FIELDS[entry.kind][0]
        candidates = live.filter(**{column: entry.value})
    return _rescreen_each(candidates.order_by("pk"), index=index)


def rescreen_all() -> int:
    """Re-screen every live merchant against the whole list (nightly); return how many were
    acted on."""
    return _rescreen_stream(Merchant.objects.filter(state__in=RESCREENED_STATES),
                            index=screening.current_index())


def _rescreen_stream(merchants, *, index: NegativeListIndex) -> int:
    """Screen ``merchants`` in streamed batches without writing, then act on those that hit,
    one transaction each (no write runs while the stream's cursor is open). The stream reads
    only the screened columns, as named tuples: no model instance per merchant."""
    now = timezone.now()
    rows = merchants.order_by().values_list(*screening.SCREENED_COLUMNS, named=True)
    hit_ids = [
        row.id
        for row in rows.iterator(chunk_size=settings.SCREENING_BATCH_SIZE)
        if screening.screen_merchant(row, index, now=now).hits
    ]
    return _rescreen_each(Merchant.objects.filter(pk__in=hit_ids).order_by("pk"), index=index)


def _rescreen_each(merchants, *, index: NegativeListIndex) -> int:
    acted = 0
    for merchant in merchants:
        if merchant_rescreen_live(merchant=merchant, index=index) is not None:
            acted += 1
    return acted


def _already_acted_on(merchant: Merchant, hit: screening.Hit) -> bool:
    same_reason = actions_on(target=merchant).filter(reason_code=hit.reason_code)
    taken_since_listing = (Q(created_at__gte=hit.listed_at) if hit.listed_at is not None
                           else Q())
    return same_reason.filter(Q(state__in=OPEN_ACTION_STATES) | taken_since_listing).exists()


def _hold_isv_accountable(isv: Isv, *, actor: Actor) -> GovernanceAction | None:
    """Warn ``isv`` once when more than ISV_ACCOUNTABILITY_SHARE of the merchants it brought
    live were suspended for negative-list hits (counted from ISV_ACCOUNTABILITY_MIN_MERCHANTS
    merchants on)."""
    went_live = Merchant.objects.filter(isv=isv, state__in=_WENT_LIVE_STATES)
    total = went_live.count()
    if total < settings.ISV_ACCOUNTABILITY_MIN_MERCHANTS:
        return None
    suspended = went_live.filter(
        state__in=(MerchantState.SUSPENDED, MerchantState.CLEARED_OUT),
        governance_actions__kind=ActionKind.SUSPEND,
        governance_actions__reason_code__startswith=_NEGATIVE_LIST_REASON_PREFIX,
    ).distinct().count()
    if suspended <= total * settings.ISV_ACCOUNTABILITY_SHARE:
        return None
    if actions_on(target=isv).filter(reason_code=ACCOUNTABILITY_REASON_CODE,
                                     state__in=OPEN_ACTION_STATES).exists():
        return None
    return governance_warn(
        target=isv, actor=actor, reason_code=ACCOUNTABILITY_REASON_CODE,
        reason=_("%(suspended)d of the %(total)d merchants you brought onto the platform are "
                 "suspended for negative-list hits. Review how you check merchants before "
                 "onboarding them.") % {"suspended": suspended, "total": total},
    )


def _hits_audit_data(result: ScreeningResult) -> list[dict[str, Any]]:
    # Entry ids for staff, never the entry's value or the merchant's matched data.
    return [{"entry_id": str(hit.entry_id) if hit.entry_id else None, "kind": hit.kind,
             "category": hit.category, "field": hit.field, "hard": hit.hard}
            for hit in result.hits]


def _negative_list_changed(entry: NegativeListEntry) -> None:
    """After commit: tell every process the list changed, then re-screen who it may hit."""
    transaction.on_commit(screening.bump_negative_list_version)
    tasks.rescreen_for_entry_task.delay_on_commit(entry.pk)


# --- Bulk import of the negative list --------------------------------------------------------

IMPORT_BATCH_SIZE = 1000


@transaction.atomic
def negative_list_entries_import(
    *,
    actor: Actor,
    rows: Sequence[imports.ImportRow],
    file_name: str,
    on_progress: imports.Progress | None = None,
) -> int:
    """Add every row of an uploaded file to the negative list, or none of them.

    Every row is checked first (``imports.check_rows``: values normalised as one entry at a
    time would be, duplicates within the file and against the list); any bad row raises a
    ValidationError naming each bad row and column (``imports.rows_error``) and writes nothing.
    The entries are inserted in batches, the import is audited once (count, file name, kinds,
    id range) and, after commit, the list version is bumped once and one full re-screen queued,
    not one task per entry. Returns the number of entries added.
    """
    checked = imports.check_rows(rows, on_progress=on_progress)
    if checked.errors:
        raise imports.rows_error(checked.errors)
    entries = checked.entries
    created_by = person(actor)
    for entry in entries:
        entry.created_by = created_by
    total = len(entries)
    created_ids: list[int] = []
    for start in range(0, total, IMPORT_BATCH_SIZE):
        batch = NegativeListEntry.objects.bulk_create(entries[start:start + IMPORT_BATCH_SIZE])
        created_ids.extend(entry.pk for entry in batch)
        if on_progress is not None:
            on_progress("importing", len(created_ids), total)
    # The list as a whole is the target: one line for the import, not one per entry.
    audit_record(actor=actor, action="negative_list.entries_imported",
                 target=ContentType.objects.get_for_model(NegativeListEntry),
                 after={"count": total, "file_name": file_name,
                        "kinds": checked.kind_counts,
                        "first_entry_id": str(min(created_ids)),
                        "last_entry_id": str(max(created_ids))})
    transaction.on_commit(screening.bump_negative_list_version)
    tasks.rescreen_all_task.delay_on_commit()
    return total
