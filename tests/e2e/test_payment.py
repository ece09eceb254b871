"""Issue 8 end to end: a sandbox app's merchant token (authorization code with PKCE) opens a
trade, a buyer pays it on the cashier page in Chromium, the app's webhook arrives signed, the
trade queries as paid, two partial refunds follow, and the day's statement adds up."""

import csv
import io
import json
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from rest_framework.test import APIClient
from standardwebhooks.webhooks import Webhook

from capabilities.payment import ledger, services
from openplatform.events import services as events
from tests import factories
from tests.events.receiver import Receiver
from tests.oauth import make_setup, merchant_tokens

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PACK_SCOPE = "pack:face_to_face_payment"


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def test_precreate_pay_in_the_browser_webhook_query_refunds_and_statement(
        live_server, page, client, receiver):
    setup = make_setup()
    factories.make_subscription(app=setup.app, pack=factories.get_pack("face_to_face_payment"))
    _endpoint, secret = events.webhook_endpoint_create(
        app=setup.app, actor=None, url=receiver.url, event_types=["payment.trade.succeeded"])
    buyer = services.sandbox_buyer_ensure(login="buyer-e2e", name="E2E buyer",
                                          balance=1_000_000)
    token = merchant_tokens(client, setup, scope=PACK_SCOPE)["access_token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    created = api.post("/api/v1/payment/trades/precreate", {
        "out_trade_no": "E2E-1", "amount": 10_000, "subject": "Two coffees"}, format="json")
    assert created.status_code in (200, 201), created.content
    cashier_path = urlsplit(created.json()["qr_code"]).path

    page.goto(live_server.url + cashier_path)
    expect(page.get_by_test_id("amount")).to_contain_text("100.00")
    page.get_by_label("Sandbox buyer login").fill(buyer.login)
    page.get_by_role("button", name="Pay").click()
    expect(page.get_by_test_id("result")).to_have_attribute("data-state", "success")

    [message] = receiver.received
    delivered = Webhook(secret).verify(message.body, message.headers)
    assert (delivered["type"], delivered["data"]["out_trade_no"]) == (
        "payment.trade.succeeded", "E2E-1")

    assert api.get("/api/v1/payment/trades/E2E-1").json()["state"] == "success"
    for number, amount in (("R-1", 3_000), ("R-2", 2_000)):
        refund = api.post("/api/v1/payment/trades/E2E-1/refund",
                          {"out_refund_no": number, "amount": amount}, format="json")
        assert refund.status_code in (200, 201), refund.content
    assert api.get("/api/v1/payment/trades/E2E-1").json()["refunded_amount"] == 5_000

    today = timezone.localdate()
    services.settlement_close_day(merchant=setup.merchant, day=today)  # what beat does nightly
    bill = api.get(f"/api/v1/payment/bills/{today.isoformat()}")
    assert bill.status_code == 200, bill.content
    rows = list(csv.DictReader(io.StringIO(bill.content.decode())))
    records = [row["record"] for row in rows]
    assert records == ["trade", "refund", "refund", "total"]
    lines, total = rows[:-1], rows[-1]
    for column in ("amount", "fee", "net"):
        assert sum(int(row[column]) for row in lines) == int(total[column])
    assert int(total["amount"]) == 5_000
    assert ledger.verify().ok, json.dumps(ledger.verify().problems)
