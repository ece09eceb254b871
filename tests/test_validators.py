from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from openplatform.data.mcc import all_categories, category_choices, get_category
from openplatform.data.validators import (
    USCC_CHARSET,
    luhn_check_digit,
    resident_id_check_char,
    uscc_check_char,
    validate_bank_card,
    validate_mcc,
    validate_mobile_phone,
    validate_resident_id,
    validate_uscc,
)

KNOWN_GOOD_USCC = "91110000600037341L"
KNOWN_GOOD_RESIDENT_ID = "34052419800101001X"
ARABIC_INDIC_CARD = "٦٢٢٢٠٢١٢٣٤٥٦٧٨٩١"  # \d would accept these digits; the validators must not
LUHN_CARD_19 = "6222021234567891233"  # 622202123456789123 + Luhn digit 3


def assert_rejected(validator, value: str, code: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validator(value)
    assert excinfo.value.code == code


def make_uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def make_resident_id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def make_luhn(payload: str) -> str:
    return payload + luhn_check_digit(payload)


def replace_char(value: str, position: int, alphabet: str) -> str:
    """Replace one character with the next one in ``alphabet`` (wrapping)."""
    current = alphabet.index(value[position])
    replacement = alphabet[(current + 1) % len(alphabet)]
    return value[:position] + replacement + value[position + 1 :]


# --- Unified Social Credit Code -----------------------------------------------------------


@pytest.mark.parametrize("value", ["91110000600037341L", "91310115MA1K3BTP2B"])
def test_uscc_known_good(value: str) -> None:
    assert validate_uscc(value) == value


@pytest.mark.parametrize("value", ["91110000600037341L", "91310115MA1K3BTP2B"])
def test_uscc_check_char_matches_known_good(value: str) -> None:
    assert uscc_check_char(value[:17]) == value[17]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91310115ma1k3btp2b", "91310115MA1K3BTP2B"),
        (" 9131 0115 MA1K 3BTP 2B ", "91310115MA1K3BTP2B"),
        ("91110000600037341l", "91110000600037341L"),
    ],
)
def test_uscc_normalised(raw: str, expected: str) -> None:
    assert validate_uscc(raw) == expected


@pytest.mark.parametrize("authority", ["1", "5", "9", "A", "N", "Y"])
def test_uscc_any_registration_authority_accepted(authority: str) -> None:
    code = make_uscc(f"{authority}1110000600037341")
    assert validate_uscc(code) == code


def test_uscc_known_bad_rejected() -> None:
    # Its last character Z is outside the GB 32100 charset.
    assert_rejected(validate_uscc, "91350100M000100Y4Z", "uscc_charset")


@pytest.mark.parametrize(
    "value", ["", "91110000600037341", "91110000600037341LL", "9111000060003734"]
)
def test_uscc_length(value: str) -> None:
    assert_rejected(validate_uscc, value, "uscc_length")


@pytest.mark.parametrize(
    "value",
    [
        "91110000600037341I",
        "9111000060003734OL",
        "911100006000373S1L",
        "91110000600037V41L",
        "91110000600037341-",
        "91110000600037341\uff21",  # full-width A
    ],
)
def test_uscc_charset(value: str) -> None:
    assert_rejected(validate_uscc, value, "uscc_charset")


@pytest.mark.parametrize("position", range(18))
def test_uscc_any_single_char_change_fails_checksum(position: int) -> None:
    tampered = replace_char(KNOWN_GOOD_USCC, position, USCC_CHARSET)
    assert_rejected(validate_uscc, tampered, "uscc_checksum")


# --- Resident ID number -------------------------------------------------------------------


def test_resident_id_known_good() -> None:
    assert validate_resident_id(KNOWN_GOOD_RESIDENT_ID) == KNOWN_GOOD_RESIDENT_ID


def test_resident_id_check_char_matches_known_good() -> None:
    assert resident_id_check_char(KNOWN_GOOD_RESIDENT_ID[:17]) == "X"


@pytest.mark.parametrize(
    "raw", ["34052419800101001x", " 340524 19800101 001X ", "340524198001010 01x"]
)
def test_resident_id_normalised(raw: str) -> None:
    assert validate_resident_id(raw) == KNOWN_GOOD_RESIDENT_ID


