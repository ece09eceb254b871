"""The webhook-endpoint and event API through real client-credentials tokens: happy paths,
validation, state, scopes, tenancy and query counts. Another ISV's ids on every detail and
action route are in tests/api/test_tenancy_matrix.py."""

import socket
from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient
from standardwebhooks.webhooks import Webhook

from isv.choices import AppEnvironment
from openplatform.audit.models import AuditEvent
from openplatform.events import registry, services
from openplatform.events.choices import AttemptOutcome, DeliveryState, EndpointState
from openplatform.events.models import Delivery, Event, WebhookEndpoint
from openplatform.models import IdempotencyRecord
from tests import factories
from tests.api.isv_api_support import client_for
from tests.events.receiver import Reply

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
ENDPOINTS = "/api/v1/webhook-endpoints/"
EVENTS = "/api/v1/events/"
HOOK_URL = "https://hooks.example.com/open-platform"
PUBLIC_ADDRESS = "93.184.216.34"
NAMES = {"hooks.example.com": PUBLIC_ADDRESS, "intranet.example.com": "10.20.30.40"}
_getaddrinfo = socket.getaddrinfo


@pytest.fixture(autouse=True)
def fake_dns():
    """The example.com names resolve without a network; the loopback still resolves for real
    (the receiver and the test client's own connections)."""

    def getaddrinfo(host, port, *args, **kwargs):
        if host in NAMES:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (NAMES[host], port or 443))]
        return _getaddrinfo(host, port, *args, **kwargs)

    with mock.patch("openplatform.events.destinations.socket.getaddrinfo",
                    side_effect=getaddrinfo):
        yield


@pytest.fixture
def production_app(isv):
    return factories.make_app(isv=isv, environment=AppEnvironment.PRODUCTION)


def make_endpoint(app, *, url: str = HOOK_URL, event_types=("*",), **fields) -> WebhookEndpoint:
    endpoint, _secret = services.webhook_endpoint_create(
        app=app, actor=None, url=url, event_types=list(event_types), **fields)
    return endpoint


def emit(app, type: str = "merchant.activated", *, about_app: bool = True, **data) -> Event:
    """An event as a service writes it, inside the transaction of its change."""
    with transaction.atomic():
        return services.event_emit(type=type, isv=app.isv, app=app if about_app else None,
                                   data={"merchant_id": "1", "state": "active", **data})


def create_body(app, /, **overrides) -> dict:
    return {"app": app.pk, "url": HOOK_URL, "event_types": ["merchant.activated"],
            "description": "Production receiver", **overrides}


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def field_codes(response) -> set[tuple[str, str]]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == "validation_error"
    return {(error["field"], error["code"]) for error in body["errors"]}


