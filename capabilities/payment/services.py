"""Every change of trades, refunds, wallets and statements.

Each service locks what it changes (the trade row, then the ledger accounts in code order),
posts the balanced ledger transaction, and writes the audit line and the outbox event in the
same transaction. Amounts are integer fen, CNY.
"""

import hashlib
import json
import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from capabilities.payment import ledger
from capabilities.payment.choices import (
    MAX_TRADE_AMOUNT,
    REFUND_WINDOW_DAYS,
    STICKER_PACK,
    TRADE_TRANSITIONS,
    LedgerTransactionKind,
    TradeKind,
    TradeState,
)
from capabilities.payment.errors import PaymentError, PaymentFieldError
from capabilities.payment.models import Refund, SandboxBuyer, Statement, Trade
from governance.access import INACTIVE_MERCHANT_STATES, require_merchant_served
from isv.models import App
from merchants.models import Merchant, Store
from openplatform.api.error_codes import AccessError
from openplatform.api.gate import GateOutcome
from openplatform.audit.trail import audit_record
from openplatform.data import mcc
from openplatform.errors import DomainError, FieldError
from openplatform.events.services import event_emit
from openplatform.transitions import transition

Actor = AbstractBaseUser | None


def payment_setting(name: str) -> Any:
    return settings.PAYMENT[name]


def _fingerprint(**fields: Any) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def _number() -> str:
    """A platform trade or refund number: the local date and 16 random digits."""
    return timezone.localdate().strftime("%Y%m%d") + f"{secrets.randbelow(10**16):016d}"


def _amount_errors(amount: Any, *, field: str = "amount") -> dict[str, list[ValidationError]]:
    if isinstance(amount, bool) or not isinstance(amount, int):
        return {field: [ValidationError(_("Send the amount as a whole number of fen."),
                                        code=FieldError.INVALID)]}
    if amount <= 0:
        return {field: [ValidationError(_("The amount must be at least 1 fen."),
                                        code=PaymentFieldError.AMOUNT_NOT_POSITIVE)]}
    if amount > MAX_TRADE_AMOUNT:
        return {field: [ValidationError(
            _("The amount may be at most %(limit)d fen."), code=PaymentFieldError.AMOUNT_OVER_LIMIT,
            params={"limit": MAX_TRADE_AMOUNT})]}
    return {}


def trade_event_data(trade: Trade) -> dict[str, Any]:
    return {
        "trade_no": trade.trade_no, "out_trade_no": trade.out_trade_no,
        "merchant_id": str(trade.merchant_id), "amount": trade.amount,
        "currency": trade.currency, "state": trade.state,
        "refunded_amount": trade.refunded_amount,
        "paid_at": trade.paid_at.isoformat() if trade.paid_at else None,
    }


def _emit_trade(trade: Trade, *, type: str, data: dict[str, Any] | None = None) -> None:
    isv = trade.app.isv if trade.app_id else trade.merchant.isv
    event_emit(type=type, isv=isv, app=trade.app, data=data or trade_event_data(trade))


# --- governance: who may take and give back money now ----------------------------------------

def require_refund_side(trade: Trade) -> None:
    """Refunds and queries go on for a suspended (or cleared-out) merchant's trades paid in
    the last REFUND_WINDOW_DAYS, so that buyers can still be paid back."""
    merchant = trade.merchant
    require_merchant_served(merchant, serves_inactive=True)
    if merchant.state not in INACTIVE_MERCHANT_STATES:
        return
    window_start = timezone.now() - timedelta(days=REFUND_WINDOW_DAYS)
    if trade.paid_at is None or trade.paid_at < window_start:
        raise DomainError(_(
            "This merchant is suspended or cleared out: only trades paid in the last "
            "%(days)d days can still be queried and refunded.") % {"days": REFUND_WINDOW_DAYS},
            code=AccessError.MERCHANT_SUSPENDED)


def fee_rate_bp(merchant: Merchant) -> int:
    category = mcc.get_category(merchant.mcc)
    return category.fee_rate_bp if category else payment_setting("DEFAULT_FEE_RATE_BP")


# --- trades ----------------------------------------------------------------------------------

