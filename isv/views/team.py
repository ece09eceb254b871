"""The portal's team pages: members and their roles, invitations, and accepting one.

Every view reads only the person's own ISV: another ISV's member or invitation is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from isv.access import forbidden, portal_view, site_url
from isv.choices import MemberRole
from isv.forms import InvitationForm, MemberRoleForm
from isv.models import IsvMember
from isv.permissions import Permission
from isv.selectors import invitation_for_token, pending_invitations, team_members
from isv.services.team import (
    isv_invitation_accept,
    isv_invitation_create,
    isv_invitation_revoke,
    isv_member_change_role,
    isv_member_remove,
)
from openplatform.errors import DomainError
from openplatform.web.forms import add_service_errors


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
            invitation = isv_invitation_create(
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
    isv_invitation_revoke(invitation=invitation, actor=request.user)
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
        isv_member_change_role(member=member, role=form.cleaned_data["role"],
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
            isv_member_remove(member=member, actor=request.user)
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
            isv_invitation_accept(invitation=found, user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Welcome to %(isv)s.") % {"isv": found.isv.name})
            return redirect("portal:dashboard")
    return render(request, "portal/invitation.html", {"invitation": found, "token": token})
