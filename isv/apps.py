from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IsvConfig(AppConfig):
    name = "isv"
    verbose_name = _("ISVs and apps")
