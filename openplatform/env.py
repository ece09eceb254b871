"""Reading configuration from the environment, in one place (12-factor).

Secrets that a developer should not have to invent (SECRET_KEY, the PII keys) are generated
into ``var/`` on first run when the environment does not provide them; in production
(``DJANGO_ENV=production``) a missing value stops the process instead.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OPENPLATFORM_VAR_DIR", BASE_DIR / "var"))


def is_production() -> bool:
    return os.environ.get("DJANGO_ENV", "development") == "production"


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    return int(value) if value is not None else default


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env_str(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, *, generate) -> str:
    """The secret from the environment, else from ``var/<name>``, created on first use.

    ``generate`` is a zero-argument callable returning a fresh secret. Production never
    generates: losing the file would make encrypted PII unreadable.
    """
    value = env_str(name)
    if value is not None:
        return value
    if is_production():
        raise ImproperlyConfigured(f"{name} must be set in the environment in production.")
    path = VAR_DIR / name.lower()
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process (web, worker, beat) created it first
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(generate())
    return path.read_text().strip()


def generate_secret_key() -> str:
    return secrets.token_urlsafe(50)
