"""The outbox and delivery services: one event per committed change, fan-out, retries,
giving up, disabling, resending and the sweeper."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from isv.services.apps import app_create
from isv.services.team import isv_member_add
from openplatform.events import services
from openplatform.events.choices import AttemptOutcome, DeliveryState, EndpointState
from openplatform.events.models import Delivery, Event, WebhookEndpoint
from openplatform.events.tasks import deliver_webhooks
from tests import factories
from tests.events.receiver import Reply

pytestmark = pytest.mark.django_db


def _emit(isv, app=None, type="merchant.activated"):
    return services.event_emit(type=type, isv=isv, app=app, data={"merchant_id": "1"})


def test_a_committed_change_emits_exactly_one_event_and_fans_it_out(
        isv, endpoint, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        isv_member_add(isv=isv, user=factories.make_user(), role="developer",
                                    actor=None)

    [event] = Event.objects.filter(type="isv.member_added")
    [message] = receiver.received
    assert message.headers["webhook-id"] == event.webhook_id
    assert b'"type":"isv.member_added"' in message.body


def test_an_app_event_goes_only_to_that_apps_endpoints(
        isv, endpoint, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        app = app_create(isv=isv, actor=None, name="POS",
                                      redirect_uris="https://pos.example.com/cb")[0]
    assert Event.objects.filter(type="app.created", app=app).count() == 1
    assert receiver.received == []


def test_a_change_that_rolls_back_emits_no_event_and_queues_nothing(
        isv, endpoint, receiver, django_capture_on_commit_callbacks):
    with (django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError),
          transaction.atomic()):
        _emit(isv)
        raise RuntimeError("the change fails after its event was written")
    assert not Event.objects.filter(type="merchant.activated").exists()
    assert callbacks == []
    assert receiver.received == []


def test_an_unregistered_event_type_is_refused(isv):
    with pytest.raises(RuntimeError, match="No plugin declares"), transaction.atomic():
        services.event_emit(type="merchant.teleported", isv=isv, data={})


def test_event_emit_outside_a_transaction_is_refused(isv):
    outside = mock.Mock(in_atomic_block=False)
    with mock.patch("openplatform.events.services.transaction.get_connection",
                    return_value=outside), pytest.raises(RuntimeError, match="transaction"):
        _emit(isv)


def test_fan_out_respects_apps_event_types_and_state(isv, sandbox_app, receiver):
    other_app = factories.make_app(isv=isv)
    wants_all, _ = services.webhook_endpoint_create(app=sandbox_app, actor=None,
                                                    url=receiver.url, event_types=["*"])
    wants_other, _ = services.webhook_endpoint_create(app=other_app, actor=None,
                                                      url=receiver.url,
                                                      event_types=["merchant.rejected"])
    disabled, _ = services.webhook_endpoint_create(app=other_app, actor=None, url=receiver.url,
                                                   event_types=["*"])
    services.webhook_endpoint_disable(endpoint=disabled, actor=None)
    foreign, _ = services.webhook_endpoint_create(app=factories.make_app(), actor=None,
                                                  url=receiver.url, event_types=["*"])

    with transaction.atomic():
        isv_wide = _emit(isv)
        app_only = _emit(isv, app=other_app, type="app.suspended")

    assert set(isv_wide.deliveries.values_list("endpoint", flat=True)) == {wants_all.pk}
    assert not app_only.deliveries.exists()  # other_app's live endpoint wants merchant.rejected
    assert foreign.pk and wants_other.pk


def _pending_delivery(isv, endpoint):
    with transaction.atomic():
        event = _emit(isv)
    return Delivery.objects.get(event=event, endpoint=endpoint)


def test_a_2xx_delivers_and_logs_the_attempt(isv, endpoint, receiver):
    receiver.replies.append(Reply(status=204, body=b""))
    delivery = _pending_delivery(isv, endpoint)

    assert services.delivery_attempt(delivery_id=delivery.pk, version=0) == "delivered"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempt_count, delivery.next_attempt_at) == (
        DeliveryState.DELIVERED, 1, None)
    [attempt] = delivery.attempts.all()
    assert (attempt.outcome, attempt.status_code) == (AttemptOutcome.DELIVERED, 204)
    assert attempt.latency_ms >= 0


def test_a_stale_or_duplicate_message_does_nothing(isv, endpoint, receiver):
    delivery = _pending_delivery(isv, endpoint)
    services.delivery_attempt(delivery_id=delivery.pk, version=0)

    assert services.delivery_attempt(delivery_id=delivery.pk, version=0) is None
    assert len(receiver.received) == 1


def test_a_failure_is_retried_with_backoff_and_the_response_is_truncated(
        isv, endpoint, receiver):
    receiver.replies.append(Reply(status=500, body=b"x" * 5000))
    delivery = _pending_delivery(isv, endpoint)
    before = timezone.now()

    assert services.delivery_attempt(delivery_id=delivery.pk, version=0) == "pending"
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    first_delay = services.webhook_setting("RETRY_SCHEDULE")[0]
    assert before + timedelta(seconds=first_delay * 0.89) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + timedelta(seconds=first_delay * 1.11)
    assert endpoint.failing_since is not None
    [attempt] = delivery.attempts.all()
    assert (attempt.outcome, attempt.status_code) == (AttemptOutcome.HTTP_ERROR, 500)
    assert len(attempt.response_excerpt) == 1024


def test_a_timeout_is_an_attempt_that_timed_out(isv, endpoint, receiver, settings):
    settings.WEBHOOKS = {**settings.WEBHOOKS, "TIMEOUT_SECONDS": 0.2}
    receiver.replies.append(Reply(delay_seconds=0.6))
    delivery = _pending_delivery(isv, endpoint)

    services.delivery_attempt(delivery_id=delivery.pk, version=0)
    assert delivery.attempts.get().outcome == AttemptOutcome.TIMEOUT


def test_a_closed_port_is_a_connection_error(isv, sandbox_app):
    endpoint, _ = services.webhook_endpoint_create(app=sandbox_app, actor=None,
                                                   url="http://127.0.0.1:9/hooks",
                                                   event_types=["*"])
    delivery = _pending_delivery(isv, endpoint)
    services.delivery_attempt(delivery_id=delivery.pk, version=0)
    assert delivery.attempts.get().outcome == AttemptOutcome.CONNECTION_ERROR


def test_the_retry_schedule_spans_about_three_days():
    schedule = services.webhook_setting("RETRY_SCHEDULE")
    assert timedelta(days=2.5) <= timedelta(seconds=sum(schedule)) <= timedelta(days=3.5)
    assert services.retry_delay(len(schedule) + 1) is None


def test_the_last_failed_attempt_gives_up(isv, endpoint, receiver):
    receiver.replies.append(Reply(status=503))
    delivery = _pending_delivery(isv, endpoint)
    last = len(services.webhook_setting("RETRY_SCHEDULE"))
    Delivery.objects.filter(pk=delivery.pk).update(attempt_count=last)

    assert services.delivery_attempt(delivery_id=delivery.pk, version=last) == "failed"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.next_attempt_at) == (DeliveryState.FAILED, None)


def test_410_gone_disables_the_endpoint_and_tells_the_isv(
        isv, endpoint, receiver, django_capture_on_commit_callbacks):
    receiver.replies.append(Reply(status=410))
    delivery = _pending_delivery(isv, endpoint)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.delivery_attempt(delivery_id=delivery.pk, version=0) == "failed"
    endpoint.refresh_from_db()
    assert endpoint.state == EndpointState.DISABLED
    assert "410" in endpoint.disabled_reason
    notice = Event.objects.get(type="webhook_endpoint.disabled")
    assert notice.payload["data"]["endpoint_id"] == str(endpoint.pk)
    [email] = mail.outbox
    assert endpoint.url in email.subject and isv.contact_email in email.to


def test_an_endpoint_failing_for_five_days_is_disabled(isv, endpoint, receiver):
    receiver.replies.append(Reply(status=500))
    delivery = _pending_delivery(isv, endpoint)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        failing_since=timezone.now() - timedelta(days=5, minutes=1))

    assert services.delivery_attempt(delivery_id=delivery.pk, version=0) == "failed"
    endpoint.refresh_from_db()
    assert endpoint.state == EndpointState.DISABLED


def test_the_daily_check_disables_long_failing_endpoints_even_without_attempts(isv, endpoint):
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        failing_since=timezone.now() - timedelta(days=6))
    assert services.endpoints_disable_long_failing() == 1
    endpoint.refresh_from_db()
    assert endpoint.state == EndpointState.DISABLED
    assert services.endpoints_disable_long_failing() == 0


def test_a_success_clears_failing_since(isv, endpoint, receiver):
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now())
    delivery = _pending_delivery(isv, endpoint)
    services.delivery_attempt(delivery_id=delivery.pk, version=0)
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None


def test_disabling_an_endpoint_gives_up_its_pending_deliveries(isv, endpoint):
    delivery = _pending_delivery(isv, endpoint)
    services.webhook_endpoint_disable(endpoint=endpoint, actor=None, reason="maintenance")
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED


def test_the_sweeper_requeues_deliveries_whose_message_was_lost(isv, endpoint, receiver):
    delivery = _pending_delivery(isv, endpoint)  # its message was "lost": never ran
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())

    assert services.deliveries_sweep() == 1  # eager tasks: it runs now
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert len(receiver.received) == 1


def test_the_sweeper_requeues_a_delivery_whose_worker_died(isv, endpoint, receiver):
    delivery = _pending_delivery(isv, endpoint)
    # A worker claimed it (attempt 1) and died before recording anything; the lease ran out.
    Delivery.objects.filter(pk=delivery.pk).update(attempt_count=1,
                                                   next_attempt_at=timezone.now())
    assert services.deliveries_sweep() == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempt_count) == (DeliveryState.DELIVERED, 2)


def test_the_sweeper_leaves_deliveries_whose_lease_has_not_ended(isv, endpoint, receiver):
    _pending_delivery(isv, endpoint)  # leased until now + LEASE_SECONDS
    assert services.deliveries_sweep() == 0
    assert receiver.received == []


def test_a_broker_outage_does_not_fail_the_change(isv, endpoint,
                                                  django_capture_on_commit_callbacks):
    with mock.patch.object(deliver_webhooks, "apply_async", side_effect=ConnectionError("down")), \
            django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = _emit(isv)
    delivery = Delivery.objects.get(event=event)
    # Left to the sweeper.
    assert (delivery.state, delivery.attempt_count) == (DeliveryState.PENDING, 0)


def test_resend_delivers_again_and_reaches_endpoints_added_since(
        isv, sandbox_app, endpoint, receiver, django_capture_on_commit_callbacks):
    delivery = _pending_delivery(isv, endpoint)
    deliver_webhooks([[delivery.pk, 0]])
    added_later, _ = services.webhook_endpoint_create(app=sandbox_app, actor=None,
                                                      url=receiver.url, event_types=["*"])

    with django_capture_on_commit_callbacks(execute=True):
        deliveries = services.event_resend(event=delivery.event, actor=None)

    assert {item.endpoint_id for item in deliveries} == {endpoint.pk, added_later.pk}
    assert len(receiver.received) == 3
    assert len({message.headers["webhook-id"] for message in receiver.received}) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempt_count) == (DeliveryState.DELIVERED, 2)


def test_a_test_event_goes_to_its_endpoint_only(isv, sandbox_app, endpoint, receiver,
                                                 django_capture_on_commit_callbacks):
    services.webhook_endpoint_create(app=sandbox_app, actor=None, url=receiver.url,
                                     event_types=["*"])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.webhook_endpoint_send_test(endpoint=endpoint, actor=None)
    assert len(receiver.received) == 1


@pytest.mark.parametrize(("event_types", "code"), [
    ([], "invalid_event_types"), (["merchant.teleported"], "invalid_event_types")])
def test_endpoint_validation_reports_each_field(sandbox_app, event_types, code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.webhook_endpoint_create(app=sandbox_app, actor=None, url="gopher://x",
                                         event_types=event_types)
    assert error.value.error_dict["event_types"][0].code == code
    assert error.value.error_dict["url"][0].code == "webhook_url_refused"


def test_rotation_overlap_is_bounded(endpoint):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=None,
                                                overlap=timedelta(days=8))


def test_endpoint_changes_are_audited(endpoint):
    from openplatform.audit.models import AuditEvent

    services.webhook_endpoint_update(endpoint=endpoint, actor=None, event_types=["isv.approved"])
    services.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=None)
    actions = list(AuditEvent.objects.filter(target_id=str(endpoint.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["webhook_endpoint.created", "webhook_endpoint.updated",
                       "webhook_endpoint.secret_rotated"]


def test_one_transaction_queues_its_deliveries_in_one_message(
        isv, endpoint, receiver, django_capture_on_commit_callbacks):
    with mock.patch.object(deliver_webhooks, "apply_async") as publish, \
            django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        events = [_emit(isv) for _ in range(3)]
    [call] = publish.call_args_list
    assert call.kwargs["args"] == ([[Delivery.objects.get(event=event).pk, 0]
                                    for event in events],)


def test_a_batch_whose_first_event_rolled_back_still_sends_the_others(
        isv, endpoint, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            _emit(isv)
            raise RuntimeError("this part of the change rolls back")
        kept = _emit(isv)
    assert Delivery.objects.get(event=kept).state == DeliveryState.DELIVERED
    assert len(receiver.received) == 1
