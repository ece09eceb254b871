from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalog.choices import CapabilityStatus, Industry, Layer
from openplatform.models import TimeStampedModel, choices_check


class BilingualCatalogEntry(TimeStampedModel):
    """Catalog rows carry their own English and Simplified Chinese text (staff may add rows)."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Simplified Chinese)"), max_length=120)
    description = models.TextField(_("description (English)"))
    description_zh = models.TextField(_("description (Simplified Chinese)"))

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.display_name}"

    @property
    def display_name(self) -> str:
        return self.name_zh if _prefers_chinese() else self.name

    @property
    def display_description(self) -> str:
        return self.description_zh if _prefers_chinese() else self.description


def _prefers_chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


class Capability(BilingualCatalogEntry):
    """One API of the platform, e.g. ``payment.trade.create``."""

    layer = models.CharField(_("layer"), max_length=16, choices=Layer.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=CapabilityStatus.choices,
        default=CapabilityStatus.PLANNED,
    )

    class Meta(BilingualCatalogEntry.Meta):
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")
        constraints = [
            models.CheckConstraint(
                condition=choices_check("layer", Layer), name="capability_layer_valid"
            ),
            models.CheckConstraint(
                condition=choices_check("status", CapabilityStatus),
                name="capability_status_valid",
            ),
        ]

    @property
    def is_available(self) -> bool:
        return self.status == CapabilityStatus.AVAILABLE


class FunctionPack(BilingualCatalogEntry):
    """The APIs one scenario needs, bundled: the unit an app subscribes to and a merchant grants."""

    layer = models.CharField(_("layer"), max_length=16, choices=Layer.choices)
    capabilities = models.ManyToManyField(
        Capability, related_name="packs", verbose_name=_("capabilities")
    )
    requires_review = models.BooleanField(_("requires review"), default=False)
    default_daily_quota = models.PositiveIntegerField(_("default calls per day"))
    default_per_second_quota = models.PositiveIntegerField(_("default calls per second"))

    class Meta(BilingualCatalogEntry.Meta):
        verbose_name = _("function pack")
        verbose_name_plural = _("function packs")
        constraints = [
            models.CheckConstraint(
                condition=choices_check("layer", Layer), name="function_pack_layer_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(default_daily_quota__gt=0, default_per_second_quota__gt=0),
                name="function_pack_quota_positive",
            ),
        ]

    @property
    def scope(self) -> str:
        """The OAuth scope that grants this pack."""
        return f"pack:{self.code}"


class IndustrySolution(BilingualCatalogEntry):
    """Several packs bundled for one industry's merchants."""

    industry = models.CharField(_("industry"), max_length=32, choices=Industry.choices)
    packs = models.ManyToManyField(
        FunctionPack, related_name="solutions", verbose_name=_("function packs")
    )

    class Meta(BilingualCatalogEntry.Meta):
        verbose_name = _("industry solution")
        verbose_name_plural = _("industry solutions")
        constraints = [
            models.CheckConstraint(
                condition=choices_check("industry", Industry),
                name="industry_solution_industry_valid",
            ),
        ]
