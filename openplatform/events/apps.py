from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from openplatform import plugins


class EventsConfig(AppConfig):
    name = "openplatform.events"
    label = "events"
    verbose_name = _("Events and webhooks")

    def ready(self) -> None:
        from openplatform.events.plugin import PLUGIN

        plugins.register(PLUGIN)
