"""The role map and its enforcement on every portal page."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from isv.choices import MemberRole
from isv.models import Invitation
from isv.permissions import ROLE_PERMISSIONS, Permission, role_allows
from portal.urls import portal_patterns
from tests.portal.support import client_for, make_member

pytestmark = pytest.mark.django_db

# The pages that strangers or people in no team may open: registering, accepting an
# invitation, and the live USCC check of the registration form.
OPEN_PAGES = {"registration", "invitation", "validate_uscc"}


def test_every_role_has_an_entry_and_only_owners_manage_owners():
    assert set(ROLE_PERMISSIONS) == set(MemberRole.values)
    assert [role for role in MemberRole if role_allows(role, Permission.MANAGE_OWNERS)] == [
        MemberRole.OWNER]
    assert not role_allows(None, Permission.VIEW)


@pytest.mark.parametrize(("role", "permission", "allowed"), [
    (MemberRole.DEVELOPER, Permission.MANAGE_TEAM, False),
    (MemberRole.DEVELOPER, Permission.MANAGE_PRODUCTION_APPS, False),
    (MemberRole.DEVELOPER, Permission.MANAGE_APPS, True),
    (MemberRole.FINANCE, Permission.VIEW_FINANCE, True),
    (MemberRole.FINANCE, Permission.MANAGE_APPS, False),
    (MemberRole.ADMIN, Permission.MANAGE_TEAM, True),
    (MemberRole.ADMIN, Permission.MANAGE_PRODUCTION_APPS, True),
])
def test_role_map(role, permission, allowed):
    assert role_allows(role, permission) is allowed


def _pages(patterns) -> list[URLPattern]:
    """Every page under /portal/, every app's included."""
    pages = []
    for pattern in patterns:
        pages += _pages(pattern.url_patterns) if isinstance(pattern, URLResolver) else [pattern]
    return pages


@pytest.mark.parametrize("pattern", _pages(portal_patterns), ids=str)
def test_every_portal_page_declares_its_permission(pattern):
    """A new page cannot forget the check: ``portal_view`` marks what it wraps."""
    assert hasattr(pattern.callback, "portal_permission")
    if pattern.name not in OPEN_PAGES:
        assert pattern.callback.portal_permission is not None


@pytest.mark.parametrize(("role", "status"), [
    (MemberRole.OWNER, 200), (MemberRole.ADMIN, 200),
    (MemberRole.DEVELOPER, 403), (MemberRole.FINANCE, 403),
])
def test_correcting_the_registration_is_for_owners_and_admins(portal_isv, role, status):
    member = make_member(portal_isv, role)
    portal_isv.state = "rejected"
    portal_isv.rejection_reason = "Blurred"
    portal_isv.save()

    response = client_for(member.user).get(reverse("portal:registration_edit"))

    assert response.status_code == status
    if status == 403:
        assert "does not allow" in response.content.decode()


@pytest.mark.parametrize("url_name", ["portal:team_invite", "portal:registration"])
def test_portal_forms_refuse_a_post_without_the_csrf_token(portal_isv, portal_owner, url_name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(portal_owner)
    response = client.post(reverse(url_name), {"email": "x@example.com", "role": "developer"})

    assert response.status_code == 403
    assert not Invitation.objects.exists()
