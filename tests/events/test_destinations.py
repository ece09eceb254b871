"""SSRF: a production app's webhooks reach only public https addresses, checked before any
connection (and again at send time); sandbox apps may also use the loopback interface."""

import socket
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from isv.choices import AppEnvironment
from openplatform.events import destinations, services
from openplatform.events.choices import AttemptOutcome, DeliveryState
from openplatform.events.models import WebhookEndpoint
from tests import factories
from tests.events.receiver import Reply

REFUSED_FOR_PRODUCTION = [
    "http://hooks.example.com/in",  # plain http
    "https://127.0.0.1/in",
    "https://localhost/in",
    "https://[::1]/in",
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.8/in",
    "https://172.16.3.4/in",
    "https://192.168.1.20/in",
    "https://100.64.0.1/in",  # carrier-grade NAT
    "https://[fd00:ec2::254]/in",
    "https://[::ffff:127.0.0.1]/in",
    "https://0.0.0.0/in",
    "https://user:pass@hooks.example.com/in",
    "ftp://hooks.example.com/in",
]


def _resolving_to(*addresses):
    infos = [(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM, 6,
              "", (address, 443)) for address in addresses]
    return mock.patch("openplatform.events.destinations.socket.getaddrinfo",
                      return_value=infos)


@pytest.fixture
def no_connections():
    """Fails the test if any socket connects while it runs."""
    with mock.patch.object(socket.socket, "connect",
                           side_effect=AssertionError("a connection was opened")) as connect:
        yield connect


@pytest.mark.parametrize("url", REFUSED_FOR_PRODUCTION)
def test_production_apps_refuse_unsafe_urls(url, no_connections):
    with pytest.raises(destinations.RefusedDestination) as refused:
        destinations.resolve(url, sandbox=False)
    assert refused.value.code == "webhook_url_refused"
    assert refused.value.field == "url"


def test_a_name_resolving_to_a_private_address_is_refused(no_connections):
    with _resolving_to("10.1.2.3"), pytest.raises(destinations.RefusedDestination) as refused:
        destinations.resolve("https://hooks.example.com/in", sandbox=False)
    assert "10.1.2.3" in str(refused.value.message)


def test_one_private_answer_among_public_ones_is_enough_to_refuse(no_connections):
    with _resolving_to("93.184.216.34", "192.168.0.9"), pytest.raises(
            destinations.RefusedDestination):
        destinations.resolve("https://hooks.example.com/in", sandbox=False)


def test_a_public_name_resolves_to_its_checked_addresses(no_connections):
    with _resolving_to("93.184.216.34"):
        destination = destinations.resolve("https://hooks.example.com:8443/in?x=1",
                                           sandbox=False)
    assert destination.addresses == ("93.184.216.34",)
    assert destination.target == "/in?x=1"
    assert destination.host_header == "hooks.example.com:8443"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/in", "http://localhost/in",
                                 "https://127.0.0.1/in"])
def test_sandbox_apps_may_use_the_loopback_interface(url):
    destinations.resolve(url, sandbox=True)


@pytest.mark.parametrize("url", ["http://10.0.0.8/in", "https://169.254.169.254/",
                                 "http://hooks.example.com/in"])
def test_sandbox_apps_are_refused_everything_else_unsafe(url, no_connections):
    with pytest.raises(destinations.RefusedDestination):
        destinations.resolve(url, sandbox=True)


@pytest.mark.django_db
def test_creating_an_endpoint_with_an_unsafe_url_saves_nothing(isv):
    app = factories.make_app(isv=isv, environment=AppEnvironment.PRODUCTION)
    with pytest.raises(ValidationError) as error:
        services.webhook_endpoint_create(app=app, actor=None, url="https://10.0.0.8/in",
                                         event_types=["*"])
    assert error.value.error_dict["url"][0].code == "webhook_url_refused"
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_an_unresolvable_name_is_accepted_at_creation_and_checked_when_sending(isv):
    app = factories.make_app(isv=isv, environment=AppEnvironment.PRODUCTION)
    with mock.patch("openplatform.events.destinations.socket.getaddrinfo",
                    side_effect=socket.gaierror("no network")):
        endpoint, _secret = services.webhook_endpoint_create(
            app=app, actor=None, url="https://hooks.example.com/in", event_types=["*"])
    assert endpoint.pk


@pytest.mark.django_db
def test_a_name_that_turns_private_after_creation_is_refused_at_send_time(
        isv, django_capture_on_commit_callbacks):
    app = factories.make_app(isv=isv, environment=AppEnvironment.PRODUCTION)
    with _resolving_to("93.184.216.34"):
        endpoint, _secret = services.webhook_endpoint_create(
            app=app, actor=None, url="https://hooks.example.com/in", event_types=["*"])

    with (_resolving_to("169.254.169.254"),
          mock.patch.object(socket.socket, "connect",
                            side_effect=AssertionError("a connection was opened")),
          django_capture_on_commit_callbacks(execute=True), transaction.atomic()):
        delivery = services.webhook_endpoint_send_test(endpoint=endpoint, actor=None)

    [attempt] = delivery.attempts.all()
    assert attempt.outcome == AttemptOutcome.REFUSED_ADDRESS
    assert "169.254.169.254" in attempt.error
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING  # retried later, re-checked each time


@pytest.mark.django_db
def test_a_redirect_is_not_followed(endpoint, receiver, django_capture_on_commit_callbacks):
    receiver.replies.append(Reply(status=302, headers={"Location": "http://169.254.169.254/"}))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delivery = services.webhook_endpoint_send_test(endpoint=endpoint, actor=None)

    assert len(receiver.received) == 1
    [attempt] = delivery.attempts.all()
    assert (attempt.outcome, attempt.status_code) == (AttemptOutcome.HTTP_ERROR, 302)


def test_the_suite_refuses_any_connection_outside_the_loopback_interface():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(
            AssertionError, match=r"127\.0\.0\.0/8"):
        sock.connect(("192.0.2.1", 443))
