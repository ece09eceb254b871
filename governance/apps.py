from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from openplatform import plugins


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from governance.plugin import PLUGIN

        plugins.register(PLUGIN)
