"""The ISV developer portal: dashboard, registration (KYB) and team.

Every view is wrapped in ``portal_view`` (sign-in, the person's ISV, the page's permission)
and reads only the person's own ISV: another ISV's member or invitation is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance.selectors import open_actions_for_isv
from isv import services
from isv.choices import IsvState, MemberRole
from isv.forms import InvitationForm, MemberRoleForm, RegistrationForm
from isv.models import IsvMember
from isv.permissions import Permission
from isv.portal import forbidden, portal_view, site_url
from isv.selectors import (
    apps_for_isv,
    invitation_for_token,
    pending_invitations,
    team_members,
)
from merchants.choices import MerchantState
from merchants.selectors import merchant_counts_by_state, merchants_for_user
from openplatform import usage
from openplatform.data.validators import validate_uscc
from openplatform.domain.errors import DomainError
from openplatform.web.forms import add_service_errors

DASHBOARD_GOVERNANCE_LIMIT = 10


@require_GET
@portal_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    isv = request.portal.isv
    counts = merchant_counts_by_state(isv=isv)
    return render(request, "portal/dashboard.html", {
        "isv": isv,
        "apps": list(apps_for_isv(isv=isv).only("id", "name", "environment", "state",
                                                "client_id", "isv_id")),
        "merchant_counts": [(state, counts[state.value]) for state in MerchantState],
        "merchant_total": sum(counts.values()),
        "open_actions": list(open_actions_for_isv(isv=isv)[:DASHBOARD_GOVERNANCE_LIMIT]),
        "usage_chart": usage.isv_usage_chart(isv=isv),
        "webhook_failures": usage.recent_webhook_failures(isv=isv),
    })


# --- Registration (KYB) -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@portal_view(permission=None, requires_isv=False)
def registration(request: HttpRequest) -> HttpResponse:
    """The registration's state for a member; the registration form for anyone else."""
    portal = request.portal
    if portal.membership is not None:
        return render(request, "portal/registration.html", {"isv": portal.isv})
    if not portal.email_verified:
        return render(request, "portal/registration_form.html", {"form": None})
    merchants = merchants_for_user(user=request.user)
    form = RegistrationForm(request.POST or None, request.FILES or None, merchants=merchants)
    if request.method == "POST" and form.is_valid():
        try:
            services.isv_register(actor=request.user, **form.service_arguments())
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
            isv = services.isv_update_registration(isv=isv, actor=request.user,
                                                   **form.service_arguments())
            services.isv_resubmit(isv=isv, actor=request.user)
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


# --- Team ---------------------------------------------------------------------------------


def _team_page(request: HttpRequest, *, invitation_form: InvitationForm | None = None,
               status: int = 200) -> HttpResponse:
    portal = request.portal
    may_manage_owners = portal.allows(Permission.MANAGE_OWNERS)
    members = list(team_members(isv=portal.isv))
    return render(request, "portal/team.html", {
        "members": [
            {"member": member,
             "may_change": _may_change(request, member),
             "role_form": MemberRoleForm(initial={"role": member.role},
                                         may_manage_owners=may_manage_owners,
                                         prefix=f"member-{member.pk}")}
            for member in members
        ],
        "invitations": list(pending_invitations(isv=portal.isv)),
        "invitation_form": invitation_form or InvitationForm(
            may_manage_owners=may_manage_owners),
    }, status=status)


def _may_change(request: HttpRequest, member: IsvMember) -> bool:
    """Owners are changed only by owners; everyone else by whoever manages the team."""
    portal = request.portal
    if not portal.allows(Permission.MANAGE_TEAM):
        return False
    return member.role != MemberRole.OWNER or portal.allows(Permission.MANAGE_OWNERS)


def _member_or_404(request: HttpRequest, member_id: int) -> IsvMember:
    return get_object_or_404(team_members(isv=request.portal.isv), pk=member_id)


@require_GET
@portal_view()
def team(request: HttpRequest) -> HttpResponse:
    return _team_page(request)


@require_POST
@portal_view(Permission.MANAGE_TEAM)
def team_invite(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST,
                          may_manage_owners=request.portal.allows(Permission.MANAGE_OWNERS))
    if form.is_valid():
        try:
            invitation = services.isv_invitation_create(
                isv=request.portal.isv, actor=request.user, email=form.cleaned_data["email"],
                role=form.cleaned_data["role"], site_url=site_url(request))
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.")
                             % {"email": invitation.email})
            return redirect("portal:team")
    return _team_page(request, invitation_form=form, status=400)


@require_POST
@portal_view(Permission.MANAGE_TEAM)
def team_invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(pending_invitations(isv=request.portal.isv),
                                   pk=invitation_id)
    services.isv_invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, _("Invitation to %(email)s withdrawn.")
                     % {"email": invitation.email})
    return redirect("portal:team")


@require_POST
@portal_view(Permission.MANAGE_TEAM)
def team_member_role(request: HttpRequest, member_id: int) -> HttpResponse:
    member = _member_or_404(request, member_id)
    may_manage_owners = request.portal.allows(Permission.MANAGE_OWNERS)
    if not _may_change(request, member):
        return forbidden(request, _("Only an owner can change an owner's role."))
    form = MemberRoleForm(request.POST, may_manage_owners=may_manage_owners,
                          prefix=f"member-{member.pk}")
    if not form.is_valid():
        if form["role"].value() == MemberRole.OWNER:
            return forbidden(request, _("Only an owner can make someone an owner."))
        messages.error(request, _("Choose a valid role."))
        return redirect("portal:team")
    try:
        services.isv_member_change_role(member=member, role=form.cleaned_data["role"],
                                        actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(person)s is now %(role)s.") % {
            "person": member.user.email or member.user.get_username(),
            "role": MemberRole(form.cleaned_data["role"]).label})
    return redirect("portal:team")


@require_http_methods(["GET", "POST"])
@portal_view(Permission.MANAGE_TEAM)
def team_member_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    member = _member_or_404(request, member_id)
    if not _may_change(request, member):
        return forbidden(request, _("Only an owner can remove an owner."))
    if request.method == "POST":
        try:
            services.isv_member_remove(member=member, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(person)s was removed from the team.") % {
                "person": member.user.email or member.user.get_username()})
            if member.user_id == request.user.pk:
                return redirect("home")
        return redirect("portal:team")
    return render(request, "portal/team_member_remove.html", {"member": member})


@require_http_methods(["GET", "POST"])
@portal_view(permission=None, requires_isv=False, requires_login=False)
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation from its mailed link (signed in as the invited address)."""
    found = invitation_for_token(token=token)
    if found is None:
        raise Http404
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.isv_invitation_accept(invitation=found, user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Welcome to %(isv)s.") % {"isv": found.isv.name})
            return redirect("portal:dashboard")
    return render(request, "portal/invitation.html", {"invitation": found, "token": token})
