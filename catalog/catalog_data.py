"""The platform's shipped capability catalog, as plain Python data.

"Payment + X" (支付+X): payment is the entry point, and on top of it the platform opens
its other capabilities in three layers (basic, operations, finance). They are opened in
three forms, all described here:

1. capabilities: the raw APIs that partners call (``CAPABILITIES``);
2. function packs: the APIs one scenario needs, bundled; the unit an app subscribes to
   and a merchant grants on the OAuth consent page (``FUNCTION_PACKS``);
3. industry solutions: several packs bundled for one industry (``INDUSTRY_SOLUTIONS``).

This module is pure data: it imports nothing from Django and can be imported without
settings. A data migration loads it into the ``capabilities`` models, so keep the string
values in step with ``capabilities.choices`` (layers, statuses, industries) and within the
model field lengths (code 64, name 120). ``validate_catalog()`` checks the data for
consistency and is exercised by ``tests/capabilities/test_catalog_data.py``.

Texts: ``name``/``description`` are English for developers; ``name_zh``/``description_zh``
are Simplified Chinese. Pack descriptions are written for the merchant, because they are
shown on the consent page ("what the app will be able to do for you").
"""

# The Chinese texts use full-width punctuation, as natural Chinese copy does; RUF001 would
# flag every full-width comma, colon and parenthesis as "ambiguous".
# ruff: noqa: RUF001

import re
from dataclasses import dataclass

# --------------------------------------------------------------------------------------
# Allowed values (mirror catalog.choices, which needs Django and so is not imported)
# --------------------------------------------------------------------------------------

PAYMENT = "payment"
BASIC = "basic"
OPERATIONS = "operations"
FINANCE = "finance"
LAYERS: tuple[str, ...] = (PAYMENT, BASIC, OPERATIONS, FINANCE)

AVAILABLE = "available"
PLANNED = "planned"
STATUSES: tuple[str, ...] = (AVAILABLE, PLANNED)

INDUSTRIES: tuple[str, ...] = ("retail", "pharmacy", "mother_baby", "hotel", "hospital")

CAPABILITY_PREFIXES: tuple[str, ...] = (
    "merchant",
    "payment",
    "membership",
    "marketing",
    "risk",
    "invoice",
    "wealth",
    "lending",
    "credit",
    "insight",
    "store",
    "installment",
)

CAPABILITY_CODE_RE = re.compile(r"^[a-z]+(\.[a-z_]+)+$")
SNAKE_CODE_RE = re.compile(r"^[a-z]+(_[a-z0-9]+)*$")

CODE_MAX_LENGTH = 64
NAME_MAX_LENGTH = 120


@dataclass(frozen=True)
class CapabilitySpec:
    """One API, e.g. ``payment.trade.create``."""

    code: str  # dotted, lower-case, e.g. "payment.trade.create"
    name: str  # English
    name_zh: str  # Simplified Chinese
    layer: str  # one of LAYERS
    description: str  # English, for a developer
    description_zh: str
    status: str  # one of STATUSES


@dataclass(frozen=True)
class FunctionPackSpec:
    """The APIs one scenario needs; descriptions are written for the merchant."""

    code: str  # snake_case, e.g. "payment_basics"
    name: str
    name_zh: str
    layer: str
    description: str
    description_zh: str
    capabilities: tuple[str, ...]  # capability codes
    requires_review: bool
    default_daily_quota: int  # calls per day per app
    default_per_second_quota: int  # calls per second per app


@dataclass(frozen=True)
class IndustrySolutionSpec:
    """Several packs bundled for one industry's merchants."""

    code: str
    name: str
    name_zh: str
    industry: str  # one of INDUSTRIES
    description: str
    description_zh: str
    packs: tuple[str, ...]  # function pack codes


def _available(
    code: str, name: str, name_zh: str, layer: str, description: str, description_zh: str
) -> CapabilitySpec:
    return CapabilitySpec(code, name, name_zh, layer, description, description_zh, AVAILABLE)


def _planned(
    code: str, name: str, name_zh: str, layer: str, description: str, description_zh: str
) -> CapabilitySpec:
    """A capability that is catalogued but not implemented yet."""
    return CapabilitySpec(code, name, name_zh, layer, description, description_zh, PLANNED)


# --------------------------------------------------------------------------------------
# Capabilities (APIs)
# --------------------------------------------------------------------------------------

