"""Every move of a merchant along ``MERCHANT_TRANSITIONS``: submission, screening's outcome,
review, and the measures governance takes. Each emits the ``merchant.*`` event named like the
move; governance screens a merchant when ``merchant.submitted`` is emitted."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from merchants.choices import MERCHANT_TRANSITIONS, AuthorizationState, MerchantState
from merchants.errors import MerchantError, MerchantFieldError
from merchants.models import Merchant
from openplatform.data.validators import require_text
from openplatform.errors import DomainError, FieldError
from openplatform.events.services import event_emit
from openplatform.transitions import lock, transition


def merchant_event_data(merchant: Merchant) -> dict[str, Any]:
    """The event body for a merchant: identifiers, state and reason code, never personal data."""
    return {
        "merchant_id": str(merchant.pk),
        "external_id": merchant.external_id,
        "state": merchant.state,
        "reason_code": merchant.rejection_reason_code,
    }


def uscc_live_elsewhere(uscc: str, *, merchant: Merchant | None) -> bool:
    others = Merchant.objects.live().filter(uscc=uscc)
    if merchant is not None:
        others = others.exclude(pk=merchant.pk)
    return others.exists()


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _merchant_move(
    merchant: Merchant, to: str, *, sources: Iterable[str], actor: AbstractBaseUser | None,
    action: str, reason: str = "", changes: dict[str, Any] | None = None,
    locked: bool = False,
) -> Merchant:
    """Move ``merchant`` to ``to`` from one of this action's ``sources`` (several actions lead
    to one state: activation, reinstatement and the end of a rectification all lead to
    active), recording the changed fields in the audit line; the event is named like the
    action."""
    changes = changes or {}
    return transition(
        merchant, to, transitions=MERCHANT_TRANSITIONS, sources=sources, actor=actor,
        action=action, reason=reason, changes=changes, locked=locked,
        audit_after={name: _jsonable(value) for name, value in changes.items()},
        emit=lambda moved: event_emit(type=action, isv=moved.isv,
                                      data=merchant_event_data(moved)))


@transaction.atomic
def merchant_submit(*, merchant: Merchant, actor: AbstractBaseUser | None) -> Merchant:
    """Send a draft for screening (governance screens it once the submission commits)."""
    return _merchant_move(merchant, MerchantState.SUBMITTED, sources=[MerchantState.DRAFT],
                          actor=actor, action="merchant.submitted",
                          changes={"submitted_at": timezone.now()})


@transaction.atomic
def merchant_start_screening(*, merchant: Merchant, actor: AbstractBaseUser | None) -> Merchant:
    return _merchant_move(merchant, MerchantState.SCREENING, sources=[MerchantState.SUBMITTED],
                          actor=actor, action="merchant.screening_started")


@transaction.atomic
def merchant_activate(*, merchant: Merchant, actor: AbstractBaseUser | None) -> Merchant:
    """Let a screened (or manually reviewed) merchant trade; its USCC must not be live yet."""
    merchant = lock(merchant)
    if uscc_live_elsewhere(merchant.uscc, merchant=merchant):
        raise DomainError(
            _("Another live merchant already has this unified social credit code."),
            code=MerchantError.USCC_ALREADY_LIVE, field="uscc",
        )
    return _merchant_move(merchant, MerchantState.ACTIVE,
                          sources=[MerchantState.SCREENING, MerchantState.MANUAL_REVIEW],
                          actor=actor, action="merchant.activated", locked=True,
                          changes={"activated_at": timezone.now()})


@transaction.atomic
def merchant_refer_to_review(
    *, merchant: Merchant, actor: AbstractBaseUser | None, reason: str
) -> Merchant:
    require_text(reason=reason)
    return _merchant_move(merchant, MerchantState.MANUAL_REVIEW,
                          sources=[MerchantState.SCREENING], actor=actor,
                          action="merchant.referred_to_review", reason=reason)


@transaction.atomic
def merchant_reject(
    *, merchant: Merchant, actor: AbstractBaseUser | None, reason_code: str, message: str
) -> Merchant:
    """Refuse the application; ``reason_code`` is what the ISV's system reads."""
    require_text(reason_code=reason_code)
    code_field = Merchant._meta.get_field("rejection_reason_code")
    if len(reason_code.strip()) > code_field.max_length:
        raise ValidationError({"reason_code": ValidationError(
            _("A reason code has at most %(limit)d characters."), code=FieldError.MAX_LENGTH,
            params={"limit": code_field.max_length},
        )})
    return _merchant_move(merchant, MerchantState.REJECTED,
                          sources=[MerchantState.SCREENING, MerchantState.MANUAL_REVIEW],
                          actor=actor, action="merchant.rejected", reason=message,
                          changes={"rejection_reason_code": reason_code.strip(),
                                   "rejection_reason_message": message})


