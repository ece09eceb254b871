"""Celery tasks for governance: thin, idempotent, each calling one service."""

from celery import shared_task

from governance.services import rectification_escalate_overdue


@shared_task(acks_late=True)
def escalate_overdue_rectifications() -> int:
    """Escalate every rectification order past its deadline (scheduled by Celery beat).

    Safe to run twice or concurrently: each order is escalated under its own row lock, once.
    """
    return rectification_escalate_overdue()
