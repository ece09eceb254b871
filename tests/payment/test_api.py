"""The payment capabilities over HTTP, with merchant tokens from the real authorization code
flow (PKCE): each endpoint, bad input answered as problem+json with nothing written, tenancy,
the suspended merchant's refund window, query budgets and the statement CSV."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from capabilities.payment import ledger, services
from capabilities.payment.choices import MAX_TRADE_AMOUNT, REFUND_WINDOW_DAYS, TradeState
from capabilities.payment.models import LedgerEntry, Refund, Statement, Trade
from governance import services as governance_services
from merchants.choices import MerchantState
from merchants.services.lifecycle import merchant_clear_out, merchant_reinstate, merchant_suspend
from openplatform.audit.models import AuditEvent
from openplatform.events.models import Event
from tests import factories
from tests.oauth import Setup, make_oauth_app, merchant_tokens

pytestmark = pytest.mark.django_db

PACKS = ("payment_basics", "face_to_face_payment")
SCOPE = " ".join(f"pack:{code}" for code in PACKS)
BASE = "/api/v1/payment"
PROBLEM = "application/problem+json"
ORDER = {"out_trade_no": "order-1", "amount": 10_000, "subject": "Coffee beans"}


@dataclass
class Shop:
    """A merchant with its people, and an API client holding its app's token for it."""

    setup: Setup
    api: APIClient

    @property
    def merchant(self):
        return self.setup.merchant


def _merchant_api(client, *, isv, app) -> Shop:
    merchant = factories.make_merchant(isv=isv, state=MerchantState.ACTIVE)
    user = factories.make_merchant_user(merchant=merchant).user
    setup = Setup(app=app, merchant=merchant, user=user)
    token = merchant_tokens(client, setup, scope=SCOPE)["access_token"]
    client.logout()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return Shop(setup=setup, api=api)


@pytest.fixture
def paying_app(db):
    return make_oauth_app(isv=factories.make_isv(), packs=PACKS)


@pytest.fixture
def shop(client, paying_app):
    return _merchant_api(client, isv=paying_app.isv, app=paying_app)


@pytest.fixture
def other_shop(client, paying_app):
    return _merchant_api(client, isv=paying_app.isv, app=paying_app)


@pytest.fixture
def buyer(db):
    return services.sandbox_buyer_ensure(login="buyer-1", name="Buyer One", balance=1_000_000)


@pytest.fixture(autouse=True)
def _ledger_stays_consistent():
    yield
    report = ledger.verify()
    assert report.ok, report.problems


def post(api, path: str, body=None, **headers):
    return api.post(f"{BASE}/{path}", body, format="json", **headers)


def get(api, path: str, **headers):
    return api.get(f"{BASE}/{path}", **headers)


def paid_trade(shop, buyer, *, out_trade_no="order-1", amount=10_000, paid_days_ago=0):
    response = post(shop.api, "trades/precreate", {**ORDER, "out_trade_no": out_trade_no,
                                                    "amount": amount})
    assert response.status_code == 201, response.content
    trade = services.trade_pay(trade=Trade.objects.get(trade_no=response.json()["trade_no"]),
                               buyer=buyer, actor=None)
    if paid_days_ago:
        Trade.objects.filter(pk=trade.pk).update(
            paid_at=timezone.now() - timedelta(days=paid_days_ago))
    return trade


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == code, body
    assert body["status"] == status
    assert body["detail"]
    return body


def field_codes(body) -> dict[str, str]:
    return {error["field"]: error["code"] for error in body.get("errors", [])}


def written() -> dict[str, int]:
    """What a refused call must leave untouched."""
    return {"trades": Trade.objects.count(), "refunds": Refund.objects.count(),
            "ledger entries": LedgerEntry.objects.count(), "events": Event.objects.count(),
            "audit": AuditEvent.objects.count()}


# --- happy paths ------------------------------------------------------------------------------

