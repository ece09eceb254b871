from rest_framework import serializers

from catalog.models import FunctionPack
from merchants.models import Authorization, Merchant
from merchants.services.onboarding import INPUT_FIELDS, PII_INPUT_FIELDS
from openplatform.api.serializers import StrictCharField, StrictSerializer
from openplatform.data import pii


def _input_field(name: str) -> StrictCharField:
    # Every field optional here: the service reports each missing one (code "required") along
    # with every other field error, in one answer.
    return StrictCharField(required=False, allow_blank=True, default="", trim_whitespace=False,
                           write_only=name in PII_INPUT_FIELDS)


class MerchantInputSerializer(StrictSerializer):
    """What an ISV enters for a merchant; types are checked here, the rest by the service."""

    def get_fields(self):
        return {name: _input_field(name) for name in INPUT_FIELDS}


class MerchantPatchSerializer(MerchantInputSerializer):
    def get_fields(self):
        return {name: StrictCharField(required=False, allow_blank=True, trim_whitespace=False)
                for name in INPUT_FIELDS}


class MerchantSerializer(serializers.ModelSerializer):
    """A merchant as its ISV sees it: personal data masked."""

    legal_rep_name = serializers.SerializerMethodField()
    legal_rep_id_number = serializers.CharField(source="legal_rep_id_number_masked")
    settlement_account = serializers.CharField(source="settlement_account_masked")
    contact_phone = serializers.SerializerMethodField()

    class Meta:
        model = Merchant
        fields = ["id", "external_id", "legal_name", "short_name", "uscc", "legal_rep_name",
                  "legal_rep_id_number", "settlement_account_name", "settlement_bank_name",
                  "settlement_account", "contact_phone", "contact_email", "mcc", "address",
                  "business_scope", "website", "state", "rejection_reason_code",
                  "rejection_reason_message", "rectification_deadline", "submitted_at",
                  "activated_at", "created_at", "updated_at"]
        read_only_fields = fields

    def get_legal_rep_name(self, merchant: Merchant) -> str:
        return pii.mask_name(merchant.legal_rep_name)

    def get_contact_phone(self, merchant: Merchant) -> str:
        return pii.mask_phone(merchant.contact_phone)


class ValidationResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()


class AuthorizationLinkRequestSerializer(StrictSerializer):
    packs = serializers.SlugRelatedField(
        slug_field="code", queryset=FunctionPack.objects.all(), many=True, allow_empty=False,
        help_text="Codes of the function packs to ask the merchant for; the app must hold an "
                  "active subscription to each.")
    redirect_uri = StrictCharField(
        required=False, max_length=2000,
        help_text="One of the app's registered redirect URIs (default: the first one).")


class AuthorizationLinkSerializer(serializers.Serializer):
    authorization_url = serializers.URLField()
    client_id = serializers.CharField()
    scope = serializers.CharField()
    redirect_uri = serializers.CharField()
    merchant_id = serializers.IntegerField()


class AuthorizationSerializer(serializers.ModelSerializer):
    merchant = serializers.PrimaryKeyRelatedField(read_only=True)
    app = serializers.PrimaryKeyRelatedField(read_only=True)
    packs = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Authorization
        fields = ["id", "merchant", "app", "packs", "state", "granted_at", "expires_at",
                  "revoked_at", "revoked_reason", "created_at"]
        read_only_fields = fields


class AuthorizationRevokeSerializer(StrictSerializer):
    reason = StrictCharField(required=False, allow_blank=True, default="", max_length=500,
                             help_text="Why the authorization is revoked (kept in the "
                                       "audit trail).")
