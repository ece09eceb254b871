"""The portal's registration (KYB) pages: registering a service provider, or a merchant's own
developer account, and correcting a rejected registration."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from isv.access import portal_view
from isv.choices import IsvState
from isv.forms import RegistrationForm
from isv.permissions import Permission
from isv.selectors import merchants_acting_for
from isv.services.providers import isv_register, isv_resubmit, isv_update_registration
from openplatform.data.validators import validate_uscc
from openplatform.errors import DomainError
from openplatform.web.forms import add_service_errors


@require_http_methods(["GET", "POST"])
@portal_view(permission=None, requires_isv=False)
def registration(request: HttpRequest) -> HttpResponse:
    """The registration's state for a member; the registration form for anyone else."""
    portal = request.portal
    if portal.membership is not None:
        return render(request, "portal/registration.html", {"isv": portal.isv})
    if not portal.email_verified:
        return render(request, "portal/registration_form.html", {"form": None})
    merchants = merchants_acting_for(user=request.user)
    form = RegistrationForm(request.POST or None, request.FILES or None, merchants=merchants)
    if request.method == "POST" and form.is_valid():
        try:
            isv_register(actor=request.user, **form.service_arguments())
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Registration received: we will review it shortly."))
            return redirect("portal:registration")
    return render(request, "portal/registration_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@portal_view(Permission.MANAGE_REGISTRATION)
def registration_edit(request: HttpRequest) -> HttpResponse:
    """Correct a rejected registration and send it for review again."""
    isv = request.portal.isv
    if isv.state != IsvState.REJECTED:
        messages.info(request, _("Only a rejected registration can be corrected."))
        return redirect("portal:registration")
    form = RegistrationForm(request.POST or None, request.FILES or None, instance=isv)
    if request.method == "POST" and form.is_valid():
        try:
            isv = isv_update_registration(isv=isv, actor=request.user,
                                          **form.service_arguments())
            isv_resubmit(isv=isv, actor=request.user)
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Registration resubmitted for review."))
            return redirect("portal:registration")
    return render(request, "portal/registration_form.html", {"form": form, "isv": isv})


@require_GET
@portal_view(Permission.MANAGE_REGISTRATION)
def registration_licence(request: HttpRequest) -> FileResponse:
    """The uploaded licence, to the ISV's own managers only (media is never listed)."""
    licence = request.portal.isv.business_licence
    if not licence:
        raise Http404
    return FileResponse(licence.open("rb"), as_attachment=False,
                        filename=f"licence{licence.name[licence.name.rfind('.'):]}")


@require_GET
@portal_view(permission=None, requires_isv=False)
def validate_uscc_field(request: HttpRequest) -> HttpResponse:
    """htmx: the USCC field's feedback, checked as the person leaves the field."""
    error = None
    value = request.GET.get("uscc", "")
    if value.strip():
        try:
            validate_uscc(value)
        except ValidationError as invalid:
            error = invalid.messages[0]
    return render(request, "portal/_uscc_feedback.html",
                  {"error": error, "checked": bool(value.strip())})
