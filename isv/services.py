"""Every change to ISVs, their members, their apps (OAuth clients) and their pack subscriptions.

The state machines (tables in ``isv/choices.py``, shapes in DESIGN.md), with the one service
that makes each move:

ISV (``ISV_TRANSITIONS``)
    pending_review → active                    isv_approve
    pending_review → rejected                  isv_reject
    rejected → pending_review                  isv_resubmit
    active → restricted                        isv_restrict
    restricted → active                        isv_lift_restriction
    active | restricted → suspended            isv_suspend
    suspended → active                         isv_reinstate
    suspended → cleared_out                    isv_clear_out (revokes the apps' OAuth tokens
                                               and suspends the apps)

App (``APP_TRANSITIONS``)
    developing → in_review                     app_submit_for_review (production apps)
    in_review → live                           app_approve
    in_review → developing                     app_reject_review
    developing → live                          app_go_live (sandbox apps)
    offline → live                             app_go_live
    live → offline                             app_take_offline
    developing | in_review | live | offline
        → suspended                            app_suspend
    suspended → offline                        app_reinstate

Subscription (``SUBSCRIPTION_TRANSITIONS``; created by subscription_create, straight to
active when the pack needs no review, else pending_review)
    pending_review → active                    subscription_approve
    pending_review → rejected                  subscription_reject
    active → suspended                         subscription_suspend
    suspended → active                         subscription_resume
    pending_review | active | suspended
        → cancelled                            subscription_cancel

A table may allow several moves into one state (pending_review, restricted and suspended
ISVs all become active); each service moves only from its own source states and raises
IllegalTransition from any other.
"""

import base64
import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import (
    get_access_token_model,
    get_grant_model,
    get_refresh_token_model,
)

from capabilities.models import FunctionPack, IndustrySolution
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
from merchants.choices import AuthorizationState
from merchants.models import Authorization, Merchant
from merchants.services import authorization_revoke
from openplatform import pii
from openplatform.audit import audit_record, person
from openplatform.errors import DomainError, PermissionDenied
from openplatform.events.services import event_emit
from openplatform.state import lock, transition_state
from openplatform.validation import FieldErrors, model_field_errors, require_text
from openplatform.validators import validate_mobile_phone, validate_uscc

WEBHOOK_SECRET_PREFIX = "whsec_"
WEBHOOK_SECRET_BYTES = 24


# --- shared helpers ---------------------------------------------------------------------------


def _move(instance: models.Model, to: str, *, transitions: dict, sources: Iterable[str]) -> str:
    """``transition_state`` limited to the moves from ``sources`` into ``to``."""
    allowed = {state: transitions[state] & {to} for state in sources}
    return transition_state(instance, to, transitions=allowed)


def _require_reason(reason: str) -> str:
    require_text(reason=reason)
    return reason.strip()


# Event bodies carry identifiers and states only. A reason is free text staff write and may
# name people: it stays in the audit trail and on the rows that keep one (Isv.rejection_reason,
# Subscription.reason).
def isv_event_data(isv: Isv) -> dict[str, Any]:
    return {"isv_id": str(isv.pk), "kind": isv.kind, "state": isv.state}


def app_event_data(app: App) -> dict[str, Any]:
    return {
        "app_id": str(app.pk),
        "client_id": app.client_id,
        "environment": app.environment,
        "state": app.state,
    }


def subscription_event_data(subscription: Subscription) -> dict[str, Any]:
    return {
        "subscription_id": str(subscription.pk),
        "app_id": str(subscription.app_id),
        "pack": subscription.pack.code,
        "solution": subscription.solution.code if subscription.solution else None,
        "state": subscription.state,
    }


def _require_operational(isv: Isv) -> None:
    if not isv.is_operational:
        raise DomainError(_("The service provider is not active."), code="isv_not_active")


# --- ISV --------------------------------------------------------------------------------------


