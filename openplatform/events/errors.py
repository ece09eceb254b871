"""The codes webhook endpoints and events answer with."""

from django.utils.translation import gettext_lazy as _

from openplatform.errors import ErrorCode, FieldErrorCode


class WebhookError(ErrorCode):
    """Webhook endpoints and event resends."""

    ENDPOINT_DISABLED = ("endpoint_disabled", 409, _("The webhook endpoint is disabled"),
        _("Enable the endpoint before sending it a test event."))
    NO_ENDPOINT = ("no_endpoint", 409, _("No webhook endpoint wants this event"),
        _("Add or enable a webhook endpoint subscribed to this event type."))
    WEBHOOK_URL_REFUSED = ("webhook_url_refused", 409, _("Webhook URL refused"),
        _("Use a public https URL; private, loopback and link-local addresses are refused."))


class WebhookFieldError(FieldErrorCode):
    """Fields of a webhook endpoint."""

    INVALID_EVENT_TYPES = ("invalid_event_types", 400, _("Unknown event types"),
        _("Use event types from the event catalogue, or [\"*\"] for all."))
    WEBHOOK_URL_REFUSED = ("webhook_url_refused", 400, _("Webhook URL refused"),
        _("Use a public https URL; private, loopback and link-local addresses are refused."))
