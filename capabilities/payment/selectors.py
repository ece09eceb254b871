"""Reads of trades, refunds and statements, always for one merchant."""

import csv
import io
from datetime import date

from django.db.models import QuerySet

from capabilities.payment.models import Refund, Statement, Trade
from capabilities.payment.services import day_activity
from merchants.models import Merchant


def trades_for_merchant(*, merchant_id: int) -> QuerySet[Trade]:
    return Trade.objects.filter(merchant_id=merchant_id)


def trade_by_out_trade_no(*, merchant_id: int, out_trade_no: str) -> Trade | None:
    return trades_for_merchant(merchant_id=merchant_id).filter(out_trade_no=out_trade_no).first()


def refund_by_out_refund_no(*, trade: Trade, out_refund_no: str) -> Refund | None:
    return trade.refunds.filter(out_refund_no=out_refund_no).first()


def recent_trades_for_merchant(*, merchant: Merchant, limit: int) -> list[Trade]:
    """The merchant's latest trades, newest first, with the app that made each."""
    return list(Trade.objects.filter(merchant=merchant).select_related("app")
                .order_by("-created_at", "-id")[:limit])


def recent_statements_for_merchant(*, merchant: Merchant, limit: int) -> list[Statement]:
    """The merchant's latest closed days, newest first."""
    return list(Statement.objects.filter(merchant=merchant).order_by("-day")[:limit])


def statement_for(*, merchant_id: int, day: date) -> Statement | None:
    return Statement.objects.filter(merchant_id=merchant_id, day=day).first()


STATEMENT_COLUMNS = ["record", "trade_no", "out_trade_no", "refund_no", "out_refund_no",
                     "time", "amount", "fee", "net"]


def statement_csv(*, statement: Statement) -> str:
    """The day's trades and refunds, one line each, then the totals; amounts in fen."""
    merchant = Merchant(pk=statement.merchant_id)
    trades, refunds = day_activity(merchant=merchant, day=statement.day)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(STATEMENT_COLUMNS)
    for trade in trades.order_by("paid_at", "id"):
        writer.writerow(["trade", trade.trade_no, trade.out_trade_no, "", "",
                         trade.paid_at.isoformat(), trade.amount, trade.fee_amount,
                         trade.amount - trade.fee_amount])
    for refund in refunds.order_by("created_at", "id"):
        writer.writerow(["refund", refund.trade.trade_no, refund.trade.out_trade_no,
                         refund.refund_no, refund.out_refund_no, refund.created_at.isoformat(),
                         -refund.amount, -refund.fee_refunded,
                         -(refund.amount - refund.fee_refunded)])
    writer.writerow(["total", "", "", "", "", statement.day.isoformat(),
                     statement.trade_amount - statement.refund_amount, statement.fee_amount,
                     statement.net_amount])
    return buffer.getvalue()
