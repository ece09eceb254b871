"""Proving the email address, and Django's own login, logout and password reset views dressed
in our templates. Signing up is the ISV app's page (it knows invitations)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from openplatform.accounts import services
from openplatform.accounts.forms import LoginForm
from openplatform.accounts.selectors import email_is_verified
from openplatform.errors import DomainError

# Axes's backend only refuses locked-out logins; this one checks the password.
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


def site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return fallback


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
        services.account_verification_resend(user=request.user, site_url=site_url(request))
        messages.success(request, _("We sent a new verification link to %(email)s.")
                         % {"email": request.user.email})
    return redirect(safe_next(request, "portal:dashboard"))
