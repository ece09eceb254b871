"""Helpers for portal tests: verified people, team members, signed-in clients."""

from django.test import Client
from django.utils import timezone

from isv.choices import MemberRole
from isv.models import IsvMember
from openplatform.accounts.models import VerifiedEmail
from tests import factories

PASSWORD = "pw-Secret-123"


def make_verified_user(email: str | None = None, **fields):
    """A portal user who proved their address (the username is the address, as at sign-up)."""
    email = (email or f"dev{factories.next_number()}@example.com").lower()
    user = factories.make_user(email, email=email, **fields)
    VerifiedEmail.objects.create(user=user, email=email, verified_at=timezone.now())
    return user


def make_member(isv, role: str = MemberRole.DEVELOPER, user=None) -> IsvMember:
    return IsvMember.objects.create(isv=isv, user=user or make_verified_user(), role=role)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
