"""Every change to merchants, their stores, their people and their authorizations of apps."""

from collections.abc import Callable, Iterable
from dataclasses import MISSING, dataclass, field, fields
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AccessToken, get_access_token_model, get_refresh_token_model

from catalog.models import FunctionPack
from isv.choices import AppState
from isv.errors import IsvError
from isv.models import App, Isv
from merchants.choices import (
    AUTHORIZATION_TRANSITIONS,
    EDITABLE_MERCHANT_STATES,
    MERCHANT_TRANSITIONS,
    AuthorizationState,
    MerchantState,
    MerchantUserRole,
)
from merchants.errors import MerchantError, MerchantFieldError
from merchants.models import Authorization, AuthorizationToken, Merchant, MerchantUser, Store
from openplatform.api.error_codes import AccessError
from openplatform.audit.trail import audit_record, person
from openplatform.data import pii
from openplatform.data.validators import (
    FieldErrors,
    model_field_errors,
    require_text,
    required_errors,
    validate_bank_card,
    validate_domain,
    validate_mcc,
    validate_mobile_phone,
    validate_resident_id,
    validate_uscc,
)
from openplatform.domain.errors import DomainError, FieldError
from openplatform.domain.transitions import lock, transition_state
from openplatform.events.services import event_emit


@dataclass(frozen=True, kw_only=True)
class MerchantInput:
    """What an ISV may enter or edit for a merchant; the two clear PII values live only here."""

    external_id: str
    legal_name: str
    short_name: str
    uscc: str
    legal_rep_name: str
    legal_rep_id_number: str = field(repr=False)
    settlement_account_name: str
    settlement_bank_name: str
    settlement_account: str = field(repr=False)
    contact_phone: str
    contact_email: str = ""
    mcc: str
    address: str
    business_scope: str
    website: str = ""


INPUT_FIELDS = tuple(input_field.name for input_field in fields(MerchantInput))
REQUIRED_INPUT_FIELDS = tuple(
    input_field.name for input_field in fields(MerchantInput) if input_field.default is MISSING
)
# Sealed on the model (ciphertext, digest, masked form); never written to audit or events.
PII_INPUT_FIELDS = ("legal_rep_id_number", "settlement_account")
MODEL_INPUT_FIELDS = tuple(name for name in INPUT_FIELDS if name not in PII_INPUT_FIELDS)
# Columns the ISV does not enter (state, timestamps, sealed PII): left out of field validation.
NOT_INPUT_COLUMNS = tuple(
    model_field.name for model_field in Merchant._meta.fields
    if model_field.name not in MODEL_INPUT_FIELDS
)
PII_COLUMNS = {
    "legal_rep_id_number": ("legal_rep_id_number_ciphertext", "legal_rep_id_number_digest",
                            "legal_rep_id_number_masked"),
    "settlement_account": ("settlement_account_ciphertext", "settlement_account_digest",
                           "settlement_account_masked"),
}
# The fields screening_text is derived from (Merchant.refresh_screening_text).
SCREENED_TEXT_FIELDS = frozenset({"legal_name", "short_name", "business_scope"})
PII_DIGESTS: dict[str, Callable[[str], str]] = {
    "legal_rep_id_number": pii.digest_id_number,
    "settlement_account": pii.digest_bank_account,
}


INPUT_NORMALISERS: dict[str, Callable[[str], str]] = {
    "uscc": validate_uscc,
    "legal_rep_id_number": validate_resident_id,
    "settlement_account": validate_bank_card,
    "contact_phone": validate_mobile_phone,
    "mcc": validate_mcc,
    "website": validate_domain,
}


def merchant_event_data(merchant: Merchant) -> dict[str, Any]:
    """The event body for a merchant: identifiers, state and reason code, never personal data."""
    return {
        "merchant_id": str(merchant.pk),
        "external_id": merchant.external_id,
        "state": merchant.state,
        "reason_code": merchant.rejection_reason_code,
    }




def _uscc_live_elsewhere(uscc: str, *, merchant: Merchant | None) -> bool:
    others = Merchant.objects.live().filter(uscc=uscc)
    if merchant is not None:
        others = others.exclude(pk=merchant.pk)
    return others.exists()


