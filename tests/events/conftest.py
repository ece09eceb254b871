import pytest

from openplatform.events import services
from tests import factories
from tests.events.receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def sandbox_app(isv):
    return factories.make_app(isv=isv)


@pytest.fixture
def endpoint_and_secret(sandbox_app, receiver):
    return services.webhook_endpoint_create(app=sandbox_app, actor=None, url=receiver.url,
                                            event_types=["*"])


@pytest.fixture
def endpoint(endpoint_and_secret):
    return endpoint_and_secret[0]
