"""Trades, refunds, the double-entry ledger and daily statements; amounts in fen (CNY)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from capabilities.payment.choices import (
    CURRENCY,
    MAX_TRADE_AMOUNT,
    AccountKind,
    LedgerTransactionKind,
    TradeKind,
    TradeState,
)
from openplatform.models import TimeStampedModel, choices_check


class SandboxBuyer(TimeStampedModel):
    """A make-believe buyer with a wallet (a ledger account), for sandbox payments."""

    name = models.CharField(_("name"), max_length=60)
    login = models.CharField(_("login"), max_length=60, unique=True)
    # The code the buyer's phone would show; the merchant scans it (payment.trade.pay).
    payment_code = models.CharField(_("payment code"), max_length=18, unique=True)

    class Meta:
        verbose_name = _("sandbox buyer")
        verbose_name_plural = _("sandbox buyers")
        ordering = ["login"]

    def __str__(self) -> str:
        return f"{self.name} ({self.login})"


class Trade(TimeStampedModel):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT,
                                 related_name="trades", verbose_name=_("merchant"))
    # The app that created it; its ISV hears about the trade.
    app = models.ForeignKey("isv.App", on_delete=models.PROTECT, null=True, blank=True,
                            related_name="trades", verbose_name=_("app"))
    store = models.ForeignKey("merchants.Store", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="trades", verbose_name=_("store"))
    # The function pack the trade was opened under: governance restricting it stops the trade
    # being paid. Empty on trades opened before the pack was recorded.
    pack = models.CharField(_("function pack"), max_length=64, blank=True)
    trade_no = models.CharField(_("trade number"), max_length=32, unique=True)
    out_trade_no = models.CharField(_("merchant's order number"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=TradeKind.choices)
    subject = models.CharField(_("subject"), max_length=256)
    amount = models.BigIntegerField(_("amount (fen)"))
    currency = models.CharField(_("currency"), max_length=3, default=CURRENCY)
    state = models.CharField(_("state"), max_length=16, choices=TradeState.choices,
                             default=TradeState.WAIT_BUYER_PAY)
    refunded_amount = models.BigIntegerField(_("refunded (fen)"), default=0)
    fee_rate_bp = models.PositiveIntegerField(_("fee rate (basis points)"))
    fee_amount = models.BigIntegerField(_("fee (fen)"), default=0)
    isv_commission = models.BigIntegerField(_("ISV commission (fen)"), default=0)
    buyer = models.ForeignKey(SandboxBuyer, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="trades", verbose_name=_("buyer"))
    # The secret part of the QR / cashier URL of a precreated or hosted-checkout trade.
    qr_token = models.CharField(_("QR token"), max_length=43, unique=True, null=True,
                                blank=True)
    # SHA-256 of the creating request: the same out_trade_no with another body is a conflict.
    request_fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    expires_at = models.DateTimeField(_("pay before"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("trade")
        verbose_name_plural = _("trades")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "out_trade_no"],
                                    name="trade_out_trade_no_unique_per_merchant"),
            models.CheckConstraint(condition=choices_check("state", TradeState),
                                   name="trade_state_valid"),
            models.CheckConstraint(condition=choices_check("kind", TradeKind),
                                   name="trade_kind_valid"),
            models.CheckConstraint(condition=Q(amount__gt=0, amount__lte=MAX_TRADE_AMOUNT),
                                   name="trade_amount_in_range"),
            models.CheckConstraint(condition=Q(currency=CURRENCY), name="trade_currency_cny"),
            models.CheckConstraint(condition=Q(refunded_amount__gte=0,
                                               refunded_amount__lte=F("amount")),
                                   name="trade_refunds_within_amount"),
            models.CheckConstraint(condition=Q(fee_amount__gte=0, isv_commission__gte=0,
                                               isv_commission__lte=F("fee_amount")),
                                   name="trade_fee_and_commission_valid"),
        ]
        indexes = [
            models.Index(fields=["merchant", "-created_at"]),
            models.Index(fields=["expires_at"], name="trade_awaiting_payment",
                         condition=Q(state="wait_buyer_pay")),
            models.Index(fields=["paid_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.trade_no} ({self.out_trade_no})"

    @property
    def refundable_amount(self) -> int:
        return self.amount - self.refunded_amount


class Refund(models.Model):
    trade = models.ForeignKey(Trade, on_delete=models.PROTECT, related_name="refunds",
                              verbose_name=_("trade"))
    refund_no = models.CharField(_("refund number"), max_length=32, unique=True)
    out_refund_no = models.CharField(_("merchant's refund number"), max_length=64)
    amount = models.BigIntegerField(_("amount (fen)"))
    reason = models.CharField(_("reason"), max_length=256, blank=True)
    fee_refunded = models.BigIntegerField(_("fee returned (fen)"), default=0)
    commission_refunded = models.BigIntegerField(_("commission returned (fen)"), default=0)
    request_fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    created_at = models.DateTimeField(_("refunded at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["trade", "out_refund_no"],
                                    name="refund_out_refund_no_unique_per_trade"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.refund_no} ({self.out_refund_no})"


class LedgerAccount(models.Model):
    """A balance in the books. ``balance`` is kept with every posting and must always equal
    the sum of the account's entries (``manage.py verify_ledger`` checks it)."""

    code = models.CharField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AccountKind.choices)
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="ledger_accounts",
                                 verbose_name=_("merchant"))
    isv = models.ForeignKey("isv.Isv", on_delete=models.PROTECT, null=True, blank=True,
                            related_name="ledger_accounts", verbose_name=_("ISV"))
    buyer = models.ForeignKey(SandboxBuyer, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="ledger_accounts", verbose_name=_("buyer"))
    balance = models.BigIntegerField(_("balance (fen)"), default=0)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=choices_check("kind", AccountKind),
                                   name="ledger_account_kind_valid"),
            models.CheckConstraint(condition=Q(balance__gte=0) | Q(kind=AccountKind.EXTERNAL),
                                   name="ledger_account_never_negative"),
        ]

    def __str__(self) -> str:
        return self.code


