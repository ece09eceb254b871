"""Reads of events, endpoints and deliveries, always limited to one ISV (the tenant:
``settings.PLATFORM_TENANT_MODEL``)."""

from django.db import models
from django.db.models import Prefetch, QuerySet

from openplatform.events.models import Delivery, DeliveryAttempt, Event, WebhookEndpoint

ATTEMPTS_SHOWN = 10


def endpoints_for_isv(*, isv: models.Model) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.for_isv(isv).select_related("app")


def events_for_isv(*, isv: models.Model) -> QuerySet[Event]:
    return Event.objects.filter(isv=isv)


def event_with_deliveries(*, isv: models.Model) -> QuerySet[Event]:
    """Events with each delivery and its latest attempts, in three queries for any number."""
    attempts = DeliveryAttempt.objects.order_by("-attempted_at", "-id")
    deliveries = Delivery.objects.select_related("endpoint").prefetch_related(
        Prefetch("attempts", queryset=attempts)).order_by("created_at", "id")
    return events_for_isv(isv=isv).prefetch_related(Prefetch("deliveries", queryset=deliveries))


def deliveries_for_isv(*, isv: models.Model) -> QuerySet[Delivery]:
    """The ISV's deliveries, newest first, with what a list row shows (no query per row)."""
    return (Delivery.objects.filter(endpoint__app__isv=isv)
            .select_related("event", "endpoint", "endpoint__app")
            .order_by("-created_at", "-id"))


def delivery_attempts(*, delivery: Delivery) -> QuerySet[DeliveryAttempt]:
    return delivery.attempts.order_by("-attempted_at", "-id")
