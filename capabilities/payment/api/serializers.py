"""What the payment capabilities accept and answer: amounts in integer fen, currency CNY.

Types are checked here (a string, float or boolean amount is a wrong type, never coerced);
ranges, numbers already used and states are the services' to check, with the same codes
whoever calls them.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from capabilities.payment.choices import CURRENCY, MAX_TRADE_AMOUNT
from capabilities.payment.models import Refund, Trade
from openplatform.api.serializers import StrictCharField, StrictSerializer

# The longest time a buyer may take to pay, in minutes (a day).
MAX_TIMEOUT_MINUTES = 24 * 60


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 1,
                      "maximum": MAX_TRADE_AMOUNT,
                      "description": "Amount in fen (1/100 CNY), a JSON integer."})
class AmountField(serializers.Field):
    """A whole number of fen sent as a JSON integer: "100", 1.5 and true are wrong types."""

    default_error_messages = {
        "invalid": _("Send the amount as a whole number of fen (a JSON integer)."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer and nothing else."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


def _currency_field() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=[CURRENCY], required=False, default=CURRENCY,
        help_text=_("Only CNY; may be left out."))


class TradeOpenSerializer(StrictSerializer):
    """payment.trade.precreate and payment.trade.create."""

    out_trade_no = StrictCharField(
        max_length=64, trim_whitespace=False,
        help_text=_("Your order number, unique among your trades. Sending it again with the "
                    "same body returns the same trade; with another body, 409 "
                    "out_trade_no_conflict."))
    amount = AmountField()
    currency = _currency_field()
    subject = StrictCharField(max_length=256, help_text=_("What the buyer pays for."))
    timeout_minutes = StrictIntegerField(
        required=False, min_value=1, max_value=MAX_TIMEOUT_MINUTES,
        help_text=_("How long the buyer has to pay (default 120 minutes); the trade closes "
                    "by itself afterwards."))


class TradePaySerializer(StrictSerializer):
    """payment.trade.pay: the buyer's payment code, scanned at the counter."""

    out_trade_no = StrictCharField(max_length=64, trim_whitespace=False)
    amount = AmountField()
    currency = _currency_field()
    subject = StrictCharField(max_length=256)
    auth_code = StrictCharField(
        max_length=32, help_text=_("The payment code shown on the buyer's phone (18 digits "
                                   "in the sandbox)."))


class TradeRefundSerializer(StrictSerializer):
    out_refund_no = StrictCharField(
        max_length=64, trim_whitespace=False,
        help_text=_("Your refund number, unique per trade. Sending it again with the same "
                    "amount and reason returns the same refund; otherwise, 409 "
                    "out_refund_no_conflict."))
    amount = AmountField()
    currency = _currency_field()
    reason = StrictCharField(required=False, allow_blank=True, default="", max_length=256)


class TradeSimulateSerializer(StrictSerializer):
    result = serializers.ChoiceField(
        choices=["success", "failure"],
        help_text=_("success: the simulator's wallet pays the trade; failure: the trade "
                    "closes unpaid."))


class TradeSerializer(serializers.ModelSerializer):
    """A trade as the merchant's app sees it; amounts in fen."""

    class Meta:
        model = Trade
        fields = ["trade_no", "out_trade_no", "kind", "subject", "state", "amount", "currency",
                  "refunded_amount", "expires_at", "paid_at", "closed_at", "created_at"]
        read_only_fields = fields


class PrecreatedTradeSerializer(TradeSerializer):
    qr_code = serializers.URLField(
        help_text=_("Show it as a QR code: the buyer scans it and pays on the cashier page."))

    class Meta(TradeSerializer.Meta):
        fields = [*TradeSerializer.Meta.fields, "qr_code"]
        read_only_fields = fields


class HostedTradeSerializer(TradeSerializer):
    cashier_url = serializers.URLField(
        help_text=_("Send the buyer here to pay on the platform's cashier page."))

    class Meta(TradeSerializer.Meta):
        fields = [*TradeSerializer.Meta.fields, "cashier_url"]
        read_only_fields = fields


class RefundSerializer(serializers.ModelSerializer):
    trade_no = serializers.CharField(source="trade.trade_no")
    out_trade_no = serializers.CharField(source="trade.out_trade_no")
    currency = serializers.CharField(source="trade.currency")
    trade_state = serializers.CharField(source="trade.state")
    trade_refunded_amount = serializers.IntegerField(
        source="trade.refunded_amount", help_text=_("All refunds of the trade so far (fen)."))
    refunded_at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Refund
        fields = ["refund_no", "out_refund_no", "trade_no", "out_trade_no", "amount",
                  "currency", "reason", "trade_state", "trade_refunded_amount", "refunded_at"]
        read_only_fields = fields
