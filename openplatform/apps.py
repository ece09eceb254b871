from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenPlatformConfig(AppConfig):
    name = "openplatform"
    verbose_name = _("Open platform")

    def ready(self) -> None:
        # Cached capability-gate decisions die with their access token (revoked, rotated).
        from openplatform.api import signals

        signals.connect()