@transaction.atomic
def trade_open(
    *, merchant: Merchant, app: App | None, kind: str, out_trade_no: str, amount: int,
    subject: str, actor: Actor, pack: str = "", cleared: GateOutcome | None = None,
    store: Store | None = None, timeout_minutes: int | None = None,
    extra_fingerprint: dict[str, Any] | None = None,
) -> tuple[Trade, bool]:
    """Open a trade waiting for the buyer, under ``pack`` (the function pack of the call that
    opens it); the same out_trade_no and body returns the first trade (``created`` False), the
    same number with another body is a conflict. A merchant governance stops may open none
    (without a pack, only the merchant's state is checked)."""
    require_merchant_served(merchant, pack=pack, app=app, cleared=cleared)
    timeout_minutes = timeout_minutes or payment_setting("DEFAULT_TIMEOUT_MINUTES")
    fingerprint = _fingerprint(kind=kind, amount=amount, subject=subject,
                               store=store.pk if store else None, timeout=timeout_minutes,
                               **(extra_fingerprint or {}))
    existing = Trade.objects.filter(merchant=merchant, out_trade_no=out_trade_no).first()
    if existing is not None:
        return _same_trade(existing, fingerprint), False
    errors = _amount_errors(amount)
    if not out_trade_no or len(out_trade_no) > 64:
        errors["out_trade_no"] = [ValidationError(_("Send your order number, 1 to 64 "
                                                    "characters."), code=FieldError.INVALID)]
    if not subject.strip():
        errors["subject"] = [ValidationError(_("Say what the buyer pays for."),
                                             code=FieldError.REQUIRED)]
    if errors:
        raise ValidationError(errors)
    rate = fee_rate_bp(merchant)
    try:
        with transaction.atomic():
            trade = Trade.objects.create(
                merchant=merchant, app=app, store=store, pack=pack, kind=kind,
                trade_no=_number(),
                out_trade_no=out_trade_no, subject=subject.strip(), amount=amount,
                fee_rate_bp=rate, request_fingerprint=fingerprint,
                qr_token=secrets.token_urlsafe(24) if kind != TradeKind.PAY else None,
                expires_at=timezone.now() + timedelta(minutes=timeout_minutes),
            )
    except IntegrityError:  # the same out_trade_no, created concurrently
        existing = Trade.objects.get(merchant=merchant, out_trade_no=out_trade_no)
        return _same_trade(existing, fingerprint), False
    audit_record(actor=actor, action="payment.trade.created", target=trade,
                 after={"out_trade_no": out_trade_no, "amount": amount, "kind": kind})
    return trade, True


def _lock_trade(trade: Trade) -> Trade:
    """The trade under FOR UPDATE (its row only), with what its events and postings read."""
    return (Trade.objects.select_for_update(of=("self",))
            .select_related("merchant__isv", "app__isv", "buyer").get(pk=trade.pk))


def _same_trade(trade: Trade, fingerprint: str) -> Trade:
    if trade.request_fingerprint != fingerprint:
        raise DomainError(_("The order number %(number)s was used for another trade: use a new "
                            "out_trade_no for a different order.")
                          % {"number": trade.out_trade_no}, code=PaymentError.OUT_TRADE_NO_CONFLICT,
                          field="out_trade_no")
    return trade


def _split_fee(amount: int, rate_bp: int) -> tuple[int, int]:
    """The platform fee (rounded half up) and the ISV's share of it (rounded down)."""
    fee = (amount * rate_bp + 5000) // 10000
    return fee, fee * payment_setting("ISV_COMMISSION_SHARE_BP") // 10000


@transaction.atomic
def trade_pay(*, trade: Trade, buyer: SandboxBuyer, actor: Actor,
              cleared: GateOutcome | None = None) -> Trade:
    """The buyer pays: wallet debited, merchant credited net of the fee, the ISV's share of
    the fee recorded. Paying a trade this buyer already paid returns it unchanged."""
    trade = _lock_trade(trade)
    if trade.state == TradeState.SUCCESS and trade.buyer_id == buyer.pk:
        return trade
    require_merchant_served(trade.merchant, pack=trade.pack, app=trade.app, cleared=cleared)
    if trade.state == TradeState.WAIT_BUYER_PAY and trade.expires_at <= timezone.now():
        raise DomainError(_("This trade expired; ask the merchant for a new one."),
                          code=PaymentError.TRADE_EXPIRED)
    fee, commission = _split_fee(trade.amount, trade.fee_rate_bp)

    def post(paid: Trade) -> None:
        merchant = paid.merchant
        try:
            ledger.post(kind=LedgerTransactionKind.TRADE_PAID, trade=paid, lines=[
                (ledger.buyer_wallet(buyer), -paid.amount),
                (ledger.merchant_pending(merchant), paid.amount - fee),
                (ledger.platform_fees(), fee - commission),
                (ledger.isv_commission(merchant.isv), commission),
            ])
        except ledger.InsufficientFunds:
            raise DomainError(_("The buyer's balance is not enough for this payment."),
                              code=PaymentError.BUYER_BALANCE_INSUFFICIENT) from None

    return transition(
        trade, TradeState.SUCCESS, transitions=TRADE_TRANSITIONS, actor=actor,
        action="payment.trade.succeeded", locked=True, carry_out=post,
        changes={"buyer": buyer, "paid_at": timezone.now(), "fee_amount": fee,
                 "isv_commission": commission},
        audit_after={"fee": fee, "isv_commission": commission},
        emit=lambda paid: _emit_trade(paid, type="payment.trade.succeeded"))


