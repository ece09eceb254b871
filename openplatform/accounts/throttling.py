"""django-axes hooks: failed logins count per person, whatever case the address was typed in."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openplatform.accounts.services import normalise_email


def login_username(request: HttpRequest, credentials: dict | None) -> str:
    """The username axes counts failures against (``AXES_USERNAME_CALLABLE``)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return normalise_email(username) if "@" in username else username


def lockout_response(request: HttpRequest, original_response, credentials: dict | None
                     ) -> HttpResponse:
    """The page a locked-out login gets (``AXES_LOCKOUT_CALLABLE``): 429 and what to do."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/locked_out.html", context,
                  status=settings.AXES_HTTP_RESPONSE_CODE)
