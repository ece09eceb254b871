"""Trades, refunds and settlement through their services, with the ledger checked after each."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from capabilities.payment import ledger, services
from capabilities.payment.choices import TradeState
from capabilities.payment.models import Refund, Statement, Trade
from openplatform.errors import DomainError
from openplatform.events.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ledger_stays_consistent():
    yield
    report = ledger.verify()
    assert report.ok, report.problems


def test_paying_credits_the_merchant_net_of_the_fee_and_records_the_isv_share(
        open_trade, buyer, active_merchant):
    trade = open_trade(amount=10_000)  # MCC rate applies
    trade = services.trade_pay(trade=trade, buyer=buyer, actor=None)

    assert trade.state == TradeState.SUCCESS
    fee = (10_000 * trade.fee_rate_bp + 5000) // 10000
    assert trade.fee_amount == fee
    assert ledger.balance(ledger.merchant_pending(active_merchant)[0]) == 10_000 - fee
    assert ledger.balance(ledger.isv_commission(active_merchant.isv)[0]) == trade.isv_commission
    assert ledger.balance(ledger.buyer_wallet(buyer)[0]) == 1_000_000 - 10_000
    assert Event.objects.filter(type="payment.trade.succeeded").count() == 1


def test_the_same_out_trade_no_and_body_returns_the_same_trade(open_trade, active_merchant, app):
    first = open_trade()
    again, created = services.trade_open(merchant=active_merchant, app=app, kind="precreate",
                                         out_trade_no="order-1", amount=10_000,
                                         subject="Coffee", actor=None)
    assert (again.pk, created) == (first.pk, False)


def test_the_same_out_trade_no_with_another_body_is_a_conflict(open_trade, active_merchant, app):
    open_trade()
    with pytest.raises(DomainError) as conflict:
        services.trade_open(merchant=active_merchant, app=app, kind="precreate",
                            out_trade_no="order-1", amount=20_000, subject="Coffee", actor=None)
    assert conflict.value.code == "out_trade_no_conflict"
    assert Trade.objects.count() == 1


@pytest.mark.parametrize(("amount", "code"), [
    (0, "amount_not_positive"), (-5, "amount_not_positive"), (100_000_001, "amount_over_limit"),
    ("100", "invalid"), (1.5, "invalid")])
def test_bad_amounts_are_refused_and_nothing_is_written(active_merchant, app, amount, code):
    with pytest.raises(ValidationError) as error:
        services.trade_open(merchant=active_merchant, app=app, kind="precreate",
                            out_trade_no="o", amount=amount, subject="Coffee", actor=None)
    assert error.value.error_dict["amount"][0].code == code
    assert not Trade.objects.exists()


def test_partial_refunds_up_to_the_paid_amount_then_the_trade_is_finished(open_trade, buyer):
    trade = services.trade_pay(trade=open_trade(amount=10_001), buyer=buyer, actor=None)
    services.trade_refund(trade=trade, out_refund_no="r1", amount=3_333, reason="", actor=None)
    services.trade_refund(trade=trade, out_refund_no="r2", amount=3_333, reason="", actor=None)
    with pytest.raises(DomainError) as over:
        services.trade_refund(trade=trade, out_refund_no="r3", amount=3_336, reason="",
                              actor=None)
    assert over.value.code == "refund_exceeds_paid"
    services.trade_refund(trade=trade, out_refund_no="r3", amount=3_335, reason="", actor=None)

    trade.refresh_from_db()
    assert (trade.state, trade.refunded_amount) == (TradeState.FINISHED, 10_001)
    refunds = Refund.objects.filter(trade=trade)
    assert sum(refund.fee_refunded for refund in refunds) == trade.fee_amount
    assert sum(refund.commission_refunded for refund in refunds) == trade.isv_commission
    assert ledger.balance(ledger.buyer_wallet(buyer)[0]) == 1_000_000
    assert Event.objects.filter(type="payment.refund.succeeded").count() == 3


def test_a_repeated_refund_number_is_idempotent_or_a_conflict(open_trade, buyer):
    trade = services.trade_pay(trade=open_trade(), buyer=buyer, actor=None)
    first, created = services.trade_refund(trade=trade, out_refund_no="r1", amount=100,
                                           reason="", actor=None)
    again, created_again = services.trade_refund(trade=trade, out_refund_no="r1", amount=100,
                                                 reason="", actor=None)
    assert (again.pk, created, created_again) == (first.pk, True, False)
    with pytest.raises(DomainError) as conflict:
        services.trade_refund(trade=trade, out_refund_no="r1", amount=200, reason="",
                              actor=None)
    assert conflict.value.code == "out_refund_no_conflict"


def test_an_unpaid_trade_cannot_be_refunded(open_trade):
    with pytest.raises(DomainError) as error:
        services.trade_refund(trade=open_trade(), out_refund_no="r1", amount=1, reason="",
                              actor=None)
    assert error.value.code == "trade_not_paid"


def test_closing_and_expiry(open_trade, buyer):
    closed = services.trade_close(trade=open_trade(), actor=None)
    assert closed.state == TradeState.CLOSED
    with pytest.raises(DomainError):
        services.trade_pay(trade=closed, buyer=buyer, actor=None)

    late = open_trade(out_trade_no="order-2")
    Trade.objects.filter(pk=late.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.trades_close_expired() == 1
    late.refresh_from_db()
    assert late.state == TradeState.CLOSED
    assert Event.objects.filter(type="payment.trade.closed").count() == 2


def test_a_buyer_without_enough_money_pays_nothing(open_trade, active_merchant):
    poor = services.sandbox_buyer_ensure(login="poor", name="Poor", balance=100)
    trade = open_trade(amount=10_000)
    with pytest.raises(DomainError) as error:
        services.trade_pay(trade=trade, buyer=poor, actor=None)
    assert error.value.code == "buyer_balance_insufficient"


def test_pay_with_a_payment_code_is_all_or_nothing(active_merchant, app, buyer):
    with pytest.raises(ValidationError):
        services.trade_pay_with_code(merchant=active_merchant, app=app, out_trade_no="p1",
                                     amount=100, subject="Tea", payment_code="280000",
                                     actor=None)
    assert not Trade.objects.exists()
    trade, created = services.trade_pay_with_code(
        merchant=active_merchant, app=app, out_trade_no="p1", amount=100, subject="Tea",
        payment_code=buyer.payment_code, actor=None)
    assert (trade.state, created) == (TradeState.SUCCESS, True)


def test_simulated_payment_for_sandbox_apps(open_trade):
    trade = services.trade_simulate(trade=open_trade(), succeed=True, actor=None)
    assert trade.state == TradeState.SUCCESS


def test_settlement_closes_the_day_once_and_moves_the_net_to_settled(
        open_trade, buyer, active_merchant):
    trade = services.trade_pay(trade=open_trade(amount=10_000), buyer=buyer, actor=None)
    services.trade_refund(trade=trade, out_refund_no="r1", amount=4_000, reason="", actor=None)
    today = timezone.localdate()

    statement = services.settlement_close_day(merchant=active_merchant, day=today)
    assert services.settlement_close_day(merchant=active_merchant, day=today) == statement
    assert Statement.objects.count() == 1
    trade.refresh_from_db()
    fees = trade.fee_amount - trade.refunds.get().fee_refunded
    assert (statement.trade_count, statement.refund_count) == (1, 1)
    assert statement.net_amount == 10_000 - 4_000 - fees
    assert ledger.balance(ledger.merchant_settled(active_merchant)[0]) == statement.net_amount
    assert ledger.balance(ledger.merchant_pending(active_merchant)[0]) == 0


def test_a_refund_after_settlement_draws_on_the_settled_balance(
        open_trade, buyer, active_merchant):
    trade = services.trade_pay(trade=open_trade(amount=10_000), buyer=buyer, actor=None)
    services.settlement_close_day(merchant=active_merchant, day=timezone.localdate())
    services.trade_refund(trade=trade, out_refund_no="r1", amount=10_000, reason="",
                          actor=None)
    assert ledger.balance(ledger.merchant_settled(active_merchant)[0]) == 0
