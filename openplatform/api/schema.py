"""OpenAPI pieces shared by every endpoint: problem+json errors, the Idempotency-Key header, and
the OAuth URLs the security schemes name (the ISV API's scheme is isv.api.schema's, the
capabilities' the catalog's: they know the scopes)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from openplatform.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from openplatform.api.problems import PROBLEM_CONTENT_TYPE

OAUTH_SCHEME = "oauth2"
TOKEN_URL = "/oauth/token/"
AUTHORIZATION_URL = "/oauth/authorize/"


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(help_text=_("The field, dotted for nested ones."))
    code = serializers.CharField(help_text=_("A stable code, e.g. required, unknown_field."))
    message = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details with a stable ``code``."""

    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    code = serializers.CharField(help_text=_("Stable machine-readable error code."))
    detail = serializers.CharField(help_text=_("What happened and how to fix it."))
    instance = serializers.CharField(help_text=_("urn:request:<id>: quote it to support."))
    errors = FieldErrorSerializer(many=True, required=False)


_STATUS_TEXT = {
    400: "Invalid input: `validation_error` (with `errors`), `malformed_request`, "
         "`invalid_idempotency_key`.",
    401: "`invalid_token`: missing, unknown, expired or revoked access token.",
    403: "`app_suspended`, `isv_suspended` or `insufficient_scope`.",
    404: "`not_found`: no such object among yours.",
    409: "A state or uniqueness conflict (the `code` says which), or `idempotency_in_flight`.",
    413: "`request_too_large`.",
    422: "`idempotency_key_reused`: the key was used with another body.",
    429: "`quota_exceeded`: the app's daily or per-second quota for the pack is used up; "
         "see `Retry-After` and the `RateLimit` headers.",
}

_EXAMPLES = {
    400: {"type": "http://127.0.0.1:8000/docs/errors#validation_error", "title": "Bad Request",
          "status": 400, "code": "validation_error",
          "detail": "Some fields are invalid: see errors for each field and how to fix it.",
          "instance": "urn:request:4f0c2b…",
          "errors": [{"field": "uscc", "code": "uscc_checksum",
                      "message": "The check character of this code is wrong."},
                     {"field": "colour", "code": "unknown_field",
                      "message": "Unknown field: remove it."}]},
    401: {"type": "http://127.0.0.1:8000/docs/errors#invalid_token", "title": "Unauthorized",
          "status": 401, "code": "invalid_token",
          "detail": "The access token is unknown, expired or revoked.",
          "instance": "urn:request:4f0c2b…"},
    403: {"type": "http://127.0.0.1:8000/docs/errors#insufficient_scope", "title": "Forbidden",
          "status": 403, "code": "insufficient_scope",
          "detail": "This call needs the scope isv:merchants.", "instance": "urn:request:4f0c2b…"},
    404: {"type": "http://127.0.0.1:8000/docs/errors#not_found", "title": "Not Found",
          "status": 404, "code": "not_found", "detail": "Not found.",
          "instance": "urn:request:4f0c2b…"},
    409: {"type": "http://127.0.0.1:8000/docs/errors#merchant_not_editable", "title": "Conflict",
          "status": 409, "code": "merchant_not_editable",
          "detail": "This merchant can only be edited as a draft or while rectifying.",
          "instance": "urn:request:4f0c2b…"},
    413: {"type": "http://127.0.0.1:8000/docs/errors#request_too_large",
          "title": "Content Too Large", "status": 413, "code": "request_too_large",
          "detail": "The request body is larger than 1048576 bytes.",
          "instance": "urn:request:4f0c2b…"},
    422: {"type": "http://127.0.0.1:8000/docs/errors#idempotency_key_reused",
          "title": "Unprocessable Content", "status": 422, "code": "idempotency_key_reused",
          "detail": "This Idempotency-Key was used for another request.",
          "instance": "urn:request:4f0c2b…"},
    429: {"type": "http://127.0.0.1:8000/docs/errors#quota_exceeded",
          "title": "Too Many Requests", "status": 429, "code": "quota_exceeded",
          "detail": "App “Shop POS” used its 20 calls per second for pack merchant_basics.",
          "instance": "urn:request:4f0c2b…"},
}


def problems(*statuses: int) -> dict:
    """``responses`` entries for the given error statuses, as application/problem+json."""
    return {
        (status, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            response=ProblemSerializer, description=_STATUS_TEXT[status],
            examples=[OpenApiExample(f"{status}", value=_EXAMPLES[status],
                                     response_only=True, status_codes=[str(status)])],
        )
        for status in statuses
    }


READ_ERRORS = (401, 403)
DETAIL_ERRORS = (401, 403, 404)
WRITE_ERRORS = (400, 401, 403, 413)
IDEMPOTENT_ERRORS = (400, 401, 403, 409, 413, 422)

IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER, location=OpenApiParameter.HEADER, required=False, type=str,
    description="A unique key (a UUID) per distinct request. Retrying with the same key and "
                "body returns the first response with `Idempotent-Replayed: true`; the same "
                "key with another body is 422 `idempotency_key_reused`; while the first "
                "request runs, 409 `idempotency_in_flight`. Keys are per app and kept 24 h.",
)
