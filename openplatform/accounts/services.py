"""Every change to a person's account: signing up and proving an email address.

Signing in, signing out and password resets are Django's own views (``django.contrib.auth``);
login throttling is django-axes (settings ``AXES_*``).
"""

from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from openplatform.accounts.errors import AccountError
from openplatform.accounts.models import VerifiedEmail
from openplatform.audit.trail import audit_record
from openplatform.data.validators import FieldErrors
from openplatform.errors import DomainError

EMAIL_VERIFICATION_SALT = "openplatform.accounts.email-verification"


def normalise_email(email: str) -> str:
    """Email addresses are one account whatever their case: stored and compared lower-case."""
    return email.strip().lower()


def email_verification_token(*, user: AbstractBaseUser) -> str:
    """A signed, timestamped token naming the user and the address it proves."""
    return signing.dumps({"user": user.pk, "email": normalise_email(user.email)},
                         salt=EMAIL_VERIFICATION_SALT)


def _send_verification_email(*, user_id: int, site_url: str) -> None:
    user = get_user_model().objects.get(pk=user_id)
    link = site_url.rstrip("/") + reverse("account_verify_email",
                                          args=[email_verification_token(user=user)])
    context = {"user": user, "link": link,
               "hours": settings.EMAIL_VERIFICATION_MAX_AGE // 3600}
    send_mail(
        subject=render_to_string("accounts/email/verify_subject.txt", context).strip(),
        message=render_to_string("accounts/email/verify_body.txt", context),
        from_email=None, recipient_list=[user.email],
    )


def _mark_verified(user: AbstractBaseUser) -> VerifiedEmail:
    verified, _created = VerifiedEmail.objects.update_or_create(
        user=user, defaults={"email": normalise_email(user.email), "verified_at": timezone.now()})
    return verified


@transaction.atomic
def account_sign_up(
    *, email: str, password: str, site_url: str, email_verified: bool = False
) -> AbstractBaseUser:
    """Create a person's account; the username is the lower-cased email address.

    Unless ``email_verified`` (the caller holds other proof, such as an invitation token
    mailed to the same address), a verification link is mailed after commit.
    """
    user_model = get_user_model()
    email = normalise_email(email)
    errors: FieldErrors = {}
    try:
        validate_email(email)
    except ValidationError as error:
        errors["email"] = error.error_list
    else:
        if user_model.objects.filter(username__iexact=email).exists() or \
                user_model.objects.filter(email__iexact=email).exists():
            errors["email"] = [ValidationError(
                _("An account with this email address already exists."), code="email_taken")]
    user = user_model(username=email, email=email)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        errors["password"] = error.error_list
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    audit_record(actor=user, action="account.signed_up", target=user,
                 after={"email_verified": email_verified})
    if email_verified:
        _mark_verified(user)
    else:
        transaction.on_commit(partial(_send_verification_email, user_id=user.pk,
                                      site_url=site_url))
    return user


def account_verification_resend(*, user: AbstractBaseUser, site_url: str) -> None:
    """Mail ``user`` a fresh verification link (earlier links stay valid until they expire)."""
    transaction.on_commit(partial(_send_verification_email, user_id=user.pk, site_url=site_url))


@transaction.atomic
def account_verify_email(*, token: str) -> AbstractBaseUser:
    """Record that the user named by ``token`` received it at the address it names."""
    try:
        payload = signing.loads(token, salt=EMAIL_VERIFICATION_SALT,
                                max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(_("This verification link has expired. Send yourself a new one."),
                          code=AccountError.VERIFICATION_EXPIRED) from None
    except signing.BadSignature:
        raise DomainError(_("This verification link is not valid."),
                          code=AccountError.VERIFICATION_INVALID) from None
    user = get_user_model().objects.select_for_update().filter(pk=payload["user"]).first()
    # A link sent to an address the account no longer uses proves nothing about the new one.
    if user is None or normalise_email(user.email) != payload["email"]:
        raise DomainError(_("This verification link is not valid."),
                          code=AccountError.VERIFICATION_INVALID)
    _mark_verified(user)
    audit_record(actor=user, action="account.email_verified", target=user)
    return user
