from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from openplatform import plugins


class AccountsConfig(AppConfig):
    name = "openplatform.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from openplatform.accounts.plugin import PLUGIN

        plugins.register(PLUGIN)
