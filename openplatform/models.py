from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def choices_check(field: str, choices: type[models.TextChoices]) -> models.Q:
    """A Q for a CheckConstraint that keeps ``field`` inside its TextChoices."""
    return models.Q(**{f"{field}__in": choices.values})


class ApiCall(models.Model):
    """One metered capability call; written in batches off the request path."""

    app = models.ForeignKey(settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE,
                            related_name="api_calls", verbose_name=_("app"))
    merchant = models.ForeignKey(settings.PLATFORM_MERCHANT_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="api_calls",
                                 verbose_name=_("merchant"))
    capability = models.CharField(_("capability"), max_length=64)
    pack = models.CharField(_("function pack"), max_length=64, blank=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"))
    error_code = models.CharField(_("error code"), max_length=64, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"))
    created_at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["app", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.capability} {self.status_code} ({self.latency_ms} ms)"


class IdempotencyRecord(models.Model):
    """The first response to a POST with an ``Idempotency-Key``, kept 24 h per app."""

    app = models.ForeignKey(settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE,
                            related_name="idempotency_records", verbose_name=_("app"))
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=500)
    request_fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    # Null while the first request is still running (a replay then answers 409).
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True,
                                                       blank=True)
    # {"sealed": <Fernet token>}: a first response may carry a secret shown only once.
    response_body = models.JSONField(_("response body (encrypted)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["app", "key"], name="idempotency_key_unique_per_app"),
        ]

    def __str__(self) -> str:
        return f"{self.app_id}:{self.key}"
