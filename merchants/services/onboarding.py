"""Onboarding a merchant: its data (validated, sealed, created once per external ID, edited
while a draft or rectifying), its stores, and the people who act for it."""

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from isv.errors import IsvError
from isv.models import Isv
from merchants.choices import EDITABLE_MERCHANT_STATES, MerchantState, MerchantUserRole
from merchants.errors import MerchantError, MerchantFieldError
from merchants.models import Merchant, MerchantUser, Store
from merchants.services.lifecycle import (
    merchant_event_data,
    merchant_submit,
    uscc_live_elsewhere,
)
from openplatform.api import gate
from openplatform.audit.trail import audit_record
from openplatform.data import pii
from openplatform.data.validators import (
    FieldErrors,
    model_field_errors,
    required_errors,
    validate_bank_card,
    validate_domain,
    validate_mcc,
    validate_mobile_phone,
    validate_resident_id,
    validate_uscc,
)
from openplatform.errors import DomainError
from openplatform.events.services import event_emit
from openplatform.transitions import lock


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
        and uscc_live_elsewhere(values["uscc"], merchant=merchant)
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
    gate.invalidate(merchant)  # merchant.info.query serves the profile from the gate's cache
    event_emit(type="merchant.updated", isv=merchant.isv, data=merchant_event_data(merchant))
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
    gate.invalidate(store)
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


def _matches(merchant: Merchant, data: MerchantInput) -> bool:
    """Whether ``data`` describes ``merchant`` as stored (after normalisation)."""
    for name in INPUT_FIELDS:
        value = getattr(data, name).strip()
        if name in INPUT_NORMALISERS and value:
            try:
                value = INPUT_NORMALISERS[name](value)
            except ValidationError:
                return False
        if name in PII_INPUT_FIELDS:
            if PII_DIGESTS[name](value) != getattr(merchant, PII_COLUMNS[name][1]):
                return False
        elif name in MODEL_INPUT_FIELDS and value != getattr(merchant, name):
            return False
    return True


def merchant_onboard(
    *, isv: Isv, actor: AbstractBaseUser | None, data: MerchantInput
) -> tuple[Merchant, bool]:
    """Onboard a merchant once per ``external_id``: a new one is created as a draft
    (``created`` True); the same ``external_id`` with the same data returns the merchant
    onboarded before (False); with other data it is a conflict."""
    external_id = data.external_id.strip()
    existing = Merchant.objects.filter(isv=isv, external_id=external_id).first()
    if existing is None:
        try:
            return merchant_create(isv=isv, actor=actor, data=data), True
        except IntegrityError:
            # Another request created it in between.
            existing = Merchant.objects.filter(isv=isv, external_id=external_id).first()
            if existing is None:
                raise
    if not _matches(existing, data):
        raise DomainError(
            _("You already onboarded merchant %(id)s with this external_id and other data; "
              "edit it with PATCH /api/v1/merchants/%(id)s/ or use another external_id.")
            % {"id": existing.pk}, code=MerchantError.EXTERNAL_ID_CONFLICT)
    return existing, False


@transaction.atomic
def merchant_save(
    *, isv: Isv, actor: AbstractBaseUser | None, data: MerchantInput,
    merchant: Merchant | None = None, submit: bool = False,
) -> Merchant:
    """Create a merchant (or edit ``merchant``) and, with ``submit``, send it for screening:
    all of it or, when a step is refused, none of it."""
    if merchant is None:
        merchant = merchant_create(isv=isv, actor=actor, data=data)
    else:
        merchant = merchant_update(merchant=merchant, actor=actor, data=data)
    if submit:
        merchant = merchant_submit(merchant=merchant, actor=actor)
    return merchant