def test_precreate_answers_the_trade_and_its_cashier_qr_code(shop, settings):
    response = post(shop.api, "trades/precreate", {**ORDER, "currency": "CNY"})

    assert response.status_code == 201, response.content
    body = response.json()
    trade = Trade.objects.get(merchant=shop.merchant, out_trade_no="order-1")
    assert body["trade_no"] == trade.trade_no
    assert (body["out_trade_no"], body["state"], body["amount"], body["currency"]) == (
        "order-1", TradeState.WAIT_BUYER_PAY, 10_000, "CNY")
    assert body["qr_code"] == f"{settings.PLATFORM_BASE_URL}/pay/t/{trade.qr_token}/"
    assert body["expires_at"]
    assert trade.app == shop.setup.app and trade.kind == "precreate"
    assert response["RateLimit"]


def test_the_qr_code_opens_the_cashier_page(shop, client, settings):
    qr_code = post(shop.api, "trades/precreate", ORDER).json()["qr_code"]

    page = client.get(qr_code.removeprefix(settings.PLATFORM_BASE_URL))

    assert page.status_code == 200
    assert "100.00" in page.content.decode()


def test_create_answers_a_hosted_cashier_url(shop, settings):
    response = post(shop.api, "trades/create", {**ORDER, "timeout_minutes": 15})

    assert response.status_code == 201, response.content
    trade = Trade.objects.get(trade_no=response.json()["trade_no"])
    assert response.json()["cashier_url"] == \
        f"{settings.PLATFORM_BASE_URL}/pay/t/{trade.qr_token}/"
    assert trade.kind == "create"
    assert timedelta(minutes=14) < trade.expires_at - timezone.now() <= timedelta(minutes=15)


def test_the_same_out_trade_no_and_body_is_the_same_trade_another_body_a_conflict(shop):
    first = post(shop.api, "trades/precreate", ORDER)
    again = post(shop.api, "trades/precreate", ORDER)
    before = written()
    other = post(shop.api, "trades/precreate", {**ORDER, "amount": 20_000})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    body = assert_problem(other, 409, "out_trade_no_conflict")
    assert field_codes(body) == {"out_trade_no": "out_trade_no_conflict"}
    assert written() == before


def test_an_idempotency_key_replays_the_first_answer(shop):
    headers = {"HTTP_IDEMPOTENCY_KEY": "key-1"}
    first = post(shop.api, "trades/precreate", ORDER, **headers)
    replay = post(shop.api, "trades/precreate", ORDER, **headers)
    reused = post(shop.api, "trades/precreate", {**ORDER, "out_trade_no": "order-2"}, **headers)

    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    assert_problem(reused, 422, "idempotency_key_reused")
    assert Trade.objects.count() == 1


def test_an_idempotency_key_of_one_merchant_is_never_replayed_to_another(shop, other_shop):
    headers = {"HTTP_IDEMPOTENCY_KEY": "shared-key"}
    assert post(shop.api, "trades/precreate", ORDER, **headers).status_code == 201

    response = post(other_shop.api, "trades/precreate", ORDER, **headers)

    assert_problem(response, 422, "idempotency_key_reused")
    assert not Trade.objects.filter(merchant=other_shop.merchant).exists()


def test_pay_charges_the_buyers_payment_code(shop, buyer):
    response = post(shop.api, "trades/pay", {**ORDER, "auth_code": buyer.payment_code})

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["amount"]) == (TradeState.SUCCESS, 10_000)
    assert body["paid_at"]
    assert ledger.balance(ledger.buyer_wallet(buyer)[0]) == 1_000_000 - 10_000
    assert Event.objects.filter(type="payment.trade.succeeded").count() == 1
    again = post(shop.api, "trades/pay", {**ORDER, "auth_code": buyer.payment_code})
    assert (again.status_code, again.json()["trade_no"]) == (200, body["trade_no"])
    assert ledger.balance(ledger.buyer_wallet(buyer)[0]) == 1_000_000 - 10_000


def test_pay_with_an_unknown_code_is_a_field_error_and_writes_nothing(shop):
    before = written()

    body = assert_problem(post(shop.api, "trades/pay", {**ORDER, "auth_code": "280000"}),
                          400, "validation_error")

    assert field_codes(body) == {"auth_code": "invalid_payment_code"}
    assert written() == before


def test_pay_beyond_the_buyers_balance_writes_nothing(shop, db):
    poor = services.sandbox_buyer_ensure(login="poor", name="Poor", balance=500)
    before = written()

    response = post(shop.api, "trades/pay", {**ORDER, "auth_code": poor.payment_code})

    assert_problem(response, 409, "buyer_balance_insufficient")
    assert written() == before


