import hashlib
import re

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ImproperlyConfigured, ValidationError

from openplatform.data.pii import (
    SealedValue,
    decrypt,
    digest_bank_account,
    digest_id_number,
    encrypt,
    keyed_digest,
    mask_bank_account,
    mask_id_number,
    mask_name,
    mask_phone,
    seal_bank_account,
    seal_id_number,
)

ID_NUMBER = "34052419800101001X"
BANK_ACCOUNT = "6222021234567891233"  # Luhn-valid
HEX_DIGEST = re.compile(r"[0-9a-f]{64}")


def new_key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def pii_keys(settings) -> list[str]:
    """Fresh keys per test; no digest key unless a test sets one."""
    keys = [new_key()]
    settings.PII_KEYS = keys
    del settings.PII_DIGEST_KEY
    return keys


# --- Encryption ---------------------------------------------------------------------------


@pytest.mark.parametrize("plaintext", [ID_NUMBER, BANK_ACCOUNT, "张三丰", ""])
def test_encrypt_decrypt_round_trip(plaintext: str) -> None:
    assert decrypt(encrypt(plaintext)) == plaintext


def test_ciphertext_hides_plaintext() -> None:
    token = encrypt(ID_NUMBER)
    assert token != ID_NUMBER
    assert ID_NUMBER not in token
    assert ID_NUMBER[:6] not in token


def test_encryption_is_randomised() -> None:
    assert encrypt(ID_NUMBER) != encrypt(ID_NUMBER)


def test_rotation_keeps_old_tokens_readable(settings, pii_keys: list[str]) -> None:
    old_token = encrypt(ID_NUMBER)
    settings.PII_KEYS = [new_key(), *pii_keys]
    assert decrypt(old_token) == ID_NUMBER


def test_rotation_encrypts_with_new_primary_key(settings, pii_keys: list[str]) -> None:
    new_primary = new_key()
    settings.PII_KEYS = [new_primary, *pii_keys]
    token = encrypt(ID_NUMBER)
    settings.PII_KEYS = [new_primary]
    assert decrypt(token) == ID_NUMBER


def test_removed_key_no_longer_decrypts(settings) -> None:
    token = encrypt(ID_NUMBER)
    settings.PII_KEYS = [new_key()]
    with pytest.raises(InvalidToken):
        decrypt(token)


def test_keys_with_stray_spaces_are_accepted(settings, pii_keys: list[str]) -> None:
    token = encrypt(ID_NUMBER)
    settings.PII_KEYS = [f" {pii_keys[0]} "]
    assert decrypt(token) == ID_NUMBER


def test_missing_keys_are_a_configuration_error(settings) -> None:
    settings.PII_KEYS = []
    with pytest.raises(ImproperlyConfigured):
        encrypt(ID_NUMBER)


def test_invalid_key_error_does_not_echo_the_key(settings) -> None:
    settings.PII_KEYS = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured) as excinfo:
        encrypt(ID_NUMBER)
    assert "not-a-fernet-key" not in str(excinfo.value)
    assert excinfo.value.__cause__ is None


# --- Keyed digests ------------------------------------------------------------------------


def test_digest_is_keyed_hex_sha256() -> None:
    digest = keyed_digest(ID_NUMBER, kind="id_number")
    assert HEX_DIGEST.fullmatch(digest)
    assert digest != hashlib.sha256(f"id_number:{ID_NUMBER}".encode()).hexdigest()


def test_digest_is_deterministic() -> None:
    assert keyed_digest(ID_NUMBER, kind="id_number") == keyed_digest(ID_NUMBER, kind="id_number")


def test_digests_differ_by_kind() -> None:
    value = "123456789012345678"
    assert keyed_digest(value, kind="id_number") != keyed_digest(value, kind="bank_account")


@pytest.mark.parametrize(
    "spelling",
    [
        "6222 0212 3456 7891 233",
        "6222-0212-3456-7891-233",
        " 6222021234567891233 ",
        "622202 1234567891233",
    ],
)
def test_bank_account_digest_ignores_spelling(spelling: str) -> None:
    assert digest_bank_account(spelling) == digest_bank_account(BANK_ACCOUNT)
    assert seal_bank_account(spelling).digest == digest_bank_account(BANK_ACCOUNT)


