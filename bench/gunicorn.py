"""gunicorn on loopback for the HTTP half of a benchmark: the platform plus the bare reference
views of ``bench/gateway_urls.py``, one sync worker."""

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def running_gunicorn(port: int) -> Iterator[None]:
    """Start gunicorn on 127.0.0.1:``port``, wait until it answers, stop it afterwards."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.gateway_settings"}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "openplatform.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        _wait_until_up(port)
        yield
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare", timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not come up on 127.0.0.1:{port}")
