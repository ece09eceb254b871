from django.db import models
from django.utils.translation import gettext_lazy as _

CURRENCY = "CNY"
# The largest single trade, in fen (1,000,000.00 yuan).
MAX_TRADE_AMOUNT = 100_000_000
# Refunds of a suspended merchant's past trades stay possible this long after payment.
REFUND_WINDOW_DAYS = 180
# The pack a static QR sticker's payments are taken under: governance restricting it for a
# merchant stops its sticker.
STICKER_PACK = "qr_sticker_payment"


class TradeKind(models.TextChoices):
    PRECREATE = "precreate", _("QR code shown by the merchant")
    PAY = "pay", _("Buyer's payment code scanned")
    CREATE = "create", _("Hosted checkout")
    STICKER = "sticker", _("Static QR sticker")


class TradeState(models.TextChoices):
    WAIT_BUYER_PAY = "wait_buyer_pay", _("Waiting for the buyer to pay")
    SUCCESS = "success", _("Paid")
    CLOSED = "closed", _("Closed")
    FINISHED = "finished", _("Finished (fully refunded)")


TRADE_TRANSITIONS = {
    TradeState.WAIT_BUYER_PAY: {TradeState.SUCCESS, TradeState.CLOSED},
    # A partial refund keeps the trade in success; the refund that empties it finishes it.
    TradeState.SUCCESS: {TradeState.FINISHED},
    TradeState.CLOSED: set(),
    TradeState.FINISHED: set(),
}


class AccountKind(models.TextChoices):
    MERCHANT_PENDING = "merchant_pending", _("Merchant, pending settlement")
    MERCHANT_SETTLED = "merchant_settled", _("Merchant, settled")
    PLATFORM_FEES = "platform_fees", _("Platform fees")
    ISV_COMMISSION = "isv_commission", _("ISV commission")
    BUYER_WALLET = "buyer_wallet", _("Sandbox buyer wallet")
    # The world outside the books (sandbox top-ups): the only account that may go negative.
    EXTERNAL = "external", _("External funding")


class LedgerTransactionKind(models.TextChoices):
    TOP_UP = "top_up", _("Sandbox wallet top-up")
    TRADE_PAID = "trade_paid", _("Trade paid")
    REFUND = "refund", _("Refund")
    SETTLEMENT = "settlement", _("Daily settlement")
