"""OAuth scopes built from the catalog: ``isv:*`` for an app acting as itself, ``pack:<code>`` for
each function pack a merchant can grant.

DOT reads them through ``SCOPES_BACKEND_CLASS``; which of them a given request may ask for is
decided by ``allowed_scopes`` (used by the validator at the authorize and token endpoints).
"""

from collections.abc import Iterable

from django.utils.translation import gettext
from oauth2_provider.scopes import BaseScopes

from catalog.models import FunctionPack
from isv.models import App
from isv.selectors import active_pack_codes_for_app

PACK_PREFIX = "pack:"
ISV_READ = "isv:read"
ISV_MERCHANTS = "isv:merchants"
ISV_SCOPES = (ISV_READ, ISV_MERCHANTS)
CLIENT_CREDENTIALS = "client_credentials"


def pack_scope(code: str) -> str:
    return f"{PACK_PREFIX}{code}"


def pack_codes(scopes: Iterable[str]) -> list[str]:
    """The function-pack codes named by ``scopes`` (other scopes are ignored)."""
    return [scope.removeprefix(PACK_PREFIX) for scope in scopes if scope.startswith(PACK_PREFIX)]


def isv_scope_descriptions() -> dict[str, str]:
    return {
        ISV_READ: gettext("Read the ISV's own apps, subscriptions and the catalog"),
        ISV_MERCHANTS: gettext("Onboard and manage the ISV's merchants"),
    }


def allowed_scopes(*, app: App, grant_type: str | None) -> set[str]:
    """What ``app`` may ask for in a request of ``grant_type``.

    Acting as itself (client credentials) an app gets only ``isv:*`` scopes; acting for a
    merchant (authorization code, refresh) only the packs it holds an active subscription to.
    """
    if grant_type == CLIENT_CREDENTIALS:
        return set(ISV_SCOPES)
    return {pack_scope(code) for code in active_pack_codes_for_app(app=app)}


class CatalogScopes(BaseScopes):
    def get_all_scopes(self) -> dict[str, str]:
        scopes = isv_scope_descriptions()
        for pack in FunctionPack.objects.order_by("code"):
            scopes[pack_scope(pack.code)] = pack.display_name
        return scopes

    def get_available_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        if application is None:
            return list(self.get_all_scopes())
        return sorted(allowed_scopes(app=application,
                                     grant_type=getattr(request, "grant_type", None)))

    def get_default_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        # Asking for nothing means: read as itself, or every pack the app may offer.
        if getattr(request, "grant_type", None) == CLIENT_CREDENTIALS:
            return [ISV_READ]
        if application is None:
            return []
        return self.get_available_scopes(application, request)