def test_query_shows_the_trade_as_it_is_now(shop, buyer):
    trade = paid_trade(shop, buyer)

    response = get(shop.api, "trades/order-1")

    assert response.status_code == 200
    body = response.json()
    assert (body["trade_no"], body["state"], body["refunded_amount"]) == (
        trade.trade_no, TradeState.SUCCESS, 0)
    assert "qr_code" not in body


def test_close_closes_an_unpaid_trade_once_and_refuses_a_paid_one(shop, buyer):
    post(shop.api, "trades/precreate", ORDER)
    paid_trade(shop, buyer, out_trade_no="order-2")

    closed = post(shop.api, "trades/order-1/close")
    again = post(shop.api, "trades/order-1/close")
    refused = post(shop.api, "trades/order-2/close")

    assert closed.status_code == again.status_code == 200
    assert closed.json()["state"] == TradeState.CLOSED
    assert Event.objects.filter(type="payment.trade.closed").count() == 1
    assert_problem(refused, 409, "illegal_transition")
    assert_problem(post(shop.api, "trades/order-1/close", {"reason": "x"}), 400,
                   "validation_error")


def test_partial_refunds_then_a_full_one_finish_the_trade(shop, buyer):
    paid_trade(shop, buyer, amount=10_000)

    first = post(shop.api, "trades/order-1/refund",
                 {"out_refund_no": "r1", "amount": 3_000, "reason": "Broken cup"})
    replay = post(shop.api, "trades/order-1/refund",
                  {"out_refund_no": "r1", "amount": 3_000, "reason": "Broken cup"})
    last = post(shop.api, "trades/order-1/refund", {"out_refund_no": "r2", "amount": 7_000})

    assert (first.status_code, replay.status_code, last.status_code) == (201, 200, 201)
    assert first.json()["refund_no"] == replay.json()["refund_no"]
    assert (first.json()["trade_refunded_amount"], first.json()["trade_state"]) == (
        3_000, TradeState.SUCCESS)
    assert (last.json()["trade_refunded_amount"], last.json()["trade_state"]) == (
        10_000, TradeState.FINISHED)
    assert ledger.balance(ledger.buyer_wallet(buyer)[0]) == 1_000_000
    assert Event.objects.filter(type="payment.refund.succeeded").count() == 2


def test_refund_query_finds_each_refund_of_the_trade(shop, buyer):
    paid_trade(shop, buyer)
    refund_no = post(shop.api, "trades/order-1/refund",
                     {"out_refund_no": "r1", "amount": 2_500}).json()["refund_no"]

    response = get(shop.api, "trades/order-1/refunds/r1")
    missing = get(shop.api, "trades/order-1/refunds/r2")

    assert response.status_code == 200
    body = response.json()
    assert (body["refund_no"], body["amount"], body["out_trade_no"], body["currency"]) == (
        refund_no, 2_500, "order-1", "CNY")
    assert_problem(missing, 404, "not_found")


@pytest.mark.parametrize(("result", "state"), [("success", TradeState.SUCCESS),
                                                ("failure", TradeState.CLOSED)])
def test_a_sandbox_apps_trade_can_be_simulated(shop, result, state):
    post(shop.api, "trades/precreate", ORDER)

    response = post(shop.api, "trades/order-1/simulate", {"result": result})

    assert response.status_code == 200, response.content
    assert response.json()["state"] == state


def test_a_production_apps_trade_cannot_be_simulated(shop):
    post(shop.api, "trades/precreate", ORDER)
    type(shop.setup.app).objects.filter(pk=shop.setup.app.pk).update(environment="production")
    before = written()

    response = post(shop.api, "trades/order-1/simulate", {"result": "success"})

    assert_problem(response, 403, "not_sandbox")
    assert written() == before


# --- bad input: a 4xx problem with its code, and nothing written ------------------------------

def _open_trade(shop, buyer):
    post(shop.api, "trades/precreate", {**ORDER, "out_trade_no": "unpaid"})
    paid_trade(shop, buyer, out_trade_no="paid", amount=10_000)
    post(shop.api, "trades/paid/refund", {"out_refund_no": "r1", "amount": 4_000})