def assert_problem(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == code


# --- Webhook endpoints: create -----------------------------------------------------------------


def test_create_shows_the_signing_secret_this_once(production_app):
    api = client_for(production_app)
    response = api.post(ENDPOINTS, create_body(production_app), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    secret = body["secret"]
    assert secret.startswith("whsec_")
    assert (body["app"], body["url"], body["event_types"], body["state"]) == (
        production_app.pk, HOOK_URL, ["merchant.activated"], "enabled")
    endpoint = WebhookEndpoint.objects.get(pk=body["id"])
    assert secret not in endpoint.secret_ciphertext
    assert services.signing_secrets(endpoint) == [secret]
    assert AuditEvent.objects.filter(action="webhook_endpoint.created").count() == 1
    for later in (api.get(ENDPOINTS), api.get(f"{ENDPOINTS}{endpoint.pk}/")):
        assert later.status_code == 200
        assert secret not in later.content.decode()
        assert b'"secret"' not in later.content


@pytest.mark.parametrize(("environment", "url"), [
    (AppEnvironment.SANDBOX, "ftp://hooks.example.com/in"),
    (AppEnvironment.SANDBOX, "hooks.example.com/in"),
    (AppEnvironment.PRODUCTION, "http://hooks.example.com/in"),
    (AppEnvironment.PRODUCTION, "https://169.254.169.254/latest/meta-data/"),
    (AppEnvironment.SANDBOX, "http://169.254.169.254/latest/meta-data/"),
    (AppEnvironment.PRODUCTION, "https://10.0.0.8/in"),
    (AppEnvironment.SANDBOX, "https://192.168.1.20/in"),
    (AppEnvironment.PRODUCTION, "https://127.0.0.1/in"),
    (AppEnvironment.PRODUCTION, "https://intranet.example.com/in"),
    (AppEnvironment.PRODUCTION, "https://user:password@hooks.example.com/in"),
])
def test_create_refuses_unsafe_urls_as_a_field_error(isv, environment, url):
    app = factories.make_app(isv=isv, environment=environment)
    response = client_for(app).post(ENDPOINTS, create_body(app, url=url), format="json")
    assert ("url", "webhook_url_refused") in field_codes(response)
    assert not WebhookEndpoint.objects.exists()


def test_a_sandbox_app_may_point_at_its_own_machine(app):
    response = client_for(app).post(
        ENDPOINTS, create_body(app, url="http://127.0.0.1:8000/hooks"), format="json")
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"event_types": ["merchant.activated", "merchant.nope"]},
     {("event_types", "invalid_event_types")}),
    ({"event_types": []}, {("event_types", "empty")}),
    ({"event_types": "merchant.activated"}, {("event_types", "not_a_list")}),
    ({"colour": "red"}, {("colour", "unknown_field")}),
    ({"url": None}, {("url", "null")}),
    ({"description": "x" * 201}, {("description", "max_length")}),
    ({"app": 999999999}, {("app", "does_not_exist")}),
])
def test_create_reports_field_errors_as_problem(app, overrides, expected):
    response = client_for(app).post(ENDPOINTS, create_body(app, **overrides), format="json")
    assert expected <= field_codes(response)
    assert not WebhookEndpoint.objects.exists()


def test_url_and_event_type_errors_come_together(production_app):
    response = client_for(production_app).post(
        ENDPOINTS, create_body(production_app, url="https://10.0.0.8/in",
                               event_types=["nope.happened"]), format="json")
    assert field_codes(response) == {("url", "webhook_url_refused"),
                                     ("event_types", "invalid_event_types")}


def test_an_app_of_another_isv_is_a_field_error(app):
    stranger = factories.make_app()
    response = client_for(app).post(ENDPOINTS, create_body(stranger), format="json")
    assert field_codes(response) == {("app", "does_not_exist")}
    assert not WebhookEndpoint.objects.exists()


def test_create_replayed_with_its_idempotency_key_returns_the_same_body(app):
    api = client_for(app)
    body = create_body(app)
    first = api.post(ENDPOINTS, body, format="json", HTTP_IDEMPOTENCY_KEY="endpoint-1")
    replay = api.post(ENDPOINTS, body, format="json", HTTP_IDEMPOTENCY_KEY="endpoint-1")
    assert first.status_code == 201, first.content
    assert (replay.status_code, replay.json()) == (201, first.json())
    assert replay["Idempotent-Replayed"] == "true"
    assert WebhookEndpoint.objects.count() == 1
    # The replay shows the secret again, but the stored first response keeps it encrypted.
    stored = str(IdempotencyRecord.objects.get(key="endpoint-1").response_body)
    assert first.json()["secret"] not in stored and "whsec_" not in stored
    other_body = api.post(ENDPOINTS, {**body, "description": "another"}, format="json",
                          HTTP_IDEMPOTENCY_KEY="endpoint-1")
    assert_problem(other_body, 422, "idempotency_key_reused")


def test_the_idempotency_record_of_a_create_is_kept_per_app(app):
    """The replayed body holds the secret; only the same app's key can reach it."""
    body = create_body(app)
    client_for(app).post(ENDPOINTS, body, format="json", HTTP_IDEMPOTENCY_KEY="shared-key")
    sibling = factories.make_app(isv=app.isv)
    response = client_for(sibling).post(ENDPOINTS, body, format="json",
                                        HTTP_IDEMPOTENCY_KEY="shared-key")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert IdempotencyRecord.objects.count() == 2
    assert WebhookEndpoint.objects.count() == 2


