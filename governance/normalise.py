"""Normalising negative-list values so that an entry and a merchant's data compare exactly."""

from collections.abc import Callable

from governance.choices import EntryKind
from openplatform.data import pii
from openplatform.data.text import normalise_text
from openplatform.data.validators import (
    validate_bank_card,
    validate_domain,
    validate_mcc,
    validate_mobile_phone,
    validate_resident_id,
    validate_uscc,
)


def normalise_keyword(value: str) -> str:
    """A keyword entry is stored in the form merchants' names and scopes are matched in."""
    return normalise_text(value)


def _plain(normalise: Callable[[str], str]) -> Callable[[str], tuple[str, str]]:
    def entry(raw: str) -> tuple[str, str]:
        value = normalise(raw)
        return value, value

    return entry


def _id_number_entry(raw: str) -> tuple[str, str]:
    id_number = validate_resident_id(raw)
    return pii.digest_id_number(id_number), pii.mask_id_number(id_number)


def _bank_account_entry(raw: str) -> tuple[str, str]:
    account = validate_bank_card(raw)
    return pii.digest_bank_account(account), pii.mask_bank_account(account)


# kind -> raw input -> (stored value, what staff see); ID numbers and bank accounts are kept
# only as keyed digests with a masked display form.
ENTRY_VALUE_NORMALISERS: dict[str, Callable[[str], tuple[str, str]]] = {
    EntryKind.USCC: _plain(validate_uscc),
    EntryKind.ID_NUMBER: _id_number_entry,
    EntryKind.BANK_ACCOUNT: _bank_account_entry,
    EntryKind.PHONE: _plain(validate_mobile_phone),
    EntryKind.DOMAIN: _plain(validate_domain),
    EntryKind.KEYWORD: _plain(normalise_keyword),
    EntryKind.INDUSTRY: _plain(validate_mcc),
}


def entry_value(kind: str, raw: str) -> tuple[str, str]:
    """(stored value, display value) for a raw entry of ``kind``; raises ValidationError."""
    return ENTRY_VALUE_NORMALISERS[kind](raw)
