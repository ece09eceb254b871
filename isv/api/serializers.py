from django.utils.translation import gettext as _
from rest_framework import serializers

from catalog.models import FunctionPack, IndustrySolution
from isv.errors import IsvFieldError
from isv.models import App, Subscription
from openplatform.api.serializers import StrictSerializer


class AppSerializer(serializers.ModelSerializer):
    created_at = serializers.DateTimeField(source="created", read_only=True)

    class Meta:
        model = App
        fields = ["id", "client_id", "name", "description", "environment", "state",
                  "created_at"]
        read_only_fields = fields


class SubscriptionSerializer(serializers.ModelSerializer):
    app = serializers.PrimaryKeyRelatedField(read_only=True)
    pack = serializers.SlugRelatedField(slug_field="code", read_only=True)
    solution = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    daily_quota = serializers.IntegerField(read_only=True)
    per_second_quota = serializers.IntegerField(read_only=True)

    class Meta:
        model = Subscription
        fields = ["id", "app", "pack", "solution", "state", "reason", "daily_quota",
                  "per_second_quota", "created_at", "reviewed_at"]
        read_only_fields = fields


class SubscriptionCreateSerializer(StrictSerializer):
    """Exactly one of ``pack`` and ``solution``."""

    pack = serializers.SlugRelatedField(slug_field="code", queryset=FunctionPack.objects.all(),
                                        required=False, help_text="A function pack code.")
    solution = serializers.SlugRelatedField(
        slug_field="code", queryset=IndustrySolution.objects.all(), required=False,
        help_text="An industry solution code: subscribes every pack of it in one call.")

    def validate(self, attrs):
        if ("pack" in attrs) == ("solution" in attrs):
            raise serializers.ValidationError(
                _("Give either a pack or a solution."), code=IsvFieldError.PACK_OR_SOLUTION)
        return attrs


class SubscriptionListSerializer(serializers.Serializer):
    subscriptions = SubscriptionSerializer(many=True)
