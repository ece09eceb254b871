"""The outbox and webhook delivery: every write of events, endpoints and deliveries.

Life of an event: a service calls ``event_emit`` inside its transaction, which writes the
event and one ``Delivery`` per endpoint that wants it; after commit one ``deliver_webhooks``
message per transaction claims each delivery in turn, POSTs it (Standard Webhooks signature)
and records the attempt. The database says what is due (``next_attempt_at``): a message the
broker lost, or a worker that died mid-POST, is made good by ``deliveries_sweep``, run by beat.

A queued message carries the delivery's ``attempt_count`` as a version: only the message
whose version still matches claims the delivery, so duplicates of a message do nothing.
"""

import json
import logging
import random
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from openplatform.audit.trail import audit_record
from openplatform.data import pii
from openplatform.data.validators import FieldErrors
from openplatform.errors import DomainError, FieldError
from openplatform.events import destinations, registry, sender, signing
from openplatform.events.choices import (
    ENDPOINT_TRANSITIONS,
    AttemptOutcome,
    DeliveryState,
    EndpointState,
)
from openplatform.events.errors import WebhookError, WebhookFieldError
from openplatform.events.models import Delivery, DeliveryAttempt, Event, WebhookEndpoint
from openplatform.transitions import lock, transition

logger = logging.getLogger(__name__)

# Deliveries per message: a worker process takes them one after the other.
BATCH_SIZE = 50

Actor = AbstractBaseUser | None


def webhook_setting(name: str) -> Any:
    return settings.WEBHOOKS[name]


def _lease_end():
    """While a worker holds a delivery: past it, the worker is presumed dead."""
    return timezone.now() + timedelta(seconds=webhook_setting("LEASE_SECONDS"))


def _queued_until():
    """While a delivery's message waits in the queue: past it, the message is presumed lost.
    Longer than a claim's lease, so a long queue is not flooded with copies."""
    return timezone.now() + timedelta(seconds=webhook_setting("QUEUE_LEASE_SECONDS"))


def _bookkeeping_commits_asynchronously() -> None:
    """Commit delivery bookkeeping without waiting for the disk (PostgreSQL): a crash may
    lose the last few records, and those deliveries are simply sent again (at least once)."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO off")


def _enqueue(task, *args) -> None:
    """Send a task message now; if the broker is down, the sweeper sends it later."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # the broker's own errors vary by transport
        logger.warning("Could not queue %s%r; the sweeper will.", task.name, args, exc_info=True)


# --- the outbox ------------------------------------------------------------------------------

def _event_create(*, type: str, isv: models.Model, app: models.Model | None,
                  data: dict[str, Any]) -> Event:
    if not registry.is_registered(type):
        raise RuntimeError(f"No plugin declares the event type {type!r}.")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Events must be written inside the transaction of the change.")
    return Event.objects.create(type=type, isv=isv, app=app, payload={"type": type, "data": data})


@dataclass(frozen=True)
class Emitted:
    """An outbox event as in-process subscribers get it: the row, and who made the change
    and why, so that what they do in turn is recorded as theirs (never sent anywhere)."""

    event: Event
    actor: Any = None
    reason: str = ""


def event_emit(*, type: str, isv: models.Model, app: models.Model | None = None,
               data: dict[str, Any], actor: Any = None, reason: str = "") -> Event:
    """Write the outbox row for ``type`` and its deliveries in the caller's transaction, then
    call the type's in-process subscribers with it, in the same transaction; the deliveries'
    messages are queued after commit. A change that rolls back takes all of it with it.

    ``actor`` and ``reason`` are the change's, for the subscribers only: event bodies carry
    identifiers and states, never free text."""
    event = _event_create(type=type, isv=isv, app=app, data=data)
    _deliveries_create(event, _endpoints_for(event))
    emitted = Emitted(event=event, actor=actor, reason=reason)
    for handler in registry.subscribers(type):
        handler(emitted)
    return event


