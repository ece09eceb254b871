"""Trades, refunds, statements and the ledger, as platform staff look into them.

Nothing is edited here: money moves only through the payment services. The one action,
closing unpaid trades, calls ``services.trade_close`` for each selected trade. The QR token
(the secret part of a cashier URL) and request fingerprints never appear.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from capabilities.payment import services
from capabilities.payment.models import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Refund,
    SandboxBuyer,
    Statement,
    Trade,
)
from capabilities.payment.templatetags.payment import yuan
from openplatform.web.admin import (
    OptionalReasonForm,
    ReadOnlyAdmin,
    ReadOnlyInline,
    ServiceActionsAdmin,
    audit_trail_link,
    service_action,
)


def _close_trade(trade: Trade, actor, data) -> Trade:
    return services.trade_close(trade=trade, actor=actor,
                                reason=data.get("reason") or _("Closed by platform staff."))


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = ("refund_no", "out_refund_no", "amount_yuan", "fee_refunded",
              "commission_refunded", "reason", "created_at")
    readonly_fields = fields

    @admin.display(description=_("amount (yuan)"))
    def amount_yuan(self, refund: Refund) -> str:
        return yuan(refund.amount)


@admin.register(Trade)
class TradeAdmin(ServiceActionsAdmin):
    list_display = ("trade_no", "out_trade_no", "merchant", "amount_yuan", "state", "paid_at")
    list_filter = ("state", "kind")
    search_fields = ("trade_no", "out_trade_no", "merchant__short_name",
                     "merchant__external_id", "merchant__uscc")
    date_hierarchy = "created_at"
    list_select_related = ("merchant",)
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("trade_no", "out_trade_no", "merchant", "store", "app", "kind",
                           "subject", "state", "audit_trail")}),
        (_("Money (fen)"), {"fields": ("amount", "currency", "refunded_amount", "fee_rate_bp",
                                       "fee_amount", "isv_commission", "buyer")}),
        (_("Times"), {"fields": ("created_at", "expires_at", "paid_at", "closed_at",
                                 "updated_at")}),
    )
    readonly_fields = ("audit_trail",)
    inlines = (RefundInline,)
    actions = (
        service_action(name="close_unpaid_trades",
                       description=_("Close the selected unpaid trades"),
                       form_class=OptionalReasonForm, perform=_close_trade),
    )

    @admin.display(description=_("amount (yuan)"), ordering="amount")
    def amount_yuan(self, trade: Trade) -> str:
        return yuan(trade.amount)

    @admin.display(description=_("audit trail"))
    def audit_trail(self, trade: Trade) -> str:
        return audit_trail_link(trade)


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("refund_no", "out_refund_no", "trade", "amount_yuan", "fee_refunded",
                    "created_at")
    search_fields = ("refund_no", "out_refund_no", "trade__trade_no", "trade__out_trade_no")
    date_hierarchy = "created_at"
    list_select_related = ("trade",)
    show_full_result_count = False
    exclude = ("request_fingerprint",)

    @admin.display(description=_("amount (yuan)"), ordering="amount")
    def amount_yuan(self, refund: Refund) -> str:
        return yuan(refund.amount)


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ("day", "merchant", "trade_count", "trade_amount", "refund_count",
                    "refund_amount", "fee_amount", "net_yuan")
    list_filter = ("day",)
    search_fields = ("merchant__short_name", "merchant__external_id")
    date_hierarchy = "day"
    list_select_related = ("merchant",)
    show_full_result_count = False

    @admin.display(description=_("net (yuan)"), ordering="net_amount")
    def net_yuan(self, statement: Statement) -> str:
        return yuan(statement.net_amount)


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    list_display = ("code", "kind", "merchant", "isv", "buyer", "balance_yuan")
    list_filter = ("kind",)
    search_fields = ("code", "merchant__short_name", "isv__name", "buyer__login")
    list_select_related = ("merchant", "isv", "buyer")

    @admin.display(description=_("balance (yuan)"), ordering="balance")
    def balance_yuan(self, account: LedgerAccount) -> str:
        return yuan(account.balance)


class LedgerEntryInline(ReadOnlyInline):
    model = LedgerEntry
    show_change_link = False
    fields = ("account", "amount")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("account")


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "trade", "refund", "statement", "created_at")
    list_filter = ("kind",)
    search_fields = ("trade__trade_no", "trade__out_trade_no", "refund__refund_no")
    date_hierarchy = "created_at"
    list_select_related = ("trade", "refund", "statement")
    show_full_result_count = False
    inlines = (LedgerEntryInline,)


@admin.register(SandboxBuyer)
class SandboxBuyerAdmin(ReadOnlyAdmin):
    list_display = ("login", "name", "payment_code", "created_at")
    search_fields = ("login", "name", "payment_code")
