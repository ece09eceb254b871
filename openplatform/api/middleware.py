import re
import uuid

from django.http import HttpRequest, HttpResponse

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
