"""Benchmark of webhook delivery (issue 6, item 7): see bench/README.md.

Emits ``--events`` events for one sandbox app whose endpoint is a receiver on loopback (a small
asyncio HTTP/1.1 server in a process of its own), and times them through one Celery worker with
``--concurrency 2`` (two prefork processes) on Redis: from the first emit to the last delivery
marked delivered. Counts, by webhook-id, what the receiver got: lost (expected 0) and
duplicates. The receiver alone, driven by two processes POSTing the same way the sender does,
gives the ceiling the delivery rate is compared with. ``--profile`` adds an in-process profile
of delivery attempts (SQL queries and where the time goes), without Celery.

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/webhooks_bench
REDIS_URL=redis://127.0.0.1:6379/8 .venv/bin/python bench/webhooks.py``
"""

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openplatform.settings")
os.environ.setdefault("DEBUG", "false")  # no query log kept in memory during the run

import django  # noqa: E402

from bench.database import ensure_bench_database  # noqa: E402

TARGET_PER_SECOND = 300
WORKER_CONCURRENCY = 2
EVENTS_PER_TRANSACTION = 100
SWEEP_INTERVAL_SECONDS = 10  # as beat runs it (WEBHOOK_SWEEP_INTERVAL_SECONDS)
SAMPLE_BODY = json.dumps({"id": "evt_" + "0" * 32, "type": "app.live", "data": {
    "app_id": "0" * 32, "client_id": "c" * 40, "environment": "sandbox", "state": "live"}},
    separators=(",", ":")).encode()


def fail(message: str) -> None:
    sys.exit(f"bench/webhooks.py: {message}")


# --- the receiver: its own process, no Django ---------------------------------------------------

class Tally:
    """What the receiver got: POSTs per webhook-id, and when the first and the last came."""

    def __init__(self):
        self.counts: dict[str, int] = {}
        self.first: float | None = None
        self.last: float | None = None

    def record(self, webhook_id: str) -> None:
        self.counts[webhook_id] = self.counts.get(webhook_id, 0) + 1
        self.last = time.time()
        self.first = self.first or self.last

    def as_json(self) -> bytes:
        return json.dumps({"counts": self.counts, "first": self.first,
                           "last": self.last}).encode()


async def _serve_connection(reader, writer, tally: Tally) -> None:
    """HTTP/1.1 with keep-alive, just enough for urllib3: a POST is counted by its webhook-id,
    ``GET /stats`` answers the tally."""
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *header_lines = head.decode("latin-1").split("\r\n")
            headers = {}
            for line in header_lines:
                name, _colon, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length") or 0)
            if length:
                await reader.readexactly(length)
            body = b""
            if request_line.startswith("GET /stats"):
                body = tally.as_json()
            else:
                tally.record(headers.get("webhook-id", ""))
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def serve_receiver(port: int) -> None:
    tally = Tally()

    async def main() -> None:
        server = await asyncio.start_server(
            lambda reader, writer: _serve_connection(reader, writer, tally),
            "127.0.0.1", port, backlog=256)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


class Receiver:
    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen([sys.executable, __file__, "--serve-receiver",
                                         str(self.port)], cwd=ROOT)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.stats()
                return
            except OSError:
                if time.monotonic() > deadline:
                    fail(f"the receiver did not come up on 127.0.0.1:{self.port}")
                time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks"

    def stats(self) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/stats", timeout=5) as answer:
            return json.load(answer)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _post_many(port: int, first: int, count: int) -> None:
    """POST like openplatform.events.sender: urllib3, one keep-alive connection."""
    import urllib3

    pool = urllib3.HTTPConnectionPool("127.0.0.1", port, maxsize=2)
    for number in range(first, first + count):
        response = pool.urlopen("POST", "/webhooks", body=SAMPLE_BODY, headers={
            "Content-Type": "application/json", "webhook-id": f"load_{number}",
            "webhook-timestamp": "0", "webhook-signature": "v1," + "A" * 44},
            redirect=False, retries=False, preload_content=False)
        response.read()
        response.release_conn()


def receiver_alone(posts: int) -> float:
    """POSTs per second the receiver takes from two client processes (the worker's two)."""
    receiver = Receiver()
    try:
        share = posts // WORKER_CONCURRENCY
        started = time.perf_counter()
        with ProcessPoolExecutor(WORKER_CONCURRENCY) as pool:
            list(pool.map(_post_many, [receiver.port] * WORKER_CONCURRENCY,
                          [share * index for index in range(WORKER_CONCURRENCY)],
                          [share] * WORKER_CONCURRENCY))
        seconds = time.perf_counter() - started
        if len(receiver.stats()["counts"]) != share * WORKER_CONCURRENCY:
            fail("the receiver lost POSTs when driven alone")
        return share * WORKER_CONCURRENCY / seconds
    finally:
        receiver.stop()


