"""Property-based tests of the ledger (issue 8, acceptance): random sequences of payments,
refunds (over-refunds included), settlements and top-ups keep the books balanced; and
``verify_ledger`` catches a row changed behind the services' back.

pytest-django and hypothesis: the ``db`` fixture is function-scoped, so every hypothesis
example of one test runs inside the same test transaction. Each example therefore opens its own
savepoint (``transaction.atomic()`` in the state machine's ``__init__``) and rolls it back in
``teardown()``, which hypothesis calls after every example, failing or not: each example starts
from the same world (ISVs, apps, merchants, funded buyers made once per test), and the services'
own ``atomic`` blocks nest inside it as savepoints, as they would in a request.
"""

import itertools
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from capabilities.payment import ledger, services
from capabilities.payment.choices import AccountKind, TradeState
from capabilities.payment.models import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Refund,
    Trade,
)
from merchants.choices import MerchantState
from merchants.models import Merchant
from openplatform.data import mcc
from openplatform.errors import DomainError
from tests import factories

pytestmark = pytest.mark.django_db

# One merchant category per fee rate the shipped MCC list knows (0, 0.2 %, 0.38 %, 0.6 %, 1 %).
MCC_BY_FEE_RATE = {0: "4900", 20: "8011", 38: "5411", 60: "7011", 100: "5933"}
BUYER_BALANCE = 1_000_000
# Small amounts make the fee and the ISV's share round to zero; large ones drain wallets.
AMOUNTS = st.one_of(st.integers(1, 30), st.integers(1, 400_000))
MACHINE_SETTINGS = settings(
    max_examples=30, stateful_step_count=10, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@dataclass(frozen=True)
class World:
    merchants: tuple[Merchant, ...]
    apps: dict[int, object]  # merchant pk → the app of its ISV
    buyers: tuple


@pytest.fixture
def world(db) -> World:
    """Two ISVs, a merchant per fee rate spread over them, and two funded sandbox buyers."""
    isvs = [factories.make_isv(), factories.make_isv()]
    apps = {isv.pk: factories.make_app(isv=isv) for isv in isvs}
    merchants = tuple(
        factories.make_merchant(isv=isvs[index % 2], state=MerchantState.ACTIVE, mcc=code)
        for index, code in enumerate(MCC_BY_FEE_RATE.values()))
    buyers = tuple(services.sandbox_buyer_ensure(login=f"buyer-{number}", name="Buyer",
                                                 balance=BUYER_BALANCE) for number in (1, 2))
    return World(merchants=merchants, apps={m.pk: apps[m.isv_id] for m in merchants},
                 buyers=buyers)


def test_the_mcc_list_still_has_the_fee_rates_the_properties_use():
    assert {code: mcc.get_category(code).fee_rate_bp
            for code in MCC_BY_FEE_RATE.values()} == {v: k for k, v in MCC_BY_FEE_RATE.items()}


class LedgerMachine(RuleBasedStateMachine):
    """Random payments, refunds, settlements and top-ups; the books are checked after each."""

    world: World  # set by the test that runs the machine

    def __init__(self) -> None:
        super().__init__()
        self._example = transaction.atomic()
        self._example.__enter__()
        self._numbers = itertools.count(1)
        self.trade_ids: list[int] = []
        # What the refunds the services accepted add up to, per trade: the model to check.
        self.refunded: dict[int, int] = {}

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._example.__exit__(None, None, None)

    def _open(self, merchant: Merchant, amount: int) -> Trade:
        trade, created = services.trade_open(
            merchant=merchant, app=self.world.apps[merchant.pk], kind="precreate",
            out_trade_no=f"order-{next(self._numbers)}", amount=amount, subject="Goods",
            actor=None)
        assert created
        self.trade_ids.append(trade.pk)
        self.refunded[trade.pk] = 0
        return trade

    # --- the operations -------------------------------------------------------------------

    @rule(merchant=st.integers(0, len(MCC_BY_FEE_RATE) - 1), buyer=st.integers(0, 1),
          amount=AMOUNTS)
    def open_and_pay(self, merchant: int, buyer: int, amount: int) -> None:
        trade = self._open(self.world.merchants[merchant], amount)
        payer = self.world.buyers[buyer]
        wallet = ledger.balance(ledger.buyer_wallet(payer)[0])
        postings = LedgerTransaction.objects.count()
        try:
            trade = services.trade_pay(trade=trade, buyer=payer, actor=None)
        except DomainError as refusal:
            assert refusal.code == "buyer_balance_insufficient"
            assert wallet < amount
            assert LedgerTransaction.objects.count() == postings
            trade.refresh_from_db()
            assert trade.state == TradeState.WAIT_BUYER_PAY
            return
        assert wallet >= amount
        assert trade.state == TradeState.SUCCESS
        assert trade.fee_amount == (amount * trade.fee_rate_bp + 5000) // 10000

    @rule(merchant=st.integers(0, len(MCC_BY_FEE_RATE) - 1), amount=AMOUNTS)
    def open_unpaid(self, merchant: int, amount: int) -> None:
        self._open(self.world.merchants[merchant], amount)

    @rule(pick=st.integers(0, 10**6), mode=st.sampled_from(["part", "full", "over"]),
          raw=st.integers(1, 10**6))
    def refund(self, pick: int, mode: str, raw: int) -> None:
        if not self.trade_ids:
            return
        trade = Trade.objects.get(pk=self.trade_ids[pick % len(self.trade_ids)])
        left = trade.amount - self.refunded[trade.pk]
        amount = {"part": 1 + raw % max(left, 1), "full": max(left, 1),
                  "over": left + 1 + raw % 1000}[mode]
        postings, refunds = LedgerTransaction.objects.count(), Refund.objects.count()
        try:
            services.trade_refund(trade=trade, out_refund_no=f"refund-{next(self._numbers)}",
                                  amount=amount, reason="", actor=None)
        except DomainError as refusal:
            expected = ("trade_not_paid" if trade.state == TradeState.WAIT_BUYER_PAY
                        else "refund_exceeds_paid")
            assert refusal.code == expected
            assert expected == "trade_not_paid" or amount > left
            assert (LedgerTransaction.objects.count(), Refund.objects.count()) == (
                postings, refunds)
            return
        assert trade.state != TradeState.WAIT_BUYER_PAY and amount <= left
        self.refunded[trade.pk] += amount

    @rule(merchant=st.integers(0, len(MCC_BY_FEE_RATE) - 1))
    def settle_the_day(self, merchant: int) -> None:
        services.settlement_close_day(merchant=self.world.merchants[merchant],
                                      day=timezone.localdate())

    @rule(buyer=st.integers(0, 1), amount=st.integers(1, 500_000))
    def top_up(self, buyer: int, amount: int) -> None:
        services.sandbox_buyer_top_up(buyer=self.world.buyers[buyer], amount=amount, actor=None)

    # --- what must hold after every step --------------------------------------------------

    @invariant()
    def the_books_hold(self) -> None:
        """``verify()``, and the same rules checked again independently of it, from rows."""
        report = ledger.verify()
        assert report.ok, report.problems
        unbalanced = (LedgerEntry.objects.values("transaction_id")
                      .annotate(total=Sum("amount")).exclude(total=0))
        assert not unbalanced.exists(), list(unbalanced)
        accounts = list(LedgerAccount.objects.values_list("kind", "merchant_id", "balance"))
        negative = [row for row in accounts if row[0] != AccountKind.EXTERNAL and row[2] < 0]
        assert not negative, negative
        trades = list(Trade.objects.values_list("pk", "merchant_id", "amount", "fee_amount",
                                                "paid_at", "refunded_amount", "state"))
        refunds = list(Refund.objects.values_list("trade__merchant_id", "amount",
                                                  "fee_refunded"))
        self._merchants_hold_what_they_sold_net_of_fees_and_refunds(accounts, trades, refunds)
        self._refunds_stay_within_the_paid_amount(trades)

    def _merchants_hold_what_they_sold_net_of_fees_and_refunds(self, accounts, trades,
                                                                refunds) -> None:
        merchant_kinds = {AccountKind.MERCHANT_PENDING, AccountKind.MERCHANT_SETTLED}
        for merchant in self.world.merchants:
            held = sum(balance for kind, merchant_id, balance in accounts
                       if kind in merchant_kinds and merchant_id == merchant.pk)
            sold = sum(amount - fee for _pk, merchant_id, amount, fee, paid_at, *_rest in trades
                       if merchant_id == merchant.pk and paid_at is not None)
            refunded = sum(amount - fee for merchant_id, amount, fee in refunds
                           if merchant_id == merchant.pk)
            assert held == sold - refunded, (merchant.mcc, held, sold, refunded)

    def _refunds_stay_within_the_paid_amount(self, trades) -> None:
        for _pk, _merchant_id, amount, _fee, _paid_at, refunded, state in trades:
            assert 0 <= refunded <= amount
            assert (state == TradeState.FINISHED) == (refunded == amount)
        # Every refund the services accepted, and only those, is on its trade.
        assert {row[0]: row[5] for row in trades} == self.refunded


def test_random_payments_refunds_settlements_and_top_ups_keep_the_books(world):
    machine = type("LedgerMachineInWorld", (LedgerMachine,), {"world": world})
    run_state_machine_as_test(machine, settings=MACHINE_SETTINGS)
    # Every example was rolled back: the next test (and example) starts from the same world.
    assert not Trade.objects.exists()


# --- verify_ledger ------------------------------------------------------------------------

@pytest.fixture
def paid_trade(world) -> Trade:
    merchant = world.merchants[-1]  # 1 %: fee and ISV share are not zero
    trade, _created = services.trade_open(
        merchant=merchant, app=world.apps[merchant.pk], kind="precreate", out_trade_no="o-1",
        amount=12_345, subject="Goods", actor=None)
    return services.trade_pay(trade=trade, buyer=world.buyers[0], actor=None)


def verify_ledger() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("verify_ledger", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_verify_ledger_reports_an_intact_ledger(paid_trade):
    out, err = verify_ledger()

    # Two top-ups of the buyers' wallets and the payment.
    assert "Ledger intact: 3 transactions balance" in out
    assert err == ""


def test_verify_ledger_fails_on_a_tampered_entry(paid_trade):
    posting = LedgerTransaction.objects.get(trade=paid_trade)
    entry = posting.entries.get(account__code=ledger.merchant_pending(paid_trade.merchant)[0])
    LedgerEntry.objects.filter(pk=entry.pk).update(amount=F("amount") + 100)

    report = ledger.verify()
    assert not report.ok
    assert report.problems == [
        f"Transaction {posting.pk} does not balance: its entries sum to 100.",
        f"Account {entry.account.code} holds {entry.account.balance} but its entries sum to "
        f"{entry.account.balance + 100}.",
    ]
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_ledger", stdout=StringIO(), stderr=err)
    # manage.py exits with the CommandError's return code.
    assert failure.value.returncode == 1
    assert "Ledger broken: 2 problem(s)" in str(failure.value)
    assert err.getvalue().splitlines() == report.problems