CAPABILITIES: tuple[CapabilitySpec, ...] = (
    # ---- merchant: basic ------------------------------------------------------------
    CapabilitySpec(
        code="merchant.info.query",
        name="Merchant profile query",
        name_zh="商户信息查询",
        layer=BASIC,
        description=(
            "Returns the authorized merchant's profile: name, business category, "
            "registration status and contact details. Sensitive fields such as the "
            "business licence number and phone number are masked."
        ),
        description_zh=(
            "查询已授权商户的基本信息，包括商户名称、经营类目、工商登记状态和联系方式；"
            "营业执照号、手机号等敏感字段脱敏返回。"
        ),
        status=AVAILABLE,
    ),
    _planned(
        "merchant.material.image.upload",
        "Image upload",
        "图片上传",
        BASIC,
        "Uploads an image (store photo, logo, card background) to the platform's cloud "
        "storage and returns an image ID that other APIs accept.",
        "将门店照片、品牌Logo、会员卡背景等图片上传至平台云存储，返回可在其他接口中引用的图片ID。",
    ),
    # ---- payment --------------------------------------------------------------------
    _available(
        "payment.trade.precreate",
        "Trade precreate (buyer scans)",
        "统一收单线下交易预创建",
        PAYMENT,
        "Creates an order and returns a QR code that the buyer scans with the payment app "
        "to pay; used on POS customer displays and printed order slips.",
        "商户创建订单并生成收款二维码，用户使用手机扫码完成付款；"
        "适用于收银台顾客屏、打印小票等场景。",
    ),
    _available(
        "payment.trade.pay",
        "Trade pay (merchant scans)",
        "统一收单交易支付",
        PAYMENT,
        "Charges the buyer by scanning the payment code shown on the buyer's phone with "
        "a barcode scanner at the counter.",
        "收银员使用扫码枪扫描用户手机上展示的付款码，直接完成收款。",
    ),
    _available(
        "payment.trade.create",
        "Trade create",
        "统一收单交易创建",
        PAYMENT,
        "Creates a trade for a known buyer, who confirms and pays it inside the "
        "merchant's app or mini program; returns the trade number used to open the cashier.",
        "商户在自有App或小程序内为已识别的买家创建交易，返回交易号用于唤起收银台，由买家确认付款。",
    ),
    _available(
        "payment.trade.query",
        "Trade query",
        "统一收单交易查询",
        PAYMENT,
        "Returns the status, amount and payment details of a trade, looked up by the "
        "merchant's order number or the platform's trade number.",
        "根据商户订单号或平台交易号查询交易状态、金额及支付明细。",
    ),
    _planned(
        "payment.trade.cancel",
        "Trade cancel",
        "统一收单交易撤销",
        PAYMENT,
        "Reverses a trade whose result is unknown, for example after a network timeout: "
        "an unpaid trade is closed and a paid one is refunded in full.",
        "支付结果未知（如网络超时）时撤销交易：未付款的交易将被关闭，已付款的交易将全额退款。",
    ),
    _available(
        "payment.trade.close",
        "Trade close",
        "统一收单交易关闭",
        PAYMENT,
        "Closes an unpaid trade so that it can no longer be paid, for example when the "
        "order has expired.",
        "关闭尚未付款的交易，关闭后买家无法继续付款，适用于订单超时未支付等场景。",
    ),
    _available(
        "payment.trade.refund",
        "Trade refund",
        "统一收单交易退款",
        PAYMENT,
        "Refunds all or part of a paid trade to the buyer; several partial refunds are "
        "allowed as long as their total does not exceed the amount paid.",
        "对已付款的交易发起全额或部分退款，支持多次部分退款，累计退款金额不超过实付金额。",
    ),
    _available(
        "payment.refund.query",
        "Refund query",
        "统一收单交易退款查询",
        PAYMENT,
        "Returns the status and amount of a refund, looked up by its refund request number.",
        "根据退款请求号查询退款状态及退款金额。",
    ),
    _available(
        "payment.bill.download",
        "Statement download",
        "对账单下载",
        PAYMENT,
        "Returns a download URL for the daily or monthly trade statement, used to "
        "reconcile the merchant's books with the platform.",
        "获取日账单或月账单的下载地址，用于商户与平台进行对账。",
    ),
    _planned(
        "payment.qrcode.sticker.create",
        "QR sticker create",
        "收款码生成",
        PAYMENT,
        "Generates a static collection QR code bound to a store, to be printed as a "
        "counter sticker; buyers scan it and enter the amount themselves.",
        "为门店生成绑定的静态收款码，打印成贴纸放在收银台，用户扫码后自行输入金额付款。",
    ),
    _planned(
        "payment.qrcode.sticker.query",
        "QR sticker query",
        "收款码查询",
        PAYMENT,
        "Returns a store's collection QR stickers, their status and the store each "
        "code is bound to.",
        "查询门店收款码的状态及其绑定的门店。",
    ),
    # ---- risk control: basic --------------------------------------------------------
    _planned(
        "risk.marketing.evaluate",
        "Marketing risk evaluation",
        "营销风险评估",
        BASIC,
        "Scores the risk that a user taking part in a campaign is not a genuine customer, "
        "before a subsidy, coupon or reward is granted.",
        "在发放补贴、优惠券或奖励前，评估参与活动的用户是否为真实消费者，返回风险等级。",
    ),
    _planned(
        "risk.order_brushing.detect",
        "Order brushing detection",
        "刷单识别",
        BASIC,
        "Flags trades that look like fake orders placed to inflate sales figures or to "
        "cash in marketing subsidies.",
        "识别为虚增销量或套取营销补贴而制造的虚假交易。",
    ),
    _planned(
        "risk.coupon_hunter.detect",
        "Coupon hunter detection",
        "羊毛党识别",
        BASIC,
        "Identifies accounts that harvest coupons and subsidies in bulk, such as batches "
        "of freshly registered accounts, so they can be excluded from a campaign.",
        "识别批量注册账号、集中领取优惠的羊毛党，以便将其排除在营销活动之外。",
    ),
    _planned(
        "risk.fraud.detect",
        "Fraud detection",
        "欺诈风险识别",
        BASIC,
        "Checks a user or a trade for signs of fraud, such as a stolen account or card, "
        "and returns a risk level with reason codes.",
        "识别盗号、盗卡等欺诈风险，返回风险等级及风险原因码。",
    ),
    _planned(
        "risk.result.feedback",
        "Risk result feedback",
        "风险结果反馈",
        BASIC,
        "Reports whether a flagged case turned out to be real risk, so that the risk "
        "models keep improving for the merchant's scenarios.",
        "回传风险识别结果的实际核实情况，帮助风控模型针对商户场景持续优化。",
    ),
    # ---- customer insight (big data): basic -----------------------------------------
    _planned(
        "insight.customer.age_distribution.query",
        "Customer age distribution",
        "顾客年龄分布",
        BASIC,
        "Returns the age distribution of the merchant's paying customers over a period, "
        "aggregated and anonymised.",
        "查询指定时间段内商户付款顾客的年龄分布，数据经过汇总和匿名化处理。",
    ),
    _planned(
        "insight.customer.purchase_frequency.query",
        "Customer purchase frequency",
        "顾客消费频次",
        BASIC,
        "Returns how often customers come back to buy, split into first-time, occasional "
        "and regular customers.",
        "查询顾客回购频次分布，区分新客、偶尔消费顾客和常客。",
    ),
    _planned(
        "insight.customer.favourite_products.query",
        "Customer favourite products",
        "顾客偏好商品",
        BASIC,
        "Returns the product categories the merchant's customers buy most often, to "
        "guide assortment and promotions.",
        "查询商户顾客最常购买的商品品类，用于指导选品和促销。",
    ),
    _planned(
        "insight.customer.spend_level.query",
        "Customer spend level",
        "顾客消费水平",
        BASIC,
        "Returns how the merchant's customers are distributed across spend levels "
        "(average ticket and monthly spend bands).",
        "按客单价和月消费金额区间查询顾客消费水平分布。",
    ),
    _planned(
        "insight.store_location.query",
        "Store location insight",
        "门店选址洞察",
        BASIC,
        "Returns foot traffic, spending power and competition around a candidate address, "
        "to help decide where to open a store.",
        "查询候选地址周边的客流、消费能力和同业竞争情况，辅助新店选址决策。",
    ),
    # ---- store opening and customer acquisition: operations -------------------------
    _planned(
        "store.create",
        "Store create",
        "门店创建",
        OPERATIONS,
        "Registers one of the merchant's physical stores with name, address, category, "
        "photos and opening hours; the store goes live after review.",
        "创建商户的线下门店，提交门店名称、地址、经营类目、照片和营业时间，审核通过后生效。",
    ),
    _planned(
        "store.modify",
        "Store modify",
        "门店修改",
        OPERATIONS,
        "Updates a store's details; a change of name, address or category is reviewed again.",
        "修改门店信息；门店名称、地址或经营类目变更后需重新审核。",
    ),
    _planned(
        "store.query",
        "Store query",
        "门店详情查询",
        OPERATIONS,
        "Returns one store's details and its review status.",
        "查询单个门店的详细信息及审核状态。",
    ),
    _planned(
        "store.list",
        "Store list",
        "门店批量查询",
        OPERATIONS,
        "Lists the merchant's stores and their status, page by page.",
        "分页查询商户名下的全部门店及其状态。",
    ),
    _planned(
        "store.category.query",
        "Store category query",
        "门店类目查询",
        OPERATIONS,
        "Returns the tree of store categories and the categories that need an extra "
        "licence, such as a food or drug trading licence.",
        "查询门店经营类目，以及需要额外资质的类目（如食品经营许可证、药品经营许可证）。",
    ),
    _planned(
        "store.discovery.publish",
        "Nearby store listing",
        "附近门店展示",
        OPERATIONS,
        "Publishes the store and its offers in the platform app's nearby-stores listing, "
        "so that people in the area can discover it.",
        "将门店及其优惠发布到平台客户端的“附近门店”频道，让周边用户发现门店。",
    ),
    # ---- marketing: operations ------------------------------------------------------
    _planned(
        "marketing.campaign.create",
        "Campaign create",
        "营销活动创建",
        OPERATIONS,
        "Creates a promotion such as a new-customer discount, spend-and-save or "
        "pay-and-get-a-coupon, with a budget, a time range and a target audience.",
        "创建新客立减、满减、支付后返券等营销活动，设置活动预算、时间和目标人群。",
    ),
    _planned(
        "marketing.campaign.query",
        "Campaign query",
        "营销活动查询",
        OPERATIONS,
        "Returns a campaign's status, remaining budget and participation figures.",
        "查询营销活动的状态、剩余预算和参与数据。",
    ),
    _planned(
        "marketing.campaign.stop",
        "Campaign stop",
        "营销活动停止",
        OPERATIONS,
        "Stops a running campaign early; coupons already issued stay valid.",
        "提前结束进行中的营销活动，已发放的优惠券仍然有效。",
    ),
    _planned(
        "marketing.social.share.create",
        "Share-to-earn campaign create",
        "分享有礼活动创建",
        OPERATIONS,
        "Creates a campaign in which customers share a coupon with friends, and both "
        "receive a reward when the friend pays.",
        "创建分享有礼活动：顾客将优惠券分享给好友，好友到店付款后双方均可获得奖励。",
    ),
    _planned(
        "marketing.social.share.query",
        "Share-to-earn results query",
        "分享有礼数据查询",
        OPERATIONS,
        "Returns how often a sharing campaign was shared and claimed, and how many claims "
        "turned into payments.",
        "查询分享有礼活动的分享次数、领取人数和核销转化情况。",
    ),
    _planned(
        "marketing.coupon.template.create",
        "Coupon template create",
        "券模板创建",
        OPERATIONS,
        "Defines a coupon: type (cash, discount or voucher), face value, minimum spend, "
        "validity period and usage rules.",
        "创建券模板，设置券类型（代金券、折扣券、兑换券）、面额、使用门槛、有效期和使用规则。",
    ),
    _planned(
        "marketing.coupon.template.modify",
        "Coupon template modify",
        "券模板修改",
        OPERATIONS,
        "Changes a coupon template's stock or validity period; the face value and "
        "minimum spend cannot change once coupons have been issued.",
        "修改券模板的库存或有效期；发券后面额和使用门槛不可修改。",
    ),
    _planned(
        "marketing.coupon.template.query",
        "Coupon template query",
        "券模板查询",
        OPERATIONS,
        "Returns a coupon template with its remaining stock and its issued and redeemed counts.",
        "查询券模板详情，以及剩余库存、已发放和已核销数量。",
    ),
    _planned(
        "marketing.coupon.issue",
        "Coupon issue",
        "发券",
        OPERATIONS,
        "Sends a coupon from a template to a specific user; the coupon appears in the "
        "user's card and coupon wallet.",
        "按券模板向指定用户发放优惠券，优惠券将出现在用户的卡券包中。",
    ),
    _planned(
        "marketing.coupon.redeem",
        "Coupon redeem",
        "券核销",
        OPERATIONS,
        "Marks a coupon as used at checkout, online or in store, so that it cannot be used twice.",
        "在线上或门店收银时核销优惠券，防止重复使用。",
    ),
    _planned(
        "marketing.coupon.query",
        "User coupon query",
        "用户券查询",
        OPERATIONS,
        "Returns a user's coupon and whether it is available, used or expired.",
        "查询用户持有的优惠券及其状态（可用、已使用、已过期）。",
    ),
    # ---- membership: operations -----------------------------------------------------
    _planned(
        "membership.card.template.create",
        "Member card template create",
        "会员卡模板创建",
        OPERATIONS,
        "Designs the brand's electronic member card: logo, background, levels, benefits "
        "and the fields a customer fills in when opening a card.",
        "创建品牌电子会员卡模板，设置Logo、卡面背景、会员等级、会员权益以及开卡时需填写的信息。",
    ),
    _planned(
        "membership.card.template.modify",
        "Member card template modify",
        "会员卡模板修改",
        OPERATIONS,
        "Updates a member card template; cards already opened show the new design.",
        "修改会员卡模板，已开通的会员卡同步展示新样式。",
    ),
    _planned(
        "membership.card.template.query",
        "Member card template query",
        "会员卡模板查询",
        OPERATIONS,
        "Returns a member card template and its settings.",
        "查询会员卡模板详情及配置。",
    ),
    _planned(
        "membership.card.open",
        "Member card open",
        "会员卡开卡",
        OPERATIONS,
        "Opens a member card for a paying customer, who becomes the brand's member with "
        "one account across the online shop and the physical stores.",
        "为付款顾客开通会员卡，使其成为品牌会员，线上商城与线下门店共用同一会员账户。",
    ),
    _planned(
        "membership.card.query",
        "Member card query",
        "会员卡查询",
        OPERATIONS,
        "Returns a member's card: card number, level, balance and validity.",
        "查询会员卡的卡号、等级、余额和有效期。",
    ),
    _planned(
        "membership.card.update",
        "Member card update",
        "会员卡信息更新",
        OPERATIONS,
        "Updates the level, balance or points shown on a member's card, for example "
        "after a purchase or an upgrade.",
        "会员消费或升级后，更新会员卡上展示的等级、余额或积分。",
    ),
    _planned(
        "membership.member.query",
        "Member query",
        "会员信息查询",
        OPERATIONS,
        "Looks up a member by card number, phone number or payment account, so that the "
        "same person is recognised online and in store.",
        "通过会员卡号、手机号或支付账号查询会员信息，实现线上线下识别同一会员。",
    ),
    _planned(
        "membership.points.add",
        "Points add",
        "积分发放",
        OPERATIONS,
        "Credits points to a member, for example for a purchase; a request number makes "
        "the call idempotent.",
        "为会员发放积分（如消费返积分），通过请求号保证幂等。",
    ),
    _planned(
        "membership.points.deduct",
        "Points deduct",
        "积分扣减",
        OPERATIONS,
        "Deducts points from a member for a redemption or an adjustment; fails if the "
        "balance is insufficient.",
        "因积分兑换或调整扣减会员积分，积分不足时扣减失败。",
    ),
    _planned(
        "membership.points.query",
        "Points query",
        "积分查询",
        OPERATIONS,
        "Returns a member's single points balance across online and offline channels, "
        "with the recent points history.",
        "查询会员线上线下统一的积分余额及近期积分明细。",
    ),
    _planned(
        "membership.points_mall.goods.publish",
        "Points mall item publish",
        "积分商城商品发布",
        OPERATIONS,
        "Lists a product or a coupon in the brand's points mall, with its price in points "
        "and its stock.",
        "在品牌积分商城上架商品或优惠券，设置兑换所需积分和库存。",
    ),
    _planned(
        "membership.points_mall.order.query",
        "Points mall redemption query",
        "积分商城兑换查询",
        OPERATIONS,
        "Returns points-mall redemptions: who redeemed what, for how many points, and "
        "the delivery status.",
        "查询积分商城兑换记录，包括兑换会员、兑换商品、消耗积分和发货状态。",
    ),
    _planned(
        "membership.receipt.send",
        "E-receipt send",
        "电子小票推送",
        OPERATIONS,
        "Sends an itemised electronic receipt to the member after payment, replacing the "
        "paper slip.",
        "付款后向会员推送电子小票，展示商品明细，替代纸质小票。",
    ),
    _planned(
        "membership.tag.create",
        "Member tag create",
        "会员标签创建",
        OPERATIONS,
        "Defines a member tag within a tag series, for example condition, customer value, "
        "brand, price band, or promotion preference and price sensitivity.",
        "在标签系列下创建会员标签，如病症、客户价值、品牌、价格带、促销偏好与价格敏感度。",
    ),
    _planned(
        "membership.tag.assign",
        "Member tag assign",
        "会员打标",
        OPERATIONS,
        "Attaches tags to members or removes them, one member at a time or in bulk.",
        "为会员添加或移除标签，支持单个和批量操作。",
    ),
    _planned(
        "membership.tag.query",
        "Member tag query",
        "会员标签查询",
        OPERATIONS,
        "Returns the tags a member carries, or the members that carry a tag.",
        "查询会员拥有的标签，或拥有某个标签的会员。",
    ),
    _planned(
        "membership.audience.create",
        "Audience create",
        "会员人群圈选",
        OPERATIONS,
        "Combines tags into a target audience, for example 'chronic condition, high value, "
        "not price-sensitive', for precise marketing such as targeted coupons.",
        "组合多个标签圈选目标人群（如“慢病、高价值、价格不敏感”），用于定向发券等精准营销。",
    ),
    # ---- invoices: operations -------------------------------------------------------
    _planned(
        "invoice.einvoice.issue",
        "E-invoice issue",
        "电子发票开具",
        OPERATIONS,
        "Issues an electronic VAT invoice for a paid trade under the buyer's chosen "
        "invoice title and delivers it to the buyer's invoice wallet.",
        "为已付款的交易按买家选择的抬头开具增值税电子普通发票，并推送至买家的发票夹。",
    ),
    _planned(
        "invoice.einvoice.query",
        "E-invoice query",
        "电子发票查询",
        OPERATIONS,
        "Returns an e-invoice's status and PDF download link, looked up by trade number "
        "or invoice number.",
        "根据交易号或发票号码查询电子发票状态及PDF下载地址。",
    ),
    _planned(
        "invoice.einvoice.reverse",
        "E-invoice reversal",
        "电子发票红冲",
        OPERATIONS,
        "Issues a red-letter (negative) invoice that cancels an e-invoice, for example "
        "after a refund.",
        "开具红字发票冲销原电子发票，适用于退款等场景。",
    ),
    _planned(
        "invoice.reimbursement.fetch",
        "Reimbursement invoice fetch",
        "报销发票获取",
        OPERATIONS,
        "Lets an enterprise expense system receive the e-invoices that employees submit "
        "from their invoice wallet for reimbursement, with verified invoice data.",
        "企业报销系统获取员工从发票夹提交报销的电子发票及查验后的票面信息。",
    ),
    _planned(
        "invoice.reimbursement.status.sync",
        "Reimbursement status sync",
        "报销状态同步",
        OPERATIONS,
        "Marks an e-invoice as being reimbursed or reimbursed, so that the same invoice "
        "cannot be claimed twice.",
        "将电子发票标记为报销中或已报销，防止同一张发票重复报销。",
    ),
    _planned(
        "invoice.title.save",
        "Invoice title save",
        "发票抬头保存",
        OPERATIONS,
        "Saves an invoice title for the user (company name, tax number, address and "
        "phone, bank account) so that it can be reused on later invoices.",
        "为用户保存发票抬头（单位名称、税号、地址电话、开户行及账号），后续开票时直接复用。",
    ),
    _planned(
        "invoice.title.list",
        "Invoice title list",
        "发票抬头查询",
        OPERATIONS,
        "Returns the invoice titles a user has saved, once the user agrees to share them, "
        "so that nobody has to type them at the counter.",
        "经用户同意后获取其已保存的发票抬头列表，开票时无需手动录入。",
    ),
    # ---- credit: finance ------------------------------------------------------------
    _planned(
        "credit.score.query",
        "Credit score query",
        "信用评分查询",
        FINANCE,
        "Returns a user's credit score, with the user's authorization, to decide on "
        "deposit-free rental, pay-after-use and similar credit-based services.",
        "经用户授权后查询其信用评分，用于免押金租借、先享后付等信用服务的决策。",
    ),
    _planned(
        "credit.performance.feedback",
        "Credit performance feedback",
        "信用履约反馈",
        FINANCE,
        "Reports whether a user kept or broke a credit-based commitment, such as "
        "returning a rented item or paying after use on time.",
        "回传用户的履约或违约情况（如按时归还租借物品、先享后付按时付款），作为信用评估参考。",
    ),
    # ---- wealth management: finance -------------------------------------------------
    _planned(
        "wealth.fund.account.open",
        "Fund account open",
        "理财账户开通",
        FINANCE,
        "Opens the merchant's enterprise money-market fund account once the merchant has "
        "signed the fund service agreement.",
        "商户签署基金服务协议后，为其开通企业余额理财账户。",
    ),
    _planned(
        "wealth.fund.subscribe",
        "Fund subscribe",
        "理财申购",
        FINANCE,
        "Moves idle cash from the merchant's balance into the enterprise money-market fund.",
        "将商户账户中的闲置资金申购为企业余额理财（货币市场基金）份额。",
    ),
    _planned(
        "wealth.fund.redeem",
        "Fund redeem",
        "理财赎回",
        FINANCE,
        "Redeems fund shares back to the merchant's balance, instantly up to a daily "
        "limit or on the next business day.",
        "将理财份额赎回至商户账户余额，支持额度内实时到账或下一工作日到账。",
    ),
    _planned(
        "wealth.fund.yield.query",
        "Fund yield query",
        "理财收益查询",
        FINANCE,
        "Returns the fund's seven-day annualised yield, its daily income per 10,000 "
        "shares and the merchant's daily earnings.",
        "查询基金七日年化收益率、万份收益以及商户每日收益。",
    ),
    _planned(
        "wealth.fund.position.query",
        "Fund position query",
        "理财持仓查询",
        FINANCE,
        "Returns the merchant's fund shares, their current value and the amount "
        "available to redeem.",
        "查询商户当前持有的理财份额、金额及可赎回金额。",
    ),
    _planned(
        "wealth.fund.order.query",
        "Fund order query",
        "理财交易查询",
        FINANCE,
        "Returns the status of a subscribe or redeem order.",
        "查询申购或赎回订单的处理状态。",
    ),
    # ---- financing (micro-loans): finance -------------------------------------------
    _planned(
        "lending.credit_line.query",
        "Loan credit line query",
        "贷款额度查询",
        FINANCE,
        "Returns the unsecured loan limit pre-approved for the merchant from its "
        "operating data, and the interest rate offered.",
        "查询根据商户经营数据预授信的无抵押贷款额度及适用利率。",
    ),
    _planned(
        "lending.loan.apply",
        "Loan apply",
        "贷款申请",
        FINANCE,
        "Submits a collateral-free micro-loan application for the merchant, with amount "
        "and term, within its credit line.",
        "在额度范围内为商户提交无抵押、免担保的小额贷款申请，指定借款金额和期限。",
    ),
    _planned(
        "lending.loan.query",
        "Loan query",
        "贷款查询",
        FINANCE,
        "Returns a loan application's status (in review, approved, rejected, disbursed) "
        "and the outstanding balance.",
        "查询贷款申请状态（审核中、已通过、已拒绝、已放款）及剩余待还金额。",
    ),
    _planned(
        "lending.loan.repay",
        "Loan repay",
        "贷款还款",
        FINANCE,
        "Repays a loan early, in part or in full, from the merchant's balance.",
        "使用商户账户余额提前偿还部分或全部贷款。",
    ),
    _planned(
        "lending.repayment_plan.query",
        "Repayment plan query",
        "还款计划查询",
        FINANCE,
        "Returns a loan's repayment schedule: due dates, principal and interest per installment.",
        "查询贷款的还款计划，包括每期还款日、应还本金和利息。",
    ),
    # ---- consumer installments: finance ---------------------------------------------
    _planned(
        "installment.plan.query",
        "Installment plan query",
        "分期方案查询",
        FINANCE,
        "Returns the installment options for an order amount at checkout (for example "
        "3, 6 or 12 periods) with the fee per period and who bears it.",
        "在收银台按订单金额查询可用的分期方案（如3期、6期、12期）、每期手续费及承担方。",
    ),
    _planned(
        "installment.trade.create",
        "Installment trade create",
        "分期交易创建",
        FINANCE,
        "Creates a checkout trade that the buyer pays in installments, with the chosen "
        "number of periods and the party that bears the fee.",
        "创建由买家分期付款的收银交易，指定分期期数及手续费承担方。",
    ),
    _planned(
        "installment.promotion.create",
        "Interest-free promotion create",
        "分期免息活动创建",
        FINANCE,
        "Sets up a promotion in which the merchant pays the installment fee, so that "
        "buyers get interest-free installments on selected goods.",
        "创建商家贴息的分期免息活动，让买家购买指定商品时享受免息分期。",
    ),
)