def _merchant_check(
    *, isv: Isv, data: MerchantInput, merchant: Merchant | None
) -> tuple[Merchant, dict[str, str], FieldErrors]:
    """Normalise and validate ``data``; return an unsaved merchant, the clear PII and errors."""
    values = {name: getattr(data, name).strip() for name in INPUT_FIELDS}
    errors = required_errors({name: values[name] for name in REQUIRED_INPUT_FIELDS})
    for name, normalise in INPUT_NORMALISERS.items():
        if name in errors or not values[name]:
            continue
        try:
            values[name] = normalise(values[name])
        except ValidationError as error:
            errors[name] = [error]

    candidate = Merchant(isv=isv, **{name: values[name] for name in MODEL_INPUT_FIELDS})
    for name, field_errors in model_field_errors(
        candidate, exclude=[*errors, *NOT_INPUT_COLUMNS], check_unique=False
    ).items():
        errors.setdefault(name, []).extend(field_errors)

    if "external_id" not in errors:
        taken = Merchant.objects.filter(isv=isv, external_id=values["external_id"])
        if merchant is not None:
            taken = taken.exclude(pk=merchant.pk)
        if taken.exists():
            errors["external_id"] = [ValidationError(
                _("You already onboarded a merchant with this external ID."),
                code=MerchantFieldError.EXTERNAL_ID_TAKEN,
            )]
    # A live merchant being rectified must not take a USCC another live merchant holds.
    if (
        "uscc" not in errors
        and merchant is not None
        and merchant.is_live
        and _uscc_live_elsewhere(values["uscc"], merchant=merchant)
    ):
        errors["uscc"] = [ValidationError(
            _("Another live merchant already has this unified social credit code."),
            code=MerchantFieldError.USCC_ALREADY_LIVE,
        )]
    clear_pii = {name: values[name] for name in PII_INPUT_FIELDS}
    return candidate, clear_pii, errors


def merchant_validate(
    *, isv: Isv, data: MerchantInput, merchant: Merchant | None = None
) -> FieldErrors:
    """Every field error of ``data`` at once ({} when clean); writes nothing.

    ``merchant`` is the merchant being edited, so that its own external ID is not a duplicate.
    """
    return _merchant_check(isv=isv, data=data, merchant=merchant)[2]


def _non_pii_snapshot(merchant: Merchant) -> dict[str, str]:
    return {name: getattr(merchant, name) for name in MODEL_INPUT_FIELDS}


@transaction.atomic
def merchant_create(*, isv: Isv, actor: AbstractBaseUser | None, data: MerchantInput) -> Merchant:
    """Onboard a merchant as a draft of ``isv``."""
    if not isv.is_operational:
        raise DomainError(_("The ISV is not active and cannot onboard merchants."),
                          code=IsvError.ISV_NOT_ACTIVE)
    merchant, clear_pii, errors = _merchant_check(isv=isv, data=data, merchant=None)
    if errors:
        raise ValidationError(errors)
    merchant.state = MerchantState.DRAFT
    merchant.seal_legal_rep_id_number(clear_pii["legal_rep_id_number"])
    merchant.seal_settlement_account(clear_pii["settlement_account"])
    merchant.refresh_screening_text()
    merchant.save()
    audit_record(actor=actor, action="merchant.created", target=merchant,
                 after={**_non_pii_snapshot(merchant), "state": merchant.state})
    event_emit(type="merchant.created", isv=isv, data=merchant_event_data(merchant))
    return merchant


