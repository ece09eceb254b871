"""Webhook delivery with a real Redis and a real Celery worker process (issue 6, acceptance).

Each test starts a redis-server of its own on a free loopback port (no persistence, so killing
it loses every queued message) and a worker process on the test database, so it can kill -9
either without touching the machine's shared Redis or tests running beside it under xdist.
This process publishes through the same Celery app, repointed at that server; the receiver
(tests/events/receiver.py) runs in a thread here; the test calls the sweeper itself, as beat
would. Leases are short (LEASE_SECONDS) so that what a dead worker held comes back quickly.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from django.db import connection, transaction
from kombu import pools
from standardwebhooks.webhooks import Webhook

from openplatform.celery import app as celery_app
from openplatform.events import services
from openplatform.events.choices import DeliveryState
from openplatform.events.models import Delivery, Event

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 5
QUEUE_LEASE_SECONDS = 10
SWEEP_INTERVAL_SECONDS = 1.0
WORKER_CONCURRENCY = 2
# Bounds for a heavily loaded machine; on a quiet one each test takes 10-20 s.
TIMEOUT_SECONDS = 240

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: the worker process shares the test database"),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"),
                       reason="needs the real services: set REDIS_URL (CI does)"),
    pytest.mark.skipif(shutil.which("redis-server") is None,
                       reason="needs redis-server on PATH to run a Redis of the test's own"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)
    return True


class RedisServer:
    """A redis-server without persistence, stopped with kill -9 and started on the same port."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_until(self._answers, timeout=10):
            raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def _answers(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
        except redis.ConnectionError:
            return False

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Worker:
    """``celery worker`` (prefork) in a process group of its own: kill -9 takes its children."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "--app", "openplatform", "worker",
                 "--concurrency", str(WORKER_CONCURRENCY), "--pool", "prefork", "-Q", "celery",
                 "--without-heartbeat", "--without-gossip", "--without-mingle",
                 "--loglevel", "WARNING"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)

    def kill(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):  # the group has already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def drop_broker_connections() -> None:
    """The Celery app keeps the pools it opened on its first publish: close them, so the next
    publish connects to whatever broker the settings name then."""
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def publishing_to_redis_server(settings, redis_server):
    """This process queues for real (not eagerly) on the test's own Redis; short leases."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_server.url
    settings.WEBHOOKS = {**settings.WEBHOOKS, "LEASE_SECONDS": LEASE_SECONDS,
                         "QUEUE_LEASE_SECONDS": QUEUE_LEASE_SECONDS}
    drop_broker_connections()
    yield
    drop_broker_connections()


@pytest.fixture
def worker(transactional_db, settings, redis_server, tmp_path):
    """A worker on the test database (stopped before the database is flushed), with this
    test's PII key to decrypt signing secrets and the test's own Redis as broker."""
    database_url = urlsplit(os.environ["DATABASE_URL"])._replace(
        path="/" + connection.settings_dict["NAME"]).geturl()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_server.url,
        "PII_KEYS": ",".join(settings.PII_KEYS),
        "WEBHOOK_LEASE_SECONDS": str(LEASE_SECONDS),
        "WEBHOOK_QUEUE_LEASE_SECONDS": str(QUEUE_LEASE_SECONDS),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DEBUG": "false",
    }
    process = Worker(env, tmp_path / "worker.log")
    process.start()
    yield process
    process.kill()


def emit_events(app, count: int, *, per_transaction: int = 50) -> list[str]:
    """``count`` committed events about ``app``; their webhook ids. Several per transaction,
    so that a loaded machine spends its time delivering them, not committing them."""
    webhook_ids = []
    for first in range(0, count, per_transaction):
        with transaction.atomic():
            for number in range(first, min(first + per_transaction, count)):
                event = services.event_emit(type="app.live", isv=app.isv, app=app, data={
                    "app_id": str(app.pk), "client_id": app.client_id,
                    "environment": "sandbox", "state": f"live-{number}"})
                webhook_ids.append(event.webhook_id)
    return webhook_ids


def received_ids(receiver) -> Counter:
    return Counter(item.headers["webhook-id"] for item in list(receiver.received))


