"""No path takes a payment for a merchant governance stopped: not the sandbox cashier, not the
static sticker, not the services. Each asks the one domain guard the capability gate asks
(``governance.access.merchant_refusal``); refunds and queries of recent trades go on."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from capabilities.payment import ledger, services
from capabilities.payment.choices import (
    STICKER_PACK,
    LedgerTransactionKind,
    TradeKind,
    TradeState,
)
from capabilities.payment.models import LedgerTransaction, Trade
from capabilities.payment.views import sticker_path
from catalog.models import FunctionPack
from governance.access import merchant_refusal
from governance.services import (
    governance_clear_out,
    governance_reinstate,
    governance_restrict,
    governance_suspend,
)
from merchants.choices import MerchantState
from openplatform.api.gate import GateOutcome
from openplatform.errors import DomainError

pytestmark = pytest.mark.django_db

PACK = "face_to_face_payment"


def _suspend(merchant, app, staff):
    governance_suspend(target=merchant, actor=staff, reason_code="fraud", reason="Fraud.")


def _clear_out(merchant, app, staff):
    governance_clear_out(target=merchant, actor=staff, reason_code="fraud", reason="Fraud.")


def _restrict_for_merchant(merchant, app, staff):
    governance_restrict(target=merchant, actor=staff, reason_code="risk", reason="Risk.",
                        packs=FunctionPack.objects.filter(code__in=[PACK, STICKER_PACK]))


def _restrict_for_app(merchant, app, staff):
    governance_restrict(target=app, actor=staff, reason_code="risk", reason="Risk.",
                        packs=FunctionPack.objects.filter(code=PACK))


STOPS = {
    "suspended": _suspend,
    "cleared out": _clear_out,
    "pack restricted for the merchant": _restrict_for_merchant,
    "pack restricted for the app": _restrict_for_app,
}
# A restriction on an app says nothing of the merchant's own sticker.
STICKER_STOPS = {name: stop for name, stop in STOPS.items() if "app" not in name}


@pytest.fixture
def trade(active_merchant, app):
    trade, _created = services.trade_open(
        merchant=active_merchant, app=app, pack=PACK, kind=TradeKind.PRECREATE,
        out_trade_no="order-1", amount=2_800, subject="Latte", actor=None)
    return trade


def _no_money_moved() -> None:
    assert not LedgerTransaction.objects.filter(kind=LedgerTransactionKind.TRADE_PAID).exists()


def _nothing_paid(trade: Trade) -> None:
    trade.refresh_from_db()
    assert trade.state == TradeState.WAIT_BUYER_PAY
    _no_money_moved()


@pytest.mark.parametrize("stop", STOPS.values(), ids=STOPS.keys())
def test_the_cashier_of_an_open_trade_refuses_once_governance_stops_the_merchant(
        client, trade, buyer, staff_user, stop):
    stop(trade.merchant, trade.app, staff_user)
    url = reverse("payment-cashier", args=[trade.qr_token])

    page = client.get(url)
    assert page.status_code == 403
    assert 'id="payment-unavailable"' in page.content.decode()
    assert client.post(url, {"login": buyer.login}).status_code == 403
    _nothing_paid(trade)


@pytest.mark.parametrize("stop", STICKER_STOPS.values(), ids=STICKER_STOPS.keys())
def test_the_sticker_refuses_once_governance_stops_the_merchant(
        client, active_merchant, app, buyer, staff_user, stop):
    url = sticker_path(active_merchant)
    stop(active_merchant, app, staff_user)

    assert client.get(url).status_code == 403
    response = client.post(url, {"amount": "8.80", "login": buyer.login})
    assert response.status_code == 403
    assert not Trade.objects.exists()
    _no_money_moved()


def test_a_reinstated_merchants_sticker_takes_payments_again(client, active_merchant, app,
                                                             buyer, staff_user):
    _suspend(active_merchant, app, staff_user)
    governance_reinstate(target=active_merchant, actor=staff_user, reason_code="cleared",
                         reason="Cleared.")

    response = client.post(sticker_path(active_merchant), {"amount": "8.80",
                                                           "login": buyer.login})
    assert response.status_code == 302
    assert Trade.objects.get().state == TradeState.SUCCESS


@pytest.mark.parametrize("stop", STOPS.values(), ids=STOPS.keys())
def test_paying_an_open_trade_is_refused_by_the_service(trade, buyer, staff_user, stop):
    stop(trade.merchant, trade.app, staff_user)

    with pytest.raises(DomainError) as refused:
        services.trade_pay(trade=trade, buyer=buyer, actor=None)
    assert refused.value.code == "merchant_suspended"
    _nothing_paid(trade)


@pytest.mark.parametrize("stop", STOPS.values(), ids=STOPS.keys())
def test_no_trade_opens_or_is_paid_by_code_for_a_stopped_merchant(active_merchant, app, buyer,
                                                                  staff_user, stop):
    stop(active_merchant, app, staff_user)
    active_merchant.refresh_from_db()  # as the next request reads it

    with pytest.raises(DomainError):
        services.trade_open(merchant=active_merchant, app=app, pack=PACK,
                            kind=TradeKind.PRECREATE, out_trade_no="o-2", amount=100,
                            subject="Tea", actor=None)
    with pytest.raises(DomainError):
        services.trade_pay_with_code(merchant=active_merchant, app=app, pack=PACK,
                                     out_trade_no="o-3", amount=100, subject="Tea",
                                     payment_code=buyer.payment_code, actor=None)
    assert not Trade.objects.exists()


@pytest.mark.parametrize("stop", STICKER_STOPS.values(), ids=STICKER_STOPS.keys())
def test_the_sticker_service_refuses_and_writes_nothing(active_merchant, app, buyer,
                                                       staff_user, stop):
    stop(active_merchant, app, staff_user)
    active_merchant.refresh_from_db()

    with pytest.raises(DomainError):
        services.sticker_pay(merchant=active_merchant, amount=880, buyer=buyer)
    assert not Trade.objects.exists()


@pytest.mark.parametrize("state", [MerchantState.DRAFT, MerchantState.SUBMITTED,
                                   MerchantState.MANUAL_REVIEW, MerchantState.REJECTED])
def test_a_merchant_not_active_yet_takes_no_payment(active_merchant, buyer, state):
    type(active_merchant).objects.filter(pk=active_merchant.pk).update(
        state=state, rejection_reason_code="unlicensed" if state == MerchantState.REJECTED else "")
    active_merchant.refresh_from_db()

    with pytest.raises(DomainError):
        services.sticker_pay(merchant=active_merchant, amount=880, buyer=buyer)


def test_the_sticker_pays_in_one_transaction(active_merchant, buyer):
    """A payment the buyer's wallet cannot cover leaves no trade behind."""
    with pytest.raises(DomainError) as refused:
        services.sticker_pay(merchant=active_merchant, amount=ledger.balance(
            ledger.buyer_wallet(buyer)[0]) + 1, buyer=buyer)
    assert refused.value.code == "buyer_balance_insufficient"
    assert not Trade.objects.exists()


