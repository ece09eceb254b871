"""Every change to a service provider (ISV) itself: registration, review, and the moves
governance makes."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import (
    get_access_token_model,
    get_grant_model,
    get_refresh_token_model,
)

from isv.choices import ISV_TRANSITIONS, AppState, IsvKind, IsvState, MemberRole
from isv.errors import IsvError, IsvFieldError
from isv.models import App, Isv, IsvMember
from openplatform.api import gate
from openplatform.audit.trail import audit_record, person
from openplatform.data.validators import (
    FieldErrors,
    model_field_errors,
    require_text,
    validate_mobile_phone,
    validate_uscc,
)
from openplatform.errors import DomainError, PermissionDenied
from openplatform.events.services import event_emit
from openplatform.transitions import lock, transition

# What a business licence scan may be, told by its first bytes (not by its name).
LICENCE_SIGNATURES = (b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")

REGISTRATION_FIELDS = ("name", "uscc", "legal_representative", "contact_name",
                       "contact_email", "contact_phone")


def require_reason(reason: str) -> str:
    require_text(reason=reason)
    return reason.strip()


def require_operational(isv: Isv) -> None:
    if not isv.is_operational:
        raise DomainError(_("The service provider is not active."), code=IsvError.ISV_NOT_ACTIVE)


# Event bodies carry identifiers and states only. A reason is free text staff write and may
# name people: it stays in the audit trail and on the rows that keep one (Isv.rejection_reason,
# Subscription.reason).
def isv_event_data(isv: Isv) -> dict[str, Any]:
    return {"isv_id": str(isv.pk), "kind": isv.kind, "state": isv.state}


def _emit(isv: Isv, type: str, *, actor: AbstractBaseUser | None = None,
          reason: str = "") -> None:
    event_emit(type=type, isv=isv, data=isv_event_data(isv), actor=actor, reason=reason)


# --- registration ------------------------------------------------------------------------------


def _merchant_error(
    *, actor: AbstractBaseUser, kind: str, merchant: models.Model | None
) -> ValidationError | None:
    """A self-developer names a merchant its user acts for (``Isv.merchant``); a company
    names none."""
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
    merchant: models.Model | None = None, business_licence: File | None = None,
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
    _emit(isv, "isv.registered")
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
    gate.invalidate(isv)  # refusals quote the ISV's name
    return isv


# --- review and governance moves ---------------------------------------------------------------


def _isv_move(
    isv: Isv, to: str, *, sources: list[str], actor: AbstractBaseUser | None, action: str,
    reason: str = "", changes: dict[str, Any] | None = None,
) -> Isv:
    return transition(isv, to, transitions=ISV_TRANSITIONS, sources=sources, actor=actor,
                      action=action, reason=reason, changes=changes,
                      emit=lambda moved: _emit(moved, action, actor=actor, reason=reason))


@transaction.atomic
def isv_approve(*, isv: Isv, actor: AbstractBaseUser | None) -> Isv:
    """Approve a registration (the merchants app gives the ISV its sandbox on the event, as the
    approver)."""
    return _isv_move(isv, IsvState.ACTIVE, sources=[IsvState.PENDING_REVIEW], actor=actor,
                     action="isv.approved",
                     changes={"reviewed_by": person(actor), "reviewed_at": timezone.now()})


@transaction.atomic
def isv_reject(*, isv: Isv, actor: AbstractBaseUser | None, reason: str) -> Isv:
    reason = require_reason(reason)
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
                     action="isv.restricted", reason=require_reason(reason))


@transaction.atomic
def isv_lift_restriction(*, isv: Isv, actor: AbstractBaseUser | None, reason: str) -> Isv:
    return _isv_move(isv, IsvState.ACTIVE, sources=[IsvState.RESTRICTED], actor=actor,
                     action="isv.restriction_lifted", reason=require_reason(reason))


@transaction.atomic
def isv_suspend(*, isv: Isv, actor: AbstractBaseUser | None, reason: str) -> Isv:
    return _isv_move(isv, IsvState.SUSPENDED, sources=[IsvState.ACTIVE, IsvState.RESTRICTED],
                     actor=actor, action="isv.suspended", reason=require_reason(reason))


@transaction.atomic
def isv_reinstate(*, isv: Isv, actor: AbstractBaseUser | None, reason: str) -> Isv:
    return _isv_move(isv, IsvState.ACTIVE, sources=[IsvState.SUSPENDED], actor=actor,
                     action="isv.reinstated", reason=require_reason(reason))


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
    """Remove a suspended ISV for good: its apps' tokens are revoked and its apps suspended
    (merchants' authorizations of them end on the ``isv.cleared_out`` event)."""
    from isv.services.apps import app_suspend

    reason = require_reason(reason)
    isv = lock(isv)
    apps = App.objects.filter(isv=isv)
    # Counted for the audit line; a move the table refuses rolls the revocation back.
    revoked = _revoke_oauth_tokens(apps)
    isv = transition(isv, IsvState.CLEARED_OUT, transitions=ISV_TRANSITIONS,
                     sources=[IsvState.SUSPENDED], actor=actor, action="isv.cleared_out",
                     reason=reason, audit_after={"revoked": revoked}, locked=True,
                     emit=lambda moved: _emit(moved, "isv.cleared_out", actor=actor,
                                              reason=reason))
    for app in apps.exclude(state=AppState.SUSPENDED).order_by("pk"):
        app_suspend(app=app, actor=actor, reason=reason)
    return isv
