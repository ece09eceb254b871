"""Who is looking at a portal page (their ISV and role) and what they may do.

Every portal view is wrapped in ``portal_view``: it signs the person in, finds their ISV,
checks the page's permission against ``isv.permissions`` and sets ``request.portal``. The
shell's frame (portal/) draws the navigation this person may follow from it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise

from isv.models import Isv, IsvMember
from isv.permissions import Permission, role_permissions
from isv.selectors import membership_for_user
from openplatform import plugins
from openplatform.accounts.selectors import email_is_verified
from openplatform.plugins import NavItem


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
        """The side navigation (every app's items, openplatform.plugins) this person may
        follow; an item that names no permission is for every member."""
        return [item for item in plugins.nav_items()
                if self.allows(item.permission or Permission.VIEW)]


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
