"""Every change to an ISV's team: its members and their roles, and invitations by email."""

from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
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

from isv.choices import INVITATION_TRANSITIONS, InvitationState, MemberRole
from isv.errors import IsvError, IsvFieldError
from isv.models import Invitation, Isv, IsvMember
from isv.selectors import INVITATION_SALT
from isv.services.providers import isv_event_data
from openplatform.accounts.selectors import email_is_verified
from openplatform.accounts.services import normalise_email
from openplatform.audit.trail import audit_record, person
from openplatform.data.validators import FieldErrors
from openplatform.errors import DomainError, FieldError
from openplatform.events.services import event_emit
from openplatform.transitions import lock, transition


@transaction.atomic
def isv_member_add(
    *, isv: Isv, user: AbstractBaseUser, role: str, actor: AbstractBaseUser | None,
    invited_by: AbstractBaseUser | None = None,
) -> IsvMember:
    """Add ``user`` to the team; ``invited_by`` defaults to ``actor``."""
    isv = lock(isv)  # serialises concurrent invitations of the same person
    if IsvMember.objects.filter(isv=isv, user=user).exists():
        raise DomainError(_("This person is already a member of the service provider."),
                          code=IsvError.ALREADY_MEMBER)
    member = IsvMember(isv=isv, user=user, role=role,
                       invited_by=person(invited_by) or person(actor))
    member.full_clean()
    member.save()
    audit_record(actor=actor, action="isv.member_added", target=member,
                 after={"user_id": str(user.pk), "role": member.role})
    event_emit(type="isv.member_added", isv=isv,
               data={**isv_event_data(isv), "member_id": str(member.pk),
                     "user_id": str(user.pk), "role": member.role})
    return member


def _require_another_owner(member: IsvMember) -> None:
    """The team keeps at least one owner (the caller holds the ISV's lock)."""
    if member.role != MemberRole.OWNER:
        return
    other_owners = IsvMember.objects.filter(isv_id=member.isv_id, role=MemberRole.OWNER)
    if not other_owners.exclude(pk=member.pk).exists():
        raise DomainError(_("A service provider needs at least one owner: make someone else "
                            "an owner first."), code=IsvError.LAST_OWNER)


@transaction.atomic
def isv_member_change_role(
    *, member: IsvMember, role: str, actor: AbstractBaseUser | None
) -> IsvMember:
    if role not in MemberRole.values:
        raise ValidationError({"role": [ValidationError(_("Choose a valid role."),
                                                        code=FieldError.INVALID_CHOICE)]})
    lock(member.isv)  # serialises the changes that count the owners
    member = lock(member)
    previous = member.role
    if previous == role:
        return member
    if role != MemberRole.OWNER:
        _require_another_owner(member)
    member.role = role
    member.save(update_fields=["role", "updated_at"])
    audit_record(actor=actor, action="isv.member_role_changed", target=member,
                 before={"role": previous}, after={"role": role})
    return member


@transaction.atomic
def isv_member_remove(*, member: IsvMember, actor: AbstractBaseUser | None) -> None:
    lock(member.isv)  # serialises the changes that count the owners
    member = lock(member)
    _require_another_owner(member)
    audit_record(actor=actor, action="isv.member_removed", target=member,
                 before={"user_id": str(member.user_id), "role": member.role})
    member.delete()


def invitation_token(invitation: Invitation) -> str:
    """The signed token in the link mailed to the invitee."""
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def _send_invitation_email(*, invitation_id: int, site_url: str) -> None:
    invitation = Invitation.objects.select_related("isv", "invited_by").get(pk=invitation_id)
    link = site_url.rstrip("/") + reverse("portal:invitation",
                                          args=[invitation_token(invitation)])
    context = {"invitation": invitation, "link": link}
    send_mail(
        subject=render_to_string("portal/email/invitation_subject.txt", context).strip(),
        message=render_to_string("portal/email/invitation_body.txt", context),
        from_email=None, recipient_list=[invitation.email],
    )


