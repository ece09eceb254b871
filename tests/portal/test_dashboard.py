"""The dashboard: the ISV's state, its apps, its merchants by state and open governance
notices, with empty states; and the frame every portal page shares."""

import pytest
from django.urls import reverse

from governance.services import governance_warn
from isv.choices import AppEnvironment, AppState, IsvState, MemberRole
from merchants.choices import MerchantState
from tests import factories
from tests.portal.support import client_for, make_member, make_verified_user

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_person_in_no_team_is_sent_to_register(db):
    client = client_for(make_verified_user())
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("portal:registration")


def test_a_new_isv_sees_its_state_and_empty_states(owner_client, portal_owner):
    factories.make_isv(owner=portal_owner, state=IsvState.PENDING_REVIEW)
    page = owner_client.get(reverse("portal:dashboard")).content.decode()

    assert "Pending review" in page
    assert "No apps yet" in page
    assert "No merchants onboarded yet" in page
    assert "No open governance notices" in page
    assert 'id="usage"' in page


def test_a_rejected_isv_sees_the_reason_and_the_way_to_correct_it(owner_client, portal_owner):
    factories.make_isv(owner=portal_owner, state=IsvState.REJECTED,
                       rejection_reason="Licence unreadable")
    page = owner_client.get(reverse("portal:dashboard")).content.decode()

    assert "Licence unreadable" in page
    assert reverse("portal:registration_edit") in page


def test_the_dashboard_shows_apps_merchant_counts_and_open_notices(portal_isv, owner_client,
                                                                   staff_user):
    app = factories.make_app(isv=portal_isv, name="Cashier", state=AppState.IN_REVIEW,
                             environment=AppEnvironment.PRODUCTION)
    for state in (MerchantState.ACTIVE, MerchantState.ACTIVE, MerchantState.DRAFT):
        factories.make_merchant(isv=portal_isv, state=state)
    governance_warn(target=app, actor=staff_user, reason_code="late_reports",
                    reason="Reports filed late")

    response = owner_client.get(reverse("portal:dashboard"))
    page = response.content.decode()

    assert "Cashier" in page and "In review" in page
    assert dict((state.value, count) for state, count in response.context["merchant_counts"])[
        MerchantState.ACTIVE] == 2
    assert response.context["merchant_total"] == 3
    assert "Reports filed late" in page


def test_the_dashboard_shows_nothing_of_other_isvs(portal_isv, owner_client, staff_user):
    other = factories.make_isv()
    other_app = factories.make_app(isv=other, name="Not yours")
    factories.make_merchant(isv=other, state=MerchantState.ACTIVE)
    governance_warn(target=other_app, actor=staff_user, reason_code="x", reason="Theirs only")

    response = owner_client.get(reverse("portal:dashboard"))
    page = response.content.decode()

    assert "Not yours" not in page and "Theirs only" not in page
    assert response.context["merchant_total"] == 0


def test_dashboard_queries_do_not_grow_with_apps_merchants_or_notices(
        portal_isv, owner_client, staff_user, django_assert_max_num_queries):
    def fill(count):
        for _ in range(count):
            app = factories.make_app(isv=portal_isv)
            factories.make_merchant(isv=portal_isv, state=MerchantState.ACTIVE)
            governance_warn(target=app, actor=staff_user, reason_code="x", reason="Warned")

    fill(1)
    with django_assert_max_num_queries(12) as few:
        owner_client.get(reverse("portal:dashboard"))
    fill(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        owner_client.get(reverse("portal:dashboard"))


@pytest.mark.parametrize("role", list(MemberRole))
def test_every_role_sees_the_dashboard_and_the_nav_it_may_follow(portal_isv, role):
    member = make_member(portal_isv, role)
    response = client_for(member.user).get(reverse("portal:dashboard"))

    assert response.status_code == 200
    page = response.content.decode()
    assert portal_isv.name in page
    assert f'href="{reverse("portal:team")}"' in page
    assert 'aria-current="page"' in page


def test_the_portal_speaks_chinese_by_default_and_english_on_request(
        portal_isv, owner_client, platform_default_language):
    chinese = owner_client.get(reverse("portal:dashboard")).content.decode()
    owner_client.post(reverse("set_language"), {"language": "en"})
    english = owner_client.get(reverse("portal:dashboard")).content.decode()

    assert '<html lang="zh-hans">' in chinese
    assert "Dashboard" in english