def _deliveries_create(event: Event, endpoints: list[WebhookEndpoint]) -> list[Delivery]:
    """A pending delivery per endpoint of a new event, each queued once the transaction
    commits."""
    deliveries = Delivery.objects.bulk_create(
        [Delivery(event=event, endpoint=endpoint, next_attempt_at=_queued_until())
         for endpoint in endpoints])
    _queue_on_commit(deliveries)
    return deliveries


# Deliveries written by this thread's open transaction, queued together when it commits: one
# message per transaction, not per event, so a busy transaction costs the broker one publish.
_awaiting_commit = threading.local()


def _queue_on_commit(deliveries: list[Delivery]) -> None:
    """Queue ``deliveries`` after commit, in one batch with the transaction's others.

    Every call registers the flush, so the batch still goes if an earlier call's savepoint
    rolled back (taking its callback with it); a flush finding nothing to send does nothing,
    and an item whose delivery rolled back is claimed by nobody (its row does not exist). A
    batch left by a transaction that rolled back is dropped when the next one starts."""
    if not deliveries:
        return
    outermost = transaction.get_connection().atomic_blocks[0]
    if getattr(_awaiting_commit, "transaction", None) is not outermost:
        _awaiting_commit.transaction, _awaiting_commit.items = outermost, []
    _awaiting_commit.items.extend([delivery.pk, delivery.attempt_count]
                                  for delivery in deliveries)
    transaction.on_commit(_send_batch)


def _send_batch() -> None:
    from openplatform.events.tasks import deliver_webhooks

    items, _awaiting_commit.items = _awaiting_commit.items, []
    for start in range(0, len(items), BATCH_SIZE):
        _enqueue(deliver_webhooks, items[start:start + BATCH_SIZE])


def _endpoints_for(event: Event):
    endpoints = WebhookEndpoint.objects.filter(state=EndpointState.ENABLED)
    # An event about an app goes to that app's endpoints; one about the ISV (a merchant, the
    # ISV itself) to the endpoints of every app of the ISV.
    if event.app_id:
        endpoints = endpoints.filter(app_id=event.app_id)
    else:
        endpoints = endpoints.filter(app__isv_id=event.isv_id)
    if event.type == "webhook_endpoint.test":
        # A test event belongs to the one endpoint it was sent to, resent or not.
        endpoints = endpoints.filter(pk=event.payload["data"]["endpoint_id"])
    return [endpoint for endpoint in endpoints if endpoint.wants(event.type)]


def event_body(event: Event) -> bytes:
    """What a receiver gets: the same bytes on every attempt and to every endpoint."""
    return json.dumps({
        "id": event.webhook_id,
        "type": event.type,
        "created_at": event.created_at.isoformat(),
        "isv_id": str(event.isv_id),
        "app_id": str(event.app_id) if event.app_id else None,
        "data": event.payload.get("data", {}),
    }, ensure_ascii=False, separators=(",", ":")).encode()


# --- endpoints -------------------------------------------------------------------------------

def _event_types_errors(event_types: Any) -> list[str]:
    if not isinstance(event_types, list) or not event_types:
        return [_("List at least one event type, or \"*\" for all.")]
    unknown = [str(name) for name in event_types
               if name != "*" and not registry.is_registered(str(name))]
    if unknown:
        return [_("Unknown event types: %(types)s.") % {"types": ", ".join(unknown)}]
    return []


def _endpoint_validate(*, app: models.Model, url: str, event_types: Any, description: str) -> None:
    """Every field error at once, keyed and coded; nothing is saved when there is one."""
    errors: FieldErrors = {}
    try:
        destinations.check_url(url, sandbox=app.is_sandbox)
    except destinations.RefusedDestination as error:
        errors["url"] = [ValidationError(error.message, code=error.code)]
    type_errors = _event_types_errors(event_types)
    if type_errors:
        errors["event_types"] = [
            ValidationError(message, code=WebhookFieldError.INVALID_EVENT_TYPES)
            for message in type_errors]
    if len(description) > 200:
        errors["description"] = [ValidationError(
            _("Keep the description under 200 characters."), code=FieldError.MAX_LENGTH)]
    if errors:
        raise ValidationError(errors)