@transaction.atomic
def merchant_reopen(*, merchant: Merchant, actor: AbstractBaseUser | None) -> Merchant:
    """Send a rejected application back to draft so that the ISV can correct it."""
    return _merchant_move(merchant, MerchantState.DRAFT, sources=[MerchantState.REJECTED],
                          actor=actor, action="merchant.reopened",
                          changes={"rejection_reason_code": "", "rejection_reason_message": ""})


@transaction.atomic
def merchant_order_rectification(
    *, merchant: Merchant, actor: AbstractBaseUser | None, deadline: datetime, reason: str
) -> Merchant:
    require_text(reason=reason)
    if deadline <= timezone.now():
        raise ValidationError({"deadline": ValidationError(
            _("The rectification deadline must be in the future."),
            code=MerchantFieldError.DEADLINE_IN_PAST,
        )})
    return _merchant_move(merchant, MerchantState.RECTIFYING, sources=[MerchantState.ACTIVE],
                          actor=actor, action="merchant.rectification_ordered", reason=reason,
                          changes={"rectification_deadline": deadline})


@transaction.atomic
def merchant_mark_rectified(
    *, merchant: Merchant, actor: AbstractBaseUser | None, reason: str = ""
) -> Merchant:
    return _merchant_move(merchant, MerchantState.ACTIVE, sources=[MerchantState.RECTIFYING],
                          actor=actor, action="merchant.rectified", reason=reason,
                          changes={"rectification_deadline": None})


@transaction.atomic
def merchant_suspend(
    *, merchant: Merchant, actor: AbstractBaseUser | None, reason: str
) -> Merchant:
    """Stop the merchant trading; a rectification in progress ends with the suspension."""
    require_text(reason=reason)
    return _merchant_move(merchant, MerchantState.SUSPENDED,
                          sources=[MerchantState.ACTIVE, MerchantState.RECTIFYING],
                          actor=actor, action="merchant.suspended", reason=reason,
                          changes={"rectification_deadline": None})


@transaction.atomic
def merchant_reinstate(
    *, merchant: Merchant, actor: AbstractBaseUser | None, reason: str
) -> Merchant:
    require_text(reason=reason)
    return _merchant_move(merchant, MerchantState.ACTIVE, sources=[MerchantState.SUSPENDED],
                          actor=actor, action="merchant.reinstated", reason=reason)


@transaction.atomic
def merchant_clear_out(
    *, merchant: Merchant, actor: AbstractBaseUser | None, reason: str
) -> Merchant:
    """Remove a suspended merchant for good: every active authorization is revoked, data kept."""
    from merchants.services.authorizations import authorization_revoke, authorization_tokens_delete

    require_text(reason=reason)
    merchant = _merchant_move(merchant, MerchantState.CLEARED_OUT,
                              sources=[MerchantState.SUSPENDED], actor=actor,
                              action="merchant.cleared_out", reason=reason)
    for authorization in merchant.authorizations.filter(state=AuthorizationState.ACTIVE):
        authorization_revoke(authorization=authorization, actor=actor, reason=reason)
    # Tokens of authorizations that ended earlier are gone already; this makes sure of it.
    authorization_tokens_delete(merchant.authorizations.all())
    return merchant
