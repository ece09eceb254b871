"""Read queries about people's accounts."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from openplatform.accounts.models import VerifiedEmail


def email_is_verified(*, user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``user`` proved that they receive mail at their current address."""
    if not user.is_authenticated or not user.email:
        return False
    return VerifiedEmail.objects.filter(user=user, email__iexact=user.email).exists()
