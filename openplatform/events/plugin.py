"""What the events app declares: its own event types and codes."""

from django.utils.translation import gettext_lazy as _

from openplatform.events.errors import WebhookError, WebhookFieldError
from openplatform.plugins import AppPlugin, EventGroup

WEBHOOK_ENDPOINT_EVENTS = EventGroup(
    payload="webhook_endpoint",
    fields={
        "endpoint_id": _("The webhook endpoint's id."),
        "app_id": _("The app the endpoint belongs to."),
        "url": _("The endpoint's URL."),
        "state": _("enabled or disabled."),
        "disabled_reason": _("Why the platform disabled it, when it did."),
    },
    types={
        "webhook_endpoint.test": _("A test event you asked for; it goes to one endpoint only."),
        "webhook_endpoint.disabled": _("The platform disabled a webhook endpoint that kept "
                                       "failing or answered 410 Gone."),
    },
)

PLUGIN = AppPlugin(
    label="events",
    event_groups=(WEBHOOK_ENDPOINT_EVENTS,),
    error_codes=(WebhookError, WebhookFieldError),
    api_urls="openplatform.events.api.urls",
)
