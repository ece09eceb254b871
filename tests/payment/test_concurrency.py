"""Concurrent refunds over HTTP on PostgreSQL: the trade row lock keeps their sum within the
paid amount, and the books balance afterwards."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from capabilities.payment import ledger, services
from capabilities.payment.models import Refund, Trade
from merchants.choices import MerchantState
from tests import factories
from tests.oauth import Setup, make_oauth_app, merchant_tokens

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks need PostgreSQL (SQLite serialises all writers)"),
]

THREADS = 8


def _merchant_token(client) -> tuple[str, object]:
    app = make_oauth_app(isv=factories.make_isv(),
                         packs=("payment_basics", "face_to_face_payment"))
    merchant = factories.make_merchant(isv=app.isv, state=MerchantState.ACTIVE)
    user = factories.make_merchant_user(merchant=merchant).user
    tokens = merchant_tokens(client, Setup(app=app, merchant=merchant, user=user),
                             scope="pack:payment_basics pack:face_to_face_payment")
    return tokens["access_token"], merchant


def test_eight_concurrent_refunds_of_3000_on_a_10000_trade_three_succeed(client):
    token, merchant = _merchant_token(client)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api.post("/api/v1/payment/trades/precreate",
                        {"out_trade_no": "order-1", "amount": 10_000, "subject": "Tea"},
                        format="json")
    assert response.status_code == 201, response.content
    buyer = services.sandbox_buyer_ensure(login="buyer-1", name="Buyer", balance=1_000_000)
    services.trade_pay(trade=Trade.objects.get(merchant=merchant, out_trade_no="order-1"),
                       buyer=buyer, actor=None)
    start = threading.Barrier(THREADS)
    answers: list[tuple[int, str]] = []

    def refund(number: int) -> None:
        thread_api = APIClient()
        thread_api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        try:
            start.wait()
            answer = thread_api.post("/api/v1/payment/trades/order-1/refund",
                                     {"out_refund_no": f"r{number}", "amount": 3_000},
                                     format="json")
            answers.append((answer.status_code, answer.json().get("code", "")))
        finally:
            connection.close()

    threads = [threading.Thread(target=refund, args=(number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers) == [(201, "")] * 3 + [(409, "refund_exceeds_paid")] * 5
    trade = Trade.objects.get(merchant=merchant, out_trade_no="order-1")
    assert trade.refunded_amount == 9_000
    assert Refund.objects.filter(trade=trade).count() == 3
    assert ledger.balance(ledger.buyer_wallet(buyer)[0]) == 1_000_000 - 10_000 + 9_000
    report = ledger.verify()
    assert report.ok, report.problems
