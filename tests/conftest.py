import ipaddress
import socket
import uuid

import pytest
from cryptography.fernet import Fernet
from django.utils import translation

from openplatform.api import metering
from tests import factories

_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _require_loopback(sock: socket.socket, address) -> None:
    """No test may open a connection outside the machine (127.0.0.0/8, ::1)."""
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    host = address[0]
    try:
        addresses = [ipaddress.ip_address(host.split("%")[0])]
    except ValueError:
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0])
                     for info in socket.getaddrinfo(host, None)]
    outside = [str(item) for item in addresses if not item.is_loopback]
    if outside:
        raise AssertionError(f"A test tried to connect to {', '.join(outside)}: tests may only "
                             "reach 127.0.0.0/8.")


def _guarded_connect(sock, address):
    _require_loopback(sock, address)
    return _connect(sock, address)


def _guarded_connect_ex(sock, address):
    _require_loopback(sock, address)
    return _connect_ex(sock, address)


socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect_ex


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """A fresh PII key per test (nothing depends on the developer's var/ key), a fast
    password hasher (users and hashed client secrets are made in almost every test), Celery
    tasks run in-process (no test leaves messages in a broker), and an API answer with an error
    code missing from the public catalogue fails the test."""
    settings.PII_KEYS = [Fernet.generate_key().decode()]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.STRICT_ERROR_CODES = True


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
def _no_login_throttling(settings):
    """django-axes stays out of tests (the test client's login() passes it no request); the
    tests of throttling turn it on (tests/portal/conftest.py: ``axes_enabled``)."""
    settings.AXES_ENABLED = False


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



@pytest.fixture(autouse=True)
def _catalog_in_transactional_tests(request):
    """Transactional tests (live server, real worker) empty every table when they end; under
    xdist the serialized copy is not always put back before the next one, so make sure the
    catalog is there (synced from the plugins), with no stale content type cached."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if not (transactional or {"transactional_db", "live_server"} & set(request.fixturenames)):
        return
    request.getfixturevalue("_django_db_helper" if transactional else "transactional_db")
    from django.contrib.contenttypes.models import ContentType

    from catalog.models import FunctionPack
    from catalog.sync import sync_catalog

    ContentType.objects.clear_cache()
    if not FunctionPack.objects.exists():
        sync_catalog()