# --- refunds and queries go on within the window -----------------------------------------------


def _paid(trade, buyer, *, days_ago: int = 0) -> Trade:
    services.trade_pay(trade=trade, buyer=buyer, actor=None)
    Trade.objects.filter(pk=trade.pk).update(paid_at=timezone.now() - timedelta(days=days_ago))
    return Trade.objects.select_related("merchant", "app").get(pk=trade.pk)


@pytest.mark.parametrize("stop", [_suspend, _clear_out], ids=["suspended", "cleared out"])
def test_a_stopped_merchants_recent_trade_is_still_refunded(trade, buyer, staff_user, stop):
    paid = _paid(trade, buyer, days_ago=179)
    stop(paid.merchant, paid.app, staff_user)

    refund, created = services.trade_refund(trade=paid, out_refund_no="r-1", amount=800,
                                            reason="Missing cup", actor=None)

    assert created and refund.amount == 800
    assert ledger.verify().ok


def test_a_suspended_merchants_old_trade_is_refused_a_refund(trade, buyer, staff_user):
    paid = _paid(trade, buyer, days_ago=181)
    _suspend(paid.merchant, paid.app, staff_user)

    with pytest.raises(DomainError) as refused:
        services.trade_refund(trade=paid, out_refund_no="r-1", amount=800, reason="Late",
                              actor=None)
    assert refused.value.code == "merchant_suspended"


def test_the_gates_outcome_answers_for_any_pack_of_the_same_call_without_a_query(
        active_merchant, app, django_assert_num_queries):
    outcome = GateOutcome(capability="payment.trade.query", app_id=app.pk,
                          merchant_id=active_merchant.pk, pack="payment_basics",
                          withheld_from_merchant=frozenset({PACK}))

    with django_assert_num_queries(0):
        refusal = merchant_refusal(active_merchant, pack=PACK, app=app, cleared=outcome)
        assert merchant_refusal(active_merchant, pack=STICKER_PACK, app=app,
                                cleared=outcome) is None
    assert refusal.code == "merchant_suspended"


def test_an_outcome_for_another_app_is_not_trusted(active_merchant, app, staff_user,
                                                   django_assert_num_queries):
    _restrict_for_merchant(active_merchant, app, staff_user)
    outcome = GateOutcome(capability="payment.trade.query", app_id=app.pk + 1,
                          merchant_id=active_merchant.pk, pack=PACK)

    with django_assert_num_queries(1):
        refusal = merchant_refusal(active_merchant, pack=PACK, app=app, cleared=outcome)
    assert refusal.code == "merchant_suspended"
