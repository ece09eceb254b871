"""Capabilities that serve a merchant's own data, behind the capability gate."""

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from merchants.api.capability_serializers import MerchantProfileSerializer
from merchants.models import Merchant
from openplatform.api.schema import problems
from openplatform.api.views import CapabilityAPIView


def _profile_key(merchant_id: int | None) -> str:
    return f"capability:merchant.info:{merchant_id}:{get_language()}"


class MerchantInfoQueryView(CapabilityAPIView):
    """``merchant.info.query``: the profile of the merchant the token acts for, masked.

    The rendered profile is cached with the merchant's gate generation, which every audited
    change of the merchant or its stores bumps: a warm call reads no table but the token's.
    """

    capability = "merchant.info.query"


    def gate_prefetch_keys(self, *, merchant_id: int | None) -> list[str]:
        return [_profile_key(merchant_id)] if merchant_id is not None else []

    @extend_schema(
        operation_id="merchant_info_query",
        summary="merchant.info.query: the authorized merchant's profile, masked",
        tags=["capabilities"],
        responses={200: MerchantProfileSerializer, **problems(401, 403, 429)},
    )
    def get(self, request):
        outcome = request.gate
        key = _profile_key(outcome.merchant_id)
        generation = outcome.generation("merchants.merchant", outcome.merchant_id)
        cached = outcome.prefetched.get(key)
        if cached is not None and cached["generation"] == generation:
            return Response(cached["profile"])
        merchant = Merchant.objects.prefetch_related("stores").get(pk=outcome.merchant_id)
        profile = MerchantProfileSerializer(merchant).data
        cache.set(key, {"generation": generation, "profile": profile},
                  timeout=settings.GATE["DECISION_TTL"])
        return Response(profile)