def sweep_until_delivered(receiver, broker: RedisServer, webhook_ids: list[str], *,
                          timeout: float) -> None:
    """Call the sweeper as beat would until every event arrived and every delivery is
    delivered (or the time is up); only once the worker has emptied the queue, though: on a
    slow machine a queue longer than a lease would have every sweep add a stale copy of each
    message still waiting (bench/README.md, Webhooks)."""
    expected = set(webhook_ids)
    queue = redis.Redis.from_url(broker.url)
    deadline = time.monotonic() + timeout
    next_sweep = 0.0
    while time.monotonic() < deadline:
        all_received = expected <= received_ids(receiver).keys()
        if all_received and not Delivery.objects.exclude(state=DeliveryState.DELIVERED).exists():
            return
        if time.monotonic() >= next_sweep and queue.llen("celery") == 0:
            services.deliveries_sweep()
            next_sweep = time.monotonic() + SWEEP_INTERVAL_SECONDS
        time.sleep(0.1)


def assert_all_delivered(receiver, worker, webhook_ids: list[str], secret: str) -> int:
    """Every event arrived at least once, correctly signed; every delivery is delivered.
    Returns the number of duplicates (POSTs beyond the first of each webhook id)."""
    counts = received_ids(receiver)
    states = Counter(Delivery.objects.values_list("state", flat=True))
    missing = set(webhook_ids) - counts.keys()
    context = f"deliveries by state: {dict(states)}\nworker log:\n{worker.log_tail()}"
    assert not missing, f"{len(missing)} events never arrived; {context}"
    assert Event.objects.count() == len(webhook_ids)
    assert states == {DeliveryState.DELIVERED: len(webhook_ids)}, context
    verifier = Webhook(secret)
    for item in list(receiver.received):
        verifier.verify(item.body, item.headers)
    return sum(counts.values()) - len(counts)


@pytest.mark.usefixtures("publishing_to_redis_server")
def test_every_event_arrives_when_the_worker_is_killed_mid_run(
        sandbox_app, endpoint_and_secret, receiver, worker, redis_server):
    _endpoint, secret = endpoint_and_secret
    webhook_ids = emit_events(sandbox_app, 1000)

    assert wait_until(lambda: len(received_ids(receiver)) >= 250, timeout=TIMEOUT_SECONDS), \
        worker.log_tail()
    worker.kill()
    arrived_before_kill = len(received_ids(receiver))
    assert arrived_before_kill < len(webhook_ids), "the worker finished before it was killed"
    worker.start()
    sweep_until_delivered(receiver, redis_server, webhook_ids, timeout=TIMEOUT_SECONDS)

    duplicates = assert_all_delivered(receiver, worker, webhook_ids, secret)
    # At least once: only a POST in flight when its worker died is sent again.
    print(f"\nkilled after {arrived_before_kill} of {len(webhook_ids)}; "
          f"duplicates: {duplicates}")
    assert duplicates <= WORKER_CONCURRENCY


@pytest.mark.usefixtures("publishing_to_redis_server")
def test_the_sweeper_delivers_everything_after_redis_comes_back(
        sandbox_app, endpoint_and_secret, receiver, worker, redis_server, caplog):
    _endpoint, secret = endpoint_and_secret
    webhook_ids = emit_events(sandbox_app, 100)
    assert wait_until(lambda: len(received_ids(receiver)) >= 20, timeout=TIMEOUT_SECONDS), \
        worker.log_tail()

    redis_server.kill()
    started = time.monotonic()
    webhook_ids += emit_events(sandbox_app, 50)  # queueing fails: logged, never raised
    emit_seconds = time.monotonic() - started
    services.deliveries_sweep()
    assert "Could not queue" in caplog.text
    # The caller is not held up while the broker is down (one failed connection each).
    assert emit_seconds < 10, f"50 events took {emit_seconds:.1f} s to emit with Redis down"
    time.sleep(1)
    redis_server.start()  # empty: every message queued before the crash is gone
    sweep_until_delivered(receiver, redis_server, webhook_ids, timeout=TIMEOUT_SECONDS)

    duplicates = assert_all_delivered(receiver, worker, webhook_ids, secret)
    print(f"\nemitted 50 events in {emit_seconds:.2f} s with Redis down; "
          f"duplicates: {duplicates}")
