"""Benchmark of the payment capability (issue 8, item 7): see bench/README.md.

Trades created (``payment.trade.precreate``), paid (the sandbox ``simulate`` call, which pays
from the simulator's wallet through ``trade_pay``) and queried (``payment.trade.query``), plus
the one-call counter payment (``payment.trade.pay`` with a buyer's payment code), against the
bare DRF view (``/bench/bare``) in the same run: in-process through Django's test client (with
SQL queries per call), then over HTTP against gunicorn on loopback. Every call of one iteration
is timed on its own and the kinds are interleaved, so drift on a noisy machine hits them all.
POSTs carry an ``Idempotency-Key``, as the API asks of clients.

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/payment_bench
REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/payment.py``
"""

import argparse
import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The project's settings with /bench/bare mounted beside the platform.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.gateway_settings"

import django  # noqa: E402

from bench.authorized import authorized_token  # noqa: E402
from bench.database import ensure_bench_database  # noqa: E402
from bench.gunicorn import running_gunicorn  # noqa: E402

PORT = 8766
PACK = "face_to_face_payment"
AMOUNT = 2800  # fen per trade: a fee and an ISV share to post, as in a real payment
KINDS = {
    "bare": "bare DRF view",
    "precreate": "trade.precreate (create)",
    "simulate": "simulate success (pay)",
    "query": "trade.query",
    "pay": "trade.pay (payment code)",
}


def fail(message: str) -> None:
    sys.exit(f"bench/payment.py: {message}")


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: dict | None
    expected_status: int


def iteration_calls(number: str, payment_code: str) -> dict[str, Call]:
    """One trade's life (create, pay, query), a counter payment and the bare view."""
    trades = "/api/v1/payment/trades"
    order = f"bench-{number}"
    return {
        "bare": Call("GET", "/bench/bare", None, 200),
        "precreate": Call("POST", f"{trades}/precreate",
                          {"out_trade_no": order, "amount": AMOUNT, "subject": "Bench"}, 201),
        "simulate": Call("POST", f"{trades}/{order}/simulate", {"result": "success"}, 200),
        "query": Call("GET", f"{trades}/{order}", None, 200),
        "pay": Call("POST", f"{trades}/pay",
                    {"out_trade_no": f"{order}-pay", "amount": AMOUNT, "subject": "Bench",
                     "auth_code": payment_code}, 201),
    }


def prepare() -> tuple[str, str]:
    """A live sandbox app subscribed to face-to-face payment and authorized by an active
    merchant: its bearer token, and a funded sandbox buyer's payment code."""
    from capabilities.payment import services

    token = authorized_token(isv_name="Payment bench ISV", pack_code=PACK)
    buyer = services.sandbox_buyer_ensure(login="bench-buyer", name="Bench buyer",
                                          balance=100_000_000)
    services.sandbox_buyer_top_up(buyer=buyer, amount=100_000_000, actor=None)
    return token, buyer.payment_code


# --- in-process ------------------------------------------------------------------------------

def in_process(token: str, payment_code: str, *, calls: int,
               rounds: int) -> tuple[dict[str, list[float]], dict[str, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def send(call: Call) -> int:
        if call.method == "GET":
            return client.get(call.path).status_code
        return client.post(call.path, json.dumps(call.body), content_type="application/json",
                           headers={"Idempotency-Key": uuid.uuid4().hex}).status_code

    run = f"{int(time.time())}-p"
    for warm in range(2):  # the gate's decision, the simulator's wallet, compiled queries
        run_iteration(send, iteration_calls(f"{run}-warm{warm}", payment_code))
    queries = {}
    for kind, call in iteration_calls(f"{run}-sql", payment_code).items():
        with CaptureQueriesContext(connection) as captured:
            check(kind, send(call), call)
        queries[kind] = len(captured)
    return rounds_of(send, run, payment_code, calls=calls, rounds=rounds), queries


# --- over HTTP -------------------------------------------------------------------------------

def over_http(token: str, payment_code: str, *, calls: int,
              rounds: int) -> dict[str, list[float]]:
    def send(call: Call) -> int:
        headers = {"Authorization": f"Bearer {token}"}
        data = None
        if call.body is not None:
            data = json.dumps(call.body).encode()
            headers |= {"Content-Type": "application/json",
                        "Idempotency-Key": uuid.uuid4().hex}
        request = urllib.request.Request(f"http://127.0.0.1:{PORT}{call.path}", data=data,
                                         headers=headers, method=call.method)
        try:
            with urllib.request.urlopen(request) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            fail(f"{call.method} {call.path} answered {error.code}: {error.read()[:300]!r}")

    with running_gunicorn(PORT):
        run = f"{int(time.time())}-h"
        run_iteration(send, iteration_calls(f"{run}-warm", payment_code))
        return rounds_of(send, run, payment_code, calls=calls, rounds=rounds)



# --- shared ----------------------------------------------------------------------------------

def check(kind: str, status: int, call: Call) -> None:
    if status != call.expected_status:
        fail(f"{kind}: {call.method} {call.path} answered {status}, "
             f"expected {call.expected_status}")


def run_iteration(send: Callable[[Call], int], calls: dict[str, Call]) -> dict[str, float]:
    elapsed = {}
    for kind, call in calls.items():
        started = time.perf_counter()
        status = send(call)
        elapsed[kind] = time.perf_counter() - started
        check(kind, status, call)
    return elapsed


def rounds_of(send: Callable[[Call], int], run: str, payment_code: str, *, calls: int,
              rounds: int) -> dict[str, list[float]]:
    """Per kind, the mean seconds per call of each round."""
    samples: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for round_number in range(rounds):
        totals = dict.fromkeys(KINDS, 0.0)
        for number in range(calls):
            calls_of_iteration = iteration_calls(f"{run}-{round_number}-{number}", payment_code)
            for kind, seconds in run_iteration(send, calls_of_iteration).items():
                totals[kind] += seconds
        for kind, total in totals.items():
            samples[kind].append(total / calls)
    return samples


def report(title: str, samples: dict[str, list[float]], queries: dict[str, int] | None) -> None:
    print(f"\n{title}")
    print(f"{'call':30} {'mean µs':>10} {'calls/s':>9} {'x bare':>7} {'SQL/call':>9}")
    baseline = statistics.median(samples["bare"])
    for kind, label in KINDS.items():
        median = statistics.median(samples[kind])
        sql = str(queries[kind]) if queries else "-"
        print(f"{label:30} {median * 1e6:10.0f} {1 / median:9.0f} {median / baseline:7.2f} "
              f"{sql:>9}")
    lifecycle = sum(statistics.median(samples[kind]) for kind in ("precreate", "simulate",
                                                                   "query"))
    print(f"{'trade created + paid + queried':30} {lifecycle * 1e6:10.0f} {1 / lifecycle:9.1f} "
          f"{lifecycle / baseline:7.2f} "
          f"{sum(queries[k] for k in ('precreate', 'simulate', 'query')) if queries else '-':>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200,
                        help="iterations per round in-process (one call of each kind each)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--http-calls", type=int, default=100,
                        help="iterations per round over HTTP")
    args = parser.parse_args()
    ensure_bench_database("bench/payment.py")
    django.setup()
    token, payment_code = prepare()
    samples, queries = in_process(token, payment_code, calls=args.calls, rounds=args.rounds)
    report("In-process (Django test client)", samples, queries)
    report("HTTP (gunicorn, 1 sync worker, loopback)",
           over_http(token, payment_code, calls=args.http_calls, rounds=args.rounds), None)


if __name__ == "__main__":
    main()
