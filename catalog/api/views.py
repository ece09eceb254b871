"""The public catalog: capabilities, function packs and industry solutions (no token needed)."""

from django.db.models import Prefetch
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.permissions import AllowAny

from catalog import selectors
from catalog.api.serializers import CapabilitySerializer, PackSerializer, SolutionSerializer
from catalog.models import Capability, FunctionPack
from openplatform.api.pagination import ApiCursorPagination
from openplatform.api.schema import problems

ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language", location=OpenApiParameter.HEADER, required=False, type=str,
    enum=["zh-Hans", "en"], description="Names and descriptions in this language.",
)


class CatalogPagination(ApiCursorPagination):
    ordering = ("code",)


class CatalogViewSet(viewsets.GenericViewSet):
    authentication_classes = []
    permission_classes = [AllowAny]
    pagination_class = CatalogPagination
    lookup_field = "code"


@extend_schema_view(list=extend_schema(
    tags=["catalog"], auth=[], parameters=[ACCEPT_LANGUAGE],
    summary="List capabilities", description="Every API of the platform, public.",
))
class CapabilityViewSet(mixins.ListModelMixin, CatalogViewSet):
    serializer_class = CapabilitySerializer
    queryset = Capability.objects.all()


PACK_EXAMPLE = OpenApiExample("Merchant basics", response_only=True, value={
    "code": "merchant_basics", "name": "Merchant basics", "description": "…",
    "layer": "payment", "scope": "pack:merchant_basics", "requires_review": False,
    "default_daily_quota": 100000, "default_per_second_quota": 50,
    "capabilities": ["merchant.info.query"],
})


@extend_schema_view(
    list=extend_schema(tags=["catalog"], auth=[], parameters=[ACCEPT_LANGUAGE],
                       summary="List function packs", examples=[PACK_EXAMPLE]),
    retrieve=extend_schema(tags=["catalog"], auth=[], parameters=[ACCEPT_LANGUAGE],
                           summary="Get a function pack", examples=[PACK_EXAMPLE],
                           responses={200: PackSerializer, **problems(404)}),
)
class PackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CatalogViewSet):
    serializer_class = PackSerializer

    def get_queryset(self):
        return FunctionPack.objects.prefetch_related(
            Prefetch("capabilities", queryset=Capability.objects.order_by("code")))


@extend_schema_view(list=extend_schema(
    tags=["catalog"], auth=[], parameters=[ACCEPT_LANGUAGE],
    summary="List industry solutions",
    description="Packs bundled for one industry; subscribe an app to all of them at once with "
                "POST /api/v1/apps/{id}/subscriptions/ {\"solution\": \"<code>\"}.",
))
class SolutionViewSet(mixins.ListModelMixin, CatalogViewSet):
    serializer_class = SolutionSerializer

    def get_queryset(self):
        return selectors.solution_list()
