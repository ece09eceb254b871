"""Benchmark of the capability gate (issue 4, item 6): see bench/README.md.

Compares, in one run and on the same data, (a) a bare DRF view, (b) DRF + DOT bearer-token
authentication alone and (c) the gated ``merchant.info.query`` (``GET /api/v1/merchant/info``):
in-process through Django's test client, then over HTTP against gunicorn on loopback. Reports
mean latency, requests per second, the ratio of each to (a) and SQL queries per warm call,
and the machine's load average before and after (other work on the machine skews the ratios:
(a) never waits for I/O, (c) waits for one Redis round trip). ``--profile`` adds a cProfile
summary of warm in-process calls of (c).

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/gateway_bench
REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/gateway.py``
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.gateway_settings"

import django  # noqa: E402

from bench.authorized import authorized_token  # noqa: E402
from bench.database import ensure_bench_database  # noqa: E402
from bench.gunicorn import running_gunicorn  # noqa: E402

VARIANTS = {
    "a": ("bare DRF view", "/bench/bare"),
    "b": ("DRF + DOT token auth", "/bench/token"),
    "c": ("gated merchant.info.query", "/api/v1/merchant/info"),
}
PORT = 8765


def fail(message: str) -> None:
    sys.exit(f"bench/gateway.py: {message}")


def prepare_token() -> str:
    """A live sandbox app, subscribed and authorized by an active merchant; its bearer token."""
    return authorized_token(isv_name="Gateway bench ISV", pack_code="merchant_basics")


def in_process(token: str, *, calls: int, rounds: int) -> dict[str, dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    results = {}
    for key, (_label, path) in VARIANTS.items():
        response = client.get(path)
        if response.status_code != 200:
            fail(f"{path} answered {response.status_code}: {response.content[:300]!r}")
        client.get(path)  # warm: the gate's decision is cached now
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        results[key] = {"queries": len(queries), "samples": []}
    for _round in range(rounds):  # interleaved, so drift on a noisy machine hits all three
        for key, (_label, path) in VARIANTS.items():
            started = time.perf_counter()
            for _call in range(calls):
                client.get(path)
            results[key]["samples"].append((time.perf_counter() - started) / calls)
    return results


def over_http(token: str, *, calls: int, rounds: int) -> dict[str, list[float]]:
    with running_gunicorn(PORT):
        samples: dict[str, list[float]] = {key: [] for key in VARIANTS}
        for _round in range(rounds):
            for key, (_label, path) in VARIANTS.items():
                request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}",
                                                 headers={"Authorization": f"Bearer {token}"})
                started = time.perf_counter()
                for _call in range(calls):
                    with urllib.request.urlopen(request) as response:
                        response.read()
                samples[key].append((time.perf_counter() - started) / calls)
        return samples


def profile_gated_calls(token: str, *, calls: int) -> None:
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    path = VARIANTS["c"][1]
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _call in range(calls):
        client.get(path)
    profiler.disable()
    print(f"\ncProfile of {calls} warm in-process calls of (c), by cumulative time")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def report(title: str, samples: dict[str, list[float]], queries: dict[str, int] | None) -> None:
    print(f"\n{title}")
    print(f"{'variant':32} {'mean µs':>10} {'req/s':>9} {'x (a)':>7} {'SQL/warm call':>14}")
    baseline = statistics.median(samples["a"])
    for key, (label, _path) in VARIANTS.items():
        median = statistics.median(samples[key])
        sql = str(queries[key]) if queries else "-"
        print(f"({key}) {label:28} {median * 1e6:10.0f} {1 / median:9.0f} "
              f"{median / baseline:7.2f} {sql:>14}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500, help="calls per round and variant")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--http-calls", type=int, default=300)
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile summary of warm in-process calls of (c)")
    args = parser.parse_args()
    ensure_bench_database("bench/gateway.py")
    django.setup()
    token = prepare_token()
    print(f"load average (1, 5, 15 min) at the start: {load_average()}")
    local = in_process(token, calls=args.calls, rounds=args.rounds)
    report("In-process (Django test client)", {k: v["samples"] for k, v in local.items()},
           {k: v["queries"] for k, v in local.items()})
    report("HTTP (gunicorn, 1 sync worker, loopback)",
           over_http(token, calls=args.http_calls, rounds=args.rounds), None)
    print(f"\nload average (1, 5, 15 min) at the end: {load_average()}")
    if args.profile:
        profile_gated_calls(token, calls=args.calls)


if __name__ == "__main__":
    main()