@transaction.atomic
def merchant_update(
    *, merchant: Merchant, actor: AbstractBaseUser | None, data: MerchantInput
) -> Merchant:
    """Edit a draft or rectifying merchant; a call that changes nothing writes nothing."""
    merchant = lock(merchant)
    if merchant.state not in EDITABLE_MERCHANT_STATES:
        raise DomainError(_("This merchant can only be edited as a draft or while rectifying."),
                          code=MerchantError.MERCHANT_NOT_EDITABLE)
    candidate, clear_pii, errors = _merchant_check(isv=merchant.isv, data=data,
                                                   merchant=merchant)
    if errors:
        raise ValidationError(errors)

    before: dict[str, str] = {}
    after: dict[str, str] = {}
    update_fields: list[str] = []
    for name in MODEL_INPUT_FIELDS:
        old, new = getattr(merchant, name), getattr(candidate, name)
        if old != new:
            before[name], after[name] = old, new
            setattr(merchant, name, new)
            update_fields.append(name)
    sealers = {"legal_rep_id_number": merchant.seal_legal_rep_id_number,
               "settlement_account": merchant.seal_settlement_account}
    for name in PII_INPUT_FIELDS:
        digest_column = PII_COLUMNS[name][1]
        if PII_DIGESTS[name](clear_pii[name]) != getattr(merchant, digest_column):
            sealers[name](clear_pii[name])
            after[name] = "changed"
            update_fields.extend(PII_COLUMNS[name])
    if not update_fields:
        return merchant
    if SCREENED_TEXT_FIELDS.intersection(update_fields):
        merchant.refresh_screening_text()
        update_fields.append("screening_text")

    merchant.save(update_fields=[*update_fields, "updated_at"])
    audit_record(actor=actor, action="merchant.updated", target=merchant,
                 before=before, after=after)
    event_emit(type="merchant.updated", isv=merchant.isv, data=merchant_event_data(merchant))
    return merchant


def _merchant_move(
    merchant: Merchant, to: str, *, sources: Iterable[str]
) -> tuple[Merchant, str]:
    """Lock ``merchant`` and move it to ``to`` if it is in one of this action's ``sources``.

    Several actions lead to the same state (activation, reinstatement and the end of a
    rectification all lead to active); each may start only from its own states.
    """
    allowed = {state: MERCHANT_TRANSITIONS[state] & {to} for state in sources}
    merchant = lock(merchant)
    previous = transition_state(merchant, to, transitions=allowed)
    return merchant, previous


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _merchant_record(
    merchant: Merchant, *, actor: AbstractBaseUser | None, action: str, previous: str,
    changed: Iterable[str] = (), reason: str = "",
) -> Merchant:
    """Save a moved merchant, then write its audit line and its event (named like the action)."""
    changed = list(changed)
    merchant.save(update_fields=["state", *changed, "updated_at"])
    audit_record(
        actor=actor, action=action, target=merchant, reason=reason,
        before={"state": previous},
        after={"state": merchant.state,
               **{name: _jsonable(getattr(merchant, name)) for name in changed}},
    )
    event_emit(type=action, isv=merchant.isv, data=merchant_event_data(merchant))
    return merchant


@transaction.atomic
def merchant_submit(*, merchant: Merchant, actor: AbstractBaseUser | None) -> Merchant:
    merchant, previous = _merchant_move(merchant, MerchantState.SUBMITTED,
                                        sources=[MerchantState.DRAFT])
    merchant.submitted_at = timezone.now()
    return _merchant_record(merchant, actor=actor, action="merchant.submitted",
                            previous=previous, changed=["submitted_at"])


@transaction.atomic
def merchant_start_screening(*, merchant: Merchant, actor: AbstractBaseUser | None) -> Merchant:
    merchant, previous = _merchant_move(merchant, MerchantState.SCREENING,
                                        sources=[MerchantState.SUBMITTED])
    return _merchant_record(merchant, actor=actor, action="merchant.screening_started",
                            previous=previous)


@transaction.atomic
def merchant_activate(*, merchant: Merchant, actor: AbstractBaseUser | None) -> Merchant:
    """Let a screened (or manually reviewed) merchant trade; its USCC must not be live yet."""
    merchant, previous = _merchant_move(
        merchant, MerchantState.ACTIVE,
        sources=[MerchantState.SCREENING, MerchantState.MANUAL_REVIEW],
    )
    if _uscc_live_elsewhere(merchant.uscc, merchant=merchant):
        raise DomainError(
            _("Another live merchant already has this unified social credit code."),
            code=MerchantError.USCC_ALREADY_LIVE, field="uscc",
        )
    merchant.activated_at = timezone.now()
    return _merchant_record(merchant, actor=actor, action="merchant.activated",
                            previous=previous, changed=["activated_at"])