# --- the platform side ------------------------------------------------------------------------

def prepare_database() -> None:
    """Check DATABASE_URL, create the bench database if it is missing, migrate, empty it; and
    empty the broker's Redis database (messages left by an earlier run)."""
    ensure_bench_database("bench/webhooks.py")
    django.setup()
    import redis
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from isv.models import Isv
    from openplatform.audit.models import AuditEvent
    from openplatform.events.models import Event, WebhookEndpoint

    if not str(settings.CELERY_BROKER_URL).startswith("redis://"):
        fail("REDIS_URL must point at Redis (redis://127.0.0.1:6379/8).")
    call_command("migrate", verbosity=0)
    tables = ", ".join(model._meta.db_table for model in (Isv, Event, WebhookEndpoint,
                                                           AuditEvent))
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


def make_sandbox_app_endpoint(url: str):
    from openplatform.events import services
    from tests import factories

    app = factories.make_app(isv=factories.make_isv(name="Webhooks bench ISV"))
    services.webhook_endpoint_create(app=app, actor=None, url=url, event_types=["*"])
    return app


def emit(app, count: int) -> list[str]:
    from django.db import transaction

    from openplatform.events import services

    webhook_ids = []
    for first in range(0, count, EVENTS_PER_TRANSACTION):
        with transaction.atomic():
            for number in range(first, min(first + EVENTS_PER_TRANSACTION, count)):
                webhook_ids.append(services.event_emit(
                    type="app.live", isv=app.isv, app=app, data={
                        "app_id": str(app.pk), "client_id": app.client_id,
                        "environment": "sandbox", "state": f"live-{number}"}).webhook_id)
    return webhook_ids


