"""Signing up: an account of the platform, its email address proven at once when the person
came with an invitation to a team (holding the invitation's link proves that mailbox)."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from isv.selectors import invitation_for_token
from openplatform.accounts import services
from openplatform.accounts.forms import SignUpForm
from openplatform.accounts.selectors import email_is_verified
from openplatform.accounts.views import PASSWORD_BACKEND, safe_next, site_url
from openplatform.web.forms import add_service_errors


def _invited_email(token: str) -> str | None:
    """The address an open invitation was mailed to: holding its link proves that mailbox."""
    invitation = invitation_for_token(token=token) if token else None
    return invitation.email if invitation is not None and invitation.is_open else None


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(safe_next(request, "portal:dashboard"))
    token = request.POST.get("invitation") or request.GET.get("invitation", "")
    invited_email = _invited_email(token)
    form = SignUpForm(request.POST or None,
                      initial={"invitation": token, "email": invited_email or ""})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            user = services.account_sign_up(
                email=email, password=form.cleaned_data["password"],
                site_url=site_url(request),
                email_verified=invited_email is not None
                and services.normalise_email(email) == invited_email,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend=PASSWORD_BACKEND)
            if not email_is_verified(user=user):
                messages.info(request, _("We sent a verification link to %(email)s.")
                              % {"email": user.email})
            return redirect(safe_next(request, "portal:dashboard"))
    return render(request, "accounts/signup.html",
                  {"form": form, "next": safe_next(request, "")})