@transaction.atomic
def merchant_refer_to_review(
    *, merchant: Merchant, actor: AbstractBaseUser | None, reason: str
) -> Merchant:
    require_text(reason=reason)
    merchant, previous = _merchant_move(merchant, MerchantState.MANUAL_REVIEW,
                                        sources=[MerchantState.SCREENING])
    return _merchant_record(merchant, actor=actor, action="merchant.referred_to_review",
                            previous=previous, reason=reason)


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
    merchant, previous = _merchant_move(
        merchant, MerchantState.REJECTED,
        sources=[MerchantState.SCREENING, MerchantState.MANUAL_REVIEW],
    )
    merchant.rejection_reason_code = reason_code.strip()
    merchant.rejection_reason_message = message
    return _merchant_record(merchant, actor=actor, action="merchant.rejected",
                            previous=previous, reason=message,
                            changed=["rejection_reason_code", "rejection_reason_message"])


@transaction.atomic
def merchant_reopen(*, merchant: Merchant, actor: AbstractBaseUser | None) -> Merchant:
    """Send a rejected application back to draft so that the ISV can correct it."""
    merchant, previous = _merchant_move(merchant, MerchantState.DRAFT,
                                        sources=[MerchantState.REJECTED])
    merchant.rejection_reason_code = ""
    merchant.rejection_reason_message = ""
    return _merchant_record(merchant, actor=actor, action="merchant.reopened",
                            previous=previous,
                            changed=["rejection_reason_code", "rejection_reason_message"])


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
    merchant, previous = _merchant_move(merchant, MerchantState.RECTIFYING,
                                        sources=[MerchantState.ACTIVE])
    merchant.rectification_deadline = deadline
    return _merchant_record(merchant, actor=actor, action="merchant.rectification_ordered",
                            previous=previous, reason=reason,
                            changed=["rectification_deadline"])


@transaction.atomic
def merchant_mark_rectified(
    *, merchant: Merchant, actor: AbstractBaseUser | None, reason: str = ""
) -> Merchant:
    merchant, previous = _merchant_move(merchant, MerchantState.ACTIVE,
                                        sources=[MerchantState.RECTIFYING])
    merchant.rectification_deadline = None
    return _merchant_record(merchant, actor=actor, action="merchant.rectified",
                            previous=previous, reason=reason,
                            changed=["rectification_deadline"])


@transaction.atomic
def merchant_suspend(
    *, merchant: Merchant, actor: AbstractBaseUser | None, reason: str
) -> Merchant:
    """Stop the merchant trading; a rectification in progress ends with the suspension."""
    require_text(reason=reason)
    merchant, previous = _merchant_move(
        merchant, MerchantState.SUSPENDED,
        sources=[MerchantState.ACTIVE, MerchantState.RECTIFYING],
    )
    merchant.rectification_deadline = None
    return _merchant_record(merchant, actor=actor, action="merchant.suspended",
                            previous=previous, reason=reason,
                            changed=["rectification_deadline"])


@transaction.atomic
def merchant_reinstate(
    *, merchant: Merchant, actor: AbstractBaseUser | None, reason: str
) -> Merchant:
    require_text(reason=reason)
    merchant, previous = _merchant_move(merchant, MerchantState.ACTIVE,
                                        sources=[MerchantState.SUSPENDED])
    return _merchant_record(merchant, actor=actor, action="merchant.reinstated",
                            previous=previous, reason=reason)


@transaction.atomic
def merchant_clear_out(
    *, merchant: Merchant, actor: AbstractBaseUser | None, reason: str
) -> Merchant:
    """Remove a suspended merchant for good: every active authorization is revoked, data kept."""
    require_text(reason=reason)
    merchant, previous = _merchant_move(merchant, MerchantState.CLEARED_OUT,
                                        sources=[MerchantState.SUSPENDED])
    merchant = _merchant_record(merchant, actor=actor, action="merchant.cleared_out",
                                previous=previous, reason=reason)
    for authorization in merchant.authorizations.filter(state=AuthorizationState.ACTIVE):
        authorization_revoke(authorization=authorization, actor=actor, reason=reason)
    # Tokens of authorizations that ended earlier are gone already; this makes sure of it.
    _authorization_tokens_delete(merchant.authorizations.all())
    return merchant