@pytest.mark.parametrize(
    "birth_date",
    ["19000101", "20000229", "19491001", date.today().strftime("%Y%m%d")],
)
def test_resident_id_generated_good(birth_date: str) -> None:
    id_number = make_resident_id(f"110105{birth_date}002")
    assert validate_resident_id(id_number) == id_number


@pytest.mark.parametrize(
    "value", ["", "340524800101001", "34052419800101001", "34052419800101001XX"]
)
def test_resident_id_length(value: str) -> None:
    assert_rejected(validate_resident_id, value, "id_number_length")


@pytest.mark.parametrize(
    "value",
    [
        "3405241980010100AX",
        "34052419800101001Y",
        "X40524198001010012",
        "34052419800101001٣",  # Arabic-Indic digit, which \d would accept
        "340524-9800101001X",
    ],
)
def test_resident_id_format(value: str) -> None:
    assert_rejected(validate_resident_id, value, "id_number_format")


@pytest.mark.parametrize(
    "birth_date",
    [
        "19800230",
        "19801301",
        "19800001",
        "18991231",
        "00000000",
        (date.today() + timedelta(days=1)).strftime("%Y%m%d"),
    ],
)
def test_resident_id_birth_date(birth_date: str) -> None:
    # A correct check char, so only the date can be at fault.
    id_number = make_resident_id(f"110105{birth_date}002")
    assert_rejected(validate_resident_id, id_number, "id_number_birth_date")


# Positions outside the birth date (7-14), whose changes may make the date invalid.
@pytest.mark.parametrize("position", [*range(6), 14, 15, 16, 17])
def test_resident_id_any_single_char_change_fails_checksum(position: int) -> None:
    alphabet = "0123456789X" if position == 17 else "0123456789"
    tampered = replace_char(KNOWN_GOOD_RESIDENT_ID, position, alphabet)
    assert_rejected(validate_resident_id, tampered, "id_number_checksum")


# --- Bank card / account number -----------------------------------------------------------


def test_luhn_check_digit_reference_vectors() -> None:
    assert luhn_check_digit("7992739871") == "3"
    assert luhn_check_digit("411111111111111") == "1"
    assert luhn_check_digit("622202123456789123") == "3"


@pytest.mark.parametrize(
    "value",
    [
        "4111111111111111",
        LUHN_CARD_19,
        make_luhn("62148301234567"),  # 15 digits: Luhn also fine where not required
        make_luhn("62284812345678901"),  # 18 digits
    ],
)
def test_bank_card_good(value: str) -> None:
    assert validate_bank_card(value) == value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6222 0212 3456 7891 233", LUHN_CARD_19),
        ("6222-0212-3456-7891-233", LUHN_CARD_19),
        (" 4111 1111 1111 1111 ", "4111111111111111"),
    ],
)
def test_bank_card_normalised(raw: str, expected: str) -> None:
    assert validate_bank_card(raw) == expected


@pytest.mark.parametrize("value", ["110123456780", "1101234567890", "310501613737000"])
def test_bank_card_corporate_accounts_skip_luhn(value: str) -> None:
    # 12-15 digit corporate accounts use bank-specific schemes, not Luhn.
    assert value[-1] != luhn_check_digit(value[:-1])
    assert validate_bank_card(value) == value


@pytest.mark.parametrize(
    "value", ["", "6222abcd12345678", "6222.0212.3456.7891", "+6222021234567", ARABIC_INDIC_CARD]
)
def test_bank_card_format(value: str) -> None:
    assert_rejected(validate_bank_card, value, "bank_card_format")


@pytest.mark.parametrize("value", ["12345678901", "12345678901234567890", "0"])
def test_bank_card_length(value: str) -> None:
    assert_rejected(validate_bank_card, value, "bank_card_length")


@pytest.mark.parametrize("card", ["4111111111111111", LUHN_CARD_19])
@pytest.mark.parametrize("position", [0, 5, -2, -1])
def test_bank_card_single_digit_change_fails_checksum(card: str, position: int) -> None:
    tampered = replace_char(card, position % len(card), "0123456789")
    assert_rejected(validate_bank_card, tampered, "bank_card_checksum")