class Worker:
    def __init__(self, log_path: Path):
        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "--app", "openplatform", "worker",
                 "--concurrency", str(WORKER_CONCURRENCY), "--pool", "prefork", "-Q", "celery",
                 "--without-heartbeat", "--without-gossip", "--without-mingle",
                 "--loglevel", "WARNING"],
                cwd=ROOT, env={**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false"},
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_until_ready(self) -> None:
        from openplatform.celery import app as celery_app

        deadline = time.monotonic() + 60
        while not celery_app.control.ping(timeout=0.5):
            if self.process.poll() is not None or time.monotonic() > deadline:
                fail(f"the Celery worker did not start; see {self.log_path}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait()


def wait_for_deliveries(count: int, *, timeout: float) -> int:
    """Poll until ``count`` deliveries are delivered, sweeping as beat would; returns how many
    messages the sweeper sent."""
    from openplatform.events import services
    from openplatform.events.choices import DeliveryState
    from openplatform.events.models import Delivery

    deadline = time.monotonic() + timeout
    next_sweep = time.monotonic() + SWEEP_INTERVAL_SECONDS
    swept = 0
    while Delivery.objects.filter(state=DeliveryState.DELIVERED).count() < count:
        if time.monotonic() > deadline:
            break
        if time.monotonic() >= next_sweep:
            swept += services.deliveries_sweep()
            next_sweep = time.monotonic() + SWEEP_INTERVAL_SECONDS
        time.sleep(0.2)
    return swept


def run_delivery(events: int) -> dict:
    from django.db.models import Max

    from openplatform.events.choices import DeliveryState
    from openplatform.events.models import Delivery

    receiver = Receiver()
    worker = Worker(ROOT / "var" / "bench-webhooks-worker.log")
    try:
        app = make_sandbox_app_endpoint(receiver.url)
        worker.wait_until_ready()
        load_before = os.getloadavg()
        started_wall, started = time.time(), time.perf_counter()
        webhook_ids = emit(app, events)
        emit_seconds = time.perf_counter() - started
        swept = wait_for_deliveries(events, timeout=max(120, events / 20))
        stats = receiver.stats()
        load_after = os.getloadavg()
    finally:
        worker.stop()
        receiver.stop()
    last_delivered = Delivery.objects.aggregate(last=Max("delivered_at"))["last"]
    counts = stats["counts"]
    seconds = last_delivered.timestamp() - started_wall
    return {
        "events": events, "emit_seconds": emit_seconds, "seconds": seconds,
        "per_second": events / seconds, "last_post_seconds": stats["last"] - started_wall,
        "delivered": Delivery.objects.filter(state=DeliveryState.DELIVERED).count(),
        "lost": len(set(webhook_ids) - counts.keys()),
        "duplicates": sum(counts.values()) - len(counts), "swept": swept,
        "load_before": load_before, "load_after": load_after,
    }


# Where a step's time goes: cumulative time of these functions (file suffix, name).
BREAKDOWN = {
    "PostgreSQL round trips (psycopg waiting)": ("psycopg/connection.py", "wait"),
    "HTTP POST (sender.post)": ("openplatform/events/sender.py", "post"),
    "signing secrets (Fernet decrypt)": ("openplatform/events/services.py", "signing_secrets"),
    "signature (HMAC)": ("openplatform/events/signing.py", "signature_header"),
    "destination check (resolve)": ("openplatform/events/destinations.py", "resolve"),
}


def _profiled(function, items) -> tuple[float, pstats.Stats]:
    """Milliseconds per item of ``function(item)`` under cProfile, and the profile."""
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for item in items:
        function(item)
    profiler.disable()
    return (time.perf_counter() - started) * 1000 / len(items), pstats.Stats(profiler)


def _print_breakdown(label: str, milliseconds: float, stats: pstats.Stats, count: int,
                     queries) -> None:
    print(f"  {label}: {milliseconds:.2f} ms each (profiled), {len(queries)} SQL statements "
          "(BEGIN/COMMIT included):")
    for part, (suffix, name) in BREAKDOWN.items():
        seconds = sum(row[3] for (filename, _line, function), row in stats.stats.items()
                      if filename.endswith(suffix) and function == name)
        if seconds:
            print(f"    {part:42} {seconds * 1000 / count:6.2f} ms")
    for query in queries.captured_queries:
        print(f"      {float(query['time']) * 1000:6.1f} ms  {query['sql'][:90]}")


def profile_in_process(events: int) -> float:
    """Delivery of ``events`` events in this process, messages not sent: SQL per delivery and
    where the time goes. (Emitting writes the deliveries in the emitting transaction, so there
    is no separate fan-out step.) Returns the milliseconds per delivery."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from openplatform.events import services
    from openplatform.events.models import Delivery

    receiver = Receiver()
    original_enqueue = services._enqueue
    services._enqueue = lambda task, *args: None
    try:
        app = make_sandbox_app_endpoint(receiver.url)
        emit(app, events)
        delivery_ids = list(Delivery.objects.filter(event__app=app).order_by("pk")
                            .values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as delivery_queries:
            services.delivery_attempt(delivery_id=delivery_ids[0], version=0)
        delivery_ms, delivery_stats = _profiled(
            lambda delivery_id: services.delivery_attempt(delivery_id=delivery_id, version=0),
            delivery_ids[1:])
    finally:
        services._enqueue = original_enqueue
        receiver.stop()
    print(f"\nIn-process, without Celery ({events:,} events, one process, messages not sent):")
    _print_breakdown("delivery (delivery_attempt)", delivery_ms, delivery_stats, events - 1,
                     delivery_queries)
    return delivery_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--receiver-posts", type=int, default=10_000,
                        help="POSTs for the receiver-alone baseline")
    parser.add_argument("--profile", action="store_true",
                        help="also profile fan-out and delivery in-process (1,000 events)")
    parser.add_argument("--serve-receiver", type=int, metavar="PORT", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve_receiver:
        serve_receiver(arguments.serve_receiver)
        return
    prepare_database()
    baseline = receiver_alone(arguments.receiver_posts)
    result = run_delivery(arguments.events)
    print(f"\nReceiver alone (2 client processes, urllib3 keep-alive): {baseline:,.0f} POSTs/s")
    print(f"Events: {result['events']:,}, emitted in {result['emit_seconds']:.2f} s "
          f"({EVENTS_PER_TRANSACTION} per transaction)")
    print(f"Last POST received {result['last_post_seconds']:.2f} s after the first emit")
    verdict = "met" if result["per_second"] >= TARGET_PER_SECOND else "NOT met"
    print(f"First emit to last delivered: {result['seconds']:.2f} s -> "
          f"{result['per_second']:,.0f} deliveries/s "
          f"({result['per_second'] / baseline:.1%} of the receiver alone; "
          f"target {TARGET_PER_SECOND}/s: {verdict})")
    print(f"Delivered: {result['delivered']:,}; lost: {result['lost']}; "
          f"duplicates: {result['duplicates']}; messages sent by the sweeper: {result['swept']}")
    print("Load average (1/5/15 min) before: {:.2f} {:.2f} {:.2f}, after: {:.2f} {:.2f} {:.2f}"
          .format(*result["load_before"], *result["load_after"]))
    if arguments.profile:
        in_process_ms = profile_in_process(1000)
        through_celery_ms = WORKER_CONCURRENCY * result["seconds"] * 1000 / result["events"]
        print(f"\nPer event: {in_process_ms:.1f} ms of fan-out + delivery in-process; "
              f"{through_celery_ms:.1f} ms of worker-process time through Celery "
              f"({WORKER_CONCURRENCY} processes x elapsed / events): the difference is Celery "
              "(messages, acks, prefork hand-off), the stale messages the sweeper adds, and "
              "waiting for the CPU.")


if __name__ == "__main__":
    main()
