"""Merchants, their stores, people and authorizations, as governance staff review and govern them.

Personal data shows only in masked form: the ciphertext and digest columns never reach a page.
Nothing is edited here: reviews and governance measures are admin actions calling services.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from merchants.models import Authorization, Merchant, MerchantUser, Store
from merchants.services.lifecycle import merchant_activate, merchant_reject
from openplatform.web.admin import (
    GovernanceReasonForm,
    ReadOnlyAdmin,
    ReadOnlyInline,
    ServiceActionsAdmin,
    audit_trail_link,
    service_action,
)

MASKED_PII_FIELDS = ("legal_rep_id_number_masked", "settlement_account_masked")
SEALED_PII_FIELDS = (
    "legal_rep_id_number_ciphertext", "legal_rep_id_number_digest",
    "settlement_account_ciphertext", "settlement_account_digest",
)


class StoreInline(ReadOnlyInline):
    model = Store
    fields = ("external_id", "name", "city", "address", "state")
    readonly_fields = fields


class AuthorizationInline(ReadOnlyInline):
    model = Authorization
    fields = ("app", "state", "granted_at", "expires_at", "revoked_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("app", "merchant")


@admin.register(Merchant)
class MerchantAdmin(ServiceActionsAdmin):
    """Read-only: merchants are onboarded by their ISV (portal or API) and change only through
    the actions below."""

    list_display = ("short_name", "external_id", "legal_name", "isv", "state", "mcc",
                    "legal_rep_id_number_masked", "settlement_account_masked", "created_at")
    list_filter = ("state", "created_at", "activated_at")
    search_fields = ("short_name", "legal_name", "external_id", "uscc", "isv__name",
                     "isv__uscc", "website")
    date_hierarchy = "created_at"
    list_select_related = ("isv",)
    exclude = SEALED_PII_FIELDS
    fieldsets = (
        (None, {"fields": ("isv", "external_id", "legal_name", "short_name", "uscc", "mcc",
                           "business_scope", "address", "website")}),
        (_("Legal representative"), {"fields": ("legal_rep_name",
                                                "legal_rep_id_number_masked")}),
        (_("Settlement"), {"fields": ("settlement_account_name", "settlement_bank_name",
                                      "settlement_account_masked")}),
        (_("Contact"), {"fields": ("contact_phone", "contact_email")}),
        (_("Onboarding and governance"), {"fields": (
            "state", "rejection_reason_code", "rejection_reason_message",
            "rectification_deadline", "submitted_at", "activated_at", "audit_trail",
            "created_at", "updated_at",
        )}),
    )
    readonly_fields = (*MASKED_PII_FIELDS, "audit_trail")
    inlines = (StoreInline, AuthorizationInline)
    actions = (
        service_action(
            name="activate_merchants",
            description=_("Approve the selected merchants after manual review"),
            perform=lambda merchant, actor, data: merchant_activate(
                merchant=merchant, actor=actor),
        ),
        service_action(
            name="reject_merchants", description=_("Reject the selected merchants' applications"),
            form_class=GovernanceReasonForm,
            perform=lambda merchant, actor, data: merchant_reject(
                merchant=merchant, actor=actor, reason_code=data["reason_code"],
                message=data["reason"]),
        ),
    )

    @admin.display(description=_("audit trail"))
    def audit_trail(self, obj):
        return audit_trail_link(obj)


@admin.register(Store)
class StoreAdmin(ReadOnlyAdmin):
    list_display = ("name", "merchant", "external_id", "city", "state", "created_at")
    list_filter = ("state", "created_at")
    search_fields = ("name", "external_id", "city", "merchant__short_name",
                     "merchant__external_id")
    list_select_related = ("merchant",)


@admin.register(MerchantUser)
class MerchantUserAdmin(ReadOnlyAdmin):
    list_display = ("user", "merchant", "role", "created_at")
    list_filter = ("role", "created_at")
    search_fields = ("user__username", "user__email", "merchant__short_name",
                     "merchant__external_id")
    list_select_related = ("user", "merchant")


@admin.register(Authorization)
class AuthorizationAdmin(ReadOnlyAdmin):
    list_display = ("merchant", "app", "state", "granted_packs", "granted_at", "expires_at",
                    "revoked_at")
    list_filter = ("state", "granted_at")
    search_fields = ("merchant__short_name", "merchant__external_id", "app__name",
                     "app__client_id")
    date_hierarchy = "granted_at"
    list_select_related = ("merchant", "app")
    fields = ("merchant", "app", "packs", "state", "granted_by", "granted_at", "expires_at",
              "revoked_at", "revoked_reason", "audit_trail")
    readonly_fields = ("audit_trail",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("packs")

    @admin.display(description=_("packs granted"))
    def granted_packs(self, obj):
        return ", ".join(sorted(pack.code for pack in obj.packs.all()))

    @admin.display(description=_("audit trail"))
    def audit_trail(self, obj):
        return audit_trail_link(obj)
