from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from openplatform import plugins


class CatalogConfig(AppConfig):
    name = "catalog"
    # The label the catalog had when it was the ``capabilities`` app: its tables, migrations
    # and permissions keep their names.
    label = "capabilities"
    verbose_name = _("Capability catalog")

    def ready(self) -> None:
        from catalog import schema, sync  # noqa: F401  (schema registers the capabilities' scheme)
        from catalog.checks import check_declared_catalog
        from catalog.plugin import PLUGIN

        plugins.register(PLUGIN)
        checks.register(check_declared_catalog)
        # The catalog follows the plugins after every migrate: no migration imports its data.
        post_migrate.connect(sync.sync_after_migrate, sender=self)