def _merchant_error(
    *, actor: AbstractBaseUser, kind: str, merchant: Merchant | None
) -> ValidationError | None:
    """A self-developer names a merchant its user acts for; a company names none."""
    if kind != IsvKind.SELF:
        if merchant is None:
            return None
        return ValidationError(_("Only a merchant developing for itself names a merchant."),
                               code="merchant_not_allowed")
    if merchant is None:
        return ValidationError(_("Name the merchant this developer account acts for."),
                               code="merchant_required")
    if not merchant.users.filter(user=actor).exists():
        return ValidationError(_("You do not act for this merchant."),
                               code="merchant_not_yours")
    if Isv.objects.filter(merchant=merchant).exists():
        return ValidationError(_("This merchant already has a developer account."),
                               code="merchant_taken")
    return None


@transaction.atomic
def isv_register(
    *, actor: AbstractBaseUser, name: str, uscc: str, legal_representative: str,
    contact_name: str, contact_email: str, contact_phone: str, kind: str = IsvKind.COMPANY,
    merchant: Merchant | None = None,
) -> Isv:
    """Register a service provider (or a merchant's own developer account) for review.

    ``actor`` becomes its owner. Every field error is reported at once.
    """
    if person(actor) is None:
        raise PermissionDenied(_("Sign in to register a service provider."))
    errors: FieldErrors = {}
    try:
        uscc = validate_uscc(uscc)
    except ValidationError as error:
        errors["uscc"] = error.error_list
    else:
        if Isv.objects.filter(uscc=uscc).exists():
            errors["uscc"] = [ValidationError(
                _("A service provider with this unified social credit code is already "
                  "registered."),
                code="uscc_taken",
            )]
    try:
        contact_phone = validate_mobile_phone(contact_phone)
    except ValidationError as error:
        errors["contact_phone"] = error.error_list
    merchant_error = _merchant_error(actor=actor, kind=kind, merchant=merchant)
    if merchant_error is not None:
        errors["merchant"] = [merchant_error]
    isv = Isv(
        name=name.strip(), uscc=uscc, kind=kind, merchant=merchant,
        legal_representative=legal_representative.strip(), contact_name=contact_name.strip(),
        contact_email=contact_email.strip(), contact_phone=contact_phone,
        state=IsvState.PENDING_REVIEW,
    )
    errors.update(model_field_errors(isv, exclude=errors))
    if errors:
        raise ValidationError(errors)
    isv.save()
    owner = IsvMember(isv=isv, user=actor, role=MemberRole.OWNER)
    owner.full_clean()
    owner.save()
    audit_record(actor=actor, action="isv.registered", target=isv,
                 after={"state": isv.state, "kind": isv.kind, "owner_id": str(actor.pk)})
    event_emit(type="isv.registered", isv=isv, data=isv_event_data(isv))
    return isv


def _isv_move(
    isv: Isv, to: str, *, sources: Iterable[str], actor: AbstractBaseUser | None, action: str,
    reason: str = "", changes: dict[str, Any] | None = None,
) -> Isv:
    """Lock, move, apply ``changes``, save, and write the audit line and the event."""
    changes = changes or {}
    isv = lock(isv)
    previous = _move(isv, to, transitions=ISV_TRANSITIONS, sources=sources)
    for field, value in changes.items():
        setattr(isv, field, value)
    isv.save(update_fields=["state", *changes, "updated_at"])
    audit_record(actor=actor, action=action, target=isv, reason=reason,
                 before={"state": previous}, after={"state": isv.state})
    event_emit(type=action, isv=isv, data=isv_event_data(isv))
    return isv


@transaction.atomic
def isv_approve(*, isv: Isv, actor: AbstractBaseUser | None) -> Isv:
    return _isv_move(isv, IsvState.ACTIVE, sources=[IsvState.PENDING_REVIEW], actor=actor,
                     action="isv.approved",
                     changes={"reviewed_by": person(actor), "reviewed_at": timezone.now()})


@transaction.atomic
def isv_reject(*, isv: Isv, actor: AbstractBaseUser | None, reason: str) -> Isv:
    reason = _require_reason(reason)
    return _isv_move(isv, IsvState.REJECTED, sources=[IsvState.PENDING_REVIEW], actor=actor,
                     action="isv.rejected", reason=reason,
                     changes={"rejection_reason": reason, "reviewed_by": person(actor),
                              "reviewed_at": timezone.now()})


