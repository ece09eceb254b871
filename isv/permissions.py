"""What each team role may do in the portal: the one map every portal page and action reads.

A page declares the permission it needs (``isv.access.portal_view``); a role either holds it
or the page answers 403. Add a permission here, give it to roles, and name it on the view.
"""

from enum import StrEnum

from isv.choices import MemberRole


class Permission(StrEnum):
    # Every member: the dashboard, the team list, the registration's state.
    VIEW = "portal.view"
    # Correct and resubmit the company's registration (KYB).
    MANAGE_REGISTRATION = "registration.manage"
    # Invite people, change roles below owner, remove members below owner.
    MANAGE_TEAM = "team.manage"
    # Make someone an owner, or change or remove an owner.
    MANAGE_OWNERS = "team.manage_owners"
    # Create apps, subscribe them to packs, manage sandbox credentials and webhooks.
    MANAGE_APPS = "apps.manage"
    # Rotate production client secrets and submit production apps for review.
    MANAGE_PRODUCTION_APPS = "apps.manage_production"
    # Onboard merchants and send them authorization links.
    MANAGE_MERCHANTS = "merchants.manage"
    # Usage, quotas and bills.
    VIEW_FINANCE = "finance.view"
    # Answer governance notices: statements and evidence for rectification orders.
    RESPOND_TO_GOVERNANCE = "governance.respond"


_EVERYONE = frozenset({Permission.VIEW})

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    MemberRole.OWNER: frozenset(Permission),
    MemberRole.ADMIN: frozenset(Permission) - {Permission.MANAGE_OWNERS},
    MemberRole.DEVELOPER: _EVERYONE | {Permission.MANAGE_APPS, Permission.MANAGE_MERCHANTS},
    MemberRole.FINANCE: _EVERYONE | {Permission.VIEW_FINANCE},
}


def role_permissions(role: str | None) -> frozenset[Permission]:
    """The permissions of ``role``; none for a person outside the team (``None``)."""
    return ROLE_PERMISSIONS.get(role, frozenset()) if role else frozenset()


def role_allows(role: str | None, permission: Permission) -> bool:
    return permission in role_permissions(role)
