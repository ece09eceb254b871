"""Every event type the platform emits, with what its ``data`` holds, and who listens in-process.

Each app declares its event types in its plugin (``AppPlugin.event_groups``); ``event_emit``
refuses a type no plugin declares, so this registry is complete by construction, and the API
docs (``GET /api/v1/event-types/``) and the portal read it.
"""

from collections.abc import Mapping
from functools import cache

from django.utils.functional import Promise

from openplatform import plugins
from openplatform.plugins import EventGroup, EventHandler, EventType


@cache
def event_types() -> Mapping[str, EventType]:
    types: dict[str, EventType] = {}
    for group in groups():
        for event_type in group.event_types():
            if event_type.type in types:
                raise RuntimeError(f"Two plugins declare the event type {event_type.type!r}.")
            types[event_type.type] = event_type
    return types


@cache
def groups() -> tuple[EventGroup, ...]:
    return tuple(group for plugin in plugins.registered() for group in plugin.event_groups)


def payloads() -> dict[str, Mapping[str, Promise]]:
    """Payload shape name -> what each of its fields holds."""
    return {group.payload: group.fields for group in groups()}


def is_registered(type: str) -> bool:
    return type in event_types()


@cache
def _subscriptions() -> Mapping[str, tuple[EventHandler, ...]]:
    handlers: dict[str, tuple[EventHandler, ...]] = {}
    for plugin in plugins.registered():
        for type, subscribed in plugin.event_subscriptions.items():
            if type not in event_types():
                raise RuntimeError(f"{plugin.label} subscribes to {type!r}, which no plugin "
                                   "declares.")
            handlers[type] = (*handlers.get(type, ()), *subscribed)
    return handlers


def subscribers(type: str) -> tuple[EventHandler, ...]:
    """The in-process handlers of ``type``, in the order of INSTALLED_APPS."""
    return _subscriptions().get(type, ())
