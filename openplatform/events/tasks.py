"""Celery tasks for events: thin and idempotent, each calling one service.

Delivery tasks acknowledge late and are re-queued if their worker dies (prefetch 1 in
settings); a duplicate message finds its delivery already claimed and does nothing.
"""

from celery import shared_task

from openplatform.events import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_webhooks(items: list[list[int]]) -> int:
    """The deliveries one transaction wrote, one after the other; each is claimed just before
    its POST, so what a dead worker never reached waits for the sweeper, unclaimed."""
    for delivery_id, version in items:
        services.delivery_attempt(delivery_id=delivery_id, version=version)
    return len(items)


@shared_task(acks_late=True)
def sweep_deliveries() -> int:
    """Scheduled by beat every few seconds: re-queue what a lost message left behind."""
    return services.deliveries_sweep()


@shared_task(acks_late=True)
def disable_long_failing_endpoints() -> int:
    return services.endpoints_disable_long_failing()
