"""Serializers of the capabilities that serve merchant data: masked personal data only."""

from rest_framework import serializers

from merchants.models import Merchant, Store
from openplatform.data import mcc, pii


class StoreSummarySerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)

    class Meta:
        model = Store
        fields = ["id", "name", "city"]


class SettlementAccountSerializer(serializers.Serializer):
    account_name = serializers.CharField(source="settlement_account_name")
    bank_name = serializers.CharField(source="settlement_bank_name")
    account_number_masked = serializers.CharField(source="settlement_account_masked")


class MerchantProfileSerializer(serializers.ModelSerializer):
    """``merchant.info.query``: the authorized merchant's profile; never a clear ID number,
    account number or phone."""

    id = serializers.CharField(read_only=True)
    legal_rep_name_masked = serializers.SerializerMethodField()
    legal_rep_id_number_masked = serializers.CharField(read_only=True)
    settlement_account = SettlementAccountSerializer(source="*", read_only=True)
    contact_phone_masked = serializers.SerializerMethodField()
    category_name = serializers.SerializerMethodField()
    stores = StoreSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Merchant
        fields = [
            "id", "external_id", "legal_name", "short_name", "uscc", "legal_rep_name_masked",
            "legal_rep_id_number_masked", "settlement_account", "contact_phone_masked", "mcc",
            "category_name", "address", "state", "stores",
        ]
        read_only_fields = fields

    def get_legal_rep_name_masked(self, merchant: Merchant) -> str:
        return pii.mask_name(merchant.legal_rep_name)

    def get_contact_phone_masked(self, merchant: Merchant) -> str:
        return pii.mask_phone(merchant.contact_phone)

    def get_category_name(self, merchant: Merchant) -> str:
        category = mcc.get_category(merchant.mcc)
        return category.name if category else ""