def _endpoint_snapshot(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {"url": endpoint.url, "event_types": endpoint.event_types, "state": endpoint.state,
            "description": endpoint.description}


@transaction.atomic
def webhook_endpoint_create(
    *, app: models.Model, actor: Actor, url: str, event_types: list[str], description: str = "",
) -> tuple[WebhookEndpoint, str]:
    """Add an endpoint to ``app``; returns it with its signing secret (shown this once)."""
    url = url.strip()
    _endpoint_validate(app=app, url=url, event_types=event_types, description=description)
    secret = signing.new_secret()
    endpoint = WebhookEndpoint.objects.create(
        app=app, url=url, event_types=list(dict.fromkeys(event_types)),
        description=description.strip(), secret_ciphertext=pii.encrypt(secret))
    audit_record(actor=actor, action="webhook_endpoint.created", target=endpoint,
                 after=_endpoint_snapshot(endpoint))
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, actor: Actor, url: str | None = None,
    event_types: list[str] | None = None, description: str | None = None,
) -> WebhookEndpoint:
    endpoint = lock(endpoint)
    before = _endpoint_snapshot(endpoint)
    url = endpoint.url if url is None else url.strip()
    event_types = endpoint.event_types if event_types is None else event_types
    description = endpoint.description if description is None else description.strip()
    _endpoint_validate(app=endpoint.app, url=url, event_types=event_types,
                       description=description)
    endpoint.url, endpoint.description = url, description
    endpoint.event_types = list(dict.fromkeys(event_types))
    endpoint.save(update_fields=["url", "event_types", "description", "updated_at"])
    audit_record(actor=actor, action="webhook_endpoint.updated", target=endpoint,
                 before=before, after=_endpoint_snapshot(endpoint))
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, actor: Actor) -> None:
    """Remove the endpoint and its delivery log; events stay (they belong to the ISV)."""
    endpoint = lock(endpoint)
    audit_record(actor=actor, action="webhook_endpoint.deleted", target=endpoint,
                 before=_endpoint_snapshot(endpoint))
    endpoint.delete()


def _endpoint_move(endpoint: WebhookEndpoint, to: str, *, actor: Actor, action: str,
                   reason: str = "") -> WebhookEndpoint:
    changes = {"disabled_reason": reason[:200] if to == EndpointState.DISABLED else ""}
    if to == EndpointState.ENABLED:
        changes["failing_since"] = None
    endpoint = transition(endpoint, to, transitions=ENDPOINT_TRANSITIONS, actor=actor,
                          action=action, reason=reason, changes=changes)
    if to == EndpointState.DISABLED:
        Delivery.objects.filter(endpoint=endpoint, state=DeliveryState.PENDING).update(
            state=DeliveryState.FAILED, next_attempt_at=None)
    return endpoint


@transaction.atomic
def webhook_endpoint_enable(*, endpoint: WebhookEndpoint, actor: Actor) -> WebhookEndpoint:
    return _endpoint_move(endpoint, EndpointState.ENABLED, actor=actor,
                          action="webhook_endpoint.enabled")


@transaction.atomic
def webhook_endpoint_disable(*, endpoint: WebhookEndpoint, actor: Actor,
                             reason: str = "") -> WebhookEndpoint:
    """Stop sending to the endpoint; what was still pending for it is given up."""
    return _endpoint_move(endpoint, EndpointState.DISABLED, actor=actor, reason=reason,
                          action="webhook_endpoint.disabled")


