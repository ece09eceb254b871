"""What the merchant-information capability declares to the platform (openplatform.plugins)."""

# The Chinese texts use full-width punctuation, as natural Chinese copy does.
# ruff: noqa: RUF001

from catalog.choices import Layer
from openplatform.plugins import CapabilityPlugin, CapabilitySpec, PackSpec

CAPABILITIES = (
    CapabilitySpec(
        code="merchant.info.query",
        name="Merchant profile query",
        name_zh="商户信息查询",
        layer=Layer.BASIC,
        description=(
            "Returns the authorized merchant's profile: name, business category, registration "
            "status and contact details. Sensitive fields such as the business licence number "
            "and phone number are masked."
        ),
        description_zh=(
            "查询已授权商户的基本信息，包括商户名称、经营类目、工商登记状态和联系方式；"
            "营业执照号、手机号等敏感字段脱敏返回。"
        ),
    ),
)

PACKS = (
    PackSpec(
        code="merchant_basics",
        name="Merchant basics",
        name_zh="商户基础信息",
        layer=Layer.BASIC,
        description=(
            "Read your business profile (name, category, registration status); sensitive "
            "details are masked. Upload pictures such as store photos and your logo."
        ),
        description_zh=(
            "读取您的商户基本信息（名称、经营类目、登记状态），敏感信息脱敏展示；上传门店照片、"
            "品牌Logo等图片。"
        ),
        capabilities=("merchant.info.query", "merchant.material.image.upload"),
        default_daily_quota=100_000,
        default_per_second_quota=20,
    ),
)


PLUGIN = CapabilityPlugin(
    label="merchant_info",
    domain="merchant",
    capabilities=CAPABILITIES,
    packs=PACKS,
    api_urls="capabilities.merchant_info.api.urls",
    # A new ISV's sandbox merchant grants it, so the quickstart's first call works.
    sandbox_packs=("merchant_basics",),
)