@transaction.atomic
def isv_resubmit(*, isv: Isv, actor: AbstractBaseUser | None) -> Isv:
    """Send a corrected, rejected registration for review again."""
    return _isv_move(isv, IsvState.PENDING_REVIEW, sources=[IsvState.REJECTED], actor=actor,
                     action="isv.resubmitted", changes={"rejection_reason": ""})


@transaction.atomic
def isv_restrict(*, isv: Isv, actor: AbstractBaseUser | None, reason: str) -> Isv:
    return _isv_move(isv, IsvState.RESTRICTED, sources=[IsvState.ACTIVE], actor=actor,
                     action="isv.restricted", reason=_require_reason(reason))


@transaction.atomic
def isv_lift_restriction(*, isv: Isv, actor: AbstractBaseUser | None, reason: str) -> Isv:
    return _isv_move(isv, IsvState.ACTIVE, sources=[IsvState.RESTRICTED], actor=actor,
                     action="isv.restriction_lifted", reason=_require_reason(reason))


@transaction.atomic
def isv_suspend(*, isv: Isv, actor: AbstractBaseUser | None, reason: str) -> Isv:
    return _isv_move(isv, IsvState.SUSPENDED, sources=[IsvState.ACTIVE, IsvState.RESTRICTED],
                     actor=actor, action="isv.suspended", reason=_require_reason(reason))


@transaction.atomic
def isv_reinstate(*, isv: Isv, actor: AbstractBaseUser | None, reason: str) -> Isv:
    return _isv_move(isv, IsvState.ACTIVE, sources=[IsvState.SUSPENDED], actor=actor,
                     action="isv.reinstated", reason=_require_reason(reason))


def _revoke_oauth_tokens(apps: models.QuerySet) -> dict[str, int]:
    """Delete every token and pending authorization code issued to ``apps``.

    Deleting is how DOT revokes an access token; refresh tokens go too, so none can mint a
    new access token, and so do unexchanged authorization codes.
    """
    counts = {}
    for key, model in (("refresh_tokens", get_refresh_token_model()),
                       ("access_tokens", get_access_token_model()),
                       ("grants", get_grant_model())):
        _total, per_model = model.objects.filter(application__in=apps).delete()
        counts[key] = per_model.get(model._meta.label, 0)
    return counts


@transaction.atomic
def isv_clear_out(*, isv: Isv, actor: AbstractBaseUser | None, reason: str) -> Isv:
    """Remove a suspended ISV for good: its apps' tokens and merchants' authorizations of them
    are revoked, and its apps suspended."""
    reason = _require_reason(reason)
    isv = lock(isv)
    previous = _move(isv, IsvState.CLEARED_OUT, transitions=ISV_TRANSITIONS,
                     sources=[IsvState.SUSPENDED])
    isv.save(update_fields=["state", "updated_at"])
    apps = App.objects.filter(isv=isv)
    revoked = _revoke_oauth_tokens(apps)
    audit_record(actor=actor, action="isv.cleared_out", target=isv, reason=reason,
                 before={"state": previous}, after={"state": isv.state, "revoked": revoked})
    event_emit(type="isv.cleared_out", isv=isv, data=isv_event_data(isv))
    for app in apps.exclude(state=AppState.SUSPENDED).order_by("pk"):
        app_suspend(app=app, actor=actor, reason=reason)
    for authorization in Authorization.objects.filter(
        app__isv=isv, state=AuthorizationState.ACTIVE
    ).order_by("pk"):
        authorization_revoke(authorization=authorization, actor=actor, reason=reason)
    return isv


@transaction.atomic
def isv_member_add(
    *, isv: Isv, user: AbstractBaseUser, role: str, actor: AbstractBaseUser | None
) -> IsvMember:
    isv = lock(isv)  # serialises concurrent invitations of the same person
    if IsvMember.objects.filter(isv=isv, user=user).exists():
        raise DomainError(_("This person is already a member of the service provider."),
                          code="already_member")
    member = IsvMember(isv=isv, user=user, role=role, invited_by=person(actor))
    member.full_clean()
    member.save()
    audit_record(actor=actor, action="isv.member_added", target=member,
                 after={"user_id": str(user.pk), "role": member.role})
    event_emit(type="isv.member_added", isv=isv,
               data={**isv_event_data(isv), "member_id": str(member.pk),
                     "user_id": str(user.pk), "role": member.role})
    return member


