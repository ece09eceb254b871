import time

from rest_framework.views import APIView

from openplatform.api import metering
from openplatform.api.authentication import CapabilityTokenAuthentication
from openplatform.api.gate import CapabilityGate


class CapabilityAPIView(APIView):
    """Base of every capability endpoint: declare ``capability``; the gate does the rest.

    Each response that passed the gate carries the RateLimit headers, and every call whose app
    is known (refusals included) is metered, off the request path.
    """

    capability: str
    authentication_classes = [CapabilityTokenAuthentication]
    permission_classes = [CapabilityGate]

    def gate_prefetch_keys(self, *, merchant_id: int | None) -> list[str]:
        """Cache keys the gate reads in its one ``get_many``; found values land in
        ``request.gate.prefetched``."""
        return []

    def dispatch(self, request, *args, **kwargs):
        self.started = time.perf_counter()
        return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        outcome = getattr(request, "gate", None)
        if outcome is None:
            return response
        for header, value in outcome.headers.items():
            response.setdefault(header, value)
        error_code = response.data.get("code", "") if response.status_code >= 400 and \
            isinstance(response.data, dict) else ""
        metering.record(
            app_id=outcome.app_id, merchant_id=outcome.merchant_id,
            capability=outcome.capability, pack=outcome.pack,
            status_code=response.status_code, error_code=error_code,
            latency_ms=round((time.perf_counter() - self.started) * 1000),
        )
        return response
