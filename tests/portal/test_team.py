"""The team page: members, roles, invitations by email, and who may do what."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from isv.choices import InvitationState, MemberRole
from isv.models import Invitation, IsvMember
from isv.services.team import isv_invitation_accept, isv_invitation_create, isv_invitation_revoke
from openplatform.audit.models import AuditEvent
from openplatform.errors import DomainError
from tests import factories
from tests.portal.support import client_for, make_member, make_verified_user

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+")


def invite(client, email="new.member@example.com", role=MemberRole.DEVELOPER):
    return client.post(reverse("portal:team_invite"), {"email": email, "role": role})


def invitation_link() -> str:
    return LINK.search(mail.outbox[-1].body).group(0)


def test_the_team_page_lists_members_and_pending_invitations(portal_isv, owner_client):
    make_member(portal_isv, MemberRole.FINANCE, make_verified_user("cash@example.com"))
    Invitation.objects.create(isv=portal_isv, email="later@example.com",
                              role=MemberRole.ADMIN,
                              expires_at=timezone.now() + timedelta(days=1))
    page = owner_client.get(reverse("portal:team")).content.decode()

    assert "owner@example.com" in page
    assert "cash@example.com" in page
    assert "later@example.com" in page


def test_an_owner_invites_by_email_and_the_invitee_joins_from_the_link(
        portal_isv, owner_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(owner_client, email="New.Member@Example.com")
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.state) == ("new.member@example.com",
                                                    InvitationState.PENDING)
    [message] = mail.outbox
    assert message.to == ["new.member@example.com"]
    assert portal_isv.name in message.subject

    invitee = client_for(make_verified_user("new.member@example.com"))
    assert invitee.get(invitation_link()).status_code == 200
    accepted = invitee.post(invitation_link())

    assert accepted.status_code == 302
    member = IsvMember.objects.get(isv=portal_isv, user__email="new.member@example.com")
    assert member.role == MemberRole.DEVELOPER
    assert member.invited_by.email == "owner@example.com"
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.ACCEPTED
    assert invitee.get(reverse("portal:dashboard")).status_code == 200


def test_a_stranger_signs_up_from_the_link_and_joins_without_a_second_mail(
        client, portal_isv, portal_owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        isv_invitation_create(isv=portal_isv, actor=portal_owner,
                                       email="fresh@example.com", role=MemberRole.FINANCE,
                                       site_url="http://testserver/")
    link = invitation_link()
    page = client.get(link).content.decode()
    assert "Create an account" in page

    signup_url = re.search(r'href="(/accounts/signup/[^"]+)"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(signup_url.replace("&amp;", "&"), {
            "email": "fresh@example.com", "password": "correct-Horse-battery-9",
            "password_confirmation": "correct-Horse-battery-9",
            "invitation": link.rstrip("/").rsplit("/", 1)[1]})
    assert response.status_code == 302
    assert response.url == link.removeprefix("http://testserver")
    assert len(mail.outbox) == 1  # the invitation proved the address: no verification mail
    client.post(link)
    assert IsvMember.objects.get(user__email="fresh@example.com").role == MemberRole.FINANCE


@pytest.mark.parametrize("problem", ["other_address", "unverified", "expired", "revoked",
                                     "accepted", "already_in_team"])
def test_an_invitation_is_refused_when_it_cannot_be_accepted(portal_isv, portal_owner,
                                                             problem):
    invitation = isv_invitation_create(
        isv=portal_isv, actor=portal_owner, email="invitee@example.com",
        role=MemberRole.ADMIN, site_url="http://testserver/")
    user = make_verified_user("someone.else@example.com" if problem == "other_address"
                              else "invitee@example.com")
    if problem == "unverified":
        user.verified_email.delete()
    elif problem == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    elif problem == "revoked":
        isv_invitation_revoke(invitation=invitation, actor=portal_owner)
    elif problem == "accepted":
        Invitation.objects.filter(pk=invitation.pk).update(state=InvitationState.ACCEPTED)
    elif problem == "already_in_team":
        factories.make_isv(owner=user)
    invitation.refresh_from_db()

    with pytest.raises(DomainError) as refused:
        isv_invitation_accept(invitation=invitation, user=user)

    assert refused.value.code == {
        "other_address": "invitation_other_address", "unverified": "invitation_other_address",
        "expired": "invitation_expired", "revoked": "invitation_revoked",
        "accepted": "invitation_accepted", "already_in_team": "already_in_team",
    }[problem]
    assert not IsvMember.objects.filter(isv=portal_isv, user=user).exists()


def test_a_forged_invitation_link_is_404(client):
    assert client.get(reverse("portal:invitation", args=["1:forged"])).status_code == 404


def test_inviting_an_address_again_replaces_the_pending_invitation(portal_isv, owner_client):
    invite(owner_client, role=MemberRole.DEVELOPER)
    invite(owner_client, role=MemberRole.ADMIN)

    assert Invitation.objects.get(state=InvitationState.PENDING).role == MemberRole.ADMIN
    assert Invitation.objects.filter(state=InvitationState.REVOKED).count() == 1


@pytest.mark.parametrize(("email", "error"), [
    ("not-an-address", "Enter a valid email address."),
    ("owner@example.com", "This person is already a member of the service provider."),
])
def test_invitation_errors_show_beside_the_field(portal_isv, owner_client, email, error):
    response = invite(owner_client, email=email)

    assert response.status_code == 400
    assert response.context["invitation_form"].errors["email"] == [error]
    assert f'value="{email}"' in response.content.decode()


def test_an_owner_withdraws_an_invitation(portal_isv, owner_client):
    invite(owner_client)
    invitation = Invitation.objects.get()
    response = owner_client.post(reverse("portal:team_invitation_revoke",
                                         args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.REVOKED


def test_an_owner_changes_a_role_and_it_is_audited(portal_isv, owner_client):
    member = make_member(portal_isv, MemberRole.DEVELOPER)
    response = owner_client.post(reverse("portal:team_member_role", args=[member.pk]),
                                 {f"member-{member.pk}-role": MemberRole.FINANCE})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == MemberRole.FINANCE
    event = AuditEvent.objects.get(action="isv.member_role_changed")
    assert (event.before, event.after) == ({"role": "developer"}, {"role": "finance"})


def test_an_owner_removes_a_member_after_confirming(portal_isv, owner_client):
    member = make_member(portal_isv, MemberRole.DEVELOPER)
    url = reverse("portal:team_member_remove", args=[member.pk])
    assert owner_client.get(url).status_code == 200
    assert owner_client.post(url).status_code == 302

    assert not IsvMember.objects.filter(pk=member.pk).exists()
    assert AuditEvent.objects.filter(action="isv.member_removed").exists()


@pytest.mark.parametrize("action", ["demote", "remove"])
def test_the_last_owner_can_be_neither_demoted_nor_removed(portal_isv, portal_owner,
                                                           owner_client, action):
    owner = portal_isv.members.get()
    if action == "demote":
        response = owner_client.post(reverse("portal:team_member_role", args=[owner.pk]),
                                     {f"member-{owner.pk}-role": MemberRole.ADMIN},
                                     follow=True)
    else:
        response = owner_client.post(reverse("portal:team_member_remove", args=[owner.pk]),
                                     follow=True)

    assert "at least one owner" in response.content.decode()
    owner.refresh_from_db()
    assert owner.role == MemberRole.OWNER


def test_with_a_second_owner_the_first_may_step_down(portal_isv, portal_owner, owner_client):
    make_member(portal_isv, MemberRole.OWNER)
    owner = portal_isv.members.get(user=portal_owner)
    owner_client.post(reverse("portal:team_member_role", args=[owner.pk]),
                      {f"member-{owner.pk}-role": MemberRole.DEVELOPER})
    owner.refresh_from_db()
    assert owner.role == MemberRole.DEVELOPER


def test_an_admin_manages_the_team_but_not_its_owners(portal_isv, portal_owner):
    admin = client_for(make_member(portal_isv, MemberRole.ADMIN).user)
    developer = make_member(portal_isv, MemberRole.DEVELOPER)
    owner = portal_isv.members.get(user=portal_owner)

    assert invite(admin, role=MemberRole.FINANCE).status_code == 302
    assert invite(admin, email="boss@example.com", role=MemberRole.OWNER).status_code == 400
    promote = admin.post(reverse("portal:team_member_role", args=[developer.pk]),
                         {f"member-{developer.pk}-role": MemberRole.OWNER})
    demote_owner = admin.post(reverse("portal:team_member_role", args=[owner.pk]),
                              {f"member-{owner.pk}-role": MemberRole.DEVELOPER})
    remove_owner = admin.post(reverse("portal:team_member_remove", args=[owner.pk]))

    assert (promote.status_code, demote_owner.status_code, remove_owner.status_code) == (
        403, 403, 403)
    developer.refresh_from_db()
    owner.refresh_from_db()
    assert (developer.role, owner.role) == (MemberRole.DEVELOPER, MemberRole.OWNER)


@pytest.mark.parametrize("role", [MemberRole.DEVELOPER, MemberRole.FINANCE])
def test_developers_and_finance_see_the_team_but_cannot_change_it(portal_isv, role):
    member = make_member(portal_isv, role)
    other = make_member(portal_isv, MemberRole.DEVELOPER)
    client = client_for(member.user)
    invitation = Invitation.objects.create(isv=portal_isv, email="x@example.com",
                                           role=MemberRole.DEVELOPER,
                                           expires_at=timezone.now() + timedelta(days=1))

    page = client.get(reverse("portal:team"))
    assert page.status_code == 200
    assert "Send invitation" not in page.content.decode()
    assert invite(client).status_code == 403
    assert client.post(reverse("portal:team_member_role", args=[other.pk]),
                       {f"member-{other.pk}-role": MemberRole.ADMIN}).status_code == 403
    assert client.post(reverse("portal:team_member_remove", args=[other.pk])).status_code == 403
    assert client.post(reverse("portal:team_invitation_revoke",
                               args=[invitation.pk])).status_code == 403
    assert Invitation.objects.filter(state=InvitationState.PENDING).count() == 1


def test_another_isvs_members_and_invitations_are_404(portal_isv, owner_client):
    other_isv = factories.make_isv(owner=make_verified_user())
    stranger = other_isv.members.get()
    invitation = Invitation.objects.create(isv=other_isv, email="x@example.com",
                                           role=MemberRole.DEVELOPER,
                                           expires_at=timezone.now() + timedelta(days=1))

    for response in (
        owner_client.post(reverse("portal:team_member_role", args=[stranger.pk]),
                          {f"member-{stranger.pk}-role": MemberRole.FINANCE}),
        owner_client.get(reverse("portal:team_member_remove", args=[stranger.pk])),
        owner_client.post(reverse("portal:team_member_remove", args=[stranger.pk])),
        owner_client.post(reverse("portal:team_invitation_revoke", args=[invitation.pk])),
    ):
        assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.role == MemberRole.OWNER


def test_team_page_queries_do_not_grow_with_the_team(portal_isv, owner_client,
                                                     django_assert_max_num_queries):
    def fill(count):
        for _ in range(count):
            make_member(portal_isv, MemberRole.DEVELOPER)
            Invitation.objects.create(isv=portal_isv, email=f"i{factories.next_number()}@x.cn",
                                      role=MemberRole.DEVELOPER, invited_by=portal_isv.members
                                      .first().user,
                                      expires_at=timezone.now() + timedelta(days=1))

    fill(1)
    with django_assert_max_num_queries(8) as few:
        owner_client.get(reverse("portal:team"))
    fill(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        owner_client.get(reverse("portal:team"))
