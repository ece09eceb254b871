from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from openplatform import plugins


class IsvConfig(AppConfig):
    name = "isv"
    verbose_name = _("ISVs and apps")

    def ready(self) -> None:
        from isv.api import schema  # noqa: F401  (registers the ISV API's OpenAPI scheme)
        from isv.plugin import PLUGIN

        plugins.register(PLUGIN)
