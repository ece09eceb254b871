from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from openplatform import plugins


class MerchantsConfig(AppConfig):
    name = "merchants"
    verbose_name = _("Merchants")

    def ready(self) -> None:
        from merchants.models import AuthorizationToken
        from merchants.plugin import PLUGIN
        from openplatform.api.signals import watch_tokens

        plugins.register(PLUGIN)
        # A token's cached gate decisions die with its link to an authorization.
        watch_tokens(AuthorizationToken)