def test_id_number_digest_ignores_case_and_spaces() -> None:
    assert digest_id_number("340524 19800101 001x") == digest_id_number(ID_NUMBER)


def test_digest_key_setting_survives_encryption_key_rotation(settings) -> None:
    settings.PII_DIGEST_KEY = "a-long-random-digest-secret"
    before = digest_id_number(ID_NUMBER)
    settings.PII_KEYS = [new_key(), *settings.PII_KEYS]
    assert digest_id_number(ID_NUMBER) == before


def test_digest_key_setting_accepts_bytes(settings) -> None:
    settings.PII_DIGEST_KEY = "a-long-random-digest-secret"
    from_str = digest_id_number(ID_NUMBER)
    settings.PII_DIGEST_KEY = b"a-long-random-digest-secret"
    assert digest_id_number(ID_NUMBER) == from_str


def test_digest_without_digest_key_follows_primary_key(settings) -> None:
    before = digest_id_number(ID_NUMBER)
    settings.PII_KEYS = [new_key(), *settings.PII_KEYS]
    assert digest_id_number(ID_NUMBER) != before


# --- Masking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mask", "value", "expected"),
    [
        (mask_id_number, "34052419800101001X", "3405**********001X"),
        (mask_bank_account, "6222021234567891234", "6222 **** **** 1234"),
        (mask_bank_account, "6222 0212 3456 7891 234", "6222 **** **** 1234"),
        (mask_bank_account, "110123456780", "1101 **** **** 6780"),
        (mask_phone, "13812345678", "138****5678"),
        (mask_name, "张三丰", "张**"),
        (mask_name, "张三", "张*"),
        (mask_name, "Alice", "A****"),
    ],
)
def test_mask_vectors(mask, value: str, expected: str) -> None:
    assert mask(value) == expected


@pytest.mark.parametrize(
    ("mask", "value", "expected"),
    [
        (mask_id_number, "", ""),
        (mask_id_number, "1234", "****"),
        (mask_id_number, "12345678901", "***********"),
        (mask_bank_account, "", ""),
        (mask_bank_account, "1234", "**** **** **** ****"),
        (mask_bank_account, "12345678901", "**** **** **** ****"),
        (mask_phone, "", ""),
        (mask_phone, "1381234", "*******"),
        (mask_phone, "1381234567", "**********"),
        (mask_name, "", ""),
        (mask_name, "张", "*"),
        (mask_name, "A", "*"),
    ],
)
def test_mask_short_values_show_only_stars(mask, value: str, expected: str) -> None:
    assert mask(value) == expected


# --- Sealing ------------------------------------------------------------------------------


def test_seal_id_number() -> None:
    sealed = seal_id_number("34052419800101001x")
    assert isinstance(sealed, SealedValue)
    assert decrypt(sealed.ciphertext) == ID_NUMBER
    assert sealed.digest == digest_id_number(ID_NUMBER)
    assert sealed.masked == "3405**********001X"


def test_seal_bank_account() -> None:
    sealed = seal_bank_account("6222 0212 3456 7891 233")
    assert decrypt(sealed.ciphertext) == BANK_ACCOUNT
    assert sealed.digest == digest_bank_account(BANK_ACCOUNT)
    assert sealed.masked == "6222 **** **** 1233"


def test_sealed_value_repr_hides_ciphertext_and_clear_value() -> None:
    sealed = seal_id_number(ID_NUMBER)
    assert sealed.ciphertext not in repr(sealed)
    assert ID_NUMBER not in repr(sealed)


@pytest.mark.parametrize(
    ("seal", "value", "code"),
    [
        (seal_id_number, "34052419800101001", "id_number_length"),
        (seal_id_number, "340524198001010010", "id_number_checksum"),
        (seal_bank_account, "6222021234567891234", "bank_card_checksum"),
        (seal_bank_account, "6222 abcd", "bank_card_format"),
        (digest_id_number, "3405241980010100AX", "id_number_format"),
        (digest_bank_account, "12345", "bank_card_length"),
    ],
)
def test_invalid_values_are_rejected(seal, value: str, code: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        seal(value)
    assert excinfo.value.code == code
