from django.db import models
from django.utils.translation import gettext_lazy as _


class EndpointState(models.TextChoices):
    ENABLED = "enabled", _("Enabled")
    DISABLED = "disabled", _("Disabled")


ENDPOINT_TRANSITIONS = {
    EndpointState.ENABLED: {EndpointState.DISABLED},
    EndpointState.DISABLED: {EndpointState.ENABLED},
}


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    # Every retry failed (about three days), or the endpoint was disabled meanwhile.
    FAILED = "failed", _("Failed")


class AttemptOutcome(models.TextChoices):
    DELIVERED = "delivered", _("Delivered (2xx)")
    HTTP_ERROR = "http_error", _("Answered with an error status")
    TIMEOUT = "timeout", _("Timed out")
    CONNECTION_ERROR = "connection_error", _("Could not connect")
    REFUSED_ADDRESS = "refused_address", _("Refused: not a public address")
