"""The catalog's planned ("coming soon") capabilities and packs: listed so that ISVs see what
is coming, until a capability app declares them in its plugin (the plugin's entry wins; see
``catalog.sync``). A capability is available only when a plugin's API serves it.
"""

# The Chinese texts use full-width punctuation, as natural Chinese copy does; RUF001 would
# flag every full-width comma, colon and parenthesis as "ambiguous".
# ruff: noqa: RUF001

from catalog.choices import Layer
from openplatform.plugins import CapabilitySpec, PackSpec

PLANNED_CAPABILITIES: tuple[CapabilitySpec, ...] = (
    CapabilitySpec(
        code="merchant.material.image.upload",
        name="Image upload",
        name_zh="图片上传",
        layer=Layer.BASIC,
        description=(
            "Uploads an image (store photo, logo, card background) to the platform's cloud "
            "storage and returns an image ID that other APIs accept."
        ),
        description_zh=(
            "将门店照片、品牌Logo、会员卡背景等图片上传至平台云存储，"
            "返回可在其他接口中引用的图片ID。"
        ),
    ),
    CapabilitySpec(
        code="payment.trade.cancel",
        name="Trade cancel",
        name_zh="统一收单交易撤销",
        layer=Layer.PAYMENT,
        description=(
            "Reverses a trade whose result is unknown, for example after a network timeout: an "
            "unpaid trade is closed and a paid one is refunded in full."
        ),
        description_zh=(
            "支付结果未知（如网络超时）时撤销交易：未付款的交易将被关闭，"
            "已付款的交易将全额退款。"
        ),
    ),
    CapabilitySpec(
        code="payment.qrcode.sticker.create",
        name="QR sticker create",
        name_zh="收款码生成",
        layer=Layer.PAYMENT,
        description=(
            "Generates a static collection QR code bound to a store, to be printed as a counter "
            "sticker; buyers scan it and enter the amount themselves."
        ),
        description_zh=(
            "为门店生成绑定的静态收款码，打印成贴纸放在收银台，用户扫码后自行输入金额付款。"
        ),
    ),
    CapabilitySpec(
        code="payment.qrcode.sticker.query",
        name="QR sticker query",
        name_zh="收款码查询",
        layer=Layer.PAYMENT,
        description=(
            "Returns a store's collection QR stickers, their status and the store each code is "
            "bound to."
        ),
        description_zh="查询门店收款码的状态及其绑定的门店。",
    ),
    CapabilitySpec(
        code="risk.marketing.evaluate",
        name="Marketing risk evaluation",
        name_zh="营销风险评估",
        layer=Layer.BASIC,
        description=(
            "Scores the risk that a user taking part in a campaign is not a genuine customer, "
            "before a subsidy, coupon or reward is granted."
        ),
        description_zh=(
            "在发放补贴、优惠券或奖励前，评估参与活动的用户是否为真实消费者，返回风险等级。"
        ),
    ),
    CapabilitySpec(
        code="risk.order_brushing.detect",
        name="Order brushing detection",
        name_zh="刷单识别",
        layer=Layer.BASIC,
        description=(
            "Flags trades that look like fake orders placed to inflate sales figures or to cash "
            "in marketing subsidies."
        ),
        description_zh="识别为虚增销量或套取营销补贴而制造的虚假交易。",
    ),
    CapabilitySpec(
        code="risk.coupon_hunter.detect",
        name="Coupon hunter detection",
        name_zh="羊毛党识别",
        layer=Layer.BASIC,
        description=(
            "Identifies accounts that harvest coupons and subsidies in bulk, such as batches of "
            "freshly registered accounts, so they can be excluded from a campaign."
        ),
        description_zh="识别批量注册账号、集中领取优惠的羊毛党，以便将其排除在营销活动之外。",
    ),
    CapabilitySpec(
        code="risk.fraud.detect",
        name="Fraud detection",
        name_zh="欺诈风险识别",
        layer=Layer.BASIC,
        description=(
            "Checks a user or a trade for signs of fraud, such as a stolen account or card, and "
            "returns a risk level with reason codes."
        ),
        description_zh="识别盗号、盗卡等欺诈风险，返回风险等级及风险原因码。",
    ),
    CapabilitySpec(
        code="risk.result.feedback",
        name="Risk result feedback",
        name_zh="风险结果反馈",
        layer=Layer.BASIC,
        description=(
            "Reports whether a flagged case turned out to be real risk, so that the risk models "
            "keep improving for the merchant's scenarios."
        ),
        description_zh="回传风险识别结果的实际核实情况，帮助风控模型针对商户场景持续优化。",
    ),
    CapabilitySpec(
        code="insight.customer.age_distribution.query",
        name="Customer age distribution",
        name_zh="顾客年龄分布",
        layer=Layer.BASIC,
        description=(
            "Returns the age distribution of the merchant's paying customers over a period, "
            "aggregated and anonymised."
        ),
        description_zh="查询指定时间段内商户付款顾客的年龄分布，数据经过汇总和匿名化处理。",
    ),
    CapabilitySpec(
        code="insight.customer.purchase_frequency.query",
        name="Customer purchase frequency",
        name_zh="顾客消费频次",
        layer=Layer.BASIC,
        description=(
            "Returns how often customers come back to buy, split into first-time, occasional "
            "and regular customers."
        ),
        description_zh="查询顾客回购频次分布，区分新客、偶尔消费顾客和常客。",
    ),
    CapabilitySpec(
        code="insight.customer.favourite_products.query",
        name="Customer favourite products",
        name_zh="顾客偏好商品",
        layer=Layer.BASIC,
        description=(
            "Returns the product categories the merchant's customers buy most often, to guide "
            "assortment and promotions."
        ),
        description_zh="查询商户顾客最常购买的商品品类，用于指导选品和促销。",
    ),
    CapabilitySpec(
        code="insight.customer.spend_level.query",
        name="Customer spend level",
        name_zh="顾客消费水平",
        layer=Layer.BASIC,
        description=(
            "Returns how the merchant's customers are distributed across spend levels (average "
            "ticket and monthly spend bands)."
        ),
        description_zh="按客单价和月消费金额区间查询顾客消费水平分布。",
    ),
    CapabilitySpec(
        code="insight.store_location.query",
        name="Store location insight",
        name_zh="门店选址洞察",
        layer=Layer.BASIC,
        description=(
            "Returns foot traffic, spending power and competition around a candidate address, "
            "to help decide where to open a store."
        ),
        description_zh="查询候选地址周边的客流、消费能力和同业竞争情况，辅助新店选址决策。",
    ),
    CapabilitySpec(
        code="store.create",
        name="Store create",
        name_zh="门店创建",
        layer=Layer.OPERATIONS,
        description=(
            "Registers one of the merchant's physical stores with name, address, category, "
            "photos and opening hours; the store goes live after review."
        ),
        description_zh=(
            "创建商户的线下门店，提交门店名称、地址、经营类目、照片和营业时间，审核通过后生效。"
        ),
    ),
    CapabilitySpec(
        code="store.modify",
        name="Store modify",
        name_zh="门店修改",
        layer=Layer.OPERATIONS,
        description=(
            "Updates a store's details; a change of name, address or category is reviewed again."
        ),
        description_zh="修改门店信息；门店名称、地址或经营类目变更后需重新审核。",
    ),
    CapabilitySpec(
        code="store.query",
        name="Store query",
        name_zh="门店详情查询",
        layer=Layer.OPERATIONS,
        description="Returns one store's details and its review status.",
        description_zh="查询单个门店的详细信息及审核状态。",
    ),
    CapabilitySpec(
        code="store.list",
        name="Store list",
        name_zh="门店批量查询",
        layer=Layer.OPERATIONS,
        description="Lists the merchant's stores and their status, page by page.",
        description_zh="分页查询商户名下的全部门店及其状态。",
    ),
    CapabilitySpec(
        code="store.category.query",
        name="Store category query",
        name_zh="门店类目查询",
        layer=Layer.OPERATIONS,
        description=(
            "Returns the tree of store categories and the categories that need an extra "
            "licence, such as a food or drug trading licence."
        ),
        description_zh=(
            "查询门店经营类目，以及需要额外资质的类目（如食品经营许可证、药品经营许可证）。"
        ),
    ),
    CapabilitySpec(
        code="store.discovery.publish",
        name="Nearby store listing",
        name_zh="附近门店展示",
        layer=Layer.OPERATIONS,
        description=(
            "Publishes the store and its offers in the platform app's nearby-stores listing, so "
            "that people in the area can discover it."
        ),
        description_zh="将门店及其优惠发布到平台客户端的“附近门店”频道，让周边用户发现门店。",
    ),
    CapabilitySpec(
        code="marketing.campaign.create",
        name="Campaign create",
        name_zh="营销活动创建",
        layer=Layer.OPERATIONS,
        description=(
            "Creates a promotion such as a new-customer discount, spend-and-save or "
            "pay-and-get-a-coupon, with a budget, a time range and a target audience."
        ),
        description_zh="创建新客立减、满减、支付后返券等营销活动，设置活动预算、时间和目标人群。",
    ),
    CapabilitySpec(
        code="marketing.campaign.query",
        name="Campaign query",
        name_zh="营销活动查询",
        layer=Layer.OPERATIONS,
        description="Returns a campaign's status, remaining budget and participation figures.",
        description_zh="查询营销活动的状态、剩余预算和参与数据。",
    ),
    CapabilitySpec(
        code="marketing.campaign.stop",
        name="Campaign stop",
        name_zh="营销活动停止",
        layer=Layer.OPERATIONS,
        description="Stops a running campaign early; coupons already issued stay valid.",
        description_zh="提前结束进行中的营销活动，已发放的优惠券仍然有效。",
    ),
    CapabilitySpec(
        code="marketing.social.share.create",
        name="Share-to-earn campaign create",
        name_zh="分享有礼活动创建",
        layer=Layer.OPERATIONS,
        description=(
            "Creates a campaign in which customers share a coupon with friends, and both "
            "receive a reward when the friend pays."
        ),
        description_zh="创建分享有礼活动：顾客将优惠券分享给好友，好友到店付款后双方均可获得奖励。",
    ),
    CapabilitySpec(
        code="marketing.social.share.query",
        name="Share-to-earn results query",
        name_zh="分享有礼数据查询",
        layer=Layer.OPERATIONS,
        description=(
            "Returns how often a sharing campaign was shared and claimed, and how many claims "
            "turned into payments."
        ),
        description_zh="查询分享有礼活动的分享次数、领取人数和核销转化情况。",
    ),
    CapabilitySpec(
        code="marketing.coupon.template.create",
        name="Coupon template create",
        name_zh="券模板创建",
        layer=Layer.OPERATIONS,
        description=(
            "Defines a coupon: type (cash, discount or voucher), face value, minimum spend, "
            "validity period and usage rules."
        ),
        description_zh=(
            "创建券模板，设置券类型（代金券、折扣券、兑换券）、面额、使用门槛、"
            "有效期和使用规则。"
        ),
    ),
    CapabilitySpec(
        code="marketing.coupon.template.modify",
        name="Coupon template modify",
        name_zh="券模板修改",
        layer=Layer.OPERATIONS,
        description=(
            "Changes a coupon template's stock or validity period; the face value and minimum "
            "spend cannot change once coupons have been issued."
        ),
        description_zh="修改券模板的库存或有效期；发券后面额和使用门槛不可修改。",
    ),
    CapabilitySpec(
        code="marketing.coupon.template.query",
        name="Coupon template query",
        name_zh="券模板查询",
        layer=Layer.OPERATIONS,
        description=(
            "Returns a coupon template with its remaining stock and its issued and redeemed "
            "counts."
        ),
        description_zh="查询券模板详情，以及剩余库存、已发放和已核销数量。",
    ),
    CapabilitySpec(
        code="marketing.coupon.issue",
        name="Coupon issue",
        name_zh="发券",
        layer=Layer.OPERATIONS,
        description=(
            "Sends a coupon from a template to a specific user; the coupon appears in the "
            "user's card and coupon wallet."
        ),
        description_zh="按券模板向指定用户发放优惠券，优惠券将出现在用户的卡券包中。",
    ),
    CapabilitySpec(
        code="marketing.coupon.redeem",
        name="Coupon redeem",
        name_zh="券核销",
        layer=Layer.OPERATIONS,
        description=(
            "Marks a coupon as used at checkout, online or in store, so that it cannot be used "
            "twice."
        ),
        description_zh="在线上或门店收银时核销优惠券，防止重复使用。",
    ),
    CapabilitySpec(
        code="marketing.coupon.query",
        name="User coupon query",
        name_zh="用户券查询",
        layer=Layer.OPERATIONS,
        description="Returns a user's coupon and whether it is available, used or expired.",
        description_zh="查询用户持有的优惠券及其状态（可用、已使用、已过期）。",
    ),
    CapabilitySpec(
        code="membership.card.template.create",
        name="Member card template create",
        name_zh="会员卡模板创建",
        layer=Layer.OPERATIONS,
        description=(
            "Designs the brand's electronic member card: logo, background, levels, benefits and "
            "the fields a customer fills in when opening a card."
        ),
        description_zh=(
            "创建品牌电子会员卡模板，设置Logo、卡面背景、会员等级、"
            "会员权益以及开卡时需填写的信息。"
        ),
    ),
    CapabilitySpec(
        code="membership.card.template.modify",
        name="Member card template modify",
        name_zh="会员卡模板修改",
        layer=Layer.OPERATIONS,
        description="Updates a member card template; cards already opened show the new design.",
        description_zh="修改会员卡模板，已开通的会员卡同步展示新样式。",
    ),
    CapabilitySpec(
        code="membership.card.template.query",
        name="Member card template query",
        name_zh="会员卡模板查询",
        layer=Layer.OPERATIONS,
        description="Returns a member card template and its settings.",
        description_zh="查询会员卡模板详情及配置。",
    ),
    CapabilitySpec(
        code="membership.card.open",
        name="Member card open",
        name_zh="会员卡开卡",
        layer=Layer.OPERATIONS,
        description=(
            "Opens a member card for a paying customer, who becomes the brand's member with one "
            "account across the online shop and the physical stores."
        ),
        description_zh=(
            "为付款顾客开通会员卡，使其成为品牌会员，线上商城与线下门店共用同一会员账户。"
        ),
    ),
    CapabilitySpec(
        code="membership.card.query",
        name="Member card query",
        name_zh="会员卡查询",
        layer=Layer.OPERATIONS,
        description="Returns a member's card: card number, level, balance and validity.",
        description_zh="查询会员卡的卡号、等级、余额和有效期。",
    ),
    CapabilitySpec(
        code="membership.card.update",
        name="Member card update",
        name_zh="会员卡信息更新",
        layer=Layer.OPERATIONS,
        description=(
            "Updates the level, balance or points shown on a member's card, for example after a "
            "purchase or an upgrade."
        ),
        description_zh="会员消费或升级后，更新会员卡上展示的等级、余额或积分。",
    ),
    CapabilitySpec(
        code="membership.member.query",
        name="Member query",
        name_zh="会员信息查询",
        layer=Layer.OPERATIONS,
        description=(
            "Looks up a member by card number, phone number or payment account, so that the "
            "same person is recognised online and in store."
        ),
        description_zh="通过会员卡号、手机号或支付账号查询会员信息，实现线上线下识别同一会员。",
    ),
    CapabilitySpec(
        code="membership.points.add",
        name="Points add",
        name_zh="积分发放",
        layer=Layer.OPERATIONS,
        description=(
            "Credits points to a member, for example for a purchase; a request number makes the "
            "call idempotent."
        ),
        description_zh="为会员发放积分（如消费返积分），通过请求号保证幂等。",
    ),
    CapabilitySpec(
        code="membership.points.deduct",
        name="Points deduct",
        name_zh="积分扣减",
        layer=Layer.OPERATIONS,
        description=(
            "Deducts points from a member for a redemption or an adjustment; fails if the "
            "balance is insufficient."
        ),
        description_zh="因积分兑换或调整扣减会员积分，积分不足时扣减失败。",
    ),
    CapabilitySpec(
        code="membership.points.query",
        name="Points query",
        name_zh="积分查询",
        layer=Layer.OPERATIONS,
        description=(
            "Returns a member's single points balance across online and offline channels, with "
            "the recent points history."
        ),
        description_zh="查询会员线上线下统一的积分余额及近期积分明细。",
    ),
    CapabilitySpec(
        code="membership.points_mall.goods.publish",
        name="Points mall item publish",
        name_zh="积分商城商品发布",
        layer=Layer.OPERATIONS,
        description=(
            "Lists a product or a coupon in the brand's points mall, with its price in points "
            "and its stock."
        ),
        description_zh="在品牌积分商城上架商品或优惠券，设置兑换所需积分和库存。",
    ),
    CapabilitySpec(
        code="membership.points_mall.order.query",
        name="Points mall redemption query",
        name_zh="积分商城兑换查询",
        layer=Layer.OPERATIONS,
        description=(
            "Returns points-mall redemptions: who redeemed what, for how many points, and the "
            "delivery status."
        ),
        description_zh="查询积分商城兑换记录，包括兑换会员、兑换商品、消耗积分和发货状态。",
    ),
    CapabilitySpec(
        code="membership.receipt.send",
        name="E-receipt send",
        name_zh="电子小票推送",
        layer=Layer.OPERATIONS,
        description=(
            "Sends an itemised electronic receipt to the member after payment, replacing the "
            "paper slip."
        ),
        description_zh="付款后向会员推送电子小票，展示商品明细，替代纸质小票。",
    ),
    CapabilitySpec(
        code="membership.tag.create",
        name="Member tag create",
        name_zh="会员标签创建",
        layer=Layer.OPERATIONS,
        description=(
            "Defines a member tag within a tag series, for example condition, customer value, "
            "brand, price band, or promotion preference and price sensitivity."
        ),
        description_zh=(
            "在标签系列下创建会员标签，如病症、客户价值、品牌、价格带、促销偏好与价格敏感度。"
        ),
    ),
    CapabilitySpec(
        code="membership.tag.assign",
        name="Member tag assign",
        name_zh="会员打标",
        layer=Layer.OPERATIONS,
        description="Attaches tags to members or removes them, one member at a time or in bulk.",
        description_zh="为会员添加或移除标签，支持单个和批量操作。",
    ),
    CapabilitySpec(
        code="membership.tag.query",
        name="Member tag query",
        name_zh="会员标签查询",
        layer=Layer.OPERATIONS,
        description="Returns the tags a member carries, or the members that carry a tag.",
        description_zh="查询会员拥有的标签，或拥有某个标签的会员。",
    ),
    CapabilitySpec(
        code="membership.audience.create",
        name="Audience create",
        name_zh="会员人群圈选",
        layer=Layer.OPERATIONS,
        description=(
            "Combines tags into a target audience, for example 'chronic condition, high value, "
            "not price-sensitive', for precise marketing such as targeted coupons."
        ),
        description_zh=(
            "组合多个标签圈选目标人群（如“慢病、高价值、价格不敏感”），用于定向发券等精准营销。"
        ),
    ),
    CapabilitySpec(
        code="invoice.einvoice.issue",
        name="E-invoice issue",
        name_zh="电子发票开具",
        layer=Layer.OPERATIONS,
        description=(
            "Issues an electronic VAT invoice for a paid trade under the buyer's chosen invoice "
            "title and delivers it to the buyer's invoice wallet."
        ),
        description_zh=(
            "为已付款的交易按买家选择的抬头开具增值税电子普通发票，并推送至买家的发票夹。"
        ),
    ),
    CapabilitySpec(
        code="invoice.einvoice.query",
        name="E-invoice query",
        name_zh="电子发票查询",
        layer=Layer.OPERATIONS,
        description=(
            "Returns an e-invoice's status and PDF download link, looked up by trade number or "
            "invoice number."
        ),
        description_zh="根据交易号或发票号码查询电子发票状态及PDF下载地址。",
    ),
    CapabilitySpec(
        code="invoice.einvoice.reverse",
        name="E-invoice reversal",
        name_zh="电子发票红冲",
        layer=Layer.OPERATIONS,
        description=(
            "Issues a red-letter (negative) invoice that cancels an e-invoice, for example "
            "after a refund."
        ),
        description_zh="开具红字发票冲销原电子发票，适用于退款等场景。",
    ),
    CapabilitySpec(
        code="invoice.reimbursement.fetch",
        name="Reimbursement invoice fetch",
        name_zh="报销发票获取",
        layer=Layer.OPERATIONS,
        description=(
            "Lets an enterprise expense system receive the e-invoices that employees submit "
            "from their invoice wallet for reimbursement, with verified invoice data."
        ),
        description_zh="企业报销系统获取员工从发票夹提交报销的电子发票及查验后的票面信息。",
    ),
    CapabilitySpec(
        code="invoice.reimbursement.status.sync",
        name="Reimbursement status sync",
        name_zh="报销状态同步",
        layer=Layer.OPERATIONS,
        description=(
            "Marks an e-invoice as being reimbursed or reimbursed, so that the same invoice "
            "cannot be claimed twice."
        ),
        description_zh="将电子发票标记为报销中或已报销，防止同一张发票重复报销。",
    ),
    CapabilitySpec(
        code="invoice.title.save",
        name="Invoice title save",
        name_zh="发票抬头保存",
        layer=Layer.OPERATIONS,
        description=(
            "Saves an invoice title for the user (company name, tax number, address and phone, "
            "bank account) so that it can be reused on later invoices."
        ),
        description_zh=(
            "为用户保存发票抬头（单位名称、税号、地址电话、开户行及账号），后续开票时直接复用。"
        ),
    ),
    CapabilitySpec(
        code="invoice.title.list",
        name="Invoice title list",
        name_zh="发票抬头查询",
        layer=Layer.OPERATIONS,
        description=(
            "Returns the invoice titles a user has saved, once the user agrees to share them, "
            "so that nobody has to type them at the counter."
        ),
        description_zh="经用户同意后获取其已保存的发票抬头列表，开票时无需手动录入。",
    ),
    CapabilitySpec(
        code="credit.score.query",
        name="Credit score query",
        name_zh="信用评分查询",
        layer=Layer.FINANCE,
        description=(
            "Returns a user's credit score, with the user's authorization, to decide on "
            "deposit-free rental, pay-after-use and similar credit-based services."
        ),
        description_zh="经用户授权后查询其信用评分，用于免押金租借、先享后付等信用服务的决策。",
    ),
    CapabilitySpec(
        code="credit.performance.feedback",
        name="Credit performance feedback",
        name_zh="信用履约反馈",
        layer=Layer.FINANCE,
        description=(
            "Reports whether a user kept or broke a credit-based commitment, such as returning "
            "a rented item or paying after use on time."
        ),
        description_zh=(
            "回传用户的履约或违约情况（如按时归还租借物品、先享后付按时付款），"
            "作为信用评估参考。"
        ),
    ),
    CapabilitySpec(
        code="wealth.fund.account.open",
        name="Fund account open",
        name_zh="理财账户开通",
        layer=Layer.FINANCE,
        description=(
            "Opens the merchant's enterprise money-market fund account once the merchant has "
            "signed the fund service agreement."
        ),
        description_zh="商户签署基金服务协议后，为其开通企业余额理财账户。",
    ),
    CapabilitySpec(
        code="wealth.fund.subscribe",
        name="Fund subscribe",
        name_zh="理财申购",
        layer=Layer.FINANCE,
        description=(
            "Moves idle cash from the merchant's balance into the enterprise money-market fund."
        ),
        description_zh="将商户账户中的闲置资金申购为企业余额理财（货币市场基金）份额。",
    ),
    CapabilitySpec(
        code="wealth.fund.redeem",
        name="Fund redeem",
        name_zh="理财赎回",
        layer=Layer.FINANCE,
        description=(
            "Redeems fund shares back to the merchant's balance, instantly up to a daily limit "
            "or on the next business day."
        ),
        description_zh="将理财份额赎回至商户账户余额，支持额度内实时到账或下一工作日到账。",
    ),
    CapabilitySpec(
        code="wealth.fund.yield.query",
        name="Fund yield query",
        name_zh="理财收益查询",
        layer=Layer.FINANCE,
        description=(
            "Returns the fund's seven-day annualised yield, its daily income per 10,000 shares "
            "and the merchant's daily earnings."
        ),
        description_zh="查询基金七日年化收益率、万份收益以及商户每日收益。",
    ),
    CapabilitySpec(
        code="wealth.fund.position.query",
        name="Fund position query",
        name_zh="理财持仓查询",
        layer=Layer.FINANCE,
        description=(
            "Returns the merchant's fund shares, their current value and the amount available "
            "to redeem."
        ),
        description_zh="查询商户当前持有的理财份额、金额及可赎回金额。",
    ),
    CapabilitySpec(
        code="wealth.fund.order.query",
        name="Fund order query",
        name_zh="理财交易查询",
        layer=Layer.FINANCE,
        description="Returns the status of a subscribe or redeem order.",
        description_zh="查询申购或赎回订单的处理状态。",
    ),
    CapabilitySpec(
        code="lending.credit_line.query",
        name="Loan credit line query",
        name_zh="贷款额度查询",
        layer=Layer.FINANCE,
        description=(
            "Returns the unsecured loan limit pre-approved for the merchant from its operating "
            "data, and the interest rate offered."
        ),
        description_zh="查询根据商户经营数据预授信的无抵押贷款额度及适用利率。",
    ),
    CapabilitySpec(
        code="lending.loan.apply",
        name="Loan apply",
        name_zh="贷款申请",
        layer=Layer.FINANCE,
        description=(
            "Submits a collateral-free micro-loan application for the merchant, with amount and "
            "term, within its credit line."
        ),
        description_zh="在额度范围内为商户提交无抵押、免担保的小额贷款申请，指定借款金额和期限。",
    ),
    CapabilitySpec(
        code="lending.loan.query",
        name="Loan query",
        name_zh="贷款查询",
        layer=Layer.FINANCE,
        description=(
            "Returns a loan application's status (in review, approved, rejected, disbursed) and "
            "the outstanding balance."
        ),
        description_zh="查询贷款申请状态（审核中、已通过、已拒绝、已放款）及剩余待还金额。",
    ),
    CapabilitySpec(
        code="lending.loan.repay",
        name="Loan repay",
        name_zh="贷款还款",
        layer=Layer.FINANCE,
        description="Repays a loan early, in part or in full, from the merchant's balance.",
        description_zh="使用商户账户余额提前偿还部分或全部贷款。",
    ),
    CapabilitySpec(
        code="lending.repayment_plan.query",
        name="Repayment plan query",
        name_zh="还款计划查询",
        layer=Layer.FINANCE,
        description=(
            "Returns a loan's repayment schedule: due dates, principal and interest per "
            "installment."
        ),
        description_zh="查询贷款的还款计划，包括每期还款日、应还本金和利息。",
    ),
    CapabilitySpec(
        code="installment.plan.query",
        name="Installment plan query",
        name_zh="分期方案查询",
        layer=Layer.FINANCE,
        description=(
            "Returns the installment options for an order amount at checkout (for example 3, 6 "
            "or 12 periods) with the fee per period and who bears it."
        ),
        description_zh=(
            "在收银台按订单金额查询可用的分期方案（如3期、6期、12期）、每期手续费及承担方。"
        ),
    ),
    CapabilitySpec(
        code="installment.trade.create",
        name="Installment trade create",
        name_zh="分期交易创建",
        layer=Layer.FINANCE,
        description=(
            "Creates a checkout trade that the buyer pays in installments, with the chosen "
            "number of periods and the party that bears the fee."
        ),
        description_zh="创建由买家分期付款的收银交易，指定分期期数及手续费承担方。",
    ),
    CapabilitySpec(
        code="installment.promotion.create",
        name="Interest-free promotion create",
        name_zh="分期免息活动创建",
        layer=Layer.FINANCE,
        description=(
            "Sets up a promotion in which the merchant pays the installment fee, so that buyers "
            "get interest-free installments on selected goods."
        ),
        description_zh="创建商家贴息的分期免息活动，让买家购买指定商品时享受免息分期。",
    ),
)

