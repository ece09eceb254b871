"""Celery tasks for governance: thin, idempotent, each calling one service."""

from celery import shared_task

from governance import services
from merchants.choices import MerchantState
from merchants.models import Merchant


@shared_task(acks_late=True)
def escalate_overdue_rectifications() -> int:
    """Escalate every rectification order past its deadline (scheduled by Celery beat).

    Safe to run twice or concurrently: each order is escalated under its own row lock, once.
    """
    return services.rectification_escalate_overdue()


@shared_task(acks_late=True)
def screen_merchant_task(merchant_id: int) -> str | None:
    """Screen a submitted merchant; a redelivered message finds it screened and does nothing."""
    merchant = Merchant.objects.filter(pk=merchant_id, state=MerchantState.SUBMITTED).first()
    if merchant is None:
        return None
    return services.merchant_screen(merchant=merchant).outcome


@shared_task(acks_late=True)
def rescreen_for_entry_task(entry_id: int) -> int:
    """Re-screen the live merchants a new or changed entry may hit (idempotent per merchant)."""
    return services.rescreen_for_entry(entry_id=entry_id)


@shared_task(acks_late=True)
def rescreen_all_task() -> int:
    """Re-screen every live merchant against the whole list (scheduled nightly by beat)."""
    return services.rescreen_all()
