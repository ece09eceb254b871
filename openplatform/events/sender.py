"""The HTTP POST of one webhook: to the checked address, no redirects, bounded in time and size.

Connections are pooled per worker process and per (address, host), so a busy endpoint is
served over keep-alive connections.
"""

import ssl
import threading
import time
from dataclasses import dataclass

import urllib3

from openplatform.events.destinations import Destination

RESPONSE_EXCERPT_BYTES = 1024
MAX_POOLS = 512

_pools: dict[tuple[str, str, int, str], urllib3.HTTPConnectionPool] = {}
_pools_lock = threading.Lock()
_ssl_context = ssl.create_default_context()


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    latency_ms: int
    excerpt: str = ""
    error: str = ""
    timed_out: bool = False


def _pool(destination: Destination, address: str) -> urllib3.HTTPConnectionPool:
    key = (destination.scheme, address, destination.port, destination.host)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            if len(_pools) >= MAX_POOLS:
                _pools.pop(next(iter(_pools))).close()
            if destination.scheme == "https":
                # Connect to the checked address; verify the certificate for the host name.
                pool = urllib3.HTTPSConnectionPool(
                    address, destination.port, maxsize=2, server_hostname=destination.host,
                    assert_hostname=destination.host, ssl_context=_ssl_context)
            else:
                pool = urllib3.HTTPConnectionPool(address, destination.port, maxsize=2)
            _pools[key] = pool
        return pool


def post(destination: Destination, *, body: bytes, headers: dict[str, str],
         timeout_seconds: float) -> SendResult:
    """POST ``body`` and report what happened; never raises for network trouble."""
    started = time.monotonic()
    pool = _pool(destination, destination.addresses[0])
    try:
        response = pool.urlopen(
            "POST", destination.target, body=body,
            headers={**headers, "Host": destination.host_header},
            redirect=False, retries=False, assert_same_host=False, preload_content=False,
            timeout=urllib3.Timeout(total=timeout_seconds),
        )
    except urllib3.exceptions.NewConnectionError as error:  # a subclass of the timeout error
        return SendResult(None, _elapsed_ms(started), error=_describe(error))
    except urllib3.exceptions.TimeoutError:
        return SendResult(None, _elapsed_ms(started), error="timeout", timed_out=True)
    except urllib3.exceptions.HTTPError as error:
        return SendResult(None, _elapsed_ms(started), error=_describe(error))
    try:
        excerpt = response.read(RESPONSE_EXCERPT_BYTES, decode_content=False)
    except urllib3.exceptions.HTTPError:
        excerpt = b""
    finally:
        # A connection whose body we did not read to the end cannot be reused.
        if response.length_remaining == 0:
            response.release_conn()
        else:
            response.close()
    return SendResult(response.status, _elapsed_ms(started),
                      excerpt=excerpt.decode("utf-8", errors="replace"))


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _describe(error: Exception) -> str:
    reason = getattr(error, "reason", None) or error
    return f"{type(reason).__name__}: {reason}"[:300]