def _endpoint_disabled_by_platform(endpoint: WebhookEndpoint, *, reason: str) -> None:
    """The platform gives up on an endpoint: disable it, tell the ISV by event and by email."""
    endpoint = _endpoint_move(endpoint, EndpointState.DISABLED, actor=None, reason=reason,
                              action="webhook_endpoint.disabled")
    event_emit(type="webhook_endpoint.disabled", isv=endpoint.app.isv, app=endpoint.app, data={
        "endpoint_id": str(endpoint.pk), "app_id": str(endpoint.app_id), "url": endpoint.url,
        "state": endpoint.state, "disabled_reason": reason,
    })
    transaction.on_commit(lambda: _email_endpoint_disabled(endpoint, reason=reason))


def _email_endpoint_disabled(endpoint: WebhookEndpoint, *, reason: str) -> None:
    send_mail(
        _("Webhook endpoint disabled: %(url)s") % {"url": endpoint.url},
        _("The platform disabled the webhook endpoint %(url)s of the app %(app)s: %(reason)s "
          "Fix the receiver, then enable the endpoint again in the portal or through the API; "
          "you can resend the events it missed.")
        % {"url": endpoint.url, "app": endpoint.app, "reason": reason},
        None, endpoint.app.isv.notification_emails(), fail_silently=True,
    )


@transaction.atomic
def webhook_endpoint_rotate_secret(
    *, endpoint: WebhookEndpoint, actor: Actor, overlap: timedelta | None = None,
) -> str:
    """A new signing secret (returned once); the old one also signs until the overlap ends."""
    if overlap is None:
        overlap = timedelta(hours=webhook_setting("DEFAULT_SECRET_OVERLAP_HOURS"))
    longest = timedelta(hours=webhook_setting("MAX_SECRET_OVERLAP_HOURS"))
    if not timedelta(0) <= overlap <= longest:
        raise ValidationError(
            {"overlap_hours": _("Choose an overlap between 0 and %(hours)d hours.")
             % {"hours": webhook_setting("MAX_SECRET_OVERLAP_HOURS")}}, code=FieldError.INVALID)
    endpoint = lock(endpoint)
    secret = signing.new_secret()
    endpoint.previous_secret_ciphertext = endpoint.secret_ciphertext if overlap else ""
    endpoint.previous_secret_expires_at = timezone.now() + overlap if overlap else None
    endpoint.secret_ciphertext = pii.encrypt(secret)
    endpoint.save(update_fields=["secret_ciphertext", "previous_secret_ciphertext",
                                 "previous_secret_expires_at", "updated_at"])
    audit_record(actor=actor, action="webhook_endpoint.secret_rotated", target=endpoint,
                 after={"overlap_seconds": int(overlap.total_seconds())})
    return secret


def signing_secrets(endpoint: WebhookEndpoint) -> list[str]:
    """The secrets in force: the current one, and the previous one during an overlap."""
    in_force = [pii.decrypt(endpoint.secret_ciphertext)]
    expires_at = endpoint.previous_secret_expires_at
    if endpoint.previous_secret_ciphertext and expires_at and expires_at > timezone.now():
        in_force.append(pii.decrypt(endpoint.previous_secret_ciphertext))
    return in_force


@transaction.atomic
def webhook_endpoint_send_test(*, endpoint: WebhookEndpoint, actor: Actor) -> Delivery:
    """A ``webhook_endpoint.test`` event for this endpoint alone, queued now."""
    if endpoint.state != EndpointState.ENABLED:
        raise DomainError(_("Enable the endpoint before sending it a test event."),
                          code=WebhookError.ENDPOINT_DISABLED)
    event = _event_create(type="webhook_endpoint.test", isv=endpoint.app.isv, app=endpoint.app,
                          data={"endpoint_id": str(endpoint.pk), "app_id": str(endpoint.app_id),
                                "url": endpoint.url, "state": endpoint.state,
                                "disabled_reason": ""})
    [delivery] = _deliveries_create(event, [endpoint])
    audit_record(actor=actor, action="webhook_endpoint.test_sent", target=endpoint,
                 after={"event_id": str(event.pk)})
    return delivery


