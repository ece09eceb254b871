import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openplatform.events.choices import AttemptOutcome, DeliveryState, EndpointState
from openplatform.models import TimeStampedModel, choices_check


class Event(models.Model):
    """An outbox row: written in the same transaction as the change it reports.

    Webhook delivery reads these rows after commit, so an event exists if and only if its
    change was committed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("type"), max_length=80, db_index=True)
    isv = models.ForeignKey(settings.PLATFORM_TENANT_MODEL, on_delete=models.CASCADE,
                            related_name="events", verbose_name=_("ISV"))
    app = models.ForeignKey(settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE,
                            null=True, blank=True, related_name="events", verbose_name=_("app"))
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["isv", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.type} · {self.id}"

    @property
    def webhook_id(self) -> str:
        """The Standard Webhooks message id: the same for every attempt and every endpoint."""
        return f"evt_{self.id.hex}"


class WebhookEndpointQuerySet(models.QuerySet):
    def for_isv(self, isv) -> "WebhookEndpointQuerySet":
        return self.filter(app__isv=isv)


class WebhookEndpoint(TimeStampedModel):
    """Where an app wants to hear about events, and the secret the platform signs them with."""

    app = models.ForeignKey(settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE,
                            related_name="webhook_endpoints", verbose_name=_("app"))
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Event type names, or ["*"] for every type.
    event_types = models.JSONField(_("event types"), default=list)
    state = models.CharField(_("state"), max_length=16, choices=EndpointState.choices,
                             default=EndpointState.ENABLED)
    disabled_reason = models.CharField(_("disabled reason"), max_length=200, blank=True)
    # The platform signs with the secrets, so they are encrypted, never hashed.
    secret_ciphertext = models.TextField(_("signing secret (encrypted)"))
    previous_secret_ciphertext = models.TextField(_("previous signing secret (encrypted)"),
                                                  blank=True)
    previous_secret_expires_at = models.DateTimeField(_("previous secret signs until"),
                                                      null=True, blank=True)
    # The first failure since the last success: five days of failures disable the endpoint.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=choices_check("state", EndpointState),
                                   name="webhook_endpoint_state_valid"),
        ]

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return "*" in self.event_types or event_type in self.event_types


class Delivery(models.Model):
    """One event on its way to one endpoint; retried until delivered or given up."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries",
                              verbose_name=_("event"))
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE,
                                 related_name="deliveries", verbose_name=_("endpoint"))
    state = models.CharField(_("state"), max_length=16, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)
    attempt_count = models.PositiveIntegerField(_("attempts"), default=0)
    # When the next attempt is due; while an attempt runs, the end of its lease. The database,
    # not the broker, remembers it: the sweeper re-queues whatever is due.
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True,
                                                        blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"],
                                    name="delivery_once_per_event_and_endpoint"),
            models.CheckConstraint(condition=choices_check("state", DeliveryState),
                                   name="delivery_state_valid"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="delivery_due",
                         condition=models.Q(state="pending")),
            models.Index(fields=["endpoint", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id}"


class DeliveryAttempt(models.Model):
    """One HTTP POST (or a refusal to make it), kept for the portal and for support."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts",
                                 verbose_name=_("delivery"))
    attempted_at = models.DateTimeField(_("attempted at"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=AttemptOutcome.choices)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"))
    response_excerpt = models.TextField(_("response excerpt"), blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["-attempted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=choices_check("outcome", AttemptOutcome),
                                   name="delivery_attempt_outcome_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.outcome} {self.status_code or ''}".strip()
