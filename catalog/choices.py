from django.db import models
from django.utils.translation import gettext_lazy as _


class Layer(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    BASIC = "basic", _("Basic capabilities")
    OPERATIONS = "operations", _("Operations capabilities")
    FINANCE = "finance", _("Finance capabilities")


class CapabilityStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    PLANNED = "planned", _("Coming soon")


class Industry(models.TextChoices):
    RETAIL = "retail", _("Retail")
    PHARMACY = "pharmacy", _("Pharmacy chains")
    MOTHER_BABY = "mother_baby", _("Mother-and-baby B2B2C platforms")
    HOTEL = "hotel", _("Hotels")
    HOSPITAL = "hospital", _("Hospitals")