# --- Mobile phone -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        " 13812345678 ",
        "138 1234 5678",
        "138-1234-5678",
        "+8613812345678",
        "+86 138 1234 5678",
        "86 138-1234-5678",
        "8613812345678",
    ],
)
def test_mobile_phone_normalised(raw: str) -> None:
    assert validate_mobile_phone(raw) == "13812345678"


@pytest.mark.parametrize("value", ["13012345678", "19912345678", "16612345678"])
def test_mobile_phone_prefixes_accepted(value: str) -> None:
    assert validate_mobile_phone(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "",
        "+86",
        "12812345678",
        "23812345678",
        "1381234567",
        "138123456789",
        "+85213812345678",
        "008613812345678",
        "1381234567a",
        "١٣٨١٢٣٤٥٦٧٨",  # Arabic-Indic digits
        "010-12345678",
    ],
)
def test_mobile_phone_format(value: str) -> None:
    assert_rejected(validate_mobile_phone, value, "phone_format")


# --- Merchant category codes --------------------------------------------------------------

REQUIRED_MCCS = [
    "4121",
    "5122",
    "5311",
    "5411",
    "5641",
    "5732",
    "5812",
    "5814",
    "5912",
    "5967",
    "5992",
    "5993",
    "5999",
    "6051",
    "7011",
    "7230",
    "7995",
    "8062",
    "8220",
]
HIGH_RISK_MCCS = ["5122", "5967", "5993", "6051", "7995"]
KNOWN_CATEGORY_SLUGS = {
    "retail",
    "food",
    "pharmacy",
    "hotel",
    "healthcare",
    "education",
    "services",
    "transport",
    "entertainment",
    "public",
    "high_risk",
}


@pytest.mark.parametrize("code", REQUIRED_MCCS)
def test_mcc_required_codes_accepted(code: str) -> None:
    assert validate_mcc(code) == code


def test_mcc_stripped() -> None:
    assert validate_mcc(" 5812 ") == "5812"


# The last value is in Arabic-Indic digits.
@pytest.mark.parametrize("value", ["", "541", "54111", "abcd", "54 11", "٥٤١١"])
def test_mcc_format(value: str) -> None:
    assert_rejected(validate_mcc, value, "mcc_format")


@pytest.mark.parametrize("value", ["0000", "1234", "9999"])
def test_mcc_unknown(value: str) -> None:
    assert_rejected(validate_mcc, value, "mcc_unknown")


def test_mcc_data_is_well_formed() -> None:
    categories = all_categories()
    codes = [category.code for category in categories]
    assert 60 <= len(categories) <= 100
    assert codes == sorted(set(codes))
    for category in categories:
        assert len(category.code) == 4 and category.code.isascii() and category.code.isdigit()
        assert category.name_en and category.name_zh
        assert category.category in KNOWN_CATEGORY_SLUGS
        assert isinstance(category.fee_rate_bp, int) and 0 <= category.fee_rate_bp <= 1000


@pytest.mark.parametrize("code", HIGH_RISK_MCCS)
def test_mcc_high_risk_codes_grouped(code: str) -> None:
    category = get_category(code)
    assert category is not None and category.category == "high_risk"


def test_mcc_public_services_carry_no_fee() -> None:
    assert get_category("8062").fee_rate_bp == 0
    assert get_category("8220").fee_rate_bp == 0


def test_mcc_get_category_unknown_is_none() -> None:
    assert get_category("0000") is None


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Grocery Stores and Supermarkets"), ("zh-hans", "超市及食品杂货店")],
)
def test_mcc_name_follows_active_language(language: str, expected: str) -> None:
    with translation.override(language):
        assert get_category("5411").name == expected


def test_mcc_name_without_active_language_is_english() -> None:
    with translation.override(None):
        assert get_category("5411").name == "Grocery Stores and Supermarkets"


def test_mcc_category_choices() -> None:
    with translation.override("en"):
        choices = dict(category_choices())
    assert len(choices) == len(all_categories())
    assert choices["5411"] == "5411 — Grocery Stores and Supermarkets"