# --- App --------------------------------------------------------------------------------------


def _new_webhook_secret() -> str:
    """A Standard Webhooks signing secret: ``whsec_`` + base64 of random bytes."""
    return WEBHOOK_SECRET_PREFIX + base64.b64encode(
        secrets.token_bytes(WEBHOOK_SECRET_BYTES)
    ).decode()


def _app_errors(app: App) -> FieldErrors:
    errors: FieldErrors = {}
    if not app.name:
        errors["name"] = [ValidationError(_("Give the app a name."), code="required")]
    model_errors = model_field_errors(app, exclude=errors)
    # An app may act as itself (client credentials) before it registers a redirect URI, and
    # DOT's clean() demands one for the authorization-code grant every app is stored with.
    if not app.redirect_uris:
        model_errors.pop("redirect_uris", None)
    refused = [uri for uri in app.redirect_uris.split() if not app.permits_redirect_uri(uri)]
    if refused and "redirect_uris" not in model_errors:
        model_errors["redirect_uris"] = [ValidationError(
            _("Redirect URIs must use https; a sandbox app may also use http on 127.0.0.1 or "
              "localhost. Refused: %(uris)s"), code="redirect_uri_scheme",
            params={"uris": " ".join(refused)})]
    for field, field_errors in model_errors.items():
        # DOT's URI errors carry no code; every error a caller sees has one.
        errors[field] = [
            error if error.code else ValidationError(error.message, code="invalid",
                                                     params=error.params)
            for error in field_errors
        ]
    return errors


@transaction.atomic
def app_create(
    *, isv: Isv, actor: AbstractBaseUser | None, name: str,
    environment: str = AppEnvironment.SANDBOX, redirect_uris: str = "", description: str = "",
    webhook_url: str = "",
) -> tuple[App, str]:
    """Create an app (an OAuth client) in development; return it with its clear client secret.

    The secret is stored hashed and cannot be shown again; ``app_rotate_secret`` issues another.
    """
    isv = lock(isv)
    _require_operational(isv)
    client_secret = generate_client_secret()
    app = App(
        isv=isv, name=name.strip(), environment=environment,
        redirect_uris=" ".join(redirect_uris.split()), description=description.strip(),
        webhook_url=webhook_url.strip(),
        client_type=App.CLIENT_CONFIDENTIAL,
        authorization_grant_type=App.GRANT_AUTHORIZATION_CODE,
        hash_client_secret=True, client_secret=client_secret,
        webhook_secret_ciphertext=pii.encrypt(_new_webhook_secret()),
        state=AppState.DEVELOPING,
    )
    errors = _app_errors(app)
    if errors:
        raise ValidationError(errors)
    app.save()
    audit_record(actor=actor, action="app.created", target=app,
                 after={"state": app.state, "environment": app.environment})
    event_emit(type="app.created", isv=isv, app=app, data=app_event_data(app))
    return app, client_secret


@transaction.atomic
def app_rotate_secret(*, app: App, actor: AbstractBaseUser | None) -> str:
    """Replace the app's client secret; return the new one in clear, this once."""
    app = lock(app)
    client_secret = generate_client_secret()
    app.client_secret = client_secret
    app.hash_client_secret = True
    app.save(update_fields=["client_secret", "hash_client_secret", "updated"])
    audit_record(actor=actor, action="app.secret_rotated", target=app)
    event_emit(type="app.secret_rotated", isv=app.isv, app=app, data=app_event_data(app))
    return client_secret


def _app_move(
    app: App, to: str, *, sources: Iterable[str], actor: AbstractBaseUser | None, action: str,
    reason: str = "",
) -> App:
    """Move a locked app, save it, and write the audit line and the event."""
    previous = _move(app, to, transitions=APP_TRANSITIONS, sources=sources)
    app.save(update_fields=["state", "updated"])
    audit_record(actor=actor, action=action, target=app, reason=reason,
                 before={"state": previous}, after={"state": app.state})
    event_emit(type=action, isv=app.isv, app=app, data=app_event_data(app))
    return app


