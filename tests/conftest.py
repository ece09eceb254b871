import pytest
from cryptography.fernet import Fernet

from tests import factories


@pytest.fixture(autouse=True)
def _pii_keys(settings):
    """A fresh PII key per test: nothing depends on the developer's var/ key."""
    settings.PII_KEYS = [Fernet.generate_key().decode()]


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
