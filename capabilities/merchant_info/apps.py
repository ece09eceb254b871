from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from openplatform import plugins


class MerchantInfoConfig(AppConfig):
    name = "capabilities.merchant_info"
    label = "merchant_info"
    verbose_name = _("Merchant information")

    def ready(self) -> None:
        from capabilities.merchant_info.plugin import PLUGIN

        plugins.register(PLUGIN)
