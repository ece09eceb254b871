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
    (a rejected registration is corrected with isv_update_registration before isv_resubmit)

On approval isv_provision_sandbox gives the ISV a live sandbox app and an active sandbox
merchant that authorized it.

Team: isv_member_add, isv_member_change_role, isv_member_remove (an ISV always keeps an
owner); invitations by email: isv_invitation_create → isv_invitation_accept (which adds the
member) or isv_invitation_revoke.

App (``APP_TRANSITIONS``; app_update edits name, description and redirect URIs;
app_rotate_secret replaces the client secret, the old one working on for an overlap)
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

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import (
    get_access_token_model,
    get_grant_model,
    get_refresh_token_model,
)

from catalog.models import FunctionPack, IndustrySolution
from isv.choices import (
    APP_TRANSITIONS,
    ISV_TRANSITIONS,
    OPEN_SUBSCRIPTION_STATES,
    SUBSCRIPTION_TRANSITIONS,
    AppEnvironment,
    AppState,
    InvitationState,
    IsvKind,
    IsvState,
    MemberRole,
    SubscriptionState,
)
from isv.errors import IsvError, IsvFieldError
from isv.models import App, Invitation, Isv, IsvMember, Subscription
from isv.selectors import INVITATION_SALT
from merchants.choices import AuthorizationState, MerchantState
from merchants.models import Authorization, Merchant
from merchants.services import (
    MerchantInput,
    authorization_grant,
    authorization_revoke,
    merchant_activate,
    merchant_create,
    merchant_start_screening,
    merchant_submit,
    merchant_user_add,
)
from openplatform.accounts.selectors import email_is_verified
from openplatform.accounts.services import normalise_email
from openplatform.api.error_codes import AccessError
from openplatform.audit.trail import audit_record, person
from openplatform.data.validators import (
    FieldErrors,
    luhn_check_digit,
    model_field_errors,
    require_text,
    resident_id_check_char,
    uscc_check_char,
    validate_mobile_phone,
    validate_uscc,
)
from openplatform.domain.errors import DomainError, FieldError, PermissionDenied
from openplatform.domain.transitions import lock, transition_state
from openplatform.events.services import event_emit

