from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    # The label the catalog had when it was the ``capabilities`` app: its tables, migrations
    # and permissions keep their names.
    label = "capabilities"
    verbose_name = _("Capability catalog")