@transaction.atomic
def trade_pay_with_code(
    *, merchant: Merchant, app: App | None, out_trade_no: str, amount: int, subject: str,
    payment_code: str, actor: Actor, pack: str = "", cleared: GateOutcome | None = None,
    store: Store | None = None,
) -> tuple[Trade, bool]:
    """``payment.trade.pay``: the merchant scanned the buyer's payment code; all or nothing."""
    buyer = SandboxBuyer.objects.filter(payment_code=payment_code).first()
    if buyer is None:
        raise ValidationError({"auth_code": [ValidationError(
            _("This payment code is unknown or expired: ask the buyer to refresh it."),
            code=PaymentFieldError.INVALID_PAYMENT_CODE)]})
    trade, created = trade_open(merchant=merchant, app=app, pack=pack, cleared=cleared,
                                kind=TradeKind.PAY, out_trade_no=out_trade_no, amount=amount,
                                subject=subject, actor=actor, store=store,
                                extra_fingerprint={"payment_code": payment_code})
    if created:
        trade = trade_pay(trade=trade, buyer=buyer, actor=actor, cleared=cleared)
    return trade, created


@transaction.atomic
def sticker_pay(*, merchant: Merchant, amount: int, buyer: SandboxBuyer) -> Trade:
    """A buyer pays the merchant's static QR sticker the amount they typed: the trade is
    opened and paid at once, or nothing is."""
    trade, _created = trade_open(
        merchant=merchant, app=None, pack=STICKER_PACK, kind=TradeKind.STICKER,
        out_trade_no=f"sticker-{secrets.token_hex(12)}", amount=amount,
        subject=_("Payment to %(merchant)s") % {"merchant": merchant.short_name}, actor=None)
    return trade_pay(trade=trade, buyer=buyer, actor=None)


@transaction.atomic
def trade_close(*, trade: Trade, actor: Actor, reason: str = "") -> Trade:
    """Close an unpaid trade (``payment.trade.close``, or the timeout)."""
    trade = _lock_trade(trade)
    if trade.state == TradeState.CLOSED:
        return trade
    return transition(trade, TradeState.CLOSED, transitions=TRADE_TRANSITIONS, actor=actor,
                      action="payment.trade.closed", reason=reason, locked=True,
                      changes={"closed_at": timezone.now()},
                      emit=lambda closed: _emit_trade(closed, type="payment.trade.closed"))


def trades_close_expired(*, limit: int = 1000) -> int:
    """Close the unpaid trades past their deadline (beat); each in its own transaction."""
    expired = list(Trade.objects.filter(state=TradeState.WAIT_BUYER_PAY,
                                        expires_at__lte=timezone.now())
                   .order_by("expires_at")[:limit])
    for trade in expired:
        trade_close(trade=trade, actor=None, reason=_("Not paid in time."))
    return len(expired)


@transaction.atomic
def trade_simulate(*, trade: Trade, succeed: bool, actor: Actor,
                   cleared: GateOutcome | None = None) -> Trade:
    """Sandbox only: pay the trade with the simulator's wallet, or close it as failed."""
    if not (trade.app_id and trade.app.is_sandbox):
        raise DomainError(_("Only a sandbox app's trades can be simulated."),
                          code=PaymentError.NOT_SANDBOX)
    if not succeed:
        return trade_close(trade=trade, actor=actor, reason=_("Simulated payment failure."))
    simulator = sandbox_buyer_ensure(login="simulator", name=_("Payment simulator"),
                                     balance=payment_setting("SIMULATOR_BALANCE"))
    if ledger.balance(ledger.buyer_wallet(simulator)[0]) < trade.amount:
        sandbox_buyer_top_up(buyer=simulator, amount=payment_setting("SIMULATOR_BALANCE"),
                             actor=None)
    return trade_pay(trade=trade, buyer=simulator, actor=actor, cleared=cleared)


