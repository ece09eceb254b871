import re
import uuid

from django.http import HttpRequest, HttpResponse

from openplatform.api import gate

# A client may pass its own id for tracing; anything else gets a fresh one.
_CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    """Give every request an id: the ``instance`` of problem+json and the X-Request-Id header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-Id", "")
        request.request_id = (offered if _CLIENT_REQUEST_ID.fullmatch(offered)
                              else uuid.uuid4().hex)
        response = self.get_response(request)
        response["X-Request-Id"] = request.request_id
        return response


class GateEarlyReadingMiddleware:
    """First in the chain: a capability call this process has served before gets its one
    Redis round trip (decision, generations, quota) sent now, so that Redis answers while the
    rest of the middleware, the URL resolver and DRF run; the gate reads the reply. A reading
    the gate did not take (the call was refused before the gate) has its count given back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        early = gate.send_early_reading(request)
        try:
            return self.get_response(request)
        finally:
            if early is not None:
                early.settle()