@transaction.atomic
def app_submit_for_review(*, app: App, actor: AbstractBaseUser | None) -> App:
    """Ask for the review a production app needs before it goes live."""
    app = lock(app)
    if app.is_sandbox:
        raise DomainError(_("A sandbox app goes live without review."),
                          code="sandbox_needs_no_review")
    _require_operational(app.isv)
    return _app_move(app, AppState.IN_REVIEW, sources=[AppState.DEVELOPING], actor=actor,
                     action="app.submitted_for_review")


@transaction.atomic
def app_approve(*, app: App, actor: AbstractBaseUser | None) -> App:
    app = lock(app)
    _require_operational(app.isv)
    return _app_move(app, AppState.LIVE, sources=[AppState.IN_REVIEW], actor=actor,
                     action="app.approved")


@transaction.atomic
def app_reject_review(*, app: App, actor: AbstractBaseUser | None, reason: str) -> App:
    """Refuse a review: the app goes back to development."""
    reason = _require_reason(reason)
    return _app_move(lock(app), AppState.DEVELOPING, sources=[AppState.IN_REVIEW],
                     actor=actor, action="app.review_rejected", reason=reason)


@transaction.atomic
def app_go_live(*, app: App, actor: AbstractBaseUser | None) -> App:
    """Take a sandbox app live from development, or any app live again from offline."""
    app = lock(app)
    if app.state == AppState.DEVELOPING and not app.is_sandbox:
        raise DomainError(_("A production app goes live through review."),
                          code="review_required")
    _require_operational(app.isv)
    return _app_move(app, AppState.LIVE, sources=[AppState.DEVELOPING, AppState.OFFLINE],
                     actor=actor, action="app.live")


@transaction.atomic
def app_take_offline(*, app: App, actor: AbstractBaseUser | None) -> App:
    return _app_move(lock(app), AppState.OFFLINE, sources=[AppState.LIVE], actor=actor,
                     action="app.taken_offline")


@transaction.atomic
def app_suspend(*, app: App, actor: AbstractBaseUser | None, reason: str) -> App:
    reason = _require_reason(reason)
    sources = [state for state in AppState if state != AppState.SUSPENDED]
    return _app_move(lock(app), AppState.SUSPENDED, sources=sources, actor=actor,
                     action="app.suspended", reason=reason)


@transaction.atomic
def app_reinstate(*, app: App, actor: AbstractBaseUser | None, reason: str) -> App:
    """End a suspension: the app comes back offline and its developer takes it live."""
    reason = _require_reason(reason)
    return _app_move(lock(app), AppState.OFFLINE, sources=[AppState.SUSPENDED], actor=actor,
                     action="app.reinstated", reason=reason)


# --- Subscription -----------------------------------------------------------------------------


def _require_can_subscribe(app: App) -> None:
    _require_operational(app.isv)
    if app.state == AppState.SUSPENDED:
        raise DomainError(_("The app is suspended."), code="app_suspended")


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
                          code="pack_not_in_solution")
    if app.subscriptions.filter(pack=pack, state__in=OPEN_SUBSCRIPTION_STATES).exists():
        raise DomainError(_("The app already holds a subscription to this function pack."),
                          code="already_subscribed")
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
    event_emit(type=action, isv=app.isv, app=app, data=subscription_event_data(subscription))
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
    """Lock, move, apply ``changes``, save, and write the audit line and the event."""
    changes = changes or {}
    subscription = lock(subscription)
    previous = _move(subscription, to, transitions=SUBSCRIPTION_TRANSITIONS, sources=sources)
    for field, value in changes.items():
        setattr(subscription, field, value)
    subscription.save(update_fields=["state", *changes, "updated_at"])
    audit_record(actor=actor, action=action, target=subscription, reason=reason,
                 before={"state": previous}, after={"state": subscription.state})
    app = subscription.app
    event_emit(type=action, isv=app.isv, app=app, data=subscription_event_data(subscription))
    return subscription


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
    reason = _require_reason(reason)
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
    reason = _require_reason(reason)
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
