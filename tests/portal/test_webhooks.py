"""Webhooks in the portal: an app's endpoints (secret shown once), the deliveries with their
attempts and a resend button, and the catalogue of event types."""

import socket
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from isv.choices import AppEnvironment, MemberRole
from openplatform.data import pii
from openplatform.events import services
from openplatform.events.choices import AttemptOutcome, DeliveryState, EndpointState
from openplatform.events.models import Delivery, DeliveryAttempt, Event, WebhookEndpoint
from openplatform.events.registry import event_types
from tests import factories
from tests.portal.support import client_for, make_member

pytestmark = pytest.mark.django_db

MANAGERS = [MemberRole.OWNER, MemberRole.ADMIN, MemberRole.DEVELOPER]
RECEIVER = "https://hooks.example.com/platform"


@pytest.fixture(autouse=True)
def _public_receiver(monkeypatch):
    """The receiver's name resolves to a public address without a DNS server."""
    resolve = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "hooks.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port or 443))]
        return resolve(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def member_client(isv, role):
    if role == MemberRole.OWNER:
        return client_for(isv.members.get(role=MemberRole.OWNER).user)
    return client_for(make_member(isv, role).user)


def make_endpoint(app, **fields):
    fields.setdefault("url", RECEIVER)
    fields.setdefault("event_types", ["*"])
    return WebhookEndpoint.objects.create(app=app, secret_ciphertext=pii.encrypt("whsec_x"),
                                          **fields)


def make_delivery(endpoint, *, attempts=1, state=DeliveryState.FAILED):
    event = Event.objects.create(type="merchant.activated", isv=endpoint.app.isv,
                                 app=endpoint.app,
                                 payload={"type": "merchant.activated",
                                          "data": {"merchant_id": "7", "state": "active"}})
    delivery = Delivery.objects.create(event=event, endpoint=endpoint, state=state,
                                       attempt_count=attempts, last_status_code=500)
    for number in range(attempts):
        DeliveryAttempt.objects.create(
            delivery=delivery, attempted_at=timezone.now() - timedelta(minutes=number),
            outcome=AttemptOutcome.HTTP_ERROR, status_code=500, latency_ms=42 + number,
            response_excerpt=f"upstream broke {number}")
    return delivery


# --- endpoints -------------------------------------------------------------------------------


def test_adding_an_endpoint_shows_its_secret_once(portal_isv, owner_client):
    app = factories.make_app(isv=portal_isv)
    response = owner_client.post(reverse("portal:webhook_endpoint_create", args=[app.pk]), {
        "url": RECEIVER, "event_types": ["merchant.activated", "payment.trade.succeeded"],
        "description": "Till"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    endpoint = WebhookEndpoint.objects.get(app=app)
    secret = response.context["secret"]
    assert secret.startswith("whsec_") and secret in response.content.decode()
    assert pii.decrypt(endpoint.secret_ciphertext) == secret
    assert endpoint.event_types == ["merchant.activated", "payment.trade.succeeded"]
    for url in (reverse("portal:webhook_endpoints", args=[app.pk]),
                reverse("portal:webhook_endpoint_edit", args=[app.pk, endpoint.pk])):
        assert secret not in owner_client.get(url).content.decode()


def test_the_form_groups_event_types_by_family(portal_isv, owner_client):
    app = factories.make_app(isv=portal_isv)
    content = owner_client.get(reverse("portal:webhook_endpoint_create",
                                       args=[app.pk])).content.decode()

    for family in {name.split(".", 1)[0] for name in event_types()}:
        assert f"<legend>{family}</legend>" in content
    for name in event_types():
        assert f'value="{name}"' in content


@pytest.mark.parametrize(("data", "field"), [
    ({"url": "http://hooks.example.com/x", "event_types": ["merchant.activated"]}, "url"),
    ({"url": RECEIVER}, "event_types"),
])
def test_endpoint_errors_show_beside_the_field_and_keep_the_input(portal_isv, owner_client,
                                                                  data, field):
    app = factories.make_app(isv=portal_isv, environment=AppEnvironment.PRODUCTION)
    response = owner_client.post(reverse("portal:webhook_endpoint_create", args=[app.pk]),
                                 {"description": "Kept text", **data})

    assert response.status_code == 400
    assert field in response.context["form"].errors
    content = response.content.decode()
    assert "Kept text" in content and data["url"] in content
    if "event_types" in data:
        assert 'value="merchant.activated" checked' in content
    assert not WebhookEndpoint.objects.exists()


def test_editing_an_endpoint_to_every_event_type(portal_isv, owner_client):
    app = factories.make_app(isv=portal_isv)
    endpoint = make_endpoint(app, event_types=["merchant.activated"])
    response = owner_client.post(
        reverse("portal:webhook_endpoint_edit", args=[app.pk, endpoint.pk]),
        {"url": RECEIVER + "/v2", "all_event_types": "on", "description": ""})

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.event_types) == (RECEIVER + "/v2", ["*"])


def test_disabling_and_enabling_an_endpoint(portal_isv, owner_client):
    app = factories.make_app(isv=portal_isv)
    endpoint = make_endpoint(app)
    owner_client.post(reverse("portal:webhook_endpoint_disable", args=[app.pk, endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.state == EndpointState.DISABLED

    owner_client.post(reverse("portal:webhook_endpoint_enable", args=[app.pk, endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.state == EndpointState.ENABLED


def test_rotating_an_endpoint_secret_keeps_the_old_one_signing_for_the_overlap(
        portal_isv, owner_client):
    app = factories.make_app(isv=portal_isv)
    endpoint = make_endpoint(app)
    response = owner_client.post(
        reverse("portal:webhook_endpoint_rotate_secret", args=[app.pk, endpoint.pk]),
        {"overlap_hours": 6})

    assert response.status_code == 200
    new_secret = response.context["secret"]
    endpoint.refresh_from_db()
    assert services.signing_secrets(endpoint) == [new_secret, "whsec_x"]
    assert new_secret in response.content.decode()


def test_sending_a_test_event_queues_a_delivery(portal_isv, owner_client):
    app = factories.make_app(isv=portal_isv)
    endpoint = make_endpoint(app)
    response = owner_client.post(reverse("portal:webhook_endpoint_send_test",
                                         args=[app.pk, endpoint.pk]), follow=True)

    assert "A test event is on its way" in response.content.decode()
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.event.type == "webhook_endpoint.test"


@pytest.mark.parametrize("role", list(MemberRole))
def test_who_may_manage_endpoints(portal_isv, role):
    app = factories.make_app(isv=portal_isv)
    endpoint = make_endpoint(app)
    client = member_client(portal_isv, role)

    assert client.get(reverse("portal:webhook_endpoints", args=[app.pk])).status_code == 200
    status = client.post(reverse("portal:webhook_endpoint_disable",
                                 args=[app.pk, endpoint.pk])).status_code
    assert status == (302 if role in MANAGERS else 403)
    assert client.get(reverse("portal:webhook_endpoint_create", args=[app.pk])).status_code == (
        200 if role in MANAGERS else 403)


# --- deliveries ------------------------------------------------------------------------------


def test_the_deliveries_page_lists_what_was_sent(portal_isv, owner_client):
    app = factories.make_app(isv=portal_isv, name="Till app")
    make_delivery(make_endpoint(app), attempts=3)
    make_delivery(make_endpoint(factories.make_app()))  # another ISV's

    response = owner_client.get(reverse("portal:webhook_deliveries"))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1
    content = response.content.decode()
    assert "merchant.activated" in content and "Till app" in content and "500" in content


def test_deliveries_filter_by_app_and_state(portal_isv, owner_client):
    first, second = factories.make_app(isv=portal_isv), factories.make_app(isv=portal_isv)
    make_delivery(make_endpoint(first))
    make_delivery(make_endpoint(second), state=DeliveryState.DELIVERED)

    by_app = owner_client.get(reverse("portal:webhook_deliveries"), {"app": first.pk})
    by_state = owner_client.get(reverse("portal:webhook_deliveries"), {"state": "delivered"})

    assert [d.endpoint.app for d in by_app.context["page"].object_list] == [first]
    assert [d.endpoint.app for d in by_state.context["page"].object_list] == [second]


def test_a_delivery_shows_its_attempts_and_can_be_resent(portal_isv, owner_client):
    app = factories.make_app(isv=portal_isv)
    delivery = make_delivery(make_endpoint(app), attempts=2)
    url = reverse("portal:webhook_delivery", args=[delivery.pk])

    content = owner_client.get(url).content.decode()
    assert "upstream broke 0" in content and "upstream broke 1" in content
    assert "43 ms" in content

    response = owner_client.post(reverse("portal:webhook_event_resend",
                                         args=[delivery.event_id]), {"next": url})

    assert response.status_code == 302 and response.url == url
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING


def test_resend_without_an_enabled_endpoint_says_why(portal_isv, owner_client):
    app = factories.make_app(isv=portal_isv)
    delivery = make_delivery(make_endpoint(app, state=EndpointState.DISABLED))

    response = owner_client.post(reverse("portal:webhook_event_resend",
                                         args=[delivery.event_id]), follow=True)

    assert "No enabled webhook endpoint" in response.content.decode()


def test_finance_reads_deliveries_but_cannot_resend(portal_isv):
    app = factories.make_app(isv=portal_isv)
    delivery = make_delivery(make_endpoint(app))
    client = member_client(portal_isv, MemberRole.FINANCE)

    assert client.get(reverse("portal:webhook_delivery", args=[delivery.pk])).status_code == 200
    assert client.post(reverse("portal:webhook_event_resend",
                               args=[delivery.event_id])).status_code == 403


def test_another_isvs_webhooks_are_404(portal_isv, owner_client):
    app = factories.make_app()
    endpoint = make_endpoint(app)
    delivery = make_delivery(endpoint)
    own_app = factories.make_app(isv=portal_isv)

    for method, name, args in (
        ("get", "portal:webhook_endpoints", [app.pk]),
        ("get", "portal:webhook_endpoint_create", [app.pk]),
        ("get", "portal:webhook_endpoint_edit", [app.pk, endpoint.pk]),
        ("get", "portal:webhook_endpoint_edit", [own_app.pk, endpoint.pk]),
        ("post", "portal:webhook_endpoint_disable", [app.pk, endpoint.pk]),
        ("post", "portal:webhook_endpoint_rotate_secret", [app.pk, endpoint.pk]),
        ("post", "portal:webhook_endpoint_send_test", [app.pk, endpoint.pk]),
        ("get", "portal:webhook_delivery", [delivery.pk]),
        ("post", "portal:webhook_event_resend", [delivery.event_id]),
    ):
        response = getattr(owner_client, method)(reverse(name, args=args), {"overlap_hours": 1})
        assert response.status_code == 404, name
    endpoint.refresh_from_db()
    assert endpoint.state == EndpointState.ENABLED


def test_deliveries_page_queries_do_not_grow_with_the_rows(portal_isv, owner_client,
                                                          django_assert_max_num_queries):
    def fill(count):
        for _ in range(count):
            make_delivery(make_endpoint(factories.make_app(isv=portal_isv)))

    fill(1)
    with django_assert_max_num_queries(10) as few:
        owner_client.get(reverse("portal:webhook_deliveries"))
    fill(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        owner_client.get(reverse("portal:webhook_deliveries"))


def test_endpoint_list_queries_do_not_grow_with_the_rows(portal_isv, owner_client,
                                                        django_assert_max_num_queries):
    app = factories.make_app(isv=portal_isv)
    url = reverse("portal:webhook_endpoints", args=[app.pk])
    make_delivery(make_endpoint(app))
    with django_assert_max_num_queries(10) as few:
        owner_client.get(url)
    for _ in range(10):
        make_delivery(make_endpoint(app))
    with django_assert_max_num_queries(len(few.captured_queries)):
        owner_client.get(url)


# --- event types -----------------------------------------------------------------------------


def test_the_event_type_catalogue_lists_every_type_with_its_fields(portal_isv, owner_client):
    content = owner_client.get(reverse("portal:event_types")).content.decode()

    for name in event_types():
        assert f'id="{name}"' in content
    assert "<code>merchant_id</code>" in content
