"""The codes the payment capabilities answer with."""

from django.utils.translation import gettext_lazy as _

from openplatform.errors import ErrorCode, FieldErrorCode


class PaymentError(ErrorCode):
    """Rules of trades, refunds, statements and the ledger."""

    BILL_NOT_READY = ("bill_not_ready", 409, _("The statement is not ready"),
        _("The day is not closed yet; retry after 01:00 the next day."))
    BUYER_BALANCE_INSUFFICIENT = (
        "buyer_balance_insufficient", 409, _("The buyer's balance is not enough"),
        _("Ask the buyer to pay another way or with a smaller amount."))
    INSUFFICIENT_FUNDS = ("insufficient_funds", 409, _("Insufficient funds"),
        _("The account does not hold enough to cover this movement; check the amount."))
    NOT_SANDBOX = ("not_sandbox", 403, _("Sandbox only"),
        _("Simulating a payment works for sandbox apps only; in production the buyer pays."))
    OUT_REFUND_NO_CONFLICT = ("out_refund_no_conflict", 409, _("out_refund_no already used"),
        _("Use a new refund number, or retry with the same Idempotency-Key and body."))
    OUT_TRADE_NO_CONFLICT = ("out_trade_no_conflict", 409, _("out_trade_no already used"),
        _("Use a new order number, or retry with the same Idempotency-Key and body."))
    REFUND_EXCEEDS_PAID = ("refund_exceeds_paid", 409, _("Refund larger than what is left"),
        _("Refund at most the paid amount minus what was already refunded."))
    TRADE_EXPIRED = ("trade_expired", 409, _("The trade has expired"),
        _("Create a new trade."))
    TRADE_NOT_PAID = ("trade_not_paid", 409, _("The trade is not paid"),
        _("Refunds and settlement need a paid trade; query it first."))


class PaymentFieldError(FieldErrorCode):
    """Fields of a trade or a refund."""

    AMOUNT_NOT_POSITIVE = ("amount_not_positive", 400, _("Amount not positive"),
        _("Send the amount in fen as a positive integer."))
    AMOUNT_OVER_LIMIT = ("amount_over_limit", 400, _("Amount over the limit"),
        _("Send at most the maximum amount the API reference documents."))
    INVALID_PAYMENT_CODE = ("invalid_payment_code", 400, _("Unknown or expired payment code"),
        _("Ask the buyer to refresh the payment code and scan it again."))