@transaction.atomic
def store_create(
    *, merchant: Merchant, actor: AbstractBaseUser | None, external_id: str, name: str,
    city: str, address: str,
) -> Store:
    values = {"external_id": external_id.strip(), "name": name.strip(), "city": city.strip(),
              "address": address.strip()}
    errors = required_errors(values)
    store = Store(merchant=merchant, **values)
    for field_name, field_errors in model_field_errors(
        store, exclude=errors, check_unique=False
    ).items():
        errors.setdefault(field_name, []).extend(field_errors)
    if "external_id" not in errors and merchant.stores.filter(
        external_id=values["external_id"]
    ).exists():
        errors["external_id"] = [ValidationError(
            _("This merchant already has a store with this external ID."),
            code=MerchantFieldError.EXTERNAL_ID_TAKEN,
        )]
    if errors:
        raise ValidationError(errors)
    store.save()
    audit_record(actor=actor, action="store.created", target=store,
                 after={**values, "merchant_id": str(merchant.pk), "state": store.state})
    event_emit(type="store.created", isv=merchant.isv, data={
        "store_id": str(store.pk), "external_id": store.external_id,
        "merchant_id": str(merchant.pk), "state": store.state,
    })
    return store


@transaction.atomic
def merchant_user_add(
    *, merchant: Merchant, user: AbstractBaseUser, actor: AbstractBaseUser | None,
    role: str = MerchantUserRole.OWNER,
) -> MerchantUser:
    """Let ``user`` act for ``merchant`` (authorize apps, revoke them)."""
    if MerchantUser.objects.filter(merchant=merchant, user=user).exists():
        raise DomainError(_("This person is already linked to the merchant."),
                          code=MerchantError.ALREADY_LINKED)
    merchant_user = MerchantUser(merchant=merchant, user=user, role=role)
    merchant_user.full_clean(exclude={"merchant", "user"}, validate_unique=False,
                             validate_constraints=False)
    merchant_user.save()
    audit_record(actor=actor, action="merchant_user.added", target=merchant_user,
                 after={"merchant_id": str(merchant.pk), "user_id": str(user.pk),
                        "role": role})
    return merchant_user


def _pack_codes(authorization: Authorization) -> list[str]:
    return sorted(authorization.packs.values_list("code", flat=True))


def _authorization_event_data(authorization: Authorization) -> dict[str, Any]:
    # Goes to the app's ISV, which need not be the ISV that onboarded the merchant: no
    # external ID here, since that is the onboarding ISV's own reference.
    return {
        "authorization_id": str(authorization.pk),
        "merchant_id": str(authorization.merchant_id),
        "app_id": str(authorization.app_id),
        "state": authorization.state,
        "packs": _pack_codes(authorization),
    }


@transaction.atomic
def authorization_grant(
    *, merchant: Merchant, app: App, packs: Iterable[FunctionPack],
    actor: AbstractBaseUser | None,
) -> Authorization:
    """Grant ``packs`` to ``app`` for ``merchant``, extending its active authorization if any.

    Granting only packs the app already holds changes nothing and writes nothing.
    """
    packs = set(packs)
    if not packs:
        raise ValidationError({"packs": ValidationError(
            _("Choose at least one function pack."), code=FieldError.REQUIRED,
        )})
    # The merchant's row lock also serialises concurrent grants to the same merchant.
    merchant = lock(merchant)
    if merchant.state not in (MerchantState.ACTIVE, MerchantState.RECTIFYING):
        raise DomainError(_("Only an active merchant can authorize apps."),
                          code=MerchantError.MERCHANT_NOT_ACTIVE)
    if app.state == AppState.SUSPENDED:
        raise DomainError(_("This app is suspended and cannot be authorized."),
                          code=AccessError.APP_SUSPENDED)

    authorization = (
        Authorization.objects.select_for_update()
        .filter(merchant=merchant, app=app, state=AuthorizationState.ACTIVE)
        .first()
    )
    if authorization is None:
        now = timezone.now()
        authorization = Authorization.objects.create(
            merchant=merchant, app=app, state=AuthorizationState.ACTIVE,
            granted_by=person(actor),
            granted_at=now, expires_at=now + settings.AUTHORIZATION_DEFAULT_LIFETIME,
        )
        authorization.packs.set(packs)
        audit_record(actor=actor, action="authorization.granted", target=authorization,
                     after={"state": authorization.state, "packs": _pack_codes(authorization),
                            "expires_at": authorization.expires_at.isoformat()})
    else:
        held = _pack_codes(authorization)
        if {pack.code for pack in packs} <= set(held):
            return authorization
        authorization.packs.add(*packs)
        audit_record(actor=actor, action="authorization.extended", target=authorization,
                     before={"packs": held}, after={"packs": _pack_codes(authorization)})
    event_emit(type="authorization.granted", isv=app.isv, app=app,
               data=_authorization_event_data(authorization))
    return authorization


