from django.apps import AppConfig

from openplatform import plugins


class PingConfig(AppConfig):
    name = "tests.plugin_capability"
    label = "plugin_capability"

    def ready(self) -> None:
        from tests.plugin_capability.plugin import PLUGIN

        plugins.register(PLUGIN)
