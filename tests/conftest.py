import uuid

import pytest
from cryptography.fernet import Fernet
from django.utils import translation

from openplatform.api import metering
from tests import factories


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """A fresh PII key per test (nothing depends on the developer's var/ key) and a fast
    password hasher (users and hashed client secrets are made in almost every test)."""
    settings.PII_KEYS = [Fernet.generate_key().decode()]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_cache_and_metering(settings):
    """Own cache keys per test (under CI the cache is a shared Redis, and SQLite reuses ids
    after a rollback) and API metering flushed by hand, never by a background thread."""
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"],
                                                       "KEY_PREFIX": uuid.uuid4().hex}}
    settings.GATE = {**settings.GATE, "METERING_BACKGROUND": False}
    metering.discard()
    yield
    metering.discard()


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Tests read messages in English: in code outside requests, and in requests that name no
    language (the platform's own default, zh-hans, is tested on its own)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def platform_default_language(settings):
    """The platform's own default language (zh-hans) for requests that name none."""
    from openplatform import settings as project_settings

    settings.LANGUAGE_CODE = project_settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE


@pytest.fixture
def staff_user(db):
    return factories.make_user("staff", is_staff=True)


@pytest.fixture
def owner(db):
    return factories.make_user("owner")


@pytest.fixture
def isv(owner):
    return factories.make_isv(owner=owner)


@pytest.fixture
def app(isv):
    return factories.make_app(isv=isv)


@pytest.fixture
def merchant(isv):
    return factories.make_merchant(isv=isv)
