from oauth2_provider.models import get_application_model
from rest_framework import serializers

from openplatform.api.serializers import StrictCharField, StrictSerializer
from openplatform.events import registry
from openplatform.events.models import Delivery, DeliveryAttempt, Event, WebhookEndpoint


class WebhookEndpointSerializer(serializers.ModelSerializer):
    app = serializers.PrimaryKeyRelatedField(read_only=True)
    secret_rotation_ends_at = serializers.DateTimeField(source="previous_secret_expires_at",
                                                        read_only=True, allow_null=True)

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "app", "url", "description", "event_types", "state", "disabled_reason",
                  "failing_since", "secret_rotation_ends_at", "created_at", "updated_at"]
        read_only_fields = fields


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    """Only in the response that creates the endpoint: the secret is never shown again."""

    secret = serializers.SerializerMethodField()

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields

    def get_secret(self, endpoint) -> str:
        return self.context["secret"]


class EventTypesField(serializers.ListField):
    child = StrictCharField(max_length=80)

    def __init__(self, **kwargs):
        super().__init__(allow_empty=False, max_length=100, help_text=(
            "Event types to receive (see GET /api/v1/event-types/), or [\"*\"] for all."),
            **kwargs)


class WebhookEndpointCreateSerializer(StrictSerializer):
    app = serializers.PrimaryKeyRelatedField(queryset=get_application_model().objects.none(),
                                             help_text="One of your apps.")
    url = StrictCharField(max_length=500)
    event_types = EventTypesField()
    description = StrictCharField(max_length=200, required=False, allow_blank=True)

    def __init__(self, *args, apps=None, **kwargs):
        """``apps``: the caller's apps, the only ones an endpoint may be added to."""
        super().__init__(*args, **kwargs)
        if apps is not None:
            self.fields["app"].queryset = apps


class WebhookEndpointUpdateSerializer(StrictSerializer):
    url = StrictCharField(max_length=500, required=False)
    event_types = EventTypesField(required=False)
    description = StrictCharField(max_length=200, required=False, allow_blank=True)


class RotateSecretSerializer(StrictSerializer):
    overlap_hours = serializers.IntegerField(
        required=False, min_value=0, max_value=7 * 24,
        help_text="How long the old secret keeps signing too (default 24, at most 168).")


class RotatedSecretSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The new secret; shown this once.")
    previous_secret_signs_until = serializers.DateTimeField(allow_null=True)


class DeliveryAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["attempted_at", "outcome", "status_code", "latency_ms", "response_excerpt",
                  "error"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    endpoint = serializers.PrimaryKeyRelatedField(read_only=True)
    url = serializers.CharField(source="endpoint.url", read_only=True)
    attempts = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = ["id", "endpoint", "url", "state", "attempt_count", "next_attempt_at",
                  "last_status_code", "delivered_at", "attempts"]
        read_only_fields = fields

    def get_attempts(self, delivery) -> list[dict]:
        from openplatform.events.selectors import ATTEMPTS_SHOWN

        attempts = list(delivery.attempts.all())[:ATTEMPTS_SHOWN]
        return DeliveryAttemptSerializer(attempts, many=True).data


class EventSerializer(serializers.ModelSerializer):
    webhook_id = serializers.CharField(read_only=True)
    app = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    data = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["id", "webhook_id", "type", "app", "data", "created_at"]
        read_only_fields = fields

    def get_data(self, event) -> dict:
        return event.payload.get("data", {})


class EventDetailSerializer(EventSerializer):
    deliveries = DeliverySerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "deliveries"]
        read_only_fields = fields


class EventTypeSerializer(serializers.Serializer):
    type = serializers.CharField()
    description = serializers.CharField()
    payload = serializers.SerializerMethodField(
        help_text="The fields of the event's data, each with its meaning.")

    def get_payload(self, event_type) -> dict[str, str]:
        return {name: str(text) for name, text in registry.payloads()[event_type.payload].items()}

