"""The plug-in contract: what an app tells the platform about itself, and the registry that
collects it.

Every app declares itself in one module, its ``plugin.py``, and registers that declaration
from its ``AppConfig.ready()``::

    class PaymentConfig(AppConfig):
        def ready(self):
            from capabilities.payment.plugin import PLUGIN
            plugins.register(PLUGIN)

The kernel and the shell read the registry, never the apps: the event types and their payloads
(``/api/v1/event-types/``, the webhook docs), the error codes (``/docs/errors``), the API routes
(a capability's under ``/api/v1/<domain>/``), portal pages, navigation and merchant-page panels,
beat entries, demo data, sandbox packs and, for a capability, its catalog entries (synced into
the catalog by ``catalog.sync``). So adding a capability edits nothing outside its folder but
``INSTALLED_APPS``. The guide: docs/capabilities.md.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.functional import Promise

from openplatform.errors import ErrorCode, register_error_codes

# --- catalog entries ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CapabilitySpec:
    """One API, e.g. ``payment.trade.create``. It is "available" in the catalog exactly when a
    registered plugin's API routes serve it (a view declaring ``capability = code``)."""

    code: str  # dotted, lower-case
    name: str  # English
    name_zh: str  # Simplified Chinese
    layer: str  # payment, basic, operations or finance
    description: str  # English, for a developer
    description_zh: str


@dataclass(frozen=True, kw_only=True)
class PackSpec:
    """The APIs one scenario needs, bundled; descriptions are written for the merchant, who
    reads them on the consent page. ``capabilities`` may name another plugin's codes."""

    code: str  # snake_case
    name: str
    name_zh: str
    layer: str
    description: str
    description_zh: str
    capabilities: tuple[str, ...]
    requires_review: bool = False
    default_daily_quota: int  # calls per day per app
    default_per_second_quota: int  # calls per second per app


# --- events ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventType:
    type: str
    description: Promise
    payload: str  # the name of its EventGroup's payload shape


@dataclass(frozen=True, kw_only=True)
class EventGroup:
    """Event types that carry the same payload shape, with what each payload field holds."""

    payload: str
    fields: Mapping[str, Promise]
    types: Mapping[str, Promise]  # type -> description

    def event_types(self) -> list[EventType]:
        return [EventType(type=name, description=text, payload=self.payload)
                for name, text in self.types.items()]


# An in-process subscriber: called inside the emitting transaction with the outbox row and the
# change's actor and reason (openplatform.events.services.Emitted), so that its work commits or
# rolls back with the change; heavier work goes to Celery on commit.
EventHandler = Callable[[Any], None]


# --- the portal --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class NavItem:
    """An entry of the portal's side navigation (shown to people whose role allows
    ``permission``, a member of ``isv.permissions.Permission``)."""

    label: Promise
    url_name: str
    # The URL names (in the portal namespace) under which this item is the current one.
    section: frozenset[str]
    permission: Any = None
    order: int = 100


@dataclass(frozen=True, kw_only=True)
class Panel:
    """A section an app adds to a page another app or the shell draws (the portal's dashboard,
    a merchant's page): ``context(request, *objects)`` returns the template's context, or None
    to leave the panel out."""

    template: str
    context: Callable[..., Mapping[str, Any] | None]
    order: int = 100


@dataclass(frozen=True, kw_only=True)
class DemoWorld:
    """What ``seed_demo`` has made before it calls each plugin's ``demo``: the demo ISV, its
    sandbox app, the active merchant that authorized it, and the governance staff user."""

    isv: Any
    app: Any
    merchant: Any
    staff: Any


# --- the declaration ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AppPlugin:
    """What an app of the core or the kernel declares."""

    label: str  # the app's label
    event_groups: tuple[EventGroup, ...] = ()
    event_subscriptions: Mapping[str, tuple[EventHandler, ...]] = field(default_factory=dict)
    error_codes: tuple[type[ErrorCode], ...] = ()
    # URLconf modules (dotted paths, included by the shell): API routes under /api/v1/,
    # portal pages under /portal/ in the "portal" namespace, other pages under their prefix.
    api_urls: str | None = None
    portal_urls: str | None = None
    urls: Mapping[str, str] = field(default_factory=dict)  # prefix -> URLconf
    nav_items: tuple[NavItem, ...] = ()
    dashboard_panels: tuple[Panel, ...] = ()
    merchant_panels: tuple[Panel, ...] = ()
    beat_schedule: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # Adds the app's demo data (idempotently) and returns the lines ``seed_demo`` prints.
    demo: Callable[[DemoWorld], list[str]] | None = None

    @property
    def api_prefix(self) -> str:
        return "api/v1/"


@dataclass(frozen=True, kw_only=True)
class CapabilityPlugin(AppPlugin):
    """What a capability app declares besides: its domain (its API lives under
    ``/api/v1/<domain>/``), its catalog entries, and the packs a new ISV's sandbox app is
    subscribed to and its sandbox merchant grants."""

    domain: str
    capabilities: tuple[CapabilitySpec, ...] = ()
    packs: tuple[PackSpec, ...] = ()
    sandbox_packs: tuple[str, ...] = ()

    @property
    def api_prefix(self) -> str:
        return f"api/v1/{self.domain}/"


# --- the registry ------------------------------------------------------------------------------

_registered: dict[str, AppPlugin] = {}


def register(plugin: AppPlugin) -> None:
    """Add ``plugin`` (from its app's ``ready()``); its error codes are documented at once and
    its beat entries join the schedule."""
    if plugin.label in _registered:
        raise RuntimeError(f"The app {plugin.label!r} registered its plugin twice.")
    _registered[plugin.label] = plugin
    register_error_codes(*plugin.error_codes)
    if plugin.beat_schedule:
        from openplatform.celery import app as celery_app

        celery_app.conf.beat_schedule = {**celery_app.conf.beat_schedule,
                                         **plugin.beat_schedule}


def registered() -> Iterator[AppPlugin]:
    """Every plugin, in the order of INSTALLED_APPS."""
    if not apps.ready:
        raise RuntimeError("The plugin registry is complete only once the apps are ready.")
    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    yield from sorted(_registered.values(), key=lambda plugin: order.get(plugin.label, 0))


def capability_plugins() -> Iterator[CapabilityPlugin]:
    for plugin in registered():
        if isinstance(plugin, CapabilityPlugin):
            yield plugin


def nav_items() -> list[NavItem]:
    return sorted((item for plugin in registered() for item in plugin.nav_items),
                  key=lambda item: item.order)


def dashboard_panels() -> list[Panel]:
    return sorted((panel for plugin in registered() for panel in plugin.dashboard_panels),
                  key=lambda panel: panel.order)


def merchant_panels() -> list[Panel]:
    return sorted((panel for plugin in registered() for panel in plugin.merchant_panels),
                  key=lambda panel: panel.order)


def sandbox_packs() -> list[str]:
    return sorted({code for plugin in capability_plugins() for code in plugin.sandbox_packs})