# --- Webhook endpoints: read -------------------------------------------------------------------


def test_list_filters_by_app_and_state(app):
    sibling = factories.make_app(isv=app.isv)
    first, second = make_endpoint(app), make_endpoint(app)
    on_sibling = make_endpoint(sibling)
    services.webhook_endpoint_disable(endpoint=second, actor=None)
    make_endpoint(factories.make_app())  # another ISV's
    api = client_for(app)

    assert {row["id"] for row in results(api.get(ENDPOINTS))} == {first.pk, second.pk,
                                                                  on_sibling.pk}
    assert {row["id"] for row in results(api.get(f"{ENDPOINTS}?app={app.pk}"))} == {
        first.pk, second.pk}
    assert [row["id"] for row in results(api.get(f"{ENDPOINTS}?state=disabled"))] == [second.pk]
    assert [row["id"] for row in results(
        api.get(f"{ENDPOINTS}?app={app.pk}&state=enabled"))] == [first.pk]
    assert ("state", "invalid_choice") in field_codes(api.get(f"{ENDPOINTS}?state=bogus"))


def test_list_paginates_by_cursor(app):
    made = [make_endpoint(app) for _ in range(3)]
    api = client_for(app)
    first = api.get(f"{ENDPOINTS}?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    seen = [row["id"] for row in first["results"] + second["results"]]
    assert seen == [endpoint.pk for endpoint in reversed(made)]


def test_retrieve_an_endpoint(app):
    endpoint = make_endpoint(app, event_types=["merchant.activated", "merchant.rejected"],
                             description="Till receiver")
    body = client_for(app).get(f"{ENDPOINTS}{endpoint.pk}/").json()
    assert body == {
        "id": endpoint.pk, "app": app.pk, "url": HOOK_URL, "description": "Till receiver",
        "event_types": ["merchant.activated", "merchant.rejected"], "state": "enabled",
        "disabled_reason": "", "failing_since": None, "secret_rotation_ends_at": None,
        "created_at": body["created_at"], "updated_at": body["updated_at"],
    }


# --- Webhook endpoints: change -----------------------------------------------------------------


def test_patch_changes_only_what_is_sent(app):
    endpoint = make_endpoint(app, description="Till receiver")
    response = client_for(app).patch(f"{ENDPOINTS}{endpoint.pk}/",
                                     {"event_types": ["merchant.activated"]}, format="json")
    assert response.status_code == 200, response.content
    endpoint.refresh_from_db()
    assert (endpoint.event_types, endpoint.url, endpoint.description) == (
        ["merchant.activated"], HOOK_URL, "Till receiver")
    assert AuditEvent.objects.filter(action="webhook_endpoint.updated").count() == 1


@pytest.mark.parametrize(("body", "expected"), [
    ({"url": "https://169.254.169.254/"}, ("url", "webhook_url_refused")),
    ({"url": "http://hooks.example.com/in"}, ("url", "webhook_url_refused")),
    ({"event_types": []}, ("event_types", "empty")),
    ({"event_types": ["nope.happened"]}, ("event_types", "invalid_event_types")),
    ({"app": 1}, ("app", "unknown_field")),
    ({"state": "disabled"}, ("state", "unknown_field")),
])
def test_patch_refuses_bad_values_and_changes_nothing(production_app, body, expected):
    endpoint = make_endpoint(production_app)
    response = client_for(production_app).patch(f"{ENDPOINTS}{endpoint.pk}/", body,
                                                format="json")
    assert expected in field_codes(response)
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.event_types, endpoint.state) == (HOOK_URL, ["*"], "enabled")