@transaction.atomic
def isv_invitation_create(
    *, isv: Isv, actor: AbstractBaseUser | None, email: str, role: str, site_url: str
) -> Invitation:
    """Invite ``email`` to the team with ``role``; the link is mailed after commit.

    A pending invitation to the same address is revoked: the newest one counts.
    """
    isv = lock(isv)
    email = normalise_email(email)
    errors: FieldErrors = {}
    try:
        validate_email(email)
    except ValidationError as error:
        errors["email"] = error.error_list
    else:
        if IsvMember.objects.filter(isv=isv, user__email__iexact=email).exists():
            errors["email"] = [ValidationError(
                _("This person is already a member of the service provider."),
                code=IsvFieldError.ALREADY_MEMBER)]
    if role not in MemberRole.values:
        errors["role"] = [ValidationError(_("Choose a valid role."),
                                          code=FieldError.INVALID_CHOICE)]
    if errors:
        raise ValidationError(errors)
    for pending in Invitation.objects.select_for_update().filter(
            isv=isv, email=email, state=InvitationState.PENDING):
        _invitation_close(pending, InvitationState.REVOKED, actor=actor,
                          action="isv.invitation_revoked")
    invitation = Invitation(
        isv=isv, email=email, role=role, invited_by=person(actor),
        expires_at=timezone.now() + timedelta(days=settings.ISV_INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(actor=actor, action="isv.invitation_sent", target=invitation,
                 after={"role": role, "expires_at": invitation.expires_at.isoformat()})
    transaction.on_commit(partial(_send_invitation_email, invitation_id=invitation.pk,
                                  site_url=site_url))
    return invitation


def _invitation_close(
    invitation: Invitation, state: str, *, actor: AbstractBaseUser | None, action: str,
    changes: dict[str, Any] | None = None,
) -> Invitation:
    """Move an invitation the caller holds locked out of pending."""
    return transition(invitation, state, transitions=INVITATION_TRANSITIONS, actor=actor,
                      action=action, changes=changes, locked=True)


def _require_open(invitation: Invitation) -> None:
    if invitation.state == InvitationState.ACCEPTED:
        raise DomainError(_("This invitation has already been accepted."),
                          code=IsvError.INVITATION_ACCEPTED)
    if invitation.state == InvitationState.REVOKED:
        raise DomainError(_("This invitation was withdrawn."), code=IsvError.INVITATION_REVOKED)
    if invitation.is_expired:
        raise DomainError(_("This invitation has expired. Ask for a new one."),
                          code=IsvError.INVITATION_EXPIRED)


@transaction.atomic
def isv_invitation_revoke(*, invitation: Invitation, actor: AbstractBaseUser | None) -> Invitation:
    """Withdraw a pending invitation (an expired one too, so it leaves the list)."""
    invitation = lock(invitation)
    if invitation.state != InvitationState.PENDING:
        _require_open(invitation)
    return _invitation_close(invitation, InvitationState.REVOKED, actor=actor,
                             action="isv.invitation_revoked")


@transaction.atomic
def isv_invitation_accept(*, invitation: Invitation, user: AbstractBaseUser) -> IsvMember:
    """Join the team: ``user`` must have proved the invited address and be in no team yet."""
    invitation = lock(invitation)
    _require_open(invitation)
    if not email_is_verified(user=user) or normalise_email(user.email) != invitation.email:
        raise DomainError(
            _("This invitation was sent to %(email)s: sign in with that verified address "
              "to accept it.") % {"email": invitation.email},
            code=IsvError.INVITATION_OTHER_ADDRESS)
    if IsvMember.objects.filter(user=user).exists():
        raise DomainError(_("You already belong to a service provider's team."),
                          code=IsvError.ALREADY_IN_TEAM)
    member = isv_member_add(isv=invitation.isv, user=user, role=invitation.role, actor=user,
                            invited_by=invitation.invited_by)
    _invitation_close(invitation, InvitationState.ACCEPTED, actor=user,
                      action="isv.invitation_accepted",
                      changes={"accepted_by": user, "accepted_at": timezone.now()})
    return member
