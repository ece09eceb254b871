from rest_framework import serializers

from catalog.models import Capability, FunctionPack, IndustrySolution


class CapabilitySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    description = serializers.CharField(source="display_description", read_only=True)

    class Meta:
        model = Capability
        fields = ["code", "name", "description", "layer", "status"]


class PackSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    description = serializers.CharField(source="display_description", read_only=True)
    scope = serializers.CharField(read_only=True, help_text="The OAuth scope granting this pack.")
    capabilities = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = FunctionPack
        fields = ["code", "name", "description", "layer", "scope", "requires_review",
                  "default_daily_quota", "default_per_second_quota", "capabilities"]


class SolutionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    description = serializers.CharField(source="display_description", read_only=True)
    packs = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = IndustrySolution
        fields = ["code", "name", "description", "industry", "packs"]
