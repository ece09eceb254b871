from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from openplatform import plugins


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Developer portal")

    def ready(self) -> None:
        from portal.plugin import PLUGIN

        plugins.register(PLUGIN)