@transaction.atomic
def event_resend(*, event: Event, actor: Actor) -> list[Delivery]:
    """Send ``event`` again to every enabled endpoint that wants it, new ones included."""
    event = lock(event)
    endpoints = _endpoints_for(event)
    if not endpoints:
        raise DomainError(_("No enabled webhook endpoint wants this event type: add or enable "
                            "one first."), code=WebhookError.NO_ENDPOINT)
    queued_until = _queued_until()
    Delivery.objects.bulk_create(
        [Delivery(event=event, endpoint=endpoint, next_attempt_at=queued_until)
         for endpoint in endpoints], ignore_conflicts=True)
    deliveries = list(event.deliveries.filter(endpoint__in=endpoints))
    Delivery.objects.filter(pk__in=[delivery.pk for delivery in deliveries]).update(
        state=DeliveryState.PENDING, next_attempt_at=queued_until, delivered_at=None)
    audit_record(actor=actor, action="event.resent", target=event,
                 after={"endpoints": [str(endpoint.pk) for endpoint in endpoints]})
    _queue_on_commit(deliveries)
    return deliveries


# --- delivery --------------------------------------------------------------------------------

@transaction.atomic
def _claim(delivery_id: int, version: int) -> bool:
    _bookkeeping_commits_asynchronously()
    return bool(Delivery.objects.filter(
        pk=delivery_id, state=DeliveryState.PENDING, attempt_count=version,
    ).update(attempt_count=F("attempt_count") + 1, next_attempt_at=_lease_end()))


def _send(delivery: Delivery) -> tuple[str, sender.SendResult]:
    endpoint, event = delivery.endpoint, delivery.event
    try:
        destination = destinations.resolve(endpoint.url, sandbox=endpoint.app.is_sandbox)
    except destinations.RefusedDestination as error:
        return AttemptOutcome.REFUSED_ADDRESS, sender.SendResult(None, 0, error=str(error))
    body = event_body(event)
    timestamp = int(timezone.now().timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "OpenPlatform-Webhooks/1",
        "webhook-id": event.webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signing.signature_header(
            secrets=signing_secrets(endpoint), message_id=event.webhook_id,
            timestamp=timestamp, body=body),
    }
    result = sender.post(destination, body=body, headers=headers,
                         timeout_seconds=webhook_setting("TIMEOUT_SECONDS"))
    if result.status_code is not None and 200 <= result.status_code < 300:
        return AttemptOutcome.DELIVERED, result
    if result.status_code is not None:
        return AttemptOutcome.HTTP_ERROR, result
    if result.timed_out:
        return AttemptOutcome.TIMEOUT, result
    return AttemptOutcome.CONNECTION_ERROR, result


def retry_delay(attempts_made: int) -> timedelta | None:
    """How long to wait after ``attempts_made`` failed attempts, or None to give up.

    The schedule (settings.WEBHOOKS["RETRY_SCHEDULE"]) spans about three days; ±10 % jitter
    keeps a recovering receiver from being hit by every retry at once.
    """
    schedule = webhook_setting("RETRY_SCHEDULE")
    if attempts_made > len(schedule):
        return None
    seconds = schedule[attempts_made - 1]
    return timedelta(seconds=seconds * random.uniform(0.9, 1.1))


def delivery_attempt(*, delivery_id: int, version: int) -> str | None:
    """Claim the delivery, POST it, record the attempt; None when the message was stale.

    Runs outside a transaction on purpose: the claim is one UPDATE, the POST holds no lock,
    and a worker that dies mid-POST leaves a lease that the sweeper sees expire.
    """
    if not _claim(delivery_id, version):
        return None
    delivery = Delivery.objects.select_related("event", "endpoint__app").get(pk=delivery_id)
    if delivery.endpoint.state != EndpointState.ENABLED:
        Delivery.objects.filter(pk=delivery_id).update(state=DeliveryState.FAILED,
                                                       next_attempt_at=None)
        return DeliveryState.FAILED
    outcome, result = _send(delivery)
    return _delivery_record(delivery, outcome=outcome, result=result)


