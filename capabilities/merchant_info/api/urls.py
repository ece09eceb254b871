"""merchant.info.query, mounted at /api/v1/merchant/ (the plugin's domain)."""

from django.urls import path

from capabilities.merchant_info.api.views import MerchantInfoQueryView

urlpatterns = [
    path("info", MerchantInfoQueryView.as_view(), name="capability-merchant-info-query"),
]
