"""Industry solutions (行业解决方案): several function packs bundled for one industry's
merchants. They are the catalog's own offering: each names packs by code, whichever plugin (or
the planned catalog) declares them."""

# ruff: noqa: RUF001

from dataclasses import dataclass

from catalog.choices import Industry


@dataclass(frozen=True, kw_only=True)
class SolutionSpec:
    code: str  # snake_case
    name: str
    name_zh: str
    industry: str
    description: str
    description_zh: str
    packs: tuple[str, ...]  # function pack codes


SOLUTIONS: tuple[SolutionSpec, ...] = (
    SolutionSpec(
        code="retail",
        name="Smart retail",
        name_zh="智慧零售解决方案",
        industry=Industry.RETAIL,
        description=(
            "For supermarkets, convenience stores and shopping malls: take payments at the "
            "counter, turn every payer into a member with one account and one points balance "
            "online and offline, and run data-driven marketing that reaches real customers."
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
    SolutionSpec(
        code="pharmacy_chain",
        name="Pharmacy chain",
        name_zh="连锁药店解决方案",
        industry=Industry.PHARMACY,
        description=(
            "For pharmacy chains: member cards and points valid in every store, and precise "
            "marketing on five tag series: condition, customer value, brand, price band, and "
            "promotion preference and price sensitivity."
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
    SolutionSpec(
        code="mother_baby_platform",
        name="Mother-and-baby B2B2C platform",
        name_zh="母婴B2B2C平台解决方案",
        industry=Industry.MOTHER_BABY,
        description=(
            "For B2B2C platforms that supply independent mother-and-baby stores: payments and "
            "membership for the stores, and collateral-free micro-loans that store owners apply "
            "for through the platform."
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
    SolutionSpec(
        code="hotel",
        name="Hotel",
        name_zh="酒店解决方案",
        industry=Industry.HOTEL,
        description=(
            "For hotels: deposit-free check-in for guests with good credit, room payment with "
            "installments, member cards, and e-invoices with saved titles for business "
            "travellers."
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
    SolutionSpec(
        code="hospital",
        name="Smart hospital",
        name_zh="智慧医院解决方案",
        industry=Industry.HOSPITAL,
        description=(
            "For hospitals: pay registration and treatment fees by phone or at the window, "
            "treatment first and payment later for patients with good credit, installments for "
            "large bills, and electronic invoices."
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