# --- refunds ---------------------------------------------------------------------------------

@transaction.atomic
def trade_refund(
    *, trade: Trade, out_refund_no: str, amount: int, reason: str, actor: Actor,
) -> tuple[Refund, bool]:
    """Refund part or all of a paid trade. The trade row is locked, so concurrent refunds are
    serialised and their sum can never pass the paid amount. The same out_refund_no and amount
    returns the first refund (``created`` False)."""
    fingerprint = _fingerprint(amount=amount, reason=reason)
    trade = _lock_trade(trade)
    require_refund_side(trade)
    existing = trade.refunds.filter(out_refund_no=out_refund_no).first()
    if existing is not None:
        if existing.request_fingerprint != fingerprint:
            raise DomainError(_("The refund number %(number)s was used for another refund.")
                              % {"number": out_refund_no}, code=PaymentError.OUT_REFUND_NO_CONFLICT,
                              field="out_refund_no")
        return existing, False
    errors = _amount_errors(amount)
    if not out_refund_no or len(out_refund_no) > 64:
        errors["out_refund_no"] = [ValidationError(_("Send your refund number, 1 to 64 "
                                                     "characters."), code=FieldError.INVALID)]
    if errors:
        raise ValidationError(errors)
    _require_refundable(trade, amount)
    refund = _post_refund(trade, out_refund_no=out_refund_no, amount=amount, reason=reason,
                          fingerprint=fingerprint)
    recorded = {"refund_no": refund.refund_no, "amount": amount}

    def emit(refunded: Trade) -> None:
        _emit_trade(refunded, type="payment.refund.succeeded", data={
            **trade_event_data(refunded), "refund_no": refund.refund_no,
            "out_refund_no": out_refund_no, "refund_amount": amount})

    refunded_amount = trade.refunded_amount + amount
    if refunded_amount == trade.amount:  # the refund that empties the trade finishes it
        transition(trade, TradeState.FINISHED, transitions=TRADE_TRANSITIONS, actor=actor,
                   action="payment.refund.succeeded", reason=reason, locked=True,
                   changes={"refunded_amount": refunded_amount}, audit_after=recorded,
                   emit=emit)
        return refund, True
    trade.refunded_amount = refunded_amount
    trade.save(update_fields=["refunded_amount", "updated_at"])
    audit_record(actor=actor, action="payment.refund.succeeded", target=trade, reason=reason,
                 before={"state": trade.state}, after={"state": trade.state, **recorded})
    emit(trade)
    return refund, True


def _require_refundable(trade: Trade, amount: int) -> None:
    if trade.state == TradeState.WAIT_BUYER_PAY or trade.state == TradeState.CLOSED:
        raise DomainError(_("This trade was not paid, so there is nothing to refund."),
                          code=PaymentError.TRADE_NOT_PAID)
    if amount > trade.refundable_amount:
        raise DomainError(_("The refund (%(amount)d fen) is more than what is left to refund "
                            "(%(left)d fen).") % {"amount": amount,
                                                  "left": trade.refundable_amount},
                          code=PaymentError.REFUND_EXCEEDS_PAID, field="amount")


def _post_refund(trade: Trade, *, out_refund_no: str, amount: int, reason: str,
                 fingerprint: str) -> Refund:
    # The fee and the commission go back in proportion; the last refund returns exactly
    # what is left of them.
    fee_before = trade.fee_amount * trade.refunded_amount // trade.amount
    fee_after = trade.fee_amount * (trade.refunded_amount + amount) // trade.amount
    commission_before = trade.isv_commission * trade.refunded_amount // trade.amount
    commission_after = trade.isv_commission * (trade.refunded_amount + amount) // trade.amount
    fee_part, commission_part = fee_after - fee_before, commission_after - commission_before
    refund = Refund.objects.create(
        trade=trade, refund_no=_number(), out_refund_no=out_refund_no, amount=amount,
        reason=reason, fee_refunded=fee_part, commission_refunded=commission_part,
        request_fingerprint=fingerprint)
    merchant = trade.merchant
    owed = amount - fee_part
    from_pending = min(owed, ledger.balance(ledger.merchant_pending(merchant)[0]))
    ledger.post(kind=LedgerTransactionKind.REFUND, trade=trade, refund=refund, lines=[
        (ledger.buyer_wallet(trade.buyer), amount),
        (ledger.merchant_pending(merchant), -from_pending),
        (ledger.merchant_settled(merchant), -(owed - from_pending)),
        (ledger.platform_fees(), -(fee_part - commission_part)),
        (ledger.isv_commission(merchant.isv), -commission_part),
    ])
    return refund


