from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from openplatform import plugins


class OpenPlatformConfig(AppConfig):
    name = "openplatform"
    verbose_name = _("Open platform")

    def ready(self) -> None:
        from openplatform.api.error_codes import AccessError, IdempotencyError, RequestError
        from openplatform.data.validators import IdentifierError
        from openplatform.errors import FieldError, PlatformError

        # The kernel's own codes: the API plumbing's, and the field codes any input can earn.
        plugins.register(plugins.AppPlugin(
            label=self.label,
            error_codes=(AccessError, RequestError, IdempotencyError, PlatformError, FieldError,
                         IdentifierError)))
        # Cached capability-gate decisions die with their access token (revoked, rotated).
        from openplatform.api import signals

        signals.connect()