@transaction.atomic
def _delivery_record(delivery: Delivery, *, outcome: str, result: sender.SendResult) -> str:
    _bookkeeping_commits_asynchronously()
    now = timezone.now()
    DeliveryAttempt.objects.create(
        delivery=delivery, attempted_at=now, outcome=outcome, status_code=result.status_code,
        latency_ms=result.latency_ms, response_excerpt=result.excerpt, error=result.error)
    endpoint = delivery.endpoint
    if outcome == AttemptOutcome.DELIVERED:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.DELIVERED, delivered_at=now, next_attempt_at=None,
            last_status_code=result.status_code)
        if endpoint.failing_since:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
        return DeliveryState.DELIVERED
    state, next_attempt_at = _after_failure(delivery, status_code=result.status_code, now=now)
    Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING).update(
        state=state, next_attempt_at=next_attempt_at, last_status_code=result.status_code)
    return state


def _after_failure(delivery: Delivery, *, status_code: int | None, now) -> tuple[str, Any]:
    endpoint = delivery.endpoint
    if status_code == 410:
        _endpoint_disabled_by_platform(endpoint, reason=_("The endpoint answered 410 Gone."))
        return DeliveryState.FAILED, None
    if endpoint.failing_since is None:
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
            failing_since=now)
    elif now - endpoint.failing_since >= timedelta(days=webhook_setting("DISABLE_AFTER_DAYS")):
        _endpoint_disabled_by_platform(endpoint, reason=_(
            "Every delivery failed for %(days)d days.")
            % {"days": webhook_setting("DISABLE_AFTER_DAYS")})
        return DeliveryState.FAILED, None
    delay = retry_delay(delivery.attempt_count)  # the claim counted this attempt
    if delay is None:
        return DeliveryState.FAILED, None
    return DeliveryState.PENDING, now + delay


def deliveries_sweep(*, limit: int = 5000) -> int:
    """Queue what is due and has no live message: retries, expired leases, lost messages.
    Returns how many deliveries it queued."""
    from openplatform.events.tasks import deliver_webhooks

    due = [[delivery_id, version] for delivery_id, version in
           _take_due_deliveries(now=timezone.now(), limit=limit)]
    for start in range(0, len(due), BATCH_SIZE):
        _enqueue(deliver_webhooks, due[start:start + BATCH_SIZE])
    return len(due)


@transaction.atomic
def _take_due_deliveries(*, now, limit: int) -> list[tuple[int, int]]:
    """Due deliveries, each given a fresh lease so the next sweep leaves it to its message."""
    due = list(Delivery.objects.select_for_update(skip_locked=True)
               .filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at").values_list("pk", "attempt_count")[:limit])
    Delivery.objects.filter(pk__in=[pk for pk, _version in due]).update(
        next_attempt_at=_queued_until())
    return due


def endpoints_disable_long_failing() -> int:
    """Disable endpoints failing for longer than allowed even if no attempt noticed it."""
    cutoff = timezone.now() - timedelta(days=webhook_setting("DISABLE_AFTER_DAYS"))
    endpoints = WebhookEndpoint.objects.filter(
        Q(failing_since__lte=cutoff), state=EndpointState.ENABLED).select_related("app__isv")
    count = 0
    for endpoint in endpoints:
        with transaction.atomic():
            _endpoint_disabled_by_platform(endpoint, reason=_(
                "Every delivery failed for %(days)d days.")
                % {"days": webhook_setting("DISABLE_AFTER_DAYS")})
        count += 1
    return count