# --- sandbox buyers --------------------------------------------------------------------------

def _new_payment_code() -> str:
    return "28" + f"{secrets.randbelow(10**16):016d}"


@transaction.atomic
def sandbox_buyer_ensure(*, login: str, name: str, balance: int) -> SandboxBuyer:
    """The sandbox buyer ``login``, created with ``balance`` fen on first use."""
    buyer = SandboxBuyer.objects.filter(login=login).first()
    if buyer is not None:
        return buyer
    buyer = SandboxBuyer.objects.create(login=login, name=name,
                                        payment_code=_new_payment_code())
    audit_record(actor=None, action="payment.sandbox_buyer.created", target=buyer,
                 after={"login": login})
    sandbox_buyer_top_up(buyer=buyer, amount=balance, actor=None)
    return buyer


@transaction.atomic
def sandbox_buyer_top_up(*, buyer: SandboxBuyer, amount: int, actor: Actor) -> int:
    errors = _amount_errors(amount)
    if errors:
        raise ValidationError(errors)
    ledger.post(kind=LedgerTransactionKind.TOP_UP, lines=[
        (ledger.external_funding(), -amount), (ledger.buyer_wallet(buyer), amount)])
    audit_record(actor=actor, action="payment.sandbox_buyer.topped_up", target=buyer,
                 after={"amount": amount})
    return ledger.balance(ledger.buyer_wallet(buyer)[0])


# --- settlement ------------------------------------------------------------------------------

def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def day_activity(*, merchant: Merchant, day: date):
    """The trades paid and the refunds made on ``day`` (local time)."""
    start, end = _day_bounds(day)
    trades = Trade.objects.filter(merchant=merchant, paid_at__gte=start, paid_at__lt=end)
    refunds = Refund.objects.filter(trade__merchant=merchant, created_at__gte=start,
                                    created_at__lt=end).select_related("trade")
    return trades, refunds


@transaction.atomic
def settlement_close_day(*, merchant: Merchant, day: date) -> Statement:
    """Close ``day`` for the merchant once: a statement, and the day's net moved from pending
    to settled. A second run returns the first statement."""
    existing = Statement.objects.filter(merchant=merchant, day=day).first()
    if existing is not None:
        return existing
    trades, refunds = day_activity(merchant=merchant, day=day)
    paid = trades.aggregate(total=Sum("amount"), fees=Sum("fee_amount"))
    refunded = refunds.aggregate(total=Sum("amount"), fees=Sum("fee_refunded"))
    fees = (paid["fees"] or 0) - (refunded["fees"] or 0)
    net = (paid["total"] or 0) - (refunded["total"] or 0) - fees
    statement = Statement.objects.create(
        merchant=merchant, day=day, trade_count=trades.count(),
        trade_amount=paid["total"] or 0, refund_count=refunds.count(),
        refund_amount=refunded["total"] or 0, fee_amount=fees, net_amount=net)
    to_settle = max(0, min(net, ledger.balance(ledger.merchant_pending(merchant)[0])))
    if to_settle:
        ledger.post(kind=LedgerTransactionKind.SETTLEMENT, statement=statement, lines=[
            (ledger.merchant_pending(merchant), -to_settle),
            (ledger.merchant_settled(merchant), to_settle)])
    audit_record(actor=None, action="payment.statement.closed", target=statement,
                 after={"day": day.isoformat(), "net": net, "settled": to_settle})
    return statement


def settlement_close_all(*, day: date) -> int:
    """Close ``day`` for every merchant that had a payment or a refund on it (beat)."""
    start, end = _day_bounds(day)
    merchant_ids = set(Trade.objects.filter(paid_at__gte=start, paid_at__lt=end)
                       .values_list("merchant_id", flat=True))
    merchant_ids |= set(Refund.objects.filter(created_at__gte=start, created_at__lt=end)
                        .values_list("trade__merchant_id", flat=True))
    for merchant in Merchant.objects.filter(pk__in=merchant_ids).order_by("pk"):
        settlement_close_day(merchant=merchant, day=day)
    return len(merchant_ids)
