"""Registering a company (KYB) in the portal: the form, live USCC check, licence upload,
the review's outcome, correcting and resubmitting."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from isv.choices import IsvKind, IsvState, MemberRole
from isv.models import Isv
from isv.services.providers import isv_register, isv_reject, isv_update_registration
from openplatform.audit.models import AuditEvent
from tests import factories
from tests.portal.support import client_for, make_member, make_verified_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%test licence\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def licence(content=PDF, name="licence.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def registration_data(**overrides):
    return {
        "name": "杭州示例科技有限公司",
        "uscc": factories.make_uscc(),
        "legal_representative": "张三",
        "contact_name": "李四",
        "contact_phone": "13800138000",
        "contact_email": "bd@example.com",
        "business_licence": licence(),
        **overrides,
    }


@pytest.fixture
def newcomer(db):
    return make_verified_user("newcomer@example.com")


@pytest.fixture
def newcomer_client(newcomer):
    return client_for(newcomer)


def test_a_verified_person_registers_and_becomes_the_owner_of_a_pending_isv(
        newcomer, newcomer_client, settings):
    response = newcomer_client.post(reverse("portal:registration"), registration_data())

    assert response.status_code == 302
    isv = Isv.objects.get()
    assert isv.state == IsvState.PENDING_REVIEW
    assert isv.members.get().user == newcomer
    assert isv.members.get().role == MemberRole.OWNER
    # Stored under MEDIA_ROOT with a random name that says nothing about the upload.
    assert isv.business_licence.name.startswith("isv/licences/")
    assert isv.business_licence.name.endswith(".pdf")
    assert "licence" not in isv.business_licence.name.removeprefix("isv/licences/")
    assert (settings.MEDIA_ROOT / isv.business_licence.name).read_bytes() == PDF
    page = newcomer_client.get(reverse("portal:registration")).content.decode()
    assert "Pending review" in page


def test_a_bad_uscc_is_shown_beside_the_field_and_the_input_is_kept(newcomer_client):
    response = newcomer_client.post(reverse("portal:registration"),
                                    registration_data(uscc="91310000ABC", name="Keep me"))

    assert response.status_code == 200
    assert response.context["form"].errors["uscc"] == [
        "A Unified Social Credit Code has exactly 18 characters."]
    page = response.content.decode()
    assert 'id="uscc-feedback"' in page
    assert 'value="Keep me"' in page
    assert not Isv.objects.exists()


def test_a_uscc_already_registered_is_refused_by_the_service(newcomer_client):
    taken = factories.make_isv()
    response = newcomer_client.post(reverse("portal:registration"),
                                    registration_data(uscc=taken.uscc))

    assert "already registered" in response.context["form"].errors["uscc"][0]


@pytest.mark.parametrize(("upload", "error"), [
    (SimpleUploadedFile("licence.pdf", b"MZ\x90\x00 not a pdf"),
     "Upload the licence as a PDF, JPEG or PNG file."),
    (SimpleUploadedFile("licence.png", PNG * 10), "The file is too large: at most 0 MB."),
])
def test_a_licence_of_the_wrong_type_or_size_is_refused(newcomer_client, settings, upload,
                                                        error):
    settings.ISV_LICENCE_MAX_BYTES = 100
    response = newcomer_client.post(reverse("portal:registration"),
                                    registration_data(business_licence=upload))

    assert response.context["form"].errors["business_licence"] == [error]
    assert not Isv.objects.exists()


def test_a_licence_is_required(newcomer_client):
    data = registration_data()
    del data["business_licence"]
    response = newcomer_client.post(reverse("portal:registration"), data)
    assert response.context["form"].errors["business_licence"]


def test_an_unverified_person_cannot_register(newcomer, newcomer_client):
    newcomer.verified_email.delete()
    page = newcomer_client.get(reverse("portal:registration")).content.decode()
    response = newcomer_client.post(reverse("portal:registration"), registration_data())

    assert "Verify your email address first" in page
    assert response.status_code == 200
    assert not Isv.objects.exists()


def test_a_merchant_registers_as_its_own_developer(newcomer, newcomer_client):
    merchant = factories.make_merchant()
    factories.make_merchant_user(merchant=merchant, user=newcomer)

    response = newcomer_client.post(reverse("portal:registration"), registration_data(
        kind=IsvKind.SELF, merchant=merchant.pk))

    assert response.status_code == 302
    assert Isv.objects.get(kind=IsvKind.SELF).merchant == merchant


def test_people_who_act_for_no_merchant_are_not_asked_who_registers(newcomer_client):
    form = newcomer_client.get(reverse("portal:registration")).context["form"]
    assert "kind" not in form.fields


@pytest.mark.parametrize(("value", "expected"), [
    ("91310000ABC", "exactly 18 characters"),
    (factories.make_uscc(), "The code is well formed."),
    ("", ""),
])
def test_live_uscc_check_answers_a_fragment(newcomer_client, value, expected):
    response = newcomer_client.get(reverse("portal:validate_uscc"), {"uscc": value},
                                   headers={"HX-Request": "true"})

    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="uscc-feedback"')
    assert expected in body


def test_a_member_sees_the_rejection_reason_and_corrects_and_resubmits(
        portal_owner, owner_client, staff_user):
    isv = isv_register(actor=portal_owner, **{
        key: value for key, value in registration_data(uscc=factories.make_uscc()).items()
        if key != "business_licence"})
    isv_reject(isv=isv, actor=staff_user, reason="Licence unreadable")
    page = owner_client.get(reverse("portal:registration")).content.decode()
    assert "Licence unreadable" in page

    form_page = owner_client.get(reverse("portal:registration_edit"))
    assert form_page.context["form"].initial["name"] == isv.name
    new_uscc = factories.make_uscc()
    response = owner_client.post(reverse("portal:registration_edit"), registration_data(
        uscc=new_uscc, name="Corrected Ltd", business_licence=licence(PNG, "scan.png")))

    assert response.status_code == 302
    isv.refresh_from_db()
    assert (isv.state, isv.name, isv.uscc) == (IsvState.PENDING_REVIEW, "Corrected Ltd", new_uscc)
    assert isv.rejection_reason == ""
    assert isv.business_licence.name.endswith(".png")
    updated = AuditEvent.objects.get(action="isv.registration_updated")
    assert set(updated.after["changed"]) == {"name", "uscc", "business_licence"}


def test_correcting_keeps_the_licence_when_no_file_is_uploaded(portal_owner, owner_client):
    isv = factories.make_isv(owner=portal_owner, state=IsvState.REJECTED,
                             business_licence="isv/licences/kept.pdf")
    data = registration_data(uscc=isv.uscc)
    del data["business_licence"]
    response = owner_client.post(reverse("portal:registration_edit"), data)

    assert response.status_code == 302
    isv.refresh_from_db()
    assert isv.business_licence.name == "isv/licences/kept.pdf"


def test_correction_errors_show_beside_the_field(portal_owner, owner_client):
    factories.make_isv(owner=portal_owner, state=IsvState.REJECTED)
    response = owner_client.post(reverse("portal:registration_edit"),
                                 registration_data(contact_phone="12345"))
    assert response.context["form"].errors["contact_phone"] == [
        "Enter a valid mainland China mobile phone number."]


@pytest.mark.parametrize("state", [IsvState.PENDING_REVIEW, IsvState.ACTIVE])
def test_only_a_rejected_registration_can_be_corrected(portal_owner, owner_client, state):
    isv = factories.make_isv(owner=portal_owner, state=state)
    response = owner_client.post(reverse("portal:registration_edit"),
                                 registration_data(name="Sneaky rename"))

    assert response.status_code == 302
    isv.refresh_from_db()
    assert isv.name != "Sneaky rename"


def test_the_service_refuses_to_correct_a_registration_under_review(portal_isv, portal_owner):
    from openplatform.errors import DomainError

    with pytest.raises(DomainError) as refused:
        isv_update_registration(
            isv=portal_isv, actor=portal_owner, **{
                key: value for key, value in registration_data().items()
                if key != "business_licence"})
    assert refused.value.code == "registration_not_editable"


def test_the_licence_is_served_to_the_isvs_managers_only(portal_isv, owner_client, settings):
    path = settings.MEDIA_ROOT / "isv/licences/abc.pdf"
    path.parent.mkdir(parents=True)
    path.write_bytes(PDF)
    portal_isv.business_licence = "isv/licences/abc.pdf"
    portal_isv.save()
    developer = make_member(portal_isv, MemberRole.DEVELOPER)

    response = owner_client.get(reverse("portal:registration_licence"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert client_for(developer.user).get(
        reverse("portal:registration_licence")).status_code == 403


def test_a_member_cannot_register_a_second_isv(portal_isv, portal_owner, owner_client):
    response = owner_client.post(reverse("portal:registration"), registration_data())

    assert response.status_code == 200
    assert Isv.objects.count() == 1
