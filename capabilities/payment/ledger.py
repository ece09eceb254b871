"""The double-entry ledger: post balanced transactions, derive and verify balances.

Accounts are locked in code order before a posting, so two postings that share accounts
never deadlock; a posting that would take a non-external account below zero is refused.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from capabilities.payment.choices import AccountKind
from capabilities.payment.errors import PaymentError
from capabilities.payment.models import LedgerAccount, LedgerEntry, LedgerTransaction
from openplatform.errors import DomainError


class InsufficientFunds(DomainError):
    code = PaymentError.INSUFFICIENT_FUNDS


def merchant_pending(merchant) -> tuple[str, dict]:
    return f"merchant:{merchant.pk}:pending", {"kind": AccountKind.MERCHANT_PENDING,
                                               "merchant": merchant}


def merchant_settled(merchant) -> tuple[str, dict]:
    return f"merchant:{merchant.pk}:settled", {"kind": AccountKind.MERCHANT_SETTLED,
                                               "merchant": merchant}


def isv_commission(isv) -> tuple[str, dict]:
    return f"isv:{isv.pk}:commission", {"kind": AccountKind.ISV_COMMISSION, "isv": isv}


def buyer_wallet(buyer) -> tuple[str, dict]:
    return f"buyer:{buyer.pk}:wallet", {"kind": AccountKind.BUYER_WALLET, "buyer": buyer}


def platform_fees() -> tuple[str, dict]:
    return "platform:fees", {"kind": AccountKind.PLATFORM_FEES}


def external_funding() -> tuple[str, dict]:
    return "external:sandbox", {"kind": AccountKind.EXTERNAL}


AccountRef = tuple[str, dict]


def _locked_accounts(refs: list[AccountRef]) -> dict[str, LedgerAccount]:
    """The accounts of ``refs`` under FOR UPDATE, in code order; missing ones are created."""
    codes = sorted({code for code, _fields in refs})
    locked = _lock(codes)
    missing = {code: fields for code, fields in refs if code not in locked}
    if missing:
        for code, fields in missing.items():
            LedgerAccount.objects.get_or_create(code=code, defaults=fields)
        locked.update(_lock(sorted(missing)))
    return locked


def _lock(codes: list[str]) -> dict[str, LedgerAccount]:
    return {account.code: account for account in
            LedgerAccount.objects.select_for_update().filter(code__in=codes).order_by("code")}


def post(*, kind: str, lines: list[tuple[AccountRef, int]], **links) -> LedgerTransaction:
    """Post one balanced transaction; must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Ledger postings run inside the transaction of their change.")
    lines = [(ref, amount) for ref, amount in lines if amount]
    if sum(amount for _ref, amount in lines) != 0:
        raise RuntimeError(f"Unbalanced {kind} posting: {lines!r}")
    accounts = _locked_accounts([ref for ref, _amount in lines])
    movement: dict[str, int] = {}
    for (code, _fields), amount in lines:
        movement[code] = movement.get(code, 0) + amount
    for code, amount in movement.items():
        account = accounts[code]
        if account.kind != AccountKind.EXTERNAL and account.balance + amount < 0:
            raise InsufficientFunds(_("The balance of %(account)s is not enough.")
                                    % {"account": code})
    ledger_transaction = LedgerTransaction.objects.create(kind=kind, **links)
    LedgerEntry.objects.bulk_create([
        LedgerEntry(transaction=ledger_transaction, account=accounts[code], amount=amount)
        for (code, _fields), amount in lines])
    for code, amount in movement.items():
        account = accounts[code]
        account.balance += amount
        account.save(update_fields=["balance"])
    return ledger_transaction


def balance(code: str) -> int:
    return LedgerAccount.objects.filter(code=code).values_list("balance", flat=True).first() or 0


@dataclass(frozen=True)
class LedgerReport:
    ok: bool
    transactions: int
    accounts: int
    problems: list[str]


def verify() -> LedgerReport:
    """Every transaction sums to zero; every account's balance equals the sum of its entries
    and is not negative (the external account excepted)."""
    problems: list[str] = []
    unbalanced = (LedgerEntry.objects.values("transaction_id").annotate(total=Sum("amount"))
                  .exclude(total=0).order_by("transaction_id"))
    problems += [_("Transaction %(id)s does not balance: its entries sum to %(total)s.")
                 % {"id": row["transaction_id"], "total": row["total"]} for row in unbalanced]
    sums = dict(LedgerEntry.objects.values_list("account_id").annotate(total=Sum("amount"))
                .values_list("account_id", "total"))
    accounts = list(LedgerAccount.objects.order_by("code"))
    for account in accounts:
        derived = sums.get(account.pk, 0)
        if derived != account.balance:
            problems.append(_("Account %(code)s holds %(balance)s but its entries sum to "
                              "%(derived)s.") % {"code": account.code,
                                                  "balance": account.balance,
                                                  "derived": derived})
        if account.kind != AccountKind.EXTERNAL and derived < 0:
            problems.append(_("Account %(code)s is negative: %(derived)s.")
                            % {"code": account.code, "derived": derived})
    return LedgerReport(ok=not problems, transactions=LedgerTransaction.objects.count(),
                        accounts=len(accounts), problems=problems)
