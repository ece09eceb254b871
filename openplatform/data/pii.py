"""Protection of personal data: encryption, keyed digests and masking.

Settings:

* ``PII_KEYS``: urlsafe-base64 Fernet keys, primary first. New tokens use the
  primary key; every key can decrypt, so rotate by prepending a new key and
  dropping the old one once stored tokens are re-encrypted.
* ``PII_DIGEST_KEY`` (optional, str or bytes): secret for the keyed digests.
  Digests are stored for lookups (e.g. the negative list) and cannot be
  recomputed from ciphertext in bulk, so this key must outlive encryption key
  rotation. Without it the digest key is derived from the primary PII key,
  and rotating that key changes every digest.

Nothing here logs, and error messages never include clear values or keys.
"""

import hashlib
import hmac
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from openplatform.data.validators import validate_bank_card, validate_resident_id

DIGEST_HKDF_INFO = b"openplatform-pii-digest"
DIGEST_KIND_ID_NUMBER = "id_number"
DIGEST_KIND_BANK_ACCOUNT = "bank_account"

# Ends are shown only when at least this many characters stay hidden.
_MIN_HIDDEN_CHARS = 4


def _as_bytes(key: str | bytes) -> bytes:
    # Keys often come from comma-separated environment variables: drop stray spaces.
    return (key.encode() if isinstance(key, str) else key).strip()


def _configured_keys() -> tuple[bytes, ...]:
    keys = tuple(_as_bytes(key) for key in getattr(settings, "PII_KEYS", ()))
    if not keys:
        raise ImproperlyConfigured("PII_KEYS must list at least one Fernet key.")
    return keys


# Keyed on the key tuple so that overridden settings (tests, rotation) take
# effect without restarting the process.
@lru_cache(maxsize=8)
def _multi_fernet(keys: tuple[bytes, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        # Re-raised without the cause, whose message could quote key material.
        raise ImproperlyConfigured(
            "PII_KEYS entries must be urlsafe-base64 32-byte Fernet keys."
        ) from None


def encrypt(plaintext: str) -> str:
    """Encrypt with the primary PII key; return a Fernet token."""
    return _multi_fernet(_configured_keys()).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt a token made with any PII key.

    Raises ``cryptography.fernet.InvalidToken`` if no key fits.
    """
    return _multi_fernet(_configured_keys()).decrypt(token.encode()).decode()


@lru_cache(maxsize=8)
def _derive_digest_key(secret: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=DIGEST_HKDF_INFO)
    return hkdf.derive(secret)


def _digest_secret() -> bytes:
    digest_key = getattr(settings, "PII_DIGEST_KEY", None)
    if digest_key:
        return _as_bytes(digest_key)
    return _configured_keys()[0]


def keyed_digest(value: str, *, kind: str) -> str:
    """Hex HMAC-SHA256 of ``value`` under the digest key.

    ``kind`` keeps digests of different identifier types apart even when
    their clear values coincide.
    """
    key = _derive_digest_key(_digest_secret())
    message = f"{kind}:{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _mask_ends(value: str, *, head: int, tail: int) -> str:
    """Keep ``head`` and ``tail`` characters, or hide all if too short."""
    if len(value) < head + tail + _MIN_HIDDEN_CHARS:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_id_number(value: str) -> str:
    """``34052419800101001X`` -> ``3405**********001X``."""
    return _mask_ends(value.strip(), head=4, tail=4)


def mask_bank_account(value: str) -> str:
    """``6222021234567891234`` -> ``6222 **** **** 1234``, whatever the length."""
    digits = "".join(char for char in value if not (char.isspace() or char == "-"))
    if len(digits) < 8 + _MIN_HIDDEN_CHARS:
        return "**** **** **** ****" if digits else ""
    return f"{digits[:4]} **** **** {digits[-4:]}"


def mask_phone(value: str) -> str:
    """``13812345678`` -> ``138****5678``."""
    return _mask_ends(value.strip(), head=3, tail=4)


def mask_name(value: str) -> str:
    """``张三丰`` -> ``张**``; one-character names are hidden entirely."""
    name = value.strip()
    if len(name) < 2:
        return "*" * len(name)
    return name[0] + "*" * (len(name) - 1)


@dataclass(frozen=True)
class SealedValue:
    """What is stored for a protected value; the clear value is not kept."""

    ciphertext: str = field(repr=False)
    digest: str
    masked: str


def seal_id_number(value: str) -> SealedValue:
    """Validate a resident ID number and seal its normalised form."""
    id_number = validate_resident_id(value)
    return SealedValue(
        ciphertext=encrypt(id_number),
        digest=keyed_digest(id_number, kind=DIGEST_KIND_ID_NUMBER),
        masked=mask_id_number(id_number),
    )


def seal_bank_account(value: str) -> SealedValue:
    """Validate a bank account number and seal its normalised form."""
    account = validate_bank_card(value)
    return SealedValue(
        ciphertext=encrypt(account),
        digest=keyed_digest(account, kind=DIGEST_KIND_BANK_ACCOUNT),
        masked=mask_bank_account(account),
    )


def digest_id_number(value: str) -> str:
    """Digest as in ``seal_id_number``, for lookups without storing ciphertext."""
    return keyed_digest(validate_resident_id(value), kind=DIGEST_KIND_ID_NUMBER)


def digest_bank_account(value: str) -> str:
    """Digest as in ``seal_bank_account``, for lookups without storing ciphertext."""
    return keyed_digest(validate_bank_card(value), kind=DIGEST_KIND_BANK_ACCOUNT)
