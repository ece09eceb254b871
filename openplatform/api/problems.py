"""RFC 9457 problem+json for every API error, each with a stable ``code``.

Whatever goes wrong under /api/ — a DRF exception, a Django or DRF validation error, a domain
error from a service, a 404 — reaches the client as::

    {"type": ".../docs/errors#<code>", "title": ..., "status": 403, "code": "...",
     "detail": "what happened and how to fix it", "instance": "urn:request:<id>",
     "errors": [{"field": "uscc", "code": "uscc_checksum", "message": "..."}]}
"""

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from openplatform.api.error_codes import AccessError, RequestError
from openplatform.errors import (
    DomainError,
    ErrorCode,
    FieldError,
    PlatformError,
    is_documented,
)

PROBLEM_CONTENT_TYPE = "application/problem+json"

logger = logging.getLogger(__name__)

# DRF exception class → our stable code.
DRF_CODES: dict[type[exceptions.APIException], ErrorCode] = {
    exceptions.ParseError: RequestError.MALFORMED_REQUEST,
    exceptions.AuthenticationFailed: AccessError.INVALID_TOKEN,
    exceptions.NotAuthenticated: AccessError.INVALID_TOKEN,
    exceptions.PermissionDenied: PlatformError.PERMISSION_DENIED,
    exceptions.NotFound: RequestError.NOT_FOUND,
    exceptions.MethodNotAllowed: RequestError.METHOD_NOT_ALLOWED,
    exceptions.NotAcceptable: RequestError.NOT_ACCEPTABLE,
    exceptions.UnsupportedMediaType: RequestError.UNSUPPORTED_MEDIA_TYPE,
    exceptions.Throttled: AccessError.QUOTA_EXCEEDED,
}


class Problem(exceptions.APIException):
    """An API error with a stable code; raise it from views, the gate and serializers. The
    status is the code's own unless the caller names another."""

    def __init__(
        self,
        *,
        code: ErrorCode,
        detail: str,
        status_code: int | None = None,
        title: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ):
        if not isinstance(code, ErrorCode):
            raise TypeError(f"Problem codes are ErrorCode members, not {code!r}.")
        super().__init__(detail=detail, code=code)
        self.status_code = status_code or code.status
        self.code = code
        self.title = title
        self.errors = errors or []
        self.headers = headers or {}


def problem_body(
    *, request, code: ErrorCode, detail: str, status_code: int | None = None,
    title: str | None = None, errors: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    _check_documented(code, errors or [])
    status_code = status_code or code.status
    body: dict[str, Any] = {
        "type": f"{settings.PLATFORM_BASE_URL}/docs/errors#{code}",
        "title": title or _status_title(status_code),
        "status": status_code,
        "code": code,
        "detail": str(detail),
        "instance": f"urn:request:{getattr(request, 'request_id', '-')}",
    }
    if errors:
        body["errors"] = errors
    return body


def problem_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's EXCEPTION_HANDLER: everything becomes problem+json (unknown errors stay 500s)."""
    # Imported here: rest_framework.views loads the authentication classes, which import us.
    from rest_framework.views import set_rollback

    problem = as_problem(exc)
    if problem is None:
        return None
    set_rollback()
    request = context.get("request")
    headers = dict(problem.headers)
    if problem.code == AccessError.INVALID_TOKEN:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="api", error="invalid_token"')
    wait = getattr(exc, "wait", None)
    if wait:
        headers.setdefault("Retry-After", str(int(wait)))
    body = problem_body(request=request, status_code=problem.status_code, code=problem.code,
                        detail=problem.detail, title=problem.title, errors=problem.errors)
    return Response(body, status=problem.status_code, headers=headers,
                    content_type=PROBLEM_CONTENT_TYPE)


def as_problem(exc: Exception) -> Problem | None:
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, RequestDataTooBig):
        return Problem(
            status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            code=RequestError.REQUEST_TOO_LARGE,
            detail=_("The request body is larger than %(limit)d bytes.")
            % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
        )
    if isinstance(exc, exceptions.ValidationError):
        return _validation_problem(field_errors_from_drf(exc.get_full_details()))
    if isinstance(exc, DjangoValidationError):
        return _validation_problem(field_errors_from_django(exc))
    if isinstance(exc, DomainError):
        errors = [{"field": exc.field, "code": exc.code, "message": str(exc.message)}] \
            if exc.field else []
        return Problem(code=exc.code, detail=str(exc.message), errors=errors)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.APIException):
        code = DRF_CODES.get(type(exc), RequestError.ERROR)
        detail = exc.detail if isinstance(exc.detail, str) else _("The request failed.")
        return Problem(status_code=exc.status_code, code=code, detail=str(detail))
    return None


