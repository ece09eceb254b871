"""Governance notices in the portal: the list with its filters and pages, the notice with its
countdown, and the answer to a rectification order (statement and evidence)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from governance.api.serializers import EVIDENCE_MAX_BYTES
from governance.choices import ActionKind, ActionState
from governance.forms import safe_file_name
from governance.models import GovernanceAction
from governance.services import (
    governance_order_rectification,
    governance_restrict,
    governance_warn,
    rectification_accept,
)
from governance.templatetags.governance_notices import deadline_countdown
from isv.choices import MemberRole
from merchants.choices import MerchantState
from tests import factories
from tests.portal.support import client_for, make_member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%evidence\n"


def order_rectification(target, staff_user, **fields) -> GovernanceAction:
    return governance_order_rectification(
        target=target, actor=staff_user, reason_code="licence_expired",
        reason="The business licence has expired.",
        evidence_required="A photo of the renewed licence.", **fields)


@pytest.fixture
def merchant(portal_isv):
    return factories.make_merchant(isv=portal_isv, state=MerchantState.ACTIVE)


@pytest.fixture
def order(merchant, staff_user):
    return order_rectification(merchant, staff_user)


def detail_url(action) -> str:
    return reverse("portal:governance_detail", args=[action.pk])


def respond_url(action) -> str:
    return reverse("portal:governance_respond", args=[action.pk])


# --- the list ----------------------------------------------------------------------------


def test_the_list_shows_measures_on_the_isv_its_apps_and_its_merchants(
        portal_isv, owner_client, merchant, staff_user):
    app = factories.make_app(isv=portal_isv, name="Till")
    governance_warn(target=portal_isv, actor=staff_user, reason_code="late", reason="Late KYB")
    governance_restrict(target=app, actor=staff_user, reason_code="abuse", reason="Coupon abuse",
                        packs=[factories.get_pack("merchant_basics")])
    order_rectification(merchant, staff_user)

    page = owner_client.get(reverse("portal:governance")).content.decode()

    assert "Late KYB" in page and "Coupon abuse" in page
    assert "The business licence has expired." in page
    assert factories.get_pack("merchant_basics").display_name in page
    assert "left" in page  # the rectification's countdown


def test_the_list_shows_nothing_of_other_isvs_and_their_notices_are_404(
        portal_isv, owner_client, staff_user):
    other_app = factories.make_app(isv=factories.make_isv())
    theirs = governance_warn(target=other_app, actor=staff_user, reason_code="x",
                             reason="Theirs only")

    assert "Theirs only" not in owner_client.get(reverse("portal:governance")).content.decode()
    assert owner_client.get(detail_url(theirs)).status_code == 404
    response = owner_client.post(respond_url(theirs), {"statement": "Mine now"})
    assert response.status_code == 404


def test_the_list_filters_by_kind_state_and_target(portal_isv, owner_client, merchant,
                                                   staff_user):
    governance_warn(target=portal_isv, actor=staff_user, reason_code="w", reason="A warning")
    order_rectification(merchant, staff_user)

    def reasons(**query):
        response = owner_client.get(reverse("portal:governance"), query)
        return {action.reason for action in response.context["notices"]}

    assert reasons(kind=ActionKind.WARNING) == {"A warning"}
    assert reasons(target_type="merchant") == {"The business licence has expired."}
    assert reasons(state=ActionState.RESOLVED) == set()
    assert "No notice matches these filters." in owner_client.get(
        reverse("portal:governance"), {"state": ActionState.RESOLVED}).content.decode()


def test_an_unknown_filter_value_is_reported_beside_the_field(portal_isv, owner_client):
    response = owner_client.get(reverse("portal:governance"), {"kind": "tickle"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_an_isv_without_notices_sees_the_empty_state(portal_isv, owner_client):
    page = owner_client.get(reverse("portal:governance")).content.decode()
    assert "No governance notices." in page


def test_the_list_is_paginated_and_its_queries_do_not_grow_with_notices(
        portal_isv, owner_client, staff_user, django_assert_max_num_queries):
    def fill(count):
        for _ in range(count):
            app = factories.make_app(isv=portal_isv)
            governance_restrict(target=app, actor=staff_user, reason_code="x", reason="Held",
                                packs=[factories.get_pack("merchant_basics")])
            merchant = factories.make_merchant(isv=portal_isv, state=MerchantState.ACTIVE)
            order_rectification(merchant, staff_user)

    fill(1)
    with django_assert_max_num_queries(12) as few:
        owner_client.get(reverse("portal:governance"))
    fill(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = owner_client.get(reverse("portal:governance"))

    assert len(response.context["notices"]) == 20
    assert response.context["page"].paginator.count == 32
    assert 'rel="next"' in response.content.decode()
    second = owner_client.get(reverse("portal:governance"), {"page": 2})
    assert len(second.context["notices"]) == 12


@pytest.mark.parametrize("role", list(MemberRole))
def test_every_role_reads_the_notices(portal_isv, order, role):
    member = make_member(portal_isv, role)
    client = client_for(member.user)

    assert client.get(reverse("portal:governance")).status_code == 200
    page = client.get(detail_url(order)).content.decode()
    assert "A photo of the renewed licence." in page
    assert ('name="statement"' in page) is (role in (MemberRole.OWNER, MemberRole.ADMIN))


# --- the countdown -----------------------------------------------------------------------


@pytest.mark.parametrize(("remaining", "text"), [
    (timedelta(days=3, hours=4, minutes=5), "3 days 4 hours left"),
    (timedelta(days=1, minutes=30), "1 day 0 hours left"),
    (timedelta(hours=2, minutes=5), "2 hours 5 minutes left"),
    (timedelta(seconds=20), "1 minute left"),
    (timedelta(0), "overdue"),
    (timedelta(hours=-1), "overdue"),
])
def test_the_countdown_reads_in_days_hours_and_minutes(remaining, text):
    now = timezone.now()
    assert deadline_countdown(now + remaining, now=now) == text


def test_the_countdown_refreshes_itself_through_htmx(portal_isv, owner_client, order):
    page = owner_client.get(detail_url(order)).content.decode()
    countdown_url = reverse("portal:governance_countdown", args=[order.pk])
    assert f'hx-get="{countdown_url}"' in page

    fragment = owner_client.get(countdown_url, HTTP_HX_REQUEST="true").content.decode()
    assert "days" in fragment and "left" in fragment and "<html" not in fragment


def test_an_overdue_order_says_so_and_offers_no_form(portal_isv, owner_client, order):
    GovernanceAction.objects.filter(pk=order.pk).update(
        deadline=timezone.now() - timedelta(hours=1))

    page = owner_client.get(detail_url(order)).content.decode()

    assert "overdue" in page
    assert 'name="statement"' not in page
    assert "The deadline has passed" in page


# --- answering a rectification order -------------------------------------------------------


def test_an_owner_sends_a_statement_and_evidence(portal_isv, owner_client, order, settings):
    evidence = SimpleUploadedFile("renewed licence (scan).pdf", PDF, "application/pdf")
    response = owner_client.post(respond_url(order), {"statement": "Renewed on 1 December.",
                                                      "evidence": evidence})

    assert response.status_code == 302
    assert response.url == detail_url(order)
    order.refresh_from_db()
    assert order.state == ActionState.EVIDENCE_SUBMITTED
    assert order.statement == "Renewed on 1 December."
    assert order.evidence.name.endswith("renewed_licence_scan.pdf")
    page = owner_client.get(response.url).content.decode()
    assert "being reviewed" in page and "Renewed on 1 December." in page

    download = owner_client.get(reverse("portal:governance_evidence", args=[order.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_a_statement_alone_is_enough(portal_isv, owner_client, order):
    response = owner_client.post(respond_url(order), {"statement": "Fixed it."})

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == ActionState.EVIDENCE_SUBMITTED and not order.evidence


@pytest.mark.parametrize(("name", "content", "message"), [
    ("virus.exe", b"MZ...", "Send a PDF, JPEG or PNG file"),
    ("fake.pdf", b"MZ not a pdf", "not a real PDF"),
    ("huge.png", b"\x89PNG\r\n\x1a\n" + b"0" * EVIDENCE_MAX_BYTES, "larger than 512 KiB"),
])
def test_bad_evidence_is_refused_beside_the_field_and_the_statement_kept(
        portal_isv, owner_client, order, name, content, message):
    response = owner_client.post(respond_url(order), {
        "statement": "My careful statement", "evidence": SimpleUploadedFile(name, content)})

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'id="id_evidence-errors"' in page
    assert "My careful statement" in page
    order.refresh_from_db()
    assert order.state == ActionState.OPEN


def test_an_empty_statement_is_refused_beside_the_field(portal_isv, owner_client, order):
    response = owner_client.post(respond_url(order), {"statement": "  "})

    assert response.status_code == 400
    assert 'id="id_statement-errors"' in response.content.decode()


def test_a_past_deadline_is_refused_by_the_service(portal_isv, owner_client, order):
    GovernanceAction.objects.filter(pk=order.pk).update(
        deadline=timezone.now() - timedelta(minutes=1))

    response = owner_client.post(respond_url(order), {"statement": "Too late"}, follow=True)

    assert response.redirect_chain == [(detail_url(order), 302)]
    assert "deadline of this rectification order has passed" in response.content.decode()
    order.refresh_from_db()
    assert order.state == ActionState.OPEN


def test_a_warning_cannot_be_answered(portal_isv, owner_client, staff_user):
    warning = governance_warn(target=portal_isv, actor=staff_user, reason_code="w",
                              reason="Careful")

    response = owner_client.post(respond_url(warning), {"statement": "Sorry"}, follow=True)

    assert response.redirect_chain == [(detail_url(warning), 302)]
    assert "not a rectification order" in response.content.decode()


@pytest.mark.parametrize(("role", "status"), [
    (MemberRole.ADMIN, 302), (MemberRole.DEVELOPER, 403), (MemberRole.FINANCE, 403),
])
def test_answering_needs_the_governance_permission(portal_isv, order, role, status):
    member = make_member(portal_isv, role)
    response = client_for(member.user).post(respond_url(order), {"statement": "Done"})

    assert response.status_code == status
    order.refresh_from_db()
    assert (order.state == ActionState.EVIDENCE_SUBMITTED) is (status == 302)


def test_the_staff_decision_is_shown(portal_isv, owner_client, order, staff_user):
    owner_client.post(respond_url(order), {"statement": "Renewed."})
    order.refresh_from_db()
    rectification_accept(action=order, actor=staff_user, note="Licence checked, thank you.")

    page = owner_client.get(detail_url(order)).content.decode()

    assert "Licence checked, thank you." in page
    assert "Resolved" in page


@pytest.mark.parametrize(("name", "safe"), [
    ("renewed licence (scan).pdf", "renewed_licence_scan.pdf"),
    ("营业执照.pdf", "evidence.pdf"),
    ("a.b.PNG", "a.b.png"),
])
def test_browser_file_names_are_made_safe(name, safe):
    assert safe_file_name(name, extension=name.rsplit(".", 1)[1].lower()) == safe