@transaction.atomic
def authorization_link_token(
    *, authorization: Authorization, access_token: AccessToken
) -> AuthorizationToken:
    """Record that ``access_token`` acts under ``authorization`` (called as DOT issues it).

    Not audited: a token is DOT's credential, issued afresh at every refresh under the one
    audited grant. The authorization's row lock orders this against a concurrent revocation,
    so no token outlives the authorization it was issued under.
    """
    authorization = lock(authorization)
    if authorization.state != AuthorizationState.ACTIVE:
        raise DomainError(_("This authorization is no longer active."),
                          code=MerchantError.AUTHORIZATION_NOT_ACTIVE)
    link, _created = AuthorizationToken.objects.get_or_create(
        access_token=access_token, defaults={"authorization": authorization},
    )
    return link


def _authorization_tokens_delete(authorizations: Iterable[Authorization]) -> None:
    """Delete every token issued under ``authorizations``: the access tokens and every refresh
    token of their rotation chains, so that none can be used or refreshed again."""
    access_token_ids = list(
        AuthorizationToken.objects.filter(authorization__in=authorizations)
        .values_list("access_token_id", flat=True)
    )
    if not access_token_ids:
        return
    refresh_token_model = get_refresh_token_model()
    families = list(
        refresh_token_model.objects.filter(access_token_id__in=access_token_ids)
        .exclude(token_family=None).values_list("token_family", flat=True)
    )
    refresh_token_model.objects.filter(
        Q(access_token_id__in=access_token_ids) | Q(token_family__in=families)
    ).delete()
    get_access_token_model().objects.filter(pk__in=access_token_ids).delete()


def _authorization_end(
    authorization: Authorization, to: str, *, actor: AbstractBaseUser | None, action: str,
    reason: str = "",
) -> Authorization:
    authorization = lock(authorization)
    previous = transition_state(authorization, to, transitions=AUTHORIZATION_TRANSITIONS)
    changed = []
    if to == AuthorizationState.REVOKED:
        authorization.revoked_at = timezone.now()
        authorization.revoked_reason = reason
        changed = ["revoked_at", "revoked_reason"]
    authorization.save(update_fields=["state", *changed, "updated_at"])
    _authorization_tokens_delete([authorization])
    audit_record(actor=actor, action=action, target=authorization, reason=reason,
                 before={"state": previous}, after={"state": authorization.state})
    event_emit(type=action, isv=authorization.app.isv, app=authorization.app,
               data=_authorization_event_data(authorization))
    return authorization


@transaction.atomic
def authorization_revoke(
    *, authorization: Authorization, actor: AbstractBaseUser | None, reason: str = ""
) -> Authorization:
    return _authorization_end(authorization, AuthorizationState.REVOKED, actor=actor,
                              action="authorization.revoked", reason=reason)


@transaction.atomic
def authorization_expire(*, authorization: Authorization) -> Authorization:
    """End an authorization whose lifetime is over (called by the expiry task, no person)."""
    return _authorization_end(authorization, AuthorizationState.EXPIRED, actor=None,
                              action="authorization.expired")
