"""What the payment capability declares to the platform (openplatform.plugins)."""

# The Chinese texts use full-width punctuation, as natural Chinese copy does.
# ruff: noqa: RUF001

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from capabilities.payment import demo, merchant_page
from capabilities.payment.errors import PaymentError, PaymentFieldError
from catalog.choices import Layer
from openplatform.plugins import CapabilityPlugin, CapabilitySpec, EventGroup, PackSpec, Panel

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

CAPABILITIES = (
    CapabilitySpec(
        code="payment.trade.precreate",
        name="Trade precreate (buyer scans)",
        name_zh="统一收单线下交易预创建",
        layer=Layer.PAYMENT,
        description=(
            "Creates an order and returns a QR code that the buyer scans with the payment app "
            "to pay; used on POS customer displays and printed order slips."
        ),
        description_zh=(
            "商户创建订单并生成收款二维码，用户使用手机扫码完成付款；适用于收银台顾客屏、"
            "打印小票等场景。"
        ),
    ),
    CapabilitySpec(
        code="payment.trade.pay",
        name="Trade pay (merchant scans)",
        name_zh="统一收单交易支付",
        layer=Layer.PAYMENT,
        description=(
            "Charges the buyer by scanning the payment code shown on the buyer's phone with a "
            "barcode scanner at the counter."
        ),
        description_zh="收银员使用扫码枪扫描用户手机上展示的付款码，直接完成收款。",
    ),
    CapabilitySpec(
        code="payment.trade.create",
        name="Trade create",
        name_zh="统一收单交易创建",
        layer=Layer.PAYMENT,
        description=(
            "Creates a trade for a known buyer, who confirms and pays it inside the merchant's "
            "app or mini program; returns the trade number used to open the cashier."
        ),
        description_zh=(
            "商户在自有App或小程序内为已识别的买家创建交易，返回交易号用于唤起收银台，"
            "由买家确认付款。"
        ),
    ),
    CapabilitySpec(
        code="payment.trade.query",
        name="Trade query",
        name_zh="统一收单交易查询",
        layer=Layer.PAYMENT,
        description=(
            "Returns the status, amount and payment details of a trade, looked up by the "
            "merchant's order number or the platform's trade number."
        ),
        description_zh="根据商户订单号或平台交易号查询交易状态、金额及支付明细。",
    ),
    CapabilitySpec(
        code="payment.trade.close",
        name="Trade close",
        name_zh="统一收单交易关闭",
        layer=Layer.PAYMENT,
        description=(
            "Closes an unpaid trade so that it can no longer be paid, for example when the "
            "order has expired."
        ),
        description_zh="关闭尚未付款的交易，关闭后买家无法继续付款，适用于订单超时未支付等场景。",
    ),
    CapabilitySpec(
        code="payment.trade.refund",
        name="Trade refund",
        name_zh="统一收单交易退款",
        layer=Layer.PAYMENT,
        description=(
            "Refunds all or part of a paid trade to the buyer; several partial refunds are "
            "allowed as long as their total does not exceed the amount paid."
        ),
        description_zh=(
            "对已付款的交易发起全额或部分退款，支持多次部分退款，累计退款金额不超过实付金额。"
        ),
    ),
    CapabilitySpec(
        code="payment.refund.query",
        name="Refund query",
        name_zh="统一收单交易退款查询",
        layer=Layer.PAYMENT,
        description=(
            "Returns the status and amount of a refund, looked up by its refund request number."
        ),
        description_zh="根据退款请求号查询退款状态及退款金额。",
    ),
    CapabilitySpec(
        code="payment.bill.download",
        name="Statement download",
        name_zh="对账单下载",
        layer=Layer.PAYMENT,
        description=(
            "Returns a download URL for the daily or monthly trade statement, used to reconcile "
            "the merchant's books with the platform."
        ),
        description_zh="获取日账单或月账单的下载地址，用于商户与平台进行对账。",
    ),
)

PACKS = (
    PackSpec(
        code="payment_basics",
        name="Payment basics",
        name_zh="基础支付",
        layer=Layer.PAYMENT,
        description=(
            "Take payments in your own app or online shop, look up orders, close unpaid orders, "
            "give refunds and download your statements."
        ),
        description_zh="在您的App或网店中收款，查询订单、关闭未付款订单、办理退款并下载对账单。",
        capabilities=(
            "payment.trade.create",
            "payment.trade.query",
            "payment.trade.close",
            "payment.trade.refund",
            "payment.refund.query",
            "payment.bill.download",
        ),
        default_daily_quota=1_000_000,
        default_per_second_quota=200,
    ),
    PackSpec(
        code="face_to_face_payment",
        name="Face-to-face payment",
        name_zh="当面付",
        layer=Layer.PAYMENT,
        description=(
            "Take payments at your counter: scan the customer's payment code or show a QR code "
            "for them to scan. Give refunds and download your statements."
        ),
        description_zh=(
            "在门店收银台收款：扫描顾客的付款码，或生成二维码供顾客扫码付款；"
            "支持退款和对账单下载。"
        ),
        capabilities=(
            "payment.trade.precreate",
            "payment.trade.pay",
            "payment.trade.query",
            "payment.trade.cancel",
            "payment.trade.close",
            "payment.trade.refund",
            "payment.refund.query",
            "payment.bill.download",
        ),
        default_daily_quota=1_000_000,
        default_per_second_quota=200,
    ),
)


PLUGIN = CapabilityPlugin(
    label="payment",
    domain="payment",
    capabilities=CAPABILITIES,
    packs=PACKS,
    # A new ISV's sandbox merchant grants them: a first payment within minutes.
    sandbox_packs=("payment_basics", "face_to_face_payment"),
    api_urls="capabilities.payment.api.urls",
    # The buyer's pages: the cashier of a trade's QR code and the merchant's static sticker.
    urls={"pay/": "capabilities.payment.urls"},
    portal_urls="capabilities.payment.portal_urls",
    merchant_panels=(
        Panel(template="payment/panels/sticker.html",
              context=merchant_page.merchant_sticker, order=20),
        Panel(template="payment/panels/trades.html",
              context=merchant_page.merchant_trades, order=30),
        Panel(template="payment/panels/statements.html",
              context=merchant_page.merchant_statements, order=40),
    ),
    event_groups=(TRADE_EVENTS, REFUND_EVENTS),
    error_codes=(PaymentError, PaymentFieldError),
    demo=demo.sandbox_buyers,
    beat_schedule={
        "close-expired-trades": {
            "task": "capabilities.payment.tasks.close_expired_trades",
            "schedule": 60,
        },
        # Yesterday's statements, after midnight in CELERY_TIMEZONE.
        "settle-yesterday": {
            "task": "capabilities.payment.tasks.settle_yesterday",
            "schedule": crontab(hour=1, minute=0),
        },
    },
)
