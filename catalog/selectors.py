from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from catalog.choices import CapabilityStatus, Layer
from catalog.models import Capability, FunctionPack, IndustrySolution


@dataclass(frozen=True)
class LayerOverview:
    layer: str
    label: str
    packs: list[FunctionPack]


def pack_list() -> QuerySet[FunctionPack]:
    """Packs with their capabilities prefetched and the count of available ones annotated."""
    return FunctionPack.objects.prefetch_related(
        Prefetch("capabilities", queryset=Capability.objects.order_by("code"))
    ).annotate(
        available_count=Count("capabilities",
                              filter=Q(capabilities__status=CapabilityStatus.AVAILABLE)),
    )


def solution_list() -> QuerySet[IndustrySolution]:
    return IndustrySolution.objects.prefetch_related(
        Prefetch("packs", queryset=FunctionPack.objects.order_by("code"))
    )


def catalog_overview() -> list[LayerOverview]:
    """The catalog grouped by layer, in the order MISSION.md tells it: payment + X."""
    packs = list(pack_list())
    return [
        LayerOverview(layer=value, label=label,
                      packs=[pack for pack in packs if pack.layer == value])
        for value, label in Layer.choices
    ]
