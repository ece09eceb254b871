"""What the payment capability declares to the platform (openplatform.plugins)."""

from django.utils.translation import gettext_lazy as _

from capabilities.payment.errors import PaymentError, PaymentFieldError
from openplatform.plugins import AppPlugin, EventGroup

TRADE_EVENTS = EventGroup(
    payload="trade",
    fields={
        "trade_no": _("The platform's trade number."),
        "out_trade_no": _("Your order number."),
        "merchant_id": _("The merchant's id."),
        "amount": _("The amount in fen."),
        "currency": _("Always CNY."),
        "state": _("wait_buyer_pay, success, closed or finished."),
        "refunded_amount": _("Refunded so far, in fen."),
        "paid_at": _("When the buyer paid (ISO 8601), or null."),
    },
    types={
        "payment.trade.succeeded": _("A buyer paid a trade."),
        "payment.trade.closed": _("An unpaid trade was closed (by you or on timeout)."),
    },
)

REFUND_EVENTS = EventGroup(
    payload="refund",
    fields={
        "trade_no": _("The platform's trade number."),
        "out_trade_no": _("Your order number."),
        "merchant_id": _("The merchant's id."),
        "amount": _("The trade's amount in fen."),
        "currency": _("Always CNY."),
        "state": _("The trade's state after the refund (success or finished)."),
        "refunded_amount": _("Refunded so far, in fen, this refund included."),
        "paid_at": _("When the buyer paid (ISO 8601)."),
        "refund_no": _("The platform's refund number."),
        "out_refund_no": _("Your refund number."),
        "refund_amount": _("This refund's amount in fen."),
    },
    types={
        "payment.refund.succeeded": _("A refund was made to the buyer."),
    },
)

PLUGIN = AppPlugin(
    label="payment",
    event_groups=(TRADE_EVENTS, REFUND_EVENTS),
    error_codes=(PaymentError, PaymentFieldError),
)
