"""Normalising negative-list values so that an entry and a merchant's data compare exactly."""

import unicodedata
from collections.abc import Callable

import opencc

from governance.choices import EntryKind
from openplatform import pii
from openplatform.validators import (
    validate_bank_card,
    validate_domain,
    validate_mcc,
    validate_mobile_phone,
    validate_resident_id,
    validate_uscc,
)

# Building a converter loads its dictionaries: once per process.
_TRADITIONAL_TO_SIMPLIFIED = opencc.OpenCC("t2s")
# Unicode general categories dropped before matching: punctuation (P*), symbols (S*),
# separators (Z*) and control / format characters (C*, e.g. zero-width joiners).
_DROPPED_CATEGORIES = frozenset("PSZC")


def normalise_text(value: str) -> str:
    """The form names, scopes and keywords are compared in.

    Full-width to half-width (NFKC), traditional to simplified Chinese, case folded, and every
    space, punctuation mark and symbol removed: ``賭 場``, a full-width ``DUCHANG`` and
    ``Du-Chang`` become ``赌场``, ``duchang`` and ``duchang``.
    """
    text = _TRADITIONAL_TO_SIMPLIFIED.convert(unicodedata.normalize("NFKC", value)).casefold()
    return "".join(
        char for char in unicodedata.normalize("NFKC", text)
        if unicodedata.category(char)[0] not in _DROPPED_CATEGORIES
    )


# Joins a merchant's normalised texts: a control character, which normalise_text removes, so
# that no keyword can match across two fields.
SCREENING_TEXT_SEPARATOR = "\n"


def screening_text(*, legal_name: str, short_name: str, business_scope: str) -> str:
    """A merchant's legal name, short name and business scope, each normalised, in this order,
    joined by ``SCREENING_TEXT_SEPARATOR``: what keywords are matched in (stored on the merchant
    as ``screening_text``, so that re-screens neither renormalise it nor read the raw fields)."""
    return SCREENING_TEXT_SEPARATOR.join(
        normalise_text(value) for value in (legal_name, short_name, business_scope))


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