# --------------------------------------------------------------------------------------
# Function packs (descriptions are for the merchant, shown on the consent page)
# --------------------------------------------------------------------------------------

FUNCTION_PACKS: tuple[FunctionPackSpec, ...] = (
    FunctionPackSpec(
        code="merchant_basics",
        name="Merchant basics",
        name_zh="商户基础信息",
        layer=BASIC,
        description=(
            "Read your business profile (name, category, registration status); sensitive "
            "details are masked. Upload pictures such as store photos and your logo."
        ),
        description_zh=(
            "读取您的商户基本信息（名称、经营类目、登记状态），敏感信息脱敏展示；"
            "上传门店照片、品牌Logo等图片。"
        ),
        capabilities=("merchant.info.query", "merchant.material.image.upload"),
        requires_review=False,
        default_daily_quota=100_000,
        default_per_second_quota=20,
    ),
    FunctionPackSpec(
        code="payment_basics",
        name="Payment basics",
        name_zh="基础支付",
        layer=PAYMENT,
        description=(
            "Take payments in your own app or online shop, look up orders, close unpaid "
            "orders, give refunds and download your statements."
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
        requires_review=False,
        default_daily_quota=1_000_000,
        default_per_second_quota=200,
    ),
    FunctionPackSpec(
        code="face_to_face_payment",
        name="Face-to-face payment",
        name_zh="当面付",
        layer=PAYMENT,
        description=(
            "Take payments at your counter: scan the customer's payment code or show a QR "
            "code for them to scan. Give refunds and download your statements."
        ),
        description_zh=(
            "在门店收银台收款：扫描顾客的付款码，或生成二维码供顾客扫码付款；支持退款和对账单下载。"
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
        requires_review=False,
        default_daily_quota=1_000_000,
        default_per_second_quota=200,
    ),
    FunctionPackSpec(
        code="qr_sticker_payment",
        name="QR sticker payment",
        name_zh="收款码",
        layer=PAYMENT,
        description=(
            "Get printable QR stickers for your stores: customers scan and pay, no cash "
            "register needed. Check payments and download your statements."
        ),
        description_zh=(
            "为您的门店生成可打印的收款码贴纸，无需收银设备，顾客扫码即可付款；"
            "支持查询收款和下载对账单。"
        ),
        capabilities=(
            "payment.qrcode.sticker.create",
            "payment.qrcode.sticker.query",
            "payment.trade.query",
            "payment.bill.download",
        ),
        requires_review=False,
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    FunctionPackSpec(
        code="store_opening",
        name="Store opening",
        name_zh="门店开店",
        layer=OPERATIONS,
        description=(
            "Open and manage your physical stores on the platform, with photos, opening "
            "hours and business categories."
        ),
        description_zh="在平台上开设和管理您的线下门店，包括门店照片、营业时间和经营类目。",
        capabilities=(
            "store.create",
            "store.modify",
            "store.query",
            "store.list",
            "store.category.query",
            "merchant.material.image.upload",
        ),
        requires_review=False,
        default_daily_quota=50_000,
        default_per_second_quota=10,
    ),
    FunctionPackSpec(
        code="customer_acquisition",
        name="Customer acquisition",
        name_zh="获客拉新",
        layer=OPERATIONS,
        description=(
            "Show your stores and offers to people nearby and run campaigns that bring "
            "in new customers."
        ),
        description_zh="向附近用户展示您的门店和优惠，并开展吸引新顾客的营销活动。",
        capabilities=(
            "store.discovery.publish",
            "marketing.campaign.create",
            "marketing.campaign.query",
            "marketing.campaign.stop",
        ),
        requires_review=False,
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    FunctionPackSpec(
        code="social_sharing",
        name="Share-to-earn",
        name_zh="分享有礼",
        layer=OPERATIONS,
        description=(
            "Let your customers share coupons with their friends, and reward both when "
            "the friend buys."
        ),
        description_zh="让您的顾客把优惠券分享给好友，好友消费后双方都能获得奖励。",
        capabilities=(
            "marketing.social.share.create",
            "marketing.social.share.query",
            "marketing.coupon.issue",
        ),
        requires_review=False,
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    FunctionPackSpec(
        code="membership_card",
        name="Membership card",
        name_zh="会员卡",
        layer=OPERATIONS,
        description=(
            "Give customers who pay you an electronic member card, recognise the same "
            "member online and in your stores, and send e-receipts."
        ),
        description_zh="为付款顾客开通电子会员卡，线上线下识别同一会员，并推送电子小票。",
        capabilities=(
            "membership.card.template.create",
            "membership.card.template.modify",
            "membership.card.template.query",
            "membership.card.open",
            "membership.card.query",
            "membership.card.update",
            "membership.member.query",
            "membership.receipt.send",
        ),
        requires_review=False,
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    FunctionPackSpec(
        code="points",
        name="Points",
        name_zh="积分",
        layer=OPERATIONS,
        description=(
            "Give and deduct member points, keep one points balance online and in store, "
            "and run a points mall."
        ),
        description_zh="为会员发放和扣减积分，线上线下积分统一，并开设积分商城。",
        capabilities=(
            "membership.points.add",
            "membership.points.deduct",
            "membership.points.query",
            "membership.points_mall.goods.publish",
            "membership.points_mall.order.query",
            "membership.member.query",
        ),
        requires_review=False,
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    FunctionPackSpec(
        code="coupons",
        name="Coupons",
        name_zh="优惠券",
        layer=OPERATIONS,
        description="Create coupons, send them to your customers and redeem them at checkout.",
        description_zh="创建优惠券、发放给顾客，并在收银时核销。",
        capabilities=(
            "marketing.coupon.template.create",
            "marketing.coupon.template.modify",
            "marketing.coupon.template.query",
            "marketing.coupon.issue",
            "marketing.coupon.redeem",
            "marketing.coupon.query",
        ),
        requires_review=False,
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    FunctionPackSpec(
        code="member_tags",
        name="Member tags",
        name_zh="会员标签",
        layer=OPERATIONS,
        description=(
            "Tag your members (for example by needs, value, brand, price band or "
            "promotion preference), pick target groups and send them targeted coupons."
        ),
        description_zh=(
            "为会员打标签（如需求、价值、品牌偏好、价格带、促销偏好），圈选目标人群并定向发券。"
        ),
        capabilities=(
            "membership.tag.create",
            "membership.tag.assign",
            "membership.tag.query",
            "membership.audience.create",
            "marketing.coupon.issue",
        ),
        requires_review=False,
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    FunctionPackSpec(
        code="marketing_risk_control",
        name="Marketing risk control",
        name_zh="营销风控",
        layer=BASIC,
        description=(
            "Check customers and orders for fraud, order brushing and coupon hunting, so "
            "that your marketing budget reaches real customers."
        ),
        description_zh="识别欺诈、刷单和羊毛党，让您的营销补贴真正惠及真实顾客。",
        capabilities=(
            "risk.marketing.evaluate",
            "risk.order_brushing.detect",
            "risk.coupon_hunter.detect",
            "risk.fraud.detect",
            "risk.result.feedback",
        ),
        requires_review=True,
        default_daily_quota=500_000,
        default_per_second_quota=100,
    ),
    FunctionPackSpec(
        code="e_invoice",
        name="E-invoice",
        name_zh="电子发票",
        layer=OPERATIONS,
        description=(
            "Issue electronic invoices for your sales, look them up, and cancel them "
            "after a refund."
        ),
        description_zh="为您的销售开具电子发票、查询发票，并在退款后红冲作废。",
        capabilities=(
            "invoice.einvoice.issue",
            "invoice.einvoice.query",
            "invoice.einvoice.reverse",
        ),
        requires_review=False,
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    FunctionPackSpec(
        code="invoice_reimbursement",
        name="Invoice reimbursement",
        name_zh="发票报销",
        layer=OPERATIONS,
        description=(
            "Receive the e-invoices your employees submit for expense claims and mark "
            "them as reimbursed, so that no invoice is claimed twice."
        ),
        description_zh="接收员工提交报销的电子发票并标记报销状态，避免同一张发票重复报销。",
        capabilities=(
            "invoice.reimbursement.fetch",
            "invoice.reimbursement.status.sync",
            "invoice.einvoice.query",
        ),
        requires_review=False,
        default_daily_quota=100_000,
        default_per_second_quota=20,
    ),
    FunctionPackSpec(
        code="invoice_titles",
        name="Invoice titles",
        name_zh="发票抬头",
        layer=OPERATIONS,
        description=(
            "Save your customers' invoice titles and, with their consent, fill them in "
            "when you issue an invoice."
        ),
        description_zh="保存顾客的发票抬头，经顾客同意后在开票时自动填写。",
        capabilities=("invoice.title.save", "invoice.title.list"),
        requires_review=False,
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    FunctionPackSpec(
        code="customer_insight",
        name="Customer insight",
        name_zh="商户洞察",
        layer=BASIC,
        description=(
            "See your customers' ages, how often they buy, their favourite products and "
            "their spend level, and compare locations for a new store."
        ),
        description_zh="了解您的顾客年龄分布、消费频次、偏好商品和消费水平，并为新店选址提供参考。",
        capabilities=(
            "insight.customer.age_distribution.query",
            "insight.customer.purchase_frequency.query",
            "insight.customer.favourite_products.query",
            "insight.customer.spend_level.query",
            "insight.store_location.query",
        ),
        requires_review=False,
        default_daily_quota=10_000,
        default_per_second_quota=5,
    ),
    FunctionPackSpec(
        code="enterprise_wealth_fund",
        name="Enterprise wealth fund",
        name_zh="企业余额理财",
        layer=FINANCE,
        description=(
            "Put your business's idle cash into a money-market fund, redeem it when you "
            "need it and check your earnings."
        ),
        description_zh="将企业闲置资金转入货币基金理财，随用随取，随时查看收益。",
        capabilities=(
            "wealth.fund.account.open",
            "wealth.fund.subscribe",
            "wealth.fund.redeem",
            "wealth.fund.yield.query",
            "wealth.fund.position.query",
            "wealth.fund.order.query",
        ),
        requires_review=True,
        default_daily_quota=20_000,
        default_per_second_quota=10,
    ),
    FunctionPackSpec(
        code="merchant_micro_loan",
        name="Merchant micro-loan",
        name_zh="商户小额贷款",
        layer=FINANCE,
        description=(
            "Check your pre-approved loan limit, apply for a collateral-free loan, and "
            "track and repay it."
        ),
        description_zh="查看预授信贷款额度，申请无抵押小额贷款，并查询和偿还贷款。",
        capabilities=(
            "lending.credit_line.query",
            "lending.loan.apply",
            "lending.loan.query",
            "lending.loan.repay",
            "lending.repayment_plan.query",
        ),
        requires_review=True,
        default_daily_quota=20_000,
        default_per_second_quota=10,
    ),
    FunctionPackSpec(
        code="credit_score",
        name="Credit score",
        name_zh="信用评分",
        layer=FINANCE,
        description=(
            "With your customers' consent, check their credit score to offer deposit-free "
            "or pay-later services, and report whether they kept their commitments."
        ),
        description_zh="经顾客授权查询其信用评分，为其提供免押金、先享后付等服务，并反馈履约情况。",
        capabilities=("credit.score.query", "credit.performance.feedback"),
        requires_review=True,
        default_daily_quota=50_000,
        default_per_second_quota=20,
    ),
    FunctionPackSpec(
        code="consumer_installments",
        name="Consumer installments",
        name_zh="消费分期",
        layer=FINANCE,
        description=(
            "Let customers pay in installments at checkout, and offer interest-free "
            "installments that you subsidise."
        ),
        description_zh="让顾客在收银时分期付款，您也可以贴息为顾客提供免息分期。",
        capabilities=(
            "installment.plan.query",
            "installment.trade.create",
            "installment.promotion.create",
            "payment.trade.query",
            "payment.trade.refund",
        ),
        requires_review=True,
        # On the checkout path, so sized like a payment flow rather than back-office finance.
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
)


# --------------------------------------------------------------------------------------
# Industry solutions
# --------------------------------------------------------------------------------------

INDUSTRY_SOLUTIONS: tuple[IndustrySolutionSpec, ...] = (
    IndustrySolutionSpec(
        code="retail",
        name="Smart retail",
        name_zh="智慧零售解决方案",
        industry="retail",
        description=(
            "For supermarkets, convenience stores and shopping malls: take payments at the "
            "counter, turn every payer into a member with one account and one points "
            "balance online and offline, and run data-driven marketing that reaches real "
            "customers."
        ),
        description_zh=(
            "面向商超、便利店和购物中心：门店当面收款，付款顾客即可成为会员，"
            "线上线下会员账户和积分打通，并基于数据开展触达真实顾客的精准营销。"
        ),
        packs=(
            "face_to_face_payment",
            "membership_card",
            "points",
            "coupons",
            "customer_insight",
            "marketing_risk_control",
            "e_invoice",
        ),
    ),
    IndustrySolutionSpec(
        code="pharmacy_chain",
        name="Pharmacy chain",
        name_zh="连锁药店解决方案",
        industry="pharmacy",
        description=(
            "For pharmacy chains: member cards and points valid in every store, and "
            "precise marketing on five tag series: condition, customer value, brand, "
            "price band, and promotion preference and price sensitivity."
        ),
        description_zh=(
            "面向连锁药店：会员卡和积分全部门店通用，并基于病症、客户价值、品牌、价格带、"
            "促销偏好与价格敏感度五大标签系列开展精准营销。"
        ),
        packs=(
            "face_to_face_payment",
            "membership_card",
            "points",
            "member_tags",
            "coupons",
            "customer_insight",
            "e_invoice",
        ),
    ),
    IndustrySolutionSpec(
        code="mother_baby_platform",
        name="Mother-and-baby B2B2C platform",
        name_zh="母婴B2B2C平台解决方案",
        industry="mother_baby",
        description=(
            "For B2B2C platforms that supply independent mother-and-baby stores: payments "
            "and membership for the stores, and collateral-free micro-loans that store "
            "owners apply for through the platform."
        ),
        description_zh=(
            "面向服务母婴门店的B2B2C平台：为门店提供收款和会员营销能力，"
            "店主还可通过平台申请无抵押小额贷款。"
        ),
        packs=(
            "payment_basics",
            "face_to_face_payment",
            "membership_card",
            "points",
            "coupons",
            "merchant_micro_loan",
        ),
    ),
    IndustrySolutionSpec(
        code="hotel",
        name="Hotel",
        name_zh="酒店解决方案",
        industry="hotel",
        description=(
            "For hotels: deposit-free check-in for guests with good credit, room payment "
            "with installments, member cards, and e-invoices with saved titles for "
            "business travellers."
        ),
        description_zh=(
            "面向酒店：信用良好的客人免押金入住，房费支付支持分期，提供会员卡，"
            "并为商旅客人开具可复用抬头的电子发票。"
        ),
        packs=(
            "payment_basics",
            "credit_score",
            "consumer_installments",
            "membership_card",
            "e_invoice",
            "invoice_titles",
        ),
    ),
    IndustrySolutionSpec(
        code="hospital",
        name="Smart hospital",
        name_zh="智慧医院解决方案",
        industry="hospital",
        description=(
            "For hospitals: pay registration and treatment fees by phone or at the window, "
            "treatment first and payment later for patients with good credit, installments "
            "for large bills, and electronic invoices."
        ),
        description_zh=(
            "面向医院：手机或窗口缴纳挂号费和诊疗费，信用良好的患者可先诊疗后付费，"
            "大额费用支持分期，并开具电子发票。"
        ),
        packs=(
            "payment_basics",
            "face_to_face_payment",
            "credit_score",
            "consumer_installments",
            "e_invoice",
        ),
    ),
)


# --------------------------------------------------------------------------------------
# Consistency check
# --------------------------------------------------------------------------------------


def _duplicates(values: list[str]) -> list[str]:
    seen: set[str] = set()
    dupes: list[str] = []
    for value in values:
        if value in seen and value not in dupes:
            dupes.append(value)
        seen.add(value)
    return dupes


def validate_catalog(
    capabilities: tuple[CapabilitySpec, ...] | None = None,
    packs: tuple[FunctionPackSpec, ...] | None = None,
    solutions: tuple[IndustrySolutionSpec, ...] | None = None,
) -> list[str]:
    """Return the catalog's problems, one human-readable line each; empty when consistent.

    Checks the shipped catalog by default; pass other tuples to check those instead.
    """
    capabilities = CAPABILITIES if capabilities is None else capabilities
    packs = FUNCTION_PACKS if packs is None else packs
    solutions = INDUSTRY_SOLUTIONS if solutions is None else solutions
    problems: list[str] = []

    for kind, entries in (
        ("capability", capabilities),
        ("function pack", packs),
        ("industry solution", solutions),
    ):
        for code in _duplicates([entry.code for entry in entries]):
            problems.append(f"duplicate {kind} code {code!r}")
        for field in ("name", "name_zh"):
            for value in _duplicates([getattr(entry, field) for entry in entries]):
                problems.append(f"duplicate {kind} {field} {value!r}")
        for entry in entries:
            if len(entry.code) > CODE_MAX_LENGTH:
                problems.append(f"{kind} code {entry.code!r} is longer than {CODE_MAX_LENGTH}")
            for field in ("name", "name_zh", "description", "description_zh"):
                value = getattr(entry, field)
                if not value.strip():
                    problems.append(f"{kind} {entry.code!r} has an empty {field}")
                elif field.startswith("name") and len(value) > NAME_MAX_LENGTH:
                    problems.append(
                        f"{kind} {entry.code!r} {field} is longer than {NAME_MAX_LENGTH}"
                    )

    capability_codes = {cap.code for cap in capabilities}
    for cap in capabilities:
        if not CAPABILITY_CODE_RE.match(cap.code):
            problems.append(f"capability code {cap.code!r} is not dotted lower-case")
        elif cap.code.split(".", 1)[0] not in CAPABILITY_PREFIXES:
            problems.append(f"capability {cap.code!r} has an unknown prefix")
        if cap.layer not in LAYERS:
            problems.append(f"capability {cap.code!r} has unknown layer {cap.layer!r}")
        if cap.status not in STATUSES:
            problems.append(f"capability {cap.code!r} has unknown status {cap.status!r}")

    packed: set[str] = set()
    for pack in packs:
        if not SNAKE_CODE_RE.match(pack.code):
            problems.append(f"function pack code {pack.code!r} is not snake_case")
        if pack.layer not in LAYERS:
            problems.append(f"function pack {pack.code!r} has unknown layer {pack.layer!r}")
        if not pack.capabilities:
            problems.append(f"function pack {pack.code!r} has no capabilities")
        for code in _duplicates(list(pack.capabilities)):
            problems.append(f"function pack {pack.code!r} lists capability {code!r} twice")
        for code in pack.capabilities:
            if code not in capability_codes:
                problems.append(
                    f"function pack {pack.code!r} references unknown capability {code!r}"
                )
        packed.update(pack.capabilities)
        if pack.default_daily_quota <= 0 or pack.default_per_second_quota <= 0:
            problems.append(f"function pack {pack.code!r} has a non-positive quota")
        elif pack.default_per_second_quota > pack.default_daily_quota:
            problems.append(
                f"function pack {pack.code!r} allows more calls per second than per day"
            )

    for cap in capabilities:
        if cap.code not in packed:
            problems.append(f"capability {cap.code!r} is in no function pack")

    pack_codes = {pack.code for pack in packs}
    for solution in solutions:
        if not SNAKE_CODE_RE.match(solution.code):
            problems.append(f"industry solution code {solution.code!r} is not snake_case")
        if solution.industry not in INDUSTRIES:
            problems.append(
                f"industry solution {solution.code!r} has unknown industry {solution.industry!r}"
            )
        if not solution.packs:
            problems.append(f"industry solution {solution.code!r} has no function packs")
        for code in _duplicates(list(solution.packs)):
            problems.append(f"industry solution {solution.code!r} lists pack {code!r} twice")
        for code in solution.packs:
            if code not in pack_codes:
                problems.append(
                    f"industry solution {solution.code!r} references unknown pack {code!r}"
                )

    return problems