def _validation_problem(errors: list[dict[str, str]]) -> Problem:
    return Problem(
        code=RequestError.VALIDATION_ERROR,
        detail=_("Some fields are invalid: see errors for each field and how to fix it."),
        errors=errors,
    )


def field_errors_from_drf(details: Any, prefix: str = "") -> list[dict[str, str]]:
    """Flatten DRF's ``get_full_details()`` into [{field, code, message}]."""
    if isinstance(details, dict) and {"message", "code"} <= details.keys():
        return [{"field": prefix or "non_field_errors", "code": details["code"],
                 "message": str(details["message"])}]
    if isinstance(details, dict):
        return [error for key, value in details.items()
                for error in field_errors_from_drf(value, _join(prefix, str(key)))]
    if isinstance(details, list):
        nested = any(isinstance(item, (dict, list)) and not
                     (isinstance(item, dict) and "code" in item) for item in details)
        return [error for index, item in enumerate(details)
                for error in field_errors_from_drf(
                    item, _join(prefix, str(index)) if nested else prefix)]
    return [{"field": prefix or "non_field_errors", "code": FieldError.INVALID,
             "message": str(details)}]


def field_errors_from_django(error: DjangoValidationError) -> list[dict[str, str]]:
    if hasattr(error, "error_dict"):
        return [
            {"field": field if field != "__all__" else "non_field_errors",
             "code": item.code or FieldError.INVALID, "message": _message(item)}
            for field, items in error.error_dict.items() for item in items
        ]
    return [{"field": "non_field_errors", "code": item.code or FieldError.INVALID,
             "message": _message(item)} for item in error.error_list]


def api_not_found(request: HttpRequest, exception=None) -> JsonResponse:
    """handler404 for /api/ paths outside DRF views (unknown URLs)."""
    body = problem_body(request=request, code=RequestError.NOT_FOUND,
                        detail=_("No API endpoint at this URL. See /api/docs/."))
    return JsonResponse(body, status=body["status"], content_type=PROBLEM_CONTENT_TYPE)


def api_server_error(request: HttpRequest) -> JsonResponse:
    body = problem_body(request=request, code=RequestError.SERVER_ERROR,
                        detail=_("The platform failed to handle this request; it has been "
                                 "logged. Retry later, quoting the instance id."))
    return JsonResponse(body, status=body["status"], content_type=PROBLEM_CONTENT_TYPE)


def _message(item: DjangoValidationError) -> str:
    return str(item.message % item.params) if item.params else str(item.message)


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _check_documented(code: ErrorCode, errors: list[dict[str, str]]) -> None:
    """With ``STRICT_ERROR_CODES`` (the test suite), an answer with a code missing from the
    public catalogue fails loudly; in production it is logged and sent all the same."""
    # A domain error that names its field repeats its own code there.
    undocumented = [str(error["code"]) for error in errors if error["code"] != code
                    and not is_documented(str(error["code"]), field=True)]
    if not is_documented(code):
        undocumented.append(str(code))
    if not undocumented:
        return
    message = f"Error codes missing from the catalogue (/docs/errors): {undocumented}"
    if settings.STRICT_ERROR_CODES:
        raise AssertionError(message)
    logger.error(message)


def _status_title(status_code: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"
