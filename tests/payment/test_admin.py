"""Payment in the governance console: every page answers, nothing is editable, list pages do
not grow in queries with their rows, and closing unpaid trades goes through the service."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import constants as message_levels
from django.urls import reverse
from django.utils import timezone

from capabilities.payment import services
from capabilities.payment.choices import TradeState
from capabilities.payment.models import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Refund,
    SandboxBuyer,
    Statement,
    Trade,
)
from openplatform.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

PAYMENT_MODELS = (Trade, Refund, Statement, LedgerAccount, LedgerTransaction, SandboxBuyer)


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def governance_client(client, db):
    user = factories.make_user("governor", is_staff=True)
    user.groups.add(Group.objects.get(name="governance"))
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def superuser_client(client, db):
    client.force_login(factories.make_user("root", is_staff=True, is_superuser=True))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def pay_and_refund(open_trade, buyer, *, number: int) -> Trade:
    trade = services.trade_pay(trade=open_trade(amount=10_000 + number,
                                                out_trade_no=f"paid-{number}"),
                               buyer=buyer, actor=None)
    services.trade_refund(trade=trade, out_refund_no=f"r-{number}", amount=100, reason="",
                          actor=None)
    return trade


@pytest.fixture
def payments(open_trade, buyer, active_merchant):
    """A paid and partly refunded trade, an unpaid one, and the day's statement."""
    paid = pay_and_refund(open_trade, buyer, number=1)
    open_trade(amount=500, out_trade_no="unpaid-1")
    services.settlement_close_day(merchant=active_merchant, day=timezone.localdate())
    return paid


@pytest.mark.parametrize("model", PAYMENT_MODELS, ids=lambda model: model._meta.label)
def test_governance_staff_see_every_payment_page_and_edit_none(governance_client, payments,
                                                               model):
    assert governance_client.get(changelist_url(model)).status_code == 200
    obj = model._default_manager.first()
    page = governance_client.get(change_url(obj))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert not page.context["has_delete_permission"]


def test_trade_page_lists_the_refunds_in_yuan_and_hides_the_qr_token(governance_client,
                                                                      payments):
    page = governance_client.get(change_url(payments)).content.decode()

    refund = Refund.objects.get(trade=payments)
    assert refund.refund_no in page
    assert "1.00" in page  # the 100 fen refund
    assert payments.qr_token not in page
    listing = governance_client.get(changelist_url(Trade)).content.decode()
    assert "100.01" in listing  # 10,001 fen


def test_ledger_transaction_page_shows_its_entries(governance_client, payments):
    posting = LedgerTransaction.objects.filter(trade=payments, refund__isnull=True).get()
    page = governance_client.get(change_url(posting)).content.decode()

    for entry in LedgerEntry.objects.filter(transaction=posting).select_related("account"):
        assert entry.account.code in page


@pytest.mark.parametrize("model", (Trade, Refund, LedgerTransaction, LedgerAccount))
def test_changelist_queries_do_not_grow_with_rows(governance_client, open_trade, buyer,
                                                  django_assert_max_num_queries, model):
    pay_and_refund(open_trade, buyer, number=1)
    governance_client.get(changelist_url(model))  # warm: sessions, content types
    with django_assert_max_num_queries(12) as few:
        assert governance_client.get(changelist_url(model)).status_code == 200
    for number in range(2, 12):
        pay_and_refund(open_trade, buyer, number=number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert governance_client.get(changelist_url(model)).status_code == 200


def test_governance_staff_cannot_close_trades(governance_client, payments):
    page = governance_client.get(changelist_url(Trade))

    assert "close_unpaid_trades" not in page.content.decode()


def test_closing_unpaid_trades_calls_the_service_and_refuses_paid_ones(superuser_client,
                                                                       payments):
    unpaid = Trade.objects.get(out_trade_no="unpaid-1")
    response = superuser_client.post(changelist_url(Trade), {
        "action": "close_unpaid_trades", "_selected_action": [unpaid.pk, payments.pk],
        "apply": "1", "reason": "Merchant asked by phone."}, follow=True)

    unpaid.refresh_from_db()
    payments.refresh_from_db()
    assert (unpaid.state, payments.state) == (TradeState.CLOSED, TradeState.SUCCESS)
    levels = sorted(message.level for message in response.context["messages"])
    assert levels == [message_levels.SUCCESS, message_levels.ERROR]
    audit = AuditEvent.objects.get(action="payment.trade.closed")
    assert (audit.target_id, audit.reason) == (str(unpaid.pk), "Merchant asked by phone.")


def test_closing_asks_for_an_optional_reason_first(superuser_client, payments):
    unpaid = Trade.objects.get(out_trade_no="unpaid-1")
    page = superuser_client.post(changelist_url(Trade), {
        "action": "close_unpaid_trades", "index": "0", "_selected_action": [unpaid.pk]})

    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()
    unpaid.refresh_from_db()
    assert unpaid.state == TradeState.WAIT_BUYER_PAY