class Statement(models.Model):
    """One merchant's day, closed by the settlement task: what it sold, refunded and earned."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT,
                                 related_name="statements", verbose_name=_("merchant"))
    day = models.DateField(_("day"))
    trade_count = models.PositiveIntegerField(_("trades"))
    trade_amount = models.BigIntegerField(_("paid (fen)"))
    refund_count = models.PositiveIntegerField(_("refunds"))
    refund_amount = models.BigIntegerField(_("refunded (fen)"))
    fee_amount = models.BigIntegerField(_("fees (fen)"))
    net_amount = models.BigIntegerField(_("net (fen)"))
    created_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-day", "merchant_id"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "day"],
                                    name="statement_once_per_merchant_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.merchant_id} · {self.day}"


class LedgerTransaction(models.Model):
    """A balanced set of entries: their amounts sum to zero."""

    kind = models.CharField(_("kind"), max_length=16, choices=LedgerTransactionKind.choices)
    trade = models.ForeignKey(Trade, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="ledger_transactions", verbose_name=_("trade"))
    refund = models.ForeignKey(Refund, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="ledger_transactions", verbose_name=_("refund"))
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="ledger_transactions",
                                  verbose_name=_("statement"))
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=choices_check("kind", LedgerTransactionKind),
                                   name="ledger_transaction_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class LedgerEntry(models.Model):
    """One line of a transaction: a signed amount on one account. Never updated or deleted."""

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT,
                                    related_name="entries", verbose_name=_("transaction"))
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT,
                                related_name="entries", verbose_name=_("account"))
    amount = models.BigIntegerField(_("amount (fen)"))

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.amount:+d}"
