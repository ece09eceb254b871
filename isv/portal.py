"""The portal's frame: who is looking (their ISV and role), what they may do, and the side
navigation.

Every portal view is wrapped in ``portal_view``: it signs the person in, finds their ISV,
checks the page's permission against ``isv.permissions`` and sets ``request.portal``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from isv.models import Isv, IsvMember
from isv.permissions import Permission, role_permissions
from isv.selectors import membership_for_user
from openplatform.accounts.selectors import email_is_verified


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    # The URL names (in the portal namespace) under which this item is the current one.
    section: frozenset[str]
    permission: Permission = Permission.VIEW


# The side navigation, in order. A page joins it with one line; an item a person's role may
# not open is not shown to them.
PORTAL_NAV: list[NavItem] = [
    NavItem(_("Dashboard"), "portal:dashboard", frozenset({"dashboard"})),
    NavItem(_("Registration"), "portal:registration",
            frozenset({"registration", "registration_edit"})),
    NavItem(_("Team"), "portal:team", frozenset({"team", "team_invite", "team_member_remove"})),
    NavItem(_("Apps"), "portal:apps", frozenset({
        "apps", "app_create", "app_detail", "app_edit", "app_rotate_secret", "webhook_endpoints",
        "webhook_endpoint_create", "webhook_endpoint_edit", "webhook_endpoint_rotate_secret"})),
    NavItem(_("Catalog"), "portal:catalog", frozenset({"catalog"})),
    NavItem(_("Merchants"), "portal:merchant_list", frozenset({
        "merchant_list", "merchant_create", "merchant_detail", "merchant_edit",
        "merchant_import", "merchant_import_start", "merchant_import_job"})),
    NavItem(_("Webhooks"), "portal:webhook_deliveries",
            frozenset({"webhook_deliveries", "webhook_delivery", "event_types"})),
    NavItem(_("Governance notices"), "portal:governance",
            frozenset({"governance", "governance_detail", "governance_respond"})),
    NavItem(_("Usage"), "portal:usage", frozenset({"usage"}), Permission.VIEW_FINANCE),
    NavItem(_("Docs"), "portal:docs", frozenset({"docs", "docs_events"})),
]


@dataclass
class Portal:
    """What a portal page knows about the person looking at it."""

    user: object
    membership: IsvMember | None
    email_verified: bool
    permissions: frozenset[Permission] = field(default_factory=frozenset)

    @property
    def isv(self) -> Isv | None:
        return self.membership.isv if self.membership else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    def allows(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def can(self) -> dict[str, bool]:
        """For templates: ``{% if portal.can.MANAGE_TEAM %}``."""
        return {permission.name: permission in self.permissions for permission in Permission}

    @property
    def nav_items(self) -> list[NavItem]:
        """The side navigation this person may follow."""
        return [item for item in PORTAL_NAV if self.allows(item.permission)]


def portal_for(user) -> Portal:
    if not user.is_authenticated:
        return Portal(user=user, membership=None, email_verified=False)
    membership = membership_for_user(user=user)
    return Portal(
        user=user, membership=membership, email_verified=email_is_verified(user=user),
        permissions=role_permissions(membership.role if membership else None),
    )


def forbidden(request: HttpRequest, message: str | Promise | None = None) -> HttpResponse:
    return render(request, "portal/forbidden.html", {"message": message}, status=403)


def portal_view(
    permission: Permission | None = Permission.VIEW, *, requires_isv: bool = True,
    requires_login: bool = True,
) -> Callable:
    """Wrap a portal view: signed-in only, ``request.portal`` set, ``permission`` checked.

    ``requires_isv``: a person in no team is sent to register one. A page that does not
    need a team (registering one, accepting an invitation) passes ``requires_isv=False``
    and ``permission=None``; one that strangers may read (the invitation they were mailed)
    also ``requires_login=False``.
    """
    if not requires_login and (requires_isv or permission is not None):
        raise ValueError("A page open to strangers can require no team and no permission.")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            request.portal = portal_for(request.user)
            if requires_isv and request.portal.membership is None:
                return redirect("portal:registration")
            if permission is not None and not request.portal.allows(permission):
                return forbidden(request)
            return view(request, *args, **kwargs)

        checked = login_required(wrapper) if requires_login else wrapper
        checked.portal_permission = permission
        return checked

    return decorator


def site_url(request: HttpRequest) -> str:
    """Scheme and host the person used, for the links in the mail we send them."""
    return request.build_absolute_uri("/")


def portal_context(request: HttpRequest) -> dict:
    """Template context processor: ``portal`` on the pages ``portal_view`` serves."""
    return {"portal": getattr(request, "portal", None)}
