"""The outbox, endpoints and deliveries: read-only, changed only through services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from openplatform.events import services
from openplatform.events.models import Delivery, DeliveryAttempt, Event, WebhookEndpoint
from openplatform.web.admin import (
    OptionalReasonForm,
    ReadOnlyAdmin,
    ReadOnlyInline,
    ServiceActionsAdmin,
    audit_trail_link,
    pretty_json,
    service_action,
)


class DeliveryInline(ReadOnlyInline):
    model = Delivery
    fields = ("endpoint", "state", "attempt_count", "last_status_code", "next_attempt_at",
              "delivered_at")
    readonly_fields = fields


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "type", "isv", "app", "id")
    list_filter = ("type", "created_at")
    search_fields = ("type", "isv__name", "isv__uscc", "app__name", "app__client_id")
    date_hierarchy = "created_at"
    list_select_related = ("isv", "app")
    show_full_result_count = False
    fields = ("id", "type", "isv", "app", "created_at", "payload_json")
    readonly_fields = ("payload_json",)
    inlines = [DeliveryInline]

    @admin.display(description=_("payload"))
    def payload_json(self, obj):
        return pretty_json(obj.payload)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ServiceActionsAdmin):
    list_display = ("url", "app", "state", "failing_since", "created_at")
    list_filter = ("state",)
    search_fields = ("url", "app__name", "app__client_id", "app__isv__name")
    list_select_related = ("app",)
    # The encrypted signing secrets never appear here.
    fields = ("app", "url", "description", "event_types", "state", "disabled_reason",
              "failing_since", "previous_secret_expires_at", "created_at", "audit_trail")
    readonly_fields = ("audit_trail",)
    actions = [
        service_action(name="enable", description=_("Enable the selected endpoints"),
                       perform=lambda endpoint, actor, data: services.webhook_endpoint_enable(
                           endpoint=endpoint, actor=actor)),
        service_action(name="disable", description=_("Disable the selected endpoints"),
                       form_class=OptionalReasonForm,
                       perform=lambda endpoint, actor, data: services.webhook_endpoint_disable(
                           endpoint=endpoint, actor=actor, reason=data.get("reason", ""))),
    ]

    @admin.display(description=_("audit trail"))
    def audit_trail(self, obj):
        return audit_trail_link(obj)


class DeliveryAttemptInline(ReadOnlyInline):
    model = DeliveryAttempt
    show_change_link = False
    fields = ("attempted_at", "outcome", "status_code", "latency_ms", "error",
              "response_excerpt")
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("event", "endpoint", "state", "attempt_count", "last_status_code",
                    "next_attempt_at", "delivered_at")
    list_filter = ("state",)
    search_fields = ("endpoint__url", "event__type")
    list_select_related = ("event", "endpoint")
    show_full_result_count = False
    inlines = [DeliveryAttemptInline]