PLANNED_PACKS: tuple[PackSpec, ...] = (
    PackSpec(
        code="qr_sticker_payment",
        name="QR sticker payment",
        name_zh="收款码",
        layer=Layer.PAYMENT,
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
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    PackSpec(
        code="store_opening",
        name="Store opening",
        name_zh="门店开店",
        layer=Layer.OPERATIONS,
        description=(
            "Open and manage your physical stores on the platform, with photos, opening hours "
            "and business categories."
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
        default_daily_quota=50_000,
        default_per_second_quota=10,
    ),
    PackSpec(
        code="customer_acquisition",
        name="Customer acquisition",
        name_zh="获客拉新",
        layer=Layer.OPERATIONS,
        description=(
            "Show your stores and offers to people nearby and run campaigns that bring in new "
            "customers."
        ),
        description_zh="向附近用户展示您的门店和优惠，并开展吸引新顾客的营销活动。",
        capabilities=(
            "store.discovery.publish",
            "marketing.campaign.create",
            "marketing.campaign.query",
            "marketing.campaign.stop",
        ),
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    PackSpec(
        code="social_sharing",
        name="Share-to-earn",
        name_zh="分享有礼",
        layer=Layer.OPERATIONS,
        description=(
            "Let your customers share coupons with their friends, and reward both when the "
            "friend buys."
        ),
        description_zh="让您的顾客把优惠券分享给好友，好友消费后双方都能获得奖励。",
        capabilities=(
            "marketing.social.share.create",
            "marketing.social.share.query",
            "marketing.coupon.issue",
        ),
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    PackSpec(
        code="membership_card",
        name="Membership card",
        name_zh="会员卡",
        layer=Layer.OPERATIONS,
        description=(
            "Give customers who pay you an electronic member card, recognise the same member "
            "online and in your stores, and send e-receipts."
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
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    PackSpec(
        code="points",
        name="Points",
        name_zh="积分",
        layer=Layer.OPERATIONS,
        description=(
            "Give and deduct member points, keep one points balance online and in store, and "
            "run a points mall."
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
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    PackSpec(
        code="coupons",
        name="Coupons",
        name_zh="优惠券",
        layer=Layer.OPERATIONS,
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
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    PackSpec(
        code="member_tags",
        name="Member tags",
        name_zh="会员标签",
        layer=Layer.OPERATIONS,
        description=(
            "Tag your members (for example by needs, value, brand, price band or promotion "
            "preference), pick target groups and send them targeted coupons."
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
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    PackSpec(
        code="marketing_risk_control",
        name="Marketing risk control",
        name_zh="营销风控",
        layer=Layer.BASIC,
        description=(
            "Check customers and orders for fraud, order brushing and coupon hunting, so that "
            "your marketing budget reaches real customers."
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
    PackSpec(
        code="e_invoice",
        name="E-invoice",
        name_zh="电子发票",
        layer=Layer.OPERATIONS,
        description=(
            "Issue electronic invoices for your sales, look them up, and cancel them after a "
            "refund."
        ),
        description_zh="为您的销售开具电子发票、查询发票，并在退款后红冲作废。",
        capabilities=(
            "invoice.einvoice.issue",
            "invoice.einvoice.query",
            "invoice.einvoice.reverse",
        ),
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    PackSpec(
        code="invoice_reimbursement",
        name="Invoice reimbursement",
        name_zh="发票报销",
        layer=Layer.OPERATIONS,
        description=(
            "Receive the e-invoices your employees submit for expense claims and mark them as "
            "reimbursed, so that no invoice is claimed twice."
        ),
        description_zh="接收员工提交报销的电子发票并标记报销状态，避免同一张发票重复报销。",
        capabilities=(
            "invoice.reimbursement.fetch",
            "invoice.reimbursement.status.sync",
            "invoice.einvoice.query",
        ),
        default_daily_quota=100_000,
        default_per_second_quota=20,
    ),
    PackSpec(
        code="invoice_titles",
        name="Invoice titles",
        name_zh="发票抬头",
        layer=Layer.OPERATIONS,
        description=(
            "Save your customers' invoice titles and, with their consent, fill them in when you "
            "issue an invoice."
        ),
        description_zh="保存顾客的发票抬头，经顾客同意后在开票时自动填写。",
        capabilities=("invoice.title.save", "invoice.title.list"),
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
    PackSpec(
        code="customer_insight",
        name="Customer insight",
        name_zh="商户洞察",
        layer=Layer.BASIC,
        description=(
            "See your customers' ages, how often they buy, their favourite products and their "
            "spend level, and compare locations for a new store."
        ),
        description_zh="了解您的顾客年龄分布、消费频次、偏好商品和消费水平，并为新店选址提供参考。",
        capabilities=(
            "insight.customer.age_distribution.query",
            "insight.customer.purchase_frequency.query",
            "insight.customer.favourite_products.query",
            "insight.customer.spend_level.query",
            "insight.store_location.query",
        ),
        default_daily_quota=10_000,
        default_per_second_quota=5,
    ),
    PackSpec(
        code="enterprise_wealth_fund",
        name="Enterprise wealth fund",
        name_zh="企业余额理财",
        layer=Layer.FINANCE,
        description=(
            "Put your business's idle cash into a money-market fund, redeem it when you need it "
            "and check your earnings."
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
    PackSpec(
        code="merchant_micro_loan",
        name="Merchant micro-loan",
        name_zh="商户小额贷款",
        layer=Layer.FINANCE,
        description=(
            "Check your pre-approved loan limit, apply for a collateral-free loan, and track "
            "and repay it."
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
    PackSpec(
        code="credit_score",
        name="Credit score",
        name_zh="信用评分",
        layer=Layer.FINANCE,
        description=(
            "With your customers' consent, check their credit score to offer deposit-free or "
            "pay-later services, and report whether they kept their commitments."
        ),
        description_zh="经顾客授权查询其信用评分，为其提供免押金、先享后付等服务，并反馈履约情况。",
        capabilities=("credit.score.query", "credit.performance.feedback"),
        requires_review=True,
        default_daily_quota=50_000,
        default_per_second_quota=20,
    ),
    PackSpec(
        code="consumer_installments",
        name="Consumer installments",
        name_zh="消费分期",
        layer=Layer.FINANCE,
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
        default_daily_quota=200_000,
        default_per_second_quota=50,
    ),
)
