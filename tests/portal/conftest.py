import pytest

from tests import factories
from tests.portal.support import client_for, make_verified_user


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded licences go to a per-test folder, never to the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def axes_enabled(settings):
    settings.AXES_ENABLED = True


@pytest.fixture
def portal_owner(db):
    return make_verified_user("owner@example.com")


@pytest.fixture
def portal_isv(portal_owner):
    return factories.make_isv(owner=portal_owner)


@pytest.fixture
def owner_client(portal_owner):
    return client_for(portal_owner)
