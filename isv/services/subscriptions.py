"""Every change to an app's subscriptions to function packs, one by one or a whole industry
solution at once."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import FunctionPack, IndustrySolution
from isv.choices import (
    OPEN_SUBSCRIPTION_STATES,
    SUBSCRIPTION_TRANSITIONS,
    AppState,
    SubscriptionState,
)
from isv.errors import IsvError
from isv.models import App, Subscription
from isv.services.providers import require_operational, require_reason
from openplatform.api import gate
from openplatform.api.error_codes import AccessError
from openplatform.audit.trail import audit_record, person
from openplatform.errors import DomainError
from openplatform.events.services import event_emit
from openplatform.transitions import lock, transition


def subscription_event_data(subscription: Subscription) -> dict[str, Any]:
    return {
        "subscription_id": str(subscription.pk),
        "app_id": str(subscription.app_id),
        "pack": subscription.pack.code,
        "solution": subscription.solution.code if subscription.solution else None,
        "state": subscription.state,
    }


def _emit(subscription: Subscription, type: str) -> None:
    app = subscription.app
    event_emit(type=type, isv=app.isv, app=app, data=subscription_event_data(subscription))



def _require_can_subscribe(app: App) -> None:
    require_operational(app.isv)
    if app.state == AppState.SUSPENDED:
        raise DomainError(_("The app is suspended."), code=AccessError.APP_SUSPENDED)


@transaction.atomic
def subscription_create(
    *, app: App, pack: FunctionPack, actor: AbstractBaseUser | None,
    solution: IndustrySolution | None = None,
) -> Subscription:
    """Subscribe ``app`` to ``pack``: active at once, or pending review if the pack needs it."""
    app = lock(app)  # serialises subscriptions of one app: at most one open per pack
    _require_can_subscribe(app)
    if solution is not None and not solution.packs.filter(pk=pack.pk).exists():
        raise DomainError(_("The function pack is not part of this industry solution."),
                          code=IsvError.PACK_NOT_IN_SOLUTION)
    if app.subscriptions.filter(pack=pack, state__in=OPEN_SUBSCRIPTION_STATES).exists():
        raise DomainError(_("The app already holds a subscription to this function pack."),
                          code=IsvError.ALREADY_SUBSCRIBED)
    subscription = Subscription(app=app, pack=pack, solution=solution)
    if pack.requires_review:
        subscription.state = SubscriptionState.PENDING_REVIEW
        action = "subscription.requested"
    else:
        subscription.state = SubscriptionState.ACTIVE
        subscription.reviewed_at = timezone.now()
        action = "subscription.activated"
    subscription.full_clean()
    subscription.save()
    audit_record(actor=actor, action=action, target=subscription,
                 after={"state": subscription.state, "pack": pack.code,
                        "solution": solution.code if solution else None})
    _emit(subscription, action)
    gate.invalidate(subscription)
    return subscription


@transaction.atomic
def subscription_subscribe_solution(
    *, app: App, solution: IndustrySolution, actor: AbstractBaseUser | None
) -> list[Subscription]:
    """Subscribe ``app`` to every pack of ``solution`` it does not hold yet, all or none."""
    app = lock(app)
    _require_can_subscribe(app)
    held = set(app.subscriptions.filter(state__in=OPEN_SUBSCRIPTION_STATES)
               .values_list("pack_id", flat=True))
    return [
        subscription_create(app=app, pack=pack, actor=actor, solution=solution)
        for pack in solution.packs.order_by("code")
        if pack.pk not in held
    ]


def _subscription_move(
    subscription: Subscription, to: str, *, sources: Iterable[str],
    actor: AbstractBaseUser | None, action: str, reason: str = "",
    changes: dict[str, Any] | None = None,
) -> Subscription:
    return transition(subscription, to, transitions=SUBSCRIPTION_TRANSITIONS, sources=sources,
                      actor=actor, action=action, reason=reason, changes=changes,
                      emit=lambda moved: _emit(moved, action))


@transaction.atomic
def subscription_approve(
    *, subscription: Subscription, actor: AbstractBaseUser | None
) -> Subscription:
    return _subscription_move(
        subscription, SubscriptionState.ACTIVE, sources=[SubscriptionState.PENDING_REVIEW],
        actor=actor, action="subscription.approved",
        changes={"reviewed_by": person(actor), "reviewed_at": timezone.now()},
    )


@transaction.atomic
def subscription_reject(
    *, subscription: Subscription, actor: AbstractBaseUser | None, reason: str
) -> Subscription:
    reason = require_reason(reason)
    return _subscription_move(
        subscription, SubscriptionState.REJECTED, sources=[SubscriptionState.PENDING_REVIEW],
        actor=actor, action="subscription.rejected", reason=reason,
        changes={"reason": reason, "reviewed_by": person(actor),
                 "reviewed_at": timezone.now()},
    )


@transaction.atomic
def subscription_suspend(
    *, subscription: Subscription, actor: AbstractBaseUser | None, reason: str
) -> Subscription:
    reason = require_reason(reason)
    return _subscription_move(
        subscription, SubscriptionState.SUSPENDED, sources=[SubscriptionState.ACTIVE],
        actor=actor, action="subscription.suspended", reason=reason,
        changes={"reason": reason},
    )


@transaction.atomic
def subscription_resume(
    *, subscription: Subscription, actor: AbstractBaseUser | None, reason: str = ""
) -> Subscription:
    reason = reason.strip()
    return _subscription_move(
        subscription, SubscriptionState.ACTIVE, sources=[SubscriptionState.SUSPENDED],
        actor=actor, action="subscription.resumed", reason=reason,
        changes={"reason": reason},
    )


@transaction.atomic
def subscription_cancel(
    *, subscription: Subscription, actor: AbstractBaseUser | None
) -> Subscription:
    return _subscription_move(
        subscription, SubscriptionState.CANCELLED, sources=OPEN_SUBSCRIPTION_STATES,
        actor=actor, action="subscription.cancelled",
    )
