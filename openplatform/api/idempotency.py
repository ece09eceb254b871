"""``Idempotency-Key`` for POSTs that create or move something (Stripe's semantics).

The first request with a key claims it by inserting an ``IdempotencyRecord`` in its own
transaction, before any work; the response is stored on the record once known. A later
request with the same key (per app, for 24 hours):

- with the same method, path and body → the stored response, with ``Idempotent-Replayed: true``;
- with another body → 422 ``idempotency_key_reused``;
- while the first is still running → 409 ``idempotency_in_flight``.

Server errors (5xx) release the key so that the client may retry.
"""

import functools
import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from openplatform.api.error_codes import IdempotencyError
from openplatform.api.problems import PROBLEM_CONTENT_TYPE, Problem
from openplatform.data import pii
from openplatform.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_LIFETIME = timedelta(hours=24)
KEY_MAX_LENGTH = IdempotencyRecord._meta.get_field("key").max_length


def request_fingerprint(request) -> str:
    """sha256 of method, path and the body as canonical JSON (key order and spacing ignored);
    for a capability call also the merchant acted for: an app's key reused for another
    merchant is refused, never replayed."""
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    merchant_id = getattr(getattr(request, "gate", None), "merchant_id", None)
    merchant = f"merchant:{merchant_id}\n" if merchant_id is not None else ""
    return hashlib.sha256(f"{request.method}\n{request.path}\n{merchant}{body}".encode()) \
        .hexdigest()


def _calling_app_id(request) -> int:
    """The app of the call: from the capability gate (whose token is not loaded on a warm
    call), else from the ISV API's access token."""
    outcome = getattr(request, "gate", None)
    return outcome.app_id if outcome is not None else request.auth.application_id


def idempotent(handler):
    """Decorate a DRF view handler (``def create(self, request, ...)``)."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        if not key or len(key) > KEY_MAX_LENGTH:
            raise Problem(code=IdempotencyError.INVALID_IDEMPOTENCY_KEY,
                          detail=_("An Idempotency-Key is 1 to %(limit)d characters long; a "
                                   "random UUID is best.") % {"limit": KEY_MAX_LENGTH})
        record = _claim(app_id=_calling_app_id(request), key=key, request=request)
        if record.response_status is not None:
            return _replay(record)
        try:
            response = _respond(handler, view, request, *args, **kwargs)
        except BaseException:
            record.delete()
            raise
        if response.status_code >= 500:
            record.delete()
            return response
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            response_status=response.status_code, response_body=_sealed_body(response.data))
        return response

    return wrapper


def _respond(handler, view, request, *args, **kwargs) -> Response:
    """The handler's response, or the problem+json response for what it raised."""
    try:
        return handler(view, request, *args, **kwargs)
    except Exception as exc:
        return view.handle_exception(exc)


def _in_flight() -> Problem:
    return Problem(code=IdempotencyError.IDEMPOTENCY_IN_FLIGHT,
                   detail=_("A request with this Idempotency-Key is still being processed; "
                            "retry in a moment."), headers={"Retry-After": "1"})


def _claim(*, app_id: int, key: str, request) -> IdempotencyRecord:
    """Insert this request's record, or return the finished record of the same request."""
    fingerprint = request_fingerprint(request)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    app_id=app_id, key=key, method=request.method, path=request.path[:500],
                    request_fingerprint=fingerprint)
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(app_id=app_id, key=key).first()
        if existing is None:
            continue  # released by a failed first request in between: claim it again
        if existing.created_at < timezone.now() - KEY_LIFETIME:
            existing.delete()
            continue
        if existing.request_fingerprint != fingerprint:
            raise Problem(code=IdempotencyError.IDEMPOTENCY_KEY_REUSED,
                          detail=_("This Idempotency-Key was used for another request. Use a "
                                   "new key for each distinct request."))
        if existing.response_status is None:
            raise _in_flight()
        return existing
    raise _in_flight()


def _sealed_body(data) -> dict[str, str] | None:
    """The response body, encrypted: a first response may hold a secret shown only once
    (a webhook signing secret), and a replay must show it again without storing it in clear."""
    if data is None:
        return None
    return {"sealed": pii.encrypt(JSONRenderer().render(data).decode())}


def _opened_body(stored: dict[str, str] | None):
    return None if stored is None else json.loads(pii.decrypt(stored["sealed"]))


def _replay(record: IdempotencyRecord) -> Response:
    content_type = PROBLEM_CONTENT_TYPE if record.response_status >= 400 else None
    return Response(_opened_body(record.response_body), status=record.response_status,
                    headers={REPLAYED_HEADER: "true"}, content_type=content_type)
