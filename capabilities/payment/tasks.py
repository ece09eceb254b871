"""Celery tasks for payment: thin and idempotent, each calling one service."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from capabilities.payment import services


@shared_task(acks_late=True)
def close_expired_trades() -> int:
    return services.trades_close_expired()


@shared_task(acks_late=True)
def settle_yesterday() -> int:
    """Close yesterday for every merchant with activity; a second run changes nothing."""
    return services.settlement_close_all(day=timezone.localdate() - timedelta(days=1))