BAD_REQUESTS = {
    "zero amount": ("trades/precreate", {**ORDER, "amount": 0}, 400,
                    {"amount": "amount_not_positive"}),
    "negative amount": ("trades/create", {**ORDER, "amount": -100}, 400,
                        {"amount": "amount_not_positive"}),
    "amount over the limit": ("trades/precreate", {**ORDER, "amount": MAX_TRADE_AMOUNT + 1},
                              400, {"amount": "amount_over_limit"}),
    "amount as a string": ("trades/precreate", {**ORDER, "amount": "100"}, 400,
                           {"amount": "invalid"}),
    "amount as a float": ("trades/pay", {**ORDER, "amount": 100.5, "auth_code": "28"}, 400,
                          {"amount": "invalid"}),
    "amount as a boolean": ("trades/precreate", {**ORDER, "amount": True}, 400,
                            {"amount": "invalid"}),
    "amount missing": ("trades/precreate", {"out_trade_no": "x", "subject": "x"}, 400,
                       {"amount": "required"}),
    "another currency": ("trades/precreate", {**ORDER, "currency": "USD"}, 400,
                         {"currency": "invalid_choice"}),
    "unknown fields": ("trades/precreate", {**ORDER, "colour": "red", "tip": 5}, 400,
                       {"colour": "unknown_field", "tip": "unknown_field"}),
    "out_trade_no as a number": ("trades/create", {**ORDER, "out_trade_no": 7}, 400,
                                 {"out_trade_no": "invalid"}),
    "blank subject": ("trades/precreate", {**ORDER, "subject": "  "}, 400,
                      {"subject": "blank"}),
    "timeout too long": ("trades/precreate", {**ORDER, "timeout_minutes": 100_000}, 400,
                         {"timeout_minutes": "max_value"}),
    "refund of an unknown trade": ("trades/nope/refund", {"out_refund_no": "r9", "amount": 1},
                                   404, None),
    "refund over the remaining amount": ("trades/paid/refund",
                                         {"out_refund_no": "r2", "amount": 6_001}, 409,
                                         {"amount": "refund_exceeds_paid"}),
    "refund of an unpaid trade": ("trades/unpaid/refund", {"out_refund_no": "r1", "amount": 1},
                                  409, None),
    "refund number again with another amount": ("trades/paid/refund",
                                                {"out_refund_no": "r1", "amount": 3_000},
                                                409, {"out_refund_no": "out_refund_no_conflict"}),
    "zero refund": ("trades/paid/refund", {"out_refund_no": "r2", "amount": 0}, 400,
                    {"amount": "amount_not_positive"}),
    "refund amount as a string": ("trades/paid/refund", {"out_refund_no": "r2", "amount": "1"},
                                  400, {"amount": "invalid"}),
    "simulate an unknown result": ("trades/unpaid/simulate", {"result": "maybe"}, 400,
                                   {"result": "invalid_choice"}),
    "close an unknown trade": ("trades/nope/close", None, 404, None),
}
CODES = {"refund of an unknown trade": "not_found", "close an unknown trade": "not_found",
         "refund over the remaining amount": "refund_exceeds_paid",
         "refund of an unpaid trade": "trade_not_paid",
         "refund number again with another amount": "out_refund_no_conflict"}


@pytest.mark.parametrize("case", BAD_REQUESTS)
def test_bad_input_is_a_problem_and_writes_nothing(shop, buyer, case):
    _open_trade(shop, buyer)
    path, body, status, errors = BAD_REQUESTS[case]
    before = written()

    response = post(shop.api, path, body)

    problem = assert_problem(response, status, CODES.get(case, "validation_error"))
    if errors is not None:
        assert field_codes(problem) == errors
    assert written() == before
    assert Trade.objects.get(out_trade_no="paid").refunded_amount == 4_000


@pytest.mark.parametrize("path", ["trades/nope", "trades/nope/refunds/r1"])
def test_an_unknown_trade_is_not_found(shop, path):
    assert_problem(get(shop.api, path), 404, "not_found")


