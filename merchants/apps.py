from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from openplatform import plugins


class MerchantsConfig(AppConfig):
    name = "merchants"
    verbose_name = _("Merchants")

    def ready(self) -> None:
        from merchants.plugin import PLUGIN

        plugins.register(PLUGIN)
