"""Metering off the request path: one ``ApiCall`` per gated call, written in batches.

``record`` appends the call's values to an in-process buffer and returns at once (the model
instances are built by whoever writes the batch, not on the request path). With
``GATE["METERING_BACKGROUND"]`` on, a daemon thread writes the buffer with ``bulk_create``
every ``METERING_FLUSH_SECONDS`` or as soon as ``METERING_BATCH_SIZE`` rows wait, and what is
left is written at exit. Tests (background off) call ``flush()`` themselves.
"""

import atexit
import logging
import os
import threading

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from openplatform.models import ApiCall

logger = logging.getLogger(__name__)

# (app_id, merchant_id, capability, pack, status_code, error_code, latency_ms, created_at)
_buffer: list[tuple] = []
_lock = threading.Lock()
_batch_ready = threading.Event()
_flusher: threading.Thread | None = None


def record(*, app_id: int, merchant_id: int | None, capability: str, pack: str,
           status_code: int, error_code: str, latency_ms: int) -> None:
    call = (app_id, merchant_id, capability, pack, status_code, error_code, latency_ms,
            timezone.now())
    with _lock:
        _buffer.append(call)
        waiting = len(_buffer)
    if settings.GATE["METERING_BACKGROUND"]:
        _start_flusher()
        if waiting >= settings.GATE["METERING_BATCH_SIZE"]:
            _batch_ready.set()


def flush() -> int:
    """Write every buffered call now; return how many were written."""
    with _lock:
        calls = _buffer[:]
        _buffer.clear()
    batch_size = settings.GATE["METERING_BATCH_SIZE"]
    for start in range(0, len(calls), batch_size):
        ApiCall.objects.bulk_create([_api_call(*call) for call in calls[start:start + batch_size]])
    return len(calls)


def _api_call(app_id, merchant_id, capability, pack, status_code, error_code, latency_ms,
              created_at) -> ApiCall:
    return ApiCall(app_id=app_id, merchant_id=merchant_id, capability=capability, pack=pack,
                   status_code=status_code, error_code=error_code, latency_ms=latency_ms,
                   created_at=created_at)


def discard() -> None:
    """Drop buffered calls without writing them (a test's calls must not leak into the next)."""
    with _lock:
        _buffer.clear()


def _run_flusher() -> None:
    while True:
        _batch_ready.wait(settings.GATE["METERING_FLUSH_SECONDS"])
        _batch_ready.clear()
        close_old_connections()
        try:
            flush()
        except Exception:
            # The rows of a failed batch are lost; the web process must keep serving.
            logger.exception("Writing metered API calls failed")


def _flush_at_exit() -> None:
    try:
        flush()
    except Exception:
        logger.exception("Writing metered API calls at exit failed")


def _start_flusher() -> None:
    global _flusher
    if _flusher is not None:
        return
    with _lock:
        if _flusher is None:
            _flusher = threading.Thread(target=_run_flusher, name="api-metering", daemon=True)
            _flusher.start()
            atexit.register(_flush_at_exit)


def _forget_parent_flusher() -> None:
    # A forked child has the parent's buffer but not its thread: start afresh.
    global _flusher
    _flusher = None
    _buffer.clear()


os.register_at_fork(after_in_child=_forget_parent_flusher)
