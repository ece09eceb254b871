"""The codes sign-up and email verification answer with."""

from django.utils.translation import gettext_lazy as _

from openplatform.errors import ErrorCode


class AccountError(ErrorCode):
    """Email verification links."""

    VERIFICATION_EXPIRED = ("verification_expired", 409, _("Verification link expired"),
        _("Ask for a new verification email."))
    VERIFICATION_INVALID = ("verification_invalid", 409, _("Verification link invalid"),
        _("Open the latest verification email, or ask for a new one."))
