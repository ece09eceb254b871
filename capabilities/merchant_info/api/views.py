"""Capabilities that serve a merchant's own data, behind the capability gate."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import JSONRenderer

from capabilities.merchant_info.api.serializers import MerchantProfileSerializer
from merchants.models import Merchant
from openplatform.api.schema import problems
from openplatform.api.views import CapabilityAPIView


def _profile_key(merchant_id: int | None) -> str:
    return f"capability:merchant.info.json:{merchant_id}:{get_language()}"


class MerchantInfoQueryView(CapabilityAPIView):
    """``merchant.info.query``: the profile of the merchant the token acts for, masked.

    The profile is cached rendered (JSON bytes) with the merchant's gate generation, which
    every audited change of the merchant or its stores bumps, and read with the gate's
    decision: a warm call reads no table and serialises nothing.
    """

    capability = "merchant.info.query"
    renderer_classes = [JSONRenderer]

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
        generation = outcome.generation("merchants.merchant", outcome.merchant_id)
        key = _profile_key(outcome.merchant_id)
        cached = outcome.prefetched.get(key)
        if cached is None or cached["generation"] != generation:
            merchant = Merchant.objects.prefetch_related("stores").get(pk=outcome.merchant_id)
            body = JSONRenderer().render(MerchantProfileSerializer(merchant).data)
            cached = {"generation": generation, "body": body}
            cache.set(key, cached, timeout=settings.GATE["DECISION_TTL"])
        return HttpResponse(cached["body"], content_type=JSONRenderer.media_type)