# What a business licence scan may be, told by its first bytes (not by its name).
LICENCE_SIGNATURES = (b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")

# How long a rotated client secret keeps working by default, and at most.
CLIENT_SECRET_DEFAULT_OVERLAP_HOURS = 24
CLIENT_SECRET_MAX_OVERLAP_HOURS = 7 * 24


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
        raise DomainError(_("The service provider is not active."), code=IsvError.ISV_NOT_ACTIVE)


# --- ISV --------------------------------------------------------------------------------------


def _merchant_error(
    *, actor: AbstractBaseUser, kind: str, merchant: Merchant | None
) -> ValidationError | None:
    """A self-developer names a merchant its user acts for; a company names none."""
    if kind != IsvKind.SELF:
        if merchant is None:
            return None
        return ValidationError(_("Only a merchant developing for itself names a merchant."),
                               code=IsvFieldError.MERCHANT_NOT_ALLOWED)
    if merchant is None:
        return ValidationError(_("Name the merchant this developer account acts for."),
                               code=IsvFieldError.MERCHANT_REQUIRED)
    if not merchant.users.filter(user=actor).exists():
        return ValidationError(_("You do not act for this merchant."),
                               code=IsvFieldError.MERCHANT_NOT_YOURS)
    if Isv.objects.filter(merchant=merchant).exists():
        return ValidationError(_("This merchant already has a developer account."),
                               code=IsvFieldError.MERCHANT_TAKEN)
    return None


@transaction.atomic
def isv_register(
    *, actor: AbstractBaseUser, name: str, uscc: str, legal_representative: str,
    contact_name: str, contact_email: str, contact_phone: str, kind: str = IsvKind.COMPANY,
    merchant: Merchant | None = None, business_licence: File | None = None,
) -> Isv:
    """Register a service provider (or a merchant's own developer account) for review.

    ``actor`` becomes its owner. Every field error is reported at once.
    """
    if person(actor) is None:
        raise PermissionDenied(_("Sign in to register a service provider."))
    errors: FieldErrors = {}
    uscc = _clean_uscc(uscc, errors=errors, other_than=None)
    contact_phone = _clean_contact_phone(contact_phone, errors=errors)
    _check_licence(business_licence, errors=errors)
    merchant_error = _merchant_error(actor=actor, kind=kind, merchant=merchant)
    if merchant_error is not None:
        errors["merchant"] = [merchant_error]
    isv = Isv(
        name=name.strip(), uscc=uscc, kind=kind, merchant=merchant,
        legal_representative=legal_representative.strip(), contact_name=contact_name.strip(),
        contact_email=contact_email.strip(), contact_phone=contact_phone,
        state=IsvState.PENDING_REVIEW,
    )
    if business_licence is not None:
        isv.business_licence = business_licence
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


def _clean_uscc(uscc: str, *, errors: FieldErrors, other_than: Isv | None) -> str:
    """The normalised code; an error in ``errors`` if it is malformed or another ISV's."""
    try:
        uscc = validate_uscc(uscc)
    except ValidationError as error:
        errors["uscc"] = error.error_list
        return uscc
    taken = Isv.objects.filter(uscc=uscc)
    if other_than is not None:
        taken = taken.exclude(pk=other_than.pk)
    if taken.exists():
        errors["uscc"] = [ValidationError(
            _("A service provider with this unified social credit code is already "
              "registered."),
            code=IsvFieldError.USCC_TAKEN,
        )]
    return uscc


def _clean_contact_phone(contact_phone: str, *, errors: FieldErrors) -> str:
    try:
        return validate_mobile_phone(contact_phone)
    except ValidationError as error:
        errors["contact_phone"] = error.error_list
        return contact_phone


def _check_licence(licence: File | None, *, errors: FieldErrors) -> None:
    """A licence is a PDF, PNG or JPEG scan no larger than ISV_LICENCE_MAX_BYTES."""
    if licence is None:
        return
    if licence.size > settings.ISV_LICENCE_MAX_BYTES:
        errors["business_licence"] = [ValidationError(
            _("The file is too large: at most %(megabytes)s MB."),
            code=IsvFieldError.LICENCE_TOO_LARGE,
            params={"megabytes": settings.ISV_LICENCE_MAX_BYTES // (1024 * 1024)})]
        return
    licence.seek(0)
    head = licence.read(8)
    licence.seek(0)
    if not head.startswith(LICENCE_SIGNATURES):
        errors["business_licence"] = [ValidationError(
            _("Upload the licence as a PDF, JPEG or PNG file."),
            code=IsvFieldError.LICENCE_FILE_TYPE)]


REGISTRATION_FIELDS = ("name", "uscc", "legal_representative", "contact_name",
                       "contact_email", "contact_phone")


@transaction.atomic
def isv_update_registration(
    *, isv: Isv, actor: AbstractBaseUser | None, name: str, uscc: str,
    legal_representative: str, contact_name: str, contact_email: str, contact_phone: str,
    business_licence: File | None = None,
) -> Isv:
    """Correct a rejected registration before it is resubmitted (``isv_resubmit``).

    Only a rejected registration changes: one under review or approved is what staff saw.
    ``business_licence`` replaces the stored scan when given.
    """
    isv = lock(isv)
    if isv.state != IsvState.REJECTED:
        raise DomainError(_("Only a rejected registration can be corrected."),
                          code=IsvError.REGISTRATION_NOT_EDITABLE)
    errors: FieldErrors = {}
    values = {
        "name": name.strip(),
        "uscc": _clean_uscc(uscc, errors=errors, other_than=isv),
        "legal_representative": legal_representative.strip(),
        "contact_name": contact_name.strip(),
        "contact_email": contact_email.strip(),
        "contact_phone": _clean_contact_phone(contact_phone, errors=errors),
    }
    _check_licence(business_licence, errors=errors)
    changed = [field for field in REGISTRATION_FIELDS if getattr(isv, field) != values[field]]
    for field, value in values.items():
        setattr(isv, field, value)
    if business_licence is not None:
        isv.business_licence = business_licence
        changed.append("business_licence")
    errors.update(model_field_errors(isv, exclude=errors))
    if errors:
        raise ValidationError(errors)
    isv.save(update_fields=[*changed, "updated_at"])
    # Field names only: the values are in the row, and the trail should not copy them.
    audit_record(actor=actor, action="isv.registration_updated", target=isv,
                 after={"changed": changed})
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
    """Approve a registration; the ISV gets a sandbox to call its first API at once."""
    isv = _isv_move(isv, IsvState.ACTIVE, sources=[IsvState.PENDING_REVIEW], actor=actor,
                    action="isv.approved",
                    changes={"reviewed_by": person(actor), "reviewed_at": timezone.now()})
    isv_provision_sandbox(isv=isv, actor=actor)
    return isv


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
    *, isv: Isv, user: AbstractBaseUser, role: str, actor: AbstractBaseUser | None,
    invited_by: AbstractBaseUser | None = None,
) -> IsvMember:
    """Add ``user`` to the team; ``invited_by`` defaults to ``actor``."""
    isv = lock(isv)  # serialises concurrent invitations of the same person
    if IsvMember.objects.filter(isv=isv, user=user).exists():
        raise DomainError(_("This person is already a member of the service provider."),
                          code=IsvError.ALREADY_MEMBER)
    member = IsvMember(isv=isv, user=user, role=role,
                       invited_by=person(invited_by) or person(actor))
    member.full_clean()
    member.save()
    audit_record(actor=actor, action="isv.member_added", target=member,
                 after={"user_id": str(user.pk), "role": member.role})
    event_emit(type="isv.member_added", isv=isv,
               data={**isv_event_data(isv), "member_id": str(member.pk),
                     "user_id": str(user.pk), "role": member.role})
    return member


def _require_another_owner(member: IsvMember) -> None:
    """The team keeps at least one owner (the caller holds the ISV's lock)."""
    if member.role != MemberRole.OWNER:
        return
    other_owners = IsvMember.objects.filter(isv_id=member.isv_id, role=MemberRole.OWNER)
    if not other_owners.exclude(pk=member.pk).exists():
        raise DomainError(_("A service provider needs at least one owner: make someone else "
                            "an owner first."), code=IsvError.LAST_OWNER)


@transaction.atomic
def isv_member_change_role(
    *, member: IsvMember, role: str, actor: AbstractBaseUser | None
) -> IsvMember:
    if role not in MemberRole.values:
        raise ValidationError({"role": [ValidationError(_("Choose a valid role."),
                                                        code=FieldError.INVALID_CHOICE)]})
    lock(member.isv)  # serialises the changes that count the owners
    member = lock(member)
    previous = member.role
    if previous == role:
        return member
    if role != MemberRole.OWNER:
        _require_another_owner(member)
    member.role = role
    member.save(update_fields=["role", "updated_at"])
    audit_record(actor=actor, action="isv.member_role_changed", target=member,
                 before={"role": previous}, after={"role": role})
    return member


@transaction.atomic
def isv_member_remove(*, member: IsvMember, actor: AbstractBaseUser | None) -> None:
    lock(member.isv)  # serialises the changes that count the owners
    member = lock(member)
    _require_another_owner(member)
    audit_record(actor=actor, action="isv.member_removed", target=member,
                 before={"user_id": str(member.user_id), "role": member.role})
    member.delete()


def invitation_token(invitation: Invitation) -> str:
    """The signed token in the link mailed to the invitee."""
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def _send_invitation_email(*, invitation_id: int, site_url: str) -> None:
    invitation = Invitation.objects.select_related("isv", "invited_by").get(pk=invitation_id)
    link = site_url.rstrip("/") + reverse("portal:invitation",
                                          args=[invitation_token(invitation)])
    context = {"invitation": invitation, "link": link}
    send_mail(
        subject=render_to_string("portal/email/invitation_subject.txt", context).strip(),
        message=render_to_string("portal/email/invitation_body.txt", context),
        from_email=None, recipient_list=[invitation.email],
    )


@transaction.atomic
def isv_invitation_create(
    *, isv: Isv, actor: AbstractBaseUser | None, email: str, role: str, site_url: str
) -> Invitation:
    """Invite ``email`` to the team with ``role``; the link is mailed after commit.

    A pending invitation to the same address is revoked: the newest one counts.
    """
    isv = lock(isv)
    email = normalise_email(email)
    errors: FieldErrors = {}
    try:
        validate_email(email)
    except ValidationError as error:
        errors["email"] = error.error_list
    else:
        if IsvMember.objects.filter(isv=isv, user__email__iexact=email).exists():
            errors["email"] = [ValidationError(
                _("This person is already a member of the service provider."),
                code=IsvFieldError.ALREADY_MEMBER)]
    if role not in MemberRole.values:
        errors["role"] = [ValidationError(_("Choose a valid role."),
                                          code=FieldError.INVALID_CHOICE)]
    if errors:
        raise ValidationError(errors)
    for pending in Invitation.objects.select_for_update().filter(
            isv=isv, email=email, state=InvitationState.PENDING):
        _invitation_close(pending, InvitationState.REVOKED, actor=actor,
                          action="isv.invitation_revoked")
    invitation = Invitation(
        isv=isv, email=email, role=role, invited_by=person(actor),
        expires_at=timezone.now() + timedelta(days=settings.ISV_INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(actor=actor, action="isv.invitation_sent", target=invitation,
                 after={"role": role, "expires_at": invitation.expires_at.isoformat()})
    transaction.on_commit(partial(_send_invitation_email, invitation_id=invitation.pk,
                                  site_url=site_url))
    return invitation


def _invitation_close(
    invitation: Invitation, state: str, *, actor: AbstractBaseUser | None, action: str
) -> Invitation:
    previous = invitation.state
    invitation.state = state
    invitation.save(update_fields=["state", "accepted_by", "accepted_at", "updated_at"])
    audit_record(actor=actor, action=action, target=invitation,
                 before={"state": previous}, after={"state": state})
    return invitation


def _require_open(invitation: Invitation) -> None:
    if invitation.state == InvitationState.ACCEPTED:
        raise DomainError(_("This invitation has already been accepted."),
                          code=IsvError.INVITATION_ACCEPTED)
    if invitation.state == InvitationState.REVOKED:
        raise DomainError(_("This invitation was withdrawn."), code=IsvError.INVITATION_REVOKED)
    if invitation.is_expired:
        raise DomainError(_("This invitation has expired. Ask for a new one."),
                          code=IsvError.INVITATION_EXPIRED)


@transaction.atomic
def isv_invitation_revoke(*, invitation: Invitation, actor: AbstractBaseUser | None) -> Invitation:
    """Withdraw a pending invitation (an expired one too, so it leaves the list)."""
    invitation = lock(invitation)
    if invitation.state != InvitationState.PENDING:
        _require_open(invitation)
    return _invitation_close(invitation, InvitationState.REVOKED, actor=actor,
                             action="isv.invitation_revoked")


@transaction.atomic
def isv_invitation_accept(*, invitation: Invitation, user: AbstractBaseUser) -> IsvMember:
    """Join the team: ``user`` must have proved the invited address and be in no team yet."""
    invitation = lock(invitation)
    _require_open(invitation)
    if not email_is_verified(user=user) or normalise_email(user.email) != invitation.email:
        raise DomainError(
            _("This invitation was sent to %(email)s: sign in with that verified address "
              "to accept it.") % {"email": invitation.email},
            code=IsvError.INVITATION_OTHER_ADDRESS)
    if IsvMember.objects.filter(user=user).exists():
        raise DomainError(_("You already belong to a service provider's team."),
                          code=IsvError.ALREADY_IN_TEAM)
    member = isv_member_add(isv=invitation.isv, user=user, role=invitation.role, actor=user,
                            invited_by=invitation.invited_by)
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    _invitation_close(invitation, InvitationState.ACCEPTED, actor=user,
                      action="isv.invitation_accepted")
    return member


# --- App --------------------------------------------------------------------------------------


def _app_errors(app: App) -> FieldErrors:
    errors: FieldErrors = {}
    if not app.name:
        errors["name"] = [ValidationError(_("Give the app a name."), code=FieldError.REQUIRED)]
    model_errors = model_field_errors(app, exclude=errors)
    # An app may act as itself (client credentials) before it registers a redirect URI, and
    # DOT's clean() demands one for the authorization-code grant every app is stored with.
    if not app.redirect_uris:
        model_errors.pop("redirect_uris", None)
    refused = [uri for uri in app.redirect_uris.split() if not app.permits_redirect_uri(uri)]
    if refused:
        # In place of DOT's terse "invalid_scheme": say what is allowed.
        model_errors["redirect_uris"] = [ValidationError(
            _("Redirect URIs must use https; a sandbox app may also use http on 127.0.0.1 or "
              "localhost. Refused: %(uris)s"), code=IsvFieldError.REDIRECT_URI_SCHEME,
            params={"uris": " ".join(refused)})]
    for field, field_errors in model_errors.items():
        # DOT's URI errors carry no code; every error a caller sees has one.
        errors[field] = [
            error if error.code else ValidationError(error.message, code=FieldError.INVALID,
                                                     params=error.params)
            for error in field_errors
        ]
    return errors


@transaction.atomic
def app_create(
    *, isv: Isv, actor: AbstractBaseUser | None, name: str,
    environment: str = AppEnvironment.SANDBOX, redirect_uris: str = "", description: str = "",
    provisioned_on_approval: bool = False,
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
        client_type=App.CLIENT_CONFIDENTIAL,
        authorization_grant_type=App.GRANT_AUTHORIZATION_CODE,
        hash_client_secret=True, client_secret=client_secret,
        state=AppState.DEVELOPING, provisioned_on_approval=provisioned_on_approval,
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
def app_update(
    *, app: App, actor: AbstractBaseUser | None, name: str, description: str,
    redirect_uris: str,
) -> App:
    """Change what the developer describes of an app: its name, description, redirect URIs.

    A call that changes nothing writes nothing.
    """
    app = lock(app)
    values = {"name": name.strip(), "description": description.strip(),
              "redirect_uris": " ".join(redirect_uris.split())}
    before = {field: getattr(app, field) for field in values}
    changed = [field for field, value in values.items() if before[field] != value]
    for field in changed:
        setattr(app, field, values[field])
    errors = _app_errors(app)
    if errors:
        raise ValidationError(errors)
    if not changed:
        return app
    app.save(update_fields=[*changed, "updated"])
    audit_record(actor=actor, action="app.updated", target=app,
                 before={field: before[field] for field in changed},
                 after={field: values[field] for field in changed})
    return app


def _secret_overlap(overlap: timedelta | None) -> timedelta:
    if overlap is None:
        return timedelta(hours=CLIENT_SECRET_DEFAULT_OVERLAP_HOURS)
    if not timedelta(0) <= overlap <= timedelta(hours=CLIENT_SECRET_MAX_OVERLAP_HOURS):
        raise ValidationError({"overlap_hours": ValidationError(
            _("Choose an overlap between 0 and %(hours)d hours."),
            code=IsvFieldError.INVALID_OVERLAP,
            params={"hours": CLIENT_SECRET_MAX_OVERLAP_HOURS})})
    return overlap


@transaction.atomic
def app_rotate_secret(
    *, app: App, actor: AbstractBaseUser | None, overlap: timedelta | None = None,
) -> str:
    """Replace the app's client secret; return the new one in clear, this once.

    The replaced secret keeps authenticating the client for ``overlap`` (default 24 hours,
    at most a week; zero ends it at once, e.g. after a leak), so the ISV can roll it out.
    A second rotation during an overlap ends the first one's.
    """
    overlap = _secret_overlap(overlap)
    app = lock(app)
    client_secret = generate_client_secret()
    # The stored value is already hashed (App.hash_client_secret): it is kept as it is.
    app.previous_client_secret = app.client_secret if overlap else ""
    app.previous_client_secret_expires_at = timezone.now() + overlap if overlap else None
    app.client_secret = client_secret
    app.hash_client_secret = True
    app.save(update_fields=["client_secret", "hash_client_secret", "previous_client_secret",
                            "previous_client_secret_expires_at", "updated"])
    audit_record(actor=actor, action="app.secret_rotated", target=app,
                 after={"overlap_seconds": int(overlap.total_seconds())})
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
                          code=IsvError.SANDBOX_NEEDS_NO_REVIEW)
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
                          code=IsvError.REVIEW_REQUIRED)
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


# --- Sandbox ----------------------------------------------------------------------------------

# What a new ISV's sandbox app is subscribed to and its sandbox merchant grants: enough to
# query the merchant and take a payment.
SANDBOX_PACKS = ("merchant_basics", "payment_basics", "face_to_face_payment")
SANDBOX_MERCHANT_EXTERNAL_ID = "SANDBOX-MERCHANT"


@dataclass(frozen=True)
class Sandbox:
    app: App
    merchant: Merchant
    authorization: Authorization


def _sandbox_merchant_input(isv: Isv) -> MerchantInput:
    """A made-up merchant whose identifiers are valid and derived from the ISV's id, so no
    two sandboxes share a USCC (merchants live under one USCC once)."""
    uscc_body = f"9199{isv.pk:013d}"
    id_body = f"11010519900101{isv.pk % 1000:03d}"
    account_body = f"622202{isv.pk:012d}"
    return MerchantInput(
        external_id=SANDBOX_MERCHANT_EXTERNAL_ID,
        legal_name=f"沙箱测试商户{isv.pk}有限公司", short_name="沙箱测试商户",
        uscc=uscc_body + uscc_check_char(uscc_body),
        legal_rep_name=isv.legal_representative,
        legal_rep_id_number=id_body + resident_id_check_char(id_body),
        settlement_account_name=f"沙箱测试商户{isv.pk}有限公司",
        settlement_bank_name="沙箱银行",
        settlement_account=account_body + luhn_check_digit(account_body),
        contact_phone=isv.contact_phone, contact_email=isv.contact_email, mcc="5411",
        address="沙箱环境", business_scope="沙箱测试 日用百货零售",
    )


def _sandbox_app(isv: Isv, *, actor: AbstractBaseUser | None) -> App:
    app = isv.apps.filter(provisioned_on_approval=True).first()
    if app is None:
        # The secret is dropped: the developer rotates it in the portal to get one they see.
        app, _secret = app_create(
            isv=isv, actor=actor, name=_("Sandbox app"), environment=AppEnvironment.SANDBOX,
            description=_("Created by the platform when your registration was approved."),
            provisioned_on_approval=True)
    if app.state == AppState.DEVELOPING:
        app = app_go_live(app=app, actor=actor)
    return app


def _sandbox_merchant(isv: Isv, *, actor: AbstractBaseUser | None) -> Merchant:
    merchant = Merchant.objects.filter(isv=isv, external_id=SANDBOX_MERCHANT_EXTERNAL_ID).first()
    if merchant is None:
        merchant = merchant_create(isv=isv, actor=actor, data=_sandbox_merchant_input(isv))
    # The platform made the merchant up: it is not screened, it is walked to active.
    steps = {MerchantState.DRAFT: merchant_submit,
             MerchantState.SUBMITTED: merchant_start_screening,
             MerchantState.SCREENING: merchant_activate}
    while merchant.state in steps:
        merchant = steps[merchant.state](merchant=merchant, actor=actor)
    return merchant


@transaction.atomic
def isv_provision_sandbox(*, isv: Isv, actor: AbstractBaseUser | None) -> Sandbox:
    """Give an approved ISV a live sandbox app subscribed to ``SANDBOX_PACKS`` and an active
    sandbox merchant that authorized it for them, through the services that make each.

    Idempotent: what exists is kept, what is missing is made; a repeat writes nothing.
    """
    isv = lock(isv)
    _require_operational(isv)
    created = not isv.apps.filter(provisioned_on_approval=True).exists()
    app = _sandbox_app(isv, actor=actor)
    packs = list(FunctionPack.objects.filter(code__in=SANDBOX_PACKS).order_by("code"))
    held = set(app.subscriptions.filter(state__in=OPEN_SUBSCRIPTION_STATES)
               .values_list("pack_id", flat=True))
    for pack in packs:
        if pack.pk not in held:
            subscription_create(app=app, pack=pack, actor=actor)
    merchant = _sandbox_merchant(isv, actor=actor)
    # The ISV's owners act for the sandbox merchant too, so a developer can consent on the
    # authorization page (PKCE) and get a merchant token within minutes.
    linked = set(merchant.users.values_list("user_id", flat=True))
    for member in isv.members.filter(role=MemberRole.OWNER).exclude(user_id__in=linked):
        merchant_user_add(merchant=merchant, user=member.user, actor=actor)
    authorization = authorization_grant(merchant=merchant, app=app, packs=packs, actor=actor)
    if created:
        audit_record(actor=actor, action="isv.sandbox_provisioned", target=isv, after={
            "app_id": str(app.pk), "merchant_id": str(merchant.pk),
            "authorization_id": str(authorization.pk), "packs": [pack.code for pack in packs]})
    return Sandbox(app=app, merchant=merchant, authorization=authorization)


# --- Subscription -----------------------------------------------------------------------------


def _require_can_subscribe(app: App) -> None:
    _require_operational(app.isv)
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
