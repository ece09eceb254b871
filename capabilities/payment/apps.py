from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from openplatform import plugins


class PaymentConfig(AppConfig):
    name = "capabilities.payment"
    label = "payment"
    verbose_name = _("Payment")

    def ready(self) -> None:
        from capabilities.payment.plugin import PLUGIN

        plugins.register(PLUGIN)