def test_another_merchants_trade_is_not_found_anywhere(shop, other_shop, buyer):
    paid_trade(shop, buyer)
    post(shop.api, "trades/order-1/refund", {"out_refund_no": "r1", "amount": 1_000})
    post(shop.api, "trades/precreate", {**ORDER, "out_trade_no": "order-2"})
    before = written()

    for response in [
        get(other_shop.api, "trades/order-1"),
        get(other_shop.api, "trades/order-1/refunds/r1"),
        post(other_shop.api, "trades/order-1/refund", {"out_refund_no": "r2", "amount": 1}),
        post(other_shop.api, "trades/order-2/close"),
        post(other_shop.api, "trades/order-2/simulate", {"result": "success"}),
    ]:
        assert_problem(response, 404, "not_found")
    assert written() == before
    # The other merchant's own order-1 is another trade.
    assert post(other_shop.api, "trades/precreate", ORDER).status_code == 201



# --- a suspended merchant: no new trades, refunds within the window ---------------------------

def _suspend(merchant, capture):
    with capture(execute=True):  # the commit invalidates the gate's cached decisions
        merchant_suspend(merchant=merchant, actor=factories.make_user(),
                                           reason="Gambling")


@pytest.fixture
def suspended_shop(shop, buyer, django_capture_on_commit_callbacks):
    paid_trade(shop, buyer, out_trade_no="recent", paid_days_ago=10)
    paid_trade(shop, buyer, out_trade_no="old", paid_days_ago=REFUND_WINDOW_DAYS + 1)
    post(shop.api, "trades/precreate", {**ORDER, "out_trade_no": "unpaid"})
    # Warm every decision first: the suspension must reach cached ones too.
    assert get(shop.api, "trades/recent").status_code == 200
    assert post(shop.api, "trades/precreate", {**ORDER, "out_trade_no": "x"}).status_code == 201
    _suspend(shop.merchant, django_capture_on_commit_callbacks)
    return shop


def test_a_suspended_merchant_cannot_open_or_move_trades(suspended_shop, buyer):
    api = suspended_shop.api
    before = written()

    for response in [
        post(api, "trades/precreate", {**ORDER, "out_trade_no": "new"}),
        post(api, "trades/create", {**ORDER, "out_trade_no": "new"}),
        post(api, "trades/pay", {**ORDER, "out_trade_no": "new", "auth_code": buyer.payment_code}),
        post(api, "trades/unpaid/close"),
        # Gated as payment.trade.query, but without the refund exception.
        post(api, "trades/unpaid/simulate", {"result": "success"}),
        get(api, f"bills/{timezone.localdate() - timedelta(days=1)}"),
    ]:
        assert_problem(response, 403, "merchant_suspended")
    assert written() == before


def test_a_suspended_merchant_refunds_a_trade_paid_10_days_ago(suspended_shop):
    api = suspended_shop.api

    refund = post(api, "trades/recent/refund", {"out_refund_no": "r1", "amount": 10_000})

    assert refund.status_code == 201, refund.content
    assert refund.json()["trade_state"] == TradeState.FINISHED
    assert get(api, "trades/recent").json()["refunded_amount"] == 10_000
    assert get(api, "trades/recent/refunds/r1").status_code == 200


def test_a_suspended_merchant_cannot_touch_a_trade_paid_181_days_ago(suspended_shop):
    api = suspended_shop.api
    before = written()

    for response in [post(api, "trades/old/refund", {"out_refund_no": "r1", "amount": 1}),
                     get(api, "trades/old"), get(api, "trades/old/refunds/r1"),
                     get(api, "trades/unpaid")]:
        body = assert_problem(response, 403, "merchant_suspended")
        assert f"{REFUND_WINDOW_DAYS} days" in body["detail"]
    assert written() == before


