"""Signing up, proving the email address, and Django's own login, logout and password reset
views dressed in our templates."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from isv.selectors import invitation_for_token
from openplatform.accounts import services
from openplatform.accounts.forms import LoginForm, SignUpForm
from openplatform.accounts.selectors import email_is_verified
from openplatform.domain.errors import DomainError
from openplatform.web.forms import add_service_errors

# Axes's backend only refuses locked-out logins; this one checks the password.
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return fallback


def _invited_email(token: str) -> str | None:
    """The address an open invitation was mailed to: holding its link proves that mailbox."""
    invitation = invitation_for_token(token=token) if token else None
    return invitation.email if invitation is not None and invitation.is_open else None


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request, "portal:dashboard"))
    token = request.POST.get("invitation") or request.GET.get("invitation", "")
    invited_email = _invited_email(token)
    form = SignUpForm(request.POST or None,
                      initial={"invitation": token, "email": invited_email or ""})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            user = services.account_sign_up(
                email=email, password=form.cleaned_data["password"],
                site_url=_site_url(request),
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
            return redirect(_safe_next(request, "portal:dashboard"))
    return render(request, "accounts/signup.html",
                  {"form": form, "next": _safe_next(request, "")})


@require_GET
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.account_verify_email(token=token)
    except DomainError as error:
        return render(request, "accounts/verify_failed.html", {"error": error}, status=400)
    messages.success(request, _("Your email address %(email)s is verified.")
                     % {"email": user.email})
    return redirect("portal:dashboard" if request.user.is_authenticated else "login")


@require_POST
@login_required
def verification_resend(request: HttpRequest) -> HttpResponse:
    if email_is_verified(user=request.user):
        messages.info(request, _("Your email address is already verified."))
    else:
        services.account_verification_resend(user=request.user, site_url=_site_url(request))
        messages.success(request, _("We sent a new verification link to %(email)s.")
                         % {"email": request.user.email})
    return redirect(_safe_next(request, "portal:dashboard"))
