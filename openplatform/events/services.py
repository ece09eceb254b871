from typing import Any

from django.db import transaction

from openplatform.events.models import Event


def event_emit(*, type: str, isv, app=None, data: dict[str, Any]) -> Event:
    """Write an outbox row for ``type``; must run inside the transaction of the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_emit must run inside the transaction of the change it reports.")
    return Event.objects.create(type=type, isv=isv, app=app, payload={"type": type, "data": data})