def test_delete_removes_the_endpoint_and_keeps_the_events(app):
    endpoint = make_endpoint(app)
    event = emit(app)
    api = client_for(app)

    response = api.delete(f"{ENDPOINTS}{endpoint.pk}/")

    assert response.status_code == 204
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert not Delivery.objects.exists()
    assert Event.objects.filter(pk=event.pk).exists()
    assert_problem(api.get(f"{ENDPOINTS}{endpoint.pk}/"), 404, "not_found")


def test_rotate_secret_returns_a_new_one_and_both_sign_during_the_overlap(app):
    api = client_for(app)
    created = api.post(ENDPOINTS, create_body(app), format="json").json()

    response = api.post(f"{ENDPOINTS}{created['id']}/rotate-secret", {"overlap_hours": 2},
                        format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["secret"].startswith("whsec_") and body["secret"] != created["secret"]
    signs_until = parse_datetime(body["previous_secret_signs_until"])
    assert abs(signs_until - (timezone.now() + timedelta(hours=2))) < timedelta(minutes=1)
    endpoint = WebhookEndpoint.objects.get(pk=created["id"])
    assert services.signing_secrets(endpoint) == [body["secret"], created["secret"]]
    detail = api.get(f"{ENDPOINTS}{endpoint.pk}/").json()
    assert parse_datetime(detail["secret_rotation_ends_at"]) == signs_until
    assert body["secret"] not in str(detail)


def test_rotate_secret_defaults_to_a_day_and_zero_ends_the_old_secret_now(app):
    endpoint = make_endpoint(app)
    api = client_for(app)
    default = api.post(f"{ENDPOINTS}{endpoint.pk}/rotate-secret").json()
    signs_until = parse_datetime(default["previous_secret_signs_until"])
    assert abs(signs_until - (timezone.now() + timedelta(hours=24))) < timedelta(minutes=1)

    at_once = api.post(f"{ENDPOINTS}{endpoint.pk}/rotate-secret", {"overlap_hours": 0},
                       format="json").json()
    assert at_once["previous_secret_signs_until"] is None
    endpoint.refresh_from_db()
    assert services.signing_secrets(endpoint) == [at_once["secret"]]


@pytest.mark.parametrize("overlap_hours", [-1, 169, "soon", None])
def test_rotate_secret_refuses_an_overlap_out_of_range(app, overlap_hours):
    endpoint = make_endpoint(app)
    ciphertext = endpoint.secret_ciphertext
    response = client_for(app).post(f"{ENDPOINTS}{endpoint.pk}/rotate-secret",
                                    {"overlap_hours": overlap_hours}, format="json")
    assert {field for field, _code in field_codes(response)} == {"overlap_hours"}
    endpoint.refresh_from_db()
    assert endpoint.secret_ciphertext == ciphertext


def test_rotate_secret_replayed_with_its_idempotency_key_rotates_once(app):
    endpoint = make_endpoint(app)
    api = client_for(app)
    first = api.post(f"{ENDPOINTS}{endpoint.pk}/rotate-secret", {}, format="json",
                     HTTP_IDEMPOTENCY_KEY="rotate-1")
    replay = api.post(f"{ENDPOINTS}{endpoint.pk}/rotate-secret", {}, format="json",
                      HTTP_IDEMPOTENCY_KEY="rotate-1")
    assert replay.json() == first.json()
    endpoint.refresh_from_db()
    assert services.signing_secrets(endpoint)[0] == first.json()["secret"]
    assert AuditEvent.objects.filter(action="webhook_endpoint.secret_rotated").count() == 1


def test_disable_then_enable(app):
    endpoint = make_endpoint(app)
    api = client_for(app)

    disabled = api.post(f"{ENDPOINTS}{endpoint.pk}/disable")
    assert (disabled.status_code, disabled.json()["state"]) == (200, "disabled")
    assert_problem(api.post(f"{ENDPOINTS}{endpoint.pk}/disable"), 409, "illegal_transition")

    enabled = api.post(f"{ENDPOINTS}{endpoint.pk}/enable")
    assert (enabled.status_code, enabled.json()["state"]) == (200, "enabled")
    assert_problem(api.post(f"{ENDPOINTS}{endpoint.pk}/enable"), 409, "illegal_transition")
    endpoint.refresh_from_db()
    assert endpoint.state == EndpointState.ENABLED


def test_disable_gives_up_what_was_pending_for_the_endpoint(app):
    endpoint = make_endpoint(app)
    emit(app)
    client_for(app).post(f"{ENDPOINTS}{endpoint.pk}/disable")
    assert list(Delivery.objects.values_list("state", flat=True)) == [DeliveryState.FAILED]


def test_enable_and_disable_take_no_body(app):
    endpoint = make_endpoint(app)
    response = client_for(app).post(f"{ENDPOINTS}{endpoint.pk}/disable", {"reason": "x"},
                                    format="json")
    assert field_codes(response) == {("reason", "unknown_field")}


# --- Webhook endpoints: test event -------------------------------------------------------------


def test_test_event_reaches_the_receiver_signed_with_the_created_secret(
        app, receiver, django_capture_on_commit_callbacks):
    api = client_for(app)
    created = api.post(ENDPOINTS, create_body(app, url=receiver.url), format="json").json()

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{ENDPOINTS}{created['id']}/test")

    assert response.status_code == 202, response.content
    queued = response.json()
    assert queued["type"] == "webhook_endpoint.test"
    [received] = receiver.received
    payload = Webhook(created["secret"]).verify(received.body, received.headers)
    assert payload["id"] == received.headers["webhook-id"] == queued["webhook_id"]
    assert payload["type"] == "webhook_endpoint.test"
    assert payload["data"]["endpoint_id"] == str(created["id"])
    delivery = Delivery.objects.get(event_id=queued["id"])
    assert (delivery.state, delivery.attempt_count) == (DeliveryState.DELIVERED, 1)


def test_test_event_goes_to_that_endpoint_only(app, receiver,
                                               django_capture_on_commit_callbacks):
    endpoint = make_endpoint(app, url=receiver.url)
    make_endpoint(app, url=receiver.url.replace("/hooks", "/other"))
    with django_capture_on_commit_callbacks(execute=True):
        client_for(app).post(f"{ENDPOINTS}{endpoint.pk}/test")
    assert [received.path for received in receiver.received] == ["/hooks"]


def test_test_event_to_a_disabled_endpoint_is_409(app):
    endpoint = make_endpoint(app)
    services.webhook_endpoint_disable(endpoint=endpoint, actor=None)
    assert_problem(client_for(app).post(f"{ENDPOINTS}{endpoint.pk}/test"), 409,
                   "endpoint_disabled")
    assert not Event.objects.exists()


# --- Events ------------------------------------------------------------------------------------


def test_event_list_holds_only_the_callers_events(app):
    mine = [emit(app), emit(app, about_app=False)]
    emit(factories.make_app())  # another ISV's
    rows = results(client_for(app).get(EVENTS))
    assert [row["id"] for row in rows] == [str(event.pk) for event in reversed(mine)]
    assert rows[1]["webhook_id"] == mine[0].webhook_id
    assert rows[1]["data"] == {"merchant_id": "1", "state": "active"}
    assert rows[0]["app"] is None


def test_event_list_filters(app):
    sibling = factories.make_app(isv=app.isv)
    activated = emit(app, "merchant.activated")
    rejected = emit(app, "merchant.rejected")
    granted = emit(sibling, "authorization.granted")
    old = emit(app, "merchant.suspended")
    Event.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    api = client_for(app)

    def ids(query: str) -> set[str]:
        return {row["id"] for row in results(api.get(f"{EVENTS}?{query}"))}

    yesterday = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids("type=merchant.rejected") == {str(rejected.pk)}
    assert ids("type_prefix=merchant.") == {str(activated.pk), str(rejected.pk), str(old.pk)}
    assert ids(f"app={sibling.pk}") == {str(granted.pk)}
    assert ids(f"created_after={yesterday}") == {str(activated.pk), str(rejected.pk),
                                                 str(granted.pk)}
    assert ids(f"created_before={yesterday}") == {str(old.pk)}
    assert ids(f"app={factories.make_app().pk}") == set()
    assert {field for field, _code in field_codes(api.get(f"{EVENTS}?created_after=soon"))} \
        == {"created_after"}


def test_event_detail_shows_each_delivery_and_its_attempts(
        app, receiver, django_capture_on_commit_callbacks):
    endpoint = make_endpoint(app, url=receiver.url)
    receiver.replies.append(Reply(status=503, body=b"busy, later"))
    with django_capture_on_commit_callbacks(execute=True):
        event = emit(app)

    body = client_for(app).get(f"{EVENTS}{event.pk}/").json()

    assert (body["id"], body["type"]) == (str(event.pk), "merchant.activated")
    [delivery] = body["deliveries"]
    assert (delivery["endpoint"], delivery["url"], delivery["state"],
            delivery["attempt_count"], delivery["last_status_code"]) == (
        endpoint.pk, receiver.url, "pending", 1, 503)
    assert delivery["next_attempt_at"] is not None
    [attempt] = delivery["attempts"]
    assert (attempt["outcome"], attempt["status_code"], attempt["response_excerpt"]) == (
        AttemptOutcome.HTTP_ERROR, 503, "busy, later")


def test_resend_sends_the_same_event_again(app, receiver, django_capture_on_commit_callbacks):
    endpoint = make_endpoint(app, url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        event = emit(app)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(app).post(f"{EVENTS}{event.pk}/resend")

    assert response.status_code == 202, response.content
    [delivery] = response.json()["deliveries"]
    assert (delivery["endpoint"], delivery["state"]) == (endpoint.pk, "pending")
    assert [received.headers["webhook-id"] for received in receiver.received] == [
        event.webhook_id, event.webhook_id]
    assert Delivery.objects.get().state == DeliveryState.DELIVERED


def test_resend_reaches_an_endpoint_added_since(app):
    event = emit(app)
    endpoint = make_endpoint(app)
    response = client_for(app).post(f"{EVENTS}{event.pk}/resend")
    assert response.status_code == 202, response.content
    assert [delivery["endpoint"] for delivery in response.json()["deliveries"]] == [endpoint.pk]


def test_resending_a_test_event_goes_to_its_endpoint_only(app):
    tested, _other = make_endpoint(app), make_endpoint(app)
    event = client_for(app).post(f"{ENDPOINTS}{tested.pk}/test").json()
    response = client_for(app).post(f"{EVENTS}{event['id']}/resend")
    assert response.status_code == 202, response.content
    assert [delivery["endpoint"] for delivery in response.json()["deliveries"]] == [tested.pk]


@pytest.mark.parametrize("endpoint_setup", ["none", "disabled", "other_types", "other_app"])
def test_resend_without_an_endpoint_that_wants_it_is_409(app, endpoint_setup):
    if endpoint_setup == "disabled":
        services.webhook_endpoint_disable(endpoint=make_endpoint(app), actor=None)
    elif endpoint_setup == "other_types":
        make_endpoint(app, event_types=["merchant.rejected"])
    elif endpoint_setup == "other_app":
        make_endpoint(factories.make_app(isv=app.isv))
    event = emit(app)
    assert_problem(client_for(app).post(f"{EVENTS}{event.pk}/resend"), 409, "no_endpoint")
    assert not Delivery.objects.exists()


def test_event_types_are_public_with_their_payload_fields():
    response = APIClient().get("/api/v1/event-types/")
    assert response.status_code == 200
    types = {row["type"]: row for row in response.json()}
    assert types.keys() == registry.event_types().keys()
    activated = types["merchant.activated"]
    assert activated["description"]
    assert {"merchant_id", "external_id", "state", "reason_code"} <= activated["payload"].keys()
    assert all(activated["payload"].values())


# --- Scopes ------------------------------------------------------------------------------------


@pytest.fixture
def read_only_setup(app):
    endpoint = make_endpoint(app)
    event = emit(app)
    return client_for(app, scope="isv:read"), endpoint, event


WRITES = [
    ("post", ENDPOINTS, "create"),
    ("patch", ENDPOINTS + "{endpoint}/", {"description": "changed"}),
    ("delete", ENDPOINTS + "{endpoint}/", None),
    ("post", ENDPOINTS + "{endpoint}/rotate-secret", {}),
    ("post", ENDPOINTS + "{endpoint}/disable", None),
    ("post", ENDPOINTS + "{endpoint}/enable", None),
    ("post", ENDPOINTS + "{endpoint}/test", None),
    ("post", EVENTS + "{event}/resend", None),
]


@pytest.mark.parametrize(("method", "template", "body"), WRITES,
                         ids=[f"{method} {template}" for method, template, _body in WRITES])
def test_a_read_only_token_cannot_write(app, read_only_setup, method, template, body):
    api, endpoint, event = read_only_setup
    before = list(WebhookEndpoint.objects.values())
    audit_rows, events, deliveries = (AuditEvent.objects.count(), Event.objects.count(),
                                      Delivery.objects.count())
    body = create_body(app) if body == "create" else body
    response = getattr(api, method)(template.format(endpoint=endpoint.pk, event=event.pk), body,
                                    format="json")
    assert_problem(response, 403, "insufficient_scope")
    assert list(WebhookEndpoint.objects.values()) == before
    assert (AuditEvent.objects.count(), Event.objects.count(), Delivery.objects.count()) == (
        audit_rows, events, deliveries)


def test_a_read_only_token_can_read(read_only_setup):
    api, endpoint, event = read_only_setup
    for url in (ENDPOINTS, f"{ENDPOINTS}{endpoint.pk}/", EVENTS, f"{EVENTS}{event.pk}/"):
        assert api.get(url).status_code == 200, url


# --- Query counts ------------------------------------------------------------------------------


def _add_endpoints_and_events(app, count: int) -> None:
    sibling = factories.make_app(isv=app.isv)
    for _ in range(count):
        make_endpoint(app)
        make_endpoint(sibling)
        emit(app)


@pytest.mark.parametrize("url", [ENDPOINTS, EVENTS, f"{EVENTS}?type_prefix=merchant."])
def test_lists_take_the_same_queries_for_any_number_of_rows(
        app, url, django_assert_max_num_queries):
    api = client_for(app)
    _add_endpoints_and_events(app, 1)
    with django_assert_max_num_queries(3) as few_rows:
        assert len(results(api.get(url))) >= 1
    _add_endpoints_and_events(app, 10)
    with django_assert_max_num_queries(len(few_rows)):
        assert len(results(api.get(url))) >= 11


def _event_with_failed_attempts(app, *, endpoints: int, attempts: int) -> Event:
    for _ in range(endpoints):
        make_endpoint(app)
    event = emit(app)
    for delivery in event.deliveries.all():
        for _ in range(attempts):
            delivery.attempts.create(attempted_at=timezone.now(), latency_ms=5,
                                     outcome=AttemptOutcome.HTTP_ERROR, status_code=503)
    return event


def test_event_detail_takes_the_same_queries_for_any_number_of_deliveries(
        app, django_assert_max_num_queries):
    api = client_for(app)
    small = _event_with_failed_attempts(app, endpoints=1, attempts=1)
    with django_assert_max_num_queries(4) as one_delivery:
        assert len(api.get(f"{EVENTS}{small.pk}/").json()["deliveries"]) == 1
    large = _event_with_failed_attempts(app, endpoints=8, attempts=3)
    with django_assert_max_num_queries(len(one_delivery)):
        body = api.get(f"{EVENTS}{large.pk}/").json()
    assert len(body["deliveries"]) == 9
    assert {len(delivery["attempts"]) for delivery in body["deliveries"]} == {3}