def test_a_cleared_out_merchants_tokens_are_gone_so_refunds_end_there(
        suspended_shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        merchant_clear_out(merchant=suspended_shop.merchant,
                                             actor=factories.make_user(), reason="Gambling")

    response = post(suspended_shop.api, "trades/recent/refund",
                    {"out_refund_no": "r1", "amount": 1})

    assert_problem(response, 401, "invalid_token")


def test_an_active_merchant_refunds_a_trade_paid_181_days_ago(shop, buyer):
    paid_trade(shop, buyer, out_trade_no="old", paid_days_ago=REFUND_WINDOW_DAYS + 1)

    response = post(shop.api, "trades/old/refund", {"out_refund_no": "r1", "amount": 1})

    assert response.status_code == 201, response.content


def test_a_reinstated_merchant_trades_again(suspended_shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        merchant_reinstate(merchant=suspended_shop.merchant,
                                             actor=factories.make_user(), reason="Cleared")

    response = post(suspended_shop.api, "trades/precreate", {**ORDER, "out_trade_no": "new"})

    assert response.status_code == 201
    assert get(suspended_shop.api, "trades/old").status_code == 200


def test_a_pack_restriction_still_refuses_refunds(shop, buyer, django_capture_on_commit_callbacks):
    paid_trade(shop, buyer)
    with django_capture_on_commit_callbacks(execute=True):
        governance_services.governance_restrict(
            target=shop.merchant, actor=factories.make_user(is_staff=True),
            reason_code="fraud_suspected", reason="Order brushing",
            packs=[factories.get_pack(code) for code in PACKS])

    response = post(shop.api, "trades/order-1/refund", {"out_refund_no": "r1", "amount": 1})

    assert_problem(response, 403, "merchant_suspended")


# --- the statement CSV ------------------------------------------------------------------------

def _at_noon(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


def test_the_statement_csv_lists_the_closed_day_and_sums_correctly(shop, buyer):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    for number, amount in (("a", 10_000), ("b", 5_001), ("c", 777)):
        paid_trade(shop, buyer, out_trade_no=number, amount=amount)
    post(shop.api, "trades/a/refund", {"out_refund_no": "r1", "amount": 3_000})
    post(shop.api, "trades/a/refund", {"out_refund_no": "r2", "amount": 1_234})
    Trade.objects.filter(out_trade_no__in=["a", "b"]).update(paid_at=_at_noon(yesterday))
    Refund.objects.update(created_at=_at_noon(yesterday))  # trade c stays on today
    url = f"bills/{yesterday.isoformat()}"

    assert_problem(get(shop.api, url), 409, "bill_not_ready")  # not closed yet
    assert_problem(get(shop.api, f"bills/{today.isoformat()}"), 409, "bill_not_ready")
    assert_problem(get(shop.api, f"bills/{yesterday - timedelta(days=1)}"), 404, "not_found")
    body = assert_problem(get(shop.api, "bills/2026-02-30"), 400, "validation_error")
    assert field_codes(body) == {"day": "invalid"}

    statement = services.settlement_close_day(merchant=shop.merchant, day=yesterday)
    response = get(shop.api, url, HTTP_ACCEPT="text/csv")

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="statement-{yesterday}.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    lines = [row for row in rows if row["record"] != "total"]
    (total,) = [row for row in rows if row["record"] == "total"]
    assert sorted((row["record"], row["out_trade_no"], int(row["amount"])) for row in lines) == [
        ("refund", "a", -3_000), ("refund", "a", -1_234), ("trade", "a", 10_000),
        ("trade", "b", 5_001)]
    for column in ("amount", "fee", "net"):
        assert sum(int(row[column]) for row in lines) == int(total[column]), column
    for row in rows:
        assert int(row["amount"]) - int(row["fee"]) == int(row["net"])
    assert int(total["amount"]) == 10_000 + 5_001 - 3_000 - 1_234
    assert (int(total["fee"]), int(total["net"])) == (statement.fee_amount, statement.net_amount)
    assert Statement.objects.get(merchant=shop.merchant, day=yesterday).trade_count == 2


def test_the_statement_of_another_merchant_is_not_found(shop, other_shop, buyer):
    yesterday = timezone.localdate() - timedelta(days=1)
    paid_trade(shop, buyer)
    Trade.objects.update(paid_at=_at_noon(yesterday))
    services.settlement_close_day(merchant=shop.merchant, day=yesterday)

    assert get(shop.api, f"bills/{yesterday}").status_code == 200
    assert_problem(get(other_shop.api, f"bills/{yesterday}"), 404, "not_found")


# --- query budgets ----------------------------------------------------------------------------

# Queries per call once the gate's decision is cached (the gate itself then reads no table),
# measured on PostgreSQL, which adds one per audit line (the audit chain's advisory lock);
# SQLite runs that many fewer. Beyond the view's own reads (the merchant and the app, or the
# trade), it is the services' work: the trade locked and saved, the ledger accounts locked,
# the transaction and its entries written, the audit line and the outbox event. None of it
# grows with the merchant's number of trades or refunds.
BUDGETS = {
    "precreate": 11, "precreate again (same out_trade_no)": 5,
    "precreate with an Idempotency-Key": 15, "create": 11, "pay": 30, "query": 1,
    "close": 10, "refund": 18, "refund query": 2, "simulate": 24, "bill": 3,
    "bill not found": 3,
}


def test_each_call_stays_within_its_query_budget(shop, buyer, django_assert_max_num_queries):
    api = shop.api
    yesterday = timezone.localdate() - timedelta(days=1)
    calls = {
        "precreate": lambda n: post(api, "trades/precreate", {**ORDER, "out_trade_no": f"p{n}"}),
        "precreate again (same out_trade_no)": lambda n: post(
            api, "trades/precreate", {**ORDER, "out_trade_no": "p0"}),
        "precreate with an Idempotency-Key": lambda n: post(
            api, "trades/precreate", {**ORDER, "out_trade_no": f"i{n}"},
            HTTP_IDEMPOTENCY_KEY=f"key-{n}"),
        "create": lambda n: post(api, "trades/create", {**ORDER, "out_trade_no": f"c{n}"}),
        "pay": lambda n: post(api, "trades/pay", {**ORDER, "out_trade_no": f"s{n}",
                                                  "auth_code": buyer.payment_code}),
        "query": lambda n: get(api, f"trades/s{n}"),
        "close": lambda n: post(api, f"trades/p{n}/close"),
        "refund": lambda n: post(api, f"trades/s{n}/refund",
                                 {"out_refund_no": f"r{n}", "amount": 100}),
        "refund query": lambda n: get(api, f"trades/s{n}/refunds/r{n}"),
        "simulate": lambda n: post(api, f"trades/c{n}/simulate", {"result": "success"}),
        "bill": lambda n: get(api, f"bills/{yesterday}"),
        "bill not found": lambda n: get(api, f"bills/2020-01-0{n + 1}"),
    }
    paid_trade(shop, buyer, out_trade_no="settled")
    Trade.objects.filter(out_trade_no="settled").update(paid_at=_at_noon(yesterday))
    services.settlement_close_day(merchant=shop.merchant, day=yesterday)
    for name, call in calls.items():
        assert call(0).status_code < 500  # the first call of a capability caches its decision
        with django_assert_max_num_queries(BUDGETS[name]):
            response = call(1)
        assert response.status_code in (200, 201, 404), (name, response.content)


# --- documentation and robustness ------------------------------------------------------------

POST_PATHS = ["trades/precreate", "trades/create", "trades/pay", "trades/order-1/close",
              "trades/order-1/refund", "trades/order-1/simulate"]


def test_every_payment_operation_is_documented_with_its_capability_and_problems():
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = {path: operations for path, operations in response.json()["paths"].items()
             if path.startswith(f"{BASE}/")}
    assert len(paths) == 9
    for path, operations in paths.items():
        for method, operation in operations.items():
            capability = operation["summary"].split(":")[0].split(" ")[0]
            assert capability.startswith("payment."), (method, path)
            assert operation["tags"] == ["payment"]
            scopes = {scope for requirement in operation["security"]
                      for scope in requirement["oauth2_merchant"]}
            assert scopes and all(scope.startswith("pack:") for scope in scopes)
            for status in ("401", "403", "429"):
                assert PROBLEM in operation["responses"][status]["content"], (path, status)
            if method == "post":
                headers = {parameter["name"] for parameter in operation["parameters"]
                           if parameter["in"] == "header"}
                assert "Idempotency-Key" in headers, path


@pytest.mark.parametrize("path", POST_PATHS)
def test_malformed_or_form_encoded_bodies_are_problems(shop, path):
    post(shop.api, "trades/precreate", ORDER)
    before = written()

    malformed = shop.api.post(f"{BASE}/{path}", '{"amount": ', content_type="application/json")
    form = shop.api.post(f"{BASE}/{path}", "amount=1",
                         content_type="application/x-www-form-urlencoded")
    not_an_object = shop.api.post(f"{BASE}/{path}", "[1, 2]", content_type="application/json")

    assert_problem(malformed, 400, "malformed_request")
    assert_problem(form, 415, "unsupported_media_type")
    assert 400 <= not_an_object.status_code < 500
    assert not_an_object["Content-Type"] == PROBLEM
    assert written() == before
