"""Validators for identifiers used in merchant onboarding, and the field-error helpers the
services share: every error a caller sees is keyed by field and coded.

Each validator raises ``ValidationError`` with a stable ``code`` on bad input
and returns the normalised value on success, so it works both as a model field
validator and as a normaliser before storing or hashing a value.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import date
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from openplatform.data.mcc import get_category
from openplatform.errors import FieldError, FieldErrorCode


class IdentifierError(FieldErrorCode):
    """What is wrong with an identifier: its length, characters or check character."""

    USCC_LENGTH = ("uscc_length", 400, _("USCC has the wrong length"),
        _("A unified social credit code has exactly 18 characters."))
    USCC_CHARSET = ("uscc_charset", 400, _("USCC has invalid characters"),
        _("Use digits and upper-case letters except I, O, S, V and Z."))
    USCC_CHECKSUM = ("uscc_checksum", 400, _("USCC check character wrong"),
        _("Copy the code again from the business licence; a character is mistyped."))
    ID_NUMBER_LENGTH = ("id_number_length", 400, _("ID number has the wrong length"),
        _("A resident ID number has 18 characters."))
    ID_NUMBER_FORMAT = ("id_number_format", 400, _("ID number badly formed"),
        _("Use 17 digits followed by a digit or X."))
    ID_NUMBER_BIRTH_DATE = (
        "id_number_birth_date", 400, _("ID number has an impossible birth date"),
        _("Copy the number again from the ID card."))
    ID_NUMBER_CHECKSUM = ("id_number_checksum", 400, _("ID number check digit wrong"),
        _("Copy the number again from the ID card; a digit is mistyped."))
    BANK_CARD_LENGTH = ("bank_card_length", 400, _("Bank account has the wrong length"),
        _("Send 12 to 19 digits."))
    BANK_CARD_FORMAT = ("bank_card_format", 400, _("Bank account badly formed"),
        _("Send digits only."))
    BANK_CARD_CHECKSUM = ("bank_card_checksum", 400, _("Bank card check digit wrong"),
        _("Copy the number again; a digit is mistyped."))
    PHONE_FORMAT = ("phone_format", 400, _("Phone number badly formed"),
        _("Send an 11-digit mainland mobile number."))
    DOMAIN_FORMAT = ("domain_format", 400, _("Domain badly formed"),
        _("Send a host name such as shop.example.com."))
    MCC_FORMAT = ("mcc_format", 400, _("MCC badly formed"),
        _("Send a four-digit merchant category code."))
    MCC_UNKNOWN = ("mcc_unknown", 400, _("Unknown MCC"),
        _("Send a merchant category code from the platform's list."))

# GB 32100-2015: the 31 allowed characters (no I, O, Z, S, V) and check weights.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_LENGTH = 18

# GB 11643-1999: check weights and the check character indexed by sum % 11.
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK_CHARS = "10X98765432"
RESIDENT_ID_LENGTH = 18
RESIDENT_ID_MIN_BIRTH_YEAR = 1900

BANK_CARD_MIN_LENGTH = 12
BANK_CARD_MAX_LENGTH = 19
# Card numbers (16-19 digits) carry a Luhn digit; corporate account numbers
# of other lengths follow each bank's own scheme and cannot be checked here.
BANK_CARD_LUHN_MIN_LENGTH = 16

# [0-9] rather than \d: \d also matches non-ASCII digits such as "٣".
_RESIDENT_ID_PATTERN = re.compile(r"[0-9]{17}[0-9X]")
_DIGITS_PATTERN = re.compile(r"[0-9]+")
_MOBILE_PHONE_PATTERN = re.compile(r"1[3-9][0-9]{9}")
_MCC_PATTERN = re.compile(r"[0-9]{4}")
_WHITESPACE_PATTERN = re.compile(r"\s+")
_SEPARATOR_PATTERN = re.compile(r"[\s-]+")


def _remove_whitespace(value: str) -> str:
    return _WHITESPACE_PATTERN.sub("", value)


def _remove_separators(value: str) -> str:
    return _SEPARATOR_PATTERN.sub("", value)


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100-2015 check character for 17 charset characters."""
    total = sum(
        USCC_CHARSET.index(char) * weight
        for char, weight in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """Validate a Unified Social Credit Code; return it uppercased."""
    normalised = _remove_whitespace(value).upper()
    if len(normalised) != USCC_LENGTH:
        raise ValidationError(
            _("A Unified Social Credit Code has exactly 18 characters."),
            code=IdentifierError.USCC_LENGTH,
        )
    if any(char not in USCC_CHARSET for char in normalised):
        raise ValidationError(
            _(
                "A Unified Social Credit Code may only contain digits and "
                "upper-case letters other than I, O, S, V and Z."
            ),
            code=IdentifierError.USCC_CHARSET,
        )
    if normalised[-1] != uscc_check_char(normalised[:-1]):
        raise ValidationError(
            _("The Unified Social Credit Code has a wrong check character."),
            code=IdentifierError.USCC_CHECKSUM,
        )
    return normalised


def resident_id_check_char(first17: str) -> str:
    """Return the GB 11643-1999 check character for 17 digits."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first17, RESIDENT_ID_WEIGHTS, strict=True)
    )
    return RESIDENT_ID_CHECK_CHARS[total % 11]


def _parse_birth_date(digits: str) -> date | None:
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def validate_resident_id(value: str) -> str:
    """Validate a mainland resident ID number; return it with an upper-case X."""
    normalised = _remove_whitespace(value).upper()
    if len(normalised) != RESIDENT_ID_LENGTH:
        raise ValidationError(
            _("A resident ID number has exactly 18 characters."),
            code=IdentifierError.ID_NUMBER_LENGTH,
        )
    if not _RESIDENT_ID_PATTERN.fullmatch(normalised):
        raise ValidationError(
            _("A resident ID number is 17 digits followed by a digit or X."),
            code=IdentifierError.ID_NUMBER_FORMAT,
        )
    birth_date = _parse_birth_date(normalised[6:14])
    if (
        birth_date is None
        or birth_date.year < RESIDENT_ID_MIN_BIRTH_YEAR
        or birth_date > date.today()
    ):
        raise ValidationError(
            _("The resident ID number contains an invalid birth date."),
            code=IdentifierError.ID_NUMBER_BIRTH_DATE,
        )
    if normalised[-1] != resident_id_check_char(normalised[:-1]):
        raise ValidationError(
            _("The resident ID number has a wrong check character."),
            code=IdentifierError.ID_NUMBER_CHECKSUM,
        )
    return normalised


def luhn_check_digit(digits: str) -> str:
    """Return the Luhn check digit to append to ``digits``."""
    total = 0
    # Walking from the right, every other digit starting with the rightmost
    # payload digit is doubled, as the check digit will sit to its right.
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 0:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str((10 - total % 10) % 10)


def validate_bank_card(value: str) -> str:
    """Validate a bank card or account number; return the bare digits."""
    normalised = _remove_separators(value)
    if not _DIGITS_PATTERN.fullmatch(normalised):
        raise ValidationError(
            _("A bank account number may only contain digits."),
            code=IdentifierError.BANK_CARD_FORMAT,
        )
    if not BANK_CARD_MIN_LENGTH <= len(normalised) <= BANK_CARD_MAX_LENGTH:
        raise ValidationError(
            _("A bank account number has 12 to 19 digits."),
            code=IdentifierError.BANK_CARD_LENGTH,
        )
    needs_luhn = len(normalised) >= BANK_CARD_LUHN_MIN_LENGTH
    if needs_luhn and normalised[-1] != luhn_check_digit(normalised[:-1]):
        raise ValidationError(
            _("The bank card number has a wrong check digit."),
            code=IdentifierError.BANK_CARD_CHECKSUM,
        )
    return normalised


def validate_mobile_phone(value: str) -> str:
    """Validate a mainland mobile number; return its 11 digits."""
    normalised = _remove_separators(value)
    if normalised.startswith("+86"):
        normalised = normalised[3:]
    elif normalised.startswith("86") and len(normalised) == 13:
        normalised = normalised[2:]
    if not _MOBILE_PHONE_PATTERN.fullmatch(normalised):
        raise ValidationError(
            _("Enter a valid mainland China mobile phone number."),
            code=IdentifierError.PHONE_FORMAT,
        )
    return normalised


def validate_mcc(value: str) -> str:
    """Validate a merchant category code against the shipped list."""
    normalised = value.strip()
    if not _MCC_PATTERN.fullmatch(normalised):
        raise ValidationError(
            _("A merchant category code has exactly 4 digits."),
            code=IdentifierError.MCC_FORMAT,
        )
    if get_category(normalised) is None:
        raise ValidationError(
            _("Unknown merchant category code."),
            code=IdentifierError.MCC_UNKNOWN,
        )
    return normalised


DOMAIN_MAX_LENGTH = 253
_DOMAIN_LABEL_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# A top-level domain has a letter (which also rules out IPv4 addresses) or is an IDN.
_TOP_LEVEL_DOMAIN_PATTERN = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")


def validate_domain(value: str) -> str:
    """Reduce a website to its bare lower-case domain (``https://WWW.X.cn/a`` → ``www.x.cn``).

    Raises ValidationError (code ``domain_format``) for anything that is not a domain name,
    such as an IP address or a URL with credentials in it.
    """
    error = ValidationError(_("Enter a domain name such as shop.example.com."),
                            code=IdentifierError.DOMAIN_FORMAT)
    text = value.strip()
    try:
        parts = urlsplit(text if "://" in text else f"//{text}")
        host = (parts.hostname or "").rstrip(".")
        domain = host.encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        raise error from None
    labels = domain.split(".")
    if (
        parts.username is not None
        or len(domain) > DOMAIN_MAX_LENGTH
        or len(labels) < 2
        or not all(_DOMAIN_LABEL_PATTERN.fullmatch(label) for label in labels)
        or not _TOP_LEVEL_DOMAIN_PATTERN.fullmatch(labels[-1])
    ):
        raise error
    return domain


# --- field errors -------------------------------------------------------------------------

FieldErrors = dict[str, list[ValidationError]]


def required_errors(values: Mapping[str, str]) -> FieldErrors:
    """An error with code ``required`` for each blank (or whitespace-only) value."""
    return {
        name: [ValidationError(_("This field is required."), code=FieldError.REQUIRED)]
        for name, value in values.items()
        if not (value or "").strip()
    }


def require_text(**values: str) -> None:
    """Raise a ValidationError keyed by field for every blank value."""
    errors = required_errors(values)
    if errors:
        raise ValidationError(errors)


def model_field_errors(
    instance: models.Model, *, exclude: Iterable[str], check_unique: bool = True
) -> FieldErrors:
    """The ``full_clean()`` errors of an unsaved instance, as a dict of field → errors."""
    try:
        instance.full_clean(exclude=set(exclude), validate_unique=check_unique,
                            validate_constraints=check_unique)
    except ValidationError as error:
        return error.error_dict
    return {}
