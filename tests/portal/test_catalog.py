"""The catalog in the portal: layers, packs and solutions; subscribing an app in one step."""

import pytest
from django.urls import reverse

from catalog.models import FunctionPack, IndustrySolution
from isv.choices import AppState, MemberRole, SubscriptionState
from isv.models import Subscription
from tests import factories
from tests.portal.support import client_for, make_member

pytestmark = pytest.mark.django_db

MANAGERS = [MemberRole.OWNER, MemberRole.ADMIN, MemberRole.DEVELOPER]


def member_client(isv, role):
    if role == MemberRole.OWNER:
        return client_for(isv.members.get(role=MemberRole.OWNER).user)
    return client_for(make_member(isv, role).user)


@pytest.mark.parametrize("role", list(MemberRole))
def test_every_member_reads_the_catalog_and_managers_may_subscribe(portal_isv, role):
    factories.make_app(isv=portal_isv)
    page = member_client(portal_isv, role).get(reverse("portal:catalog"))

    assert page.status_code == 200
    content = page.content.decode()
    for pack in FunctionPack.objects.all():
        assert f'id="pack-{pack.code}"' in content
    for solution in IndustrySolution.objects.all():
        assert f'id="solution-{solution.code}"' in content
    assert "Coming soon" in content
    assert "Review needed" in content
    assert ('name="app"' in content) is (role in MANAGERS)


def test_the_catalog_shows_which_apps_hold_a_pack(portal_isv, owner_client):
    app = factories.make_app(isv=portal_isv, name="Till app")
    factories.make_subscription(app=app, pack=factories.get_pack("merchant_basics"))

    content = owner_client.get(reverse("portal:catalog")).content.decode()

    assert "Till app" in content
    assert reverse("portal:app_detail", args=[app.pk]) in content


def test_subscribing_a_pack_in_one_step(portal_isv, owner_client):
    app = factories.make_app(isv=portal_isv)
    response = owner_client.post(reverse("portal:catalog_subscribe_pack",
                                         args=["payment_basics"]), {"app": app.pk})

    assert response.status_code == 302
    assert response.url == reverse("portal:app_detail", args=[app.pk])
    assert app.subscriptions.get().state == SubscriptionState.ACTIVE


def test_a_pack_that_needs_review_waits_for_it(portal_isv, owner_client):
    pack = FunctionPack.objects.filter(requires_review=True).first()
    app = factories.make_app(isv=portal_isv)
    owner_client.post(reverse("portal:catalog_subscribe_pack", args=[pack.code]),
                      {"app": app.pk})

    assert app.subscriptions.get().state == SubscriptionState.PENDING_REVIEW


def test_subscribing_a_solution_subscribes_every_pack(portal_isv):
    solution = IndustrySolution.objects.get(code="retail")
    app = factories.make_app(isv=portal_isv)
    client = member_client(portal_isv, MemberRole.DEVELOPER)

    response = client.post(reverse("portal:catalog_subscribe_solution", args=[solution.code]),
                           {"app": app.pk}, follow=True)

    assert response.status_code == 200
    assert set(app.subscriptions.values_list("pack__code", flat=True)) == set(
        solution.packs.values_list("code", flat=True))
    assert set(app.subscriptions.values_list("solution", flat=True)) == {solution.pk}
    assert "is subscribed to" in response.content.decode()


@pytest.mark.parametrize("choice", ["none", "other_isv", "suspended"])
def test_a_bad_app_choice_is_shown_beside_the_field(portal_isv, owner_client, choice):
    apps = {
        "none": None,
        "other_isv": factories.make_app(),
        "suspended": factories.make_app(isv=portal_isv, state=AppState.SUSPENDED),
    }
    factories.make_app(isv=portal_isv)
    app = apps[choice]
    response = owner_client.post(reverse("portal:catalog_subscribe_pack",
                                         args=["payment_basics"]),
                                 {"app": app.pk if app else ""})

    assert response.status_code == 400
    assert response.context["form_target"] == "pack-payment_basics"
    assert response.context["form"].errors["app"]
    assert not Subscription.objects.exists()


def test_subscribing_twice_shows_the_refusal(portal_isv, owner_client):
    app = factories.make_app(isv=portal_isv, name="Twice")
    factories.make_subscription(app=app, pack=factories.get_pack("payment_basics"))

    response = owner_client.post(reverse("portal:catalog_subscribe_pack",
                                         args=["payment_basics"]), {"app": app.pk})

    assert response.status_code == 400
    assert "already holds a subscription" in response.content.decode()
    assert f'<option value="{app.pk}" selected>' in response.content.decode()


def test_finance_cannot_subscribe(portal_isv):
    app = factories.make_app(isv=portal_isv)
    response = member_client(portal_isv, MemberRole.FINANCE).post(
        reverse("portal:catalog_subscribe_pack", args=["payment_basics"]), {"app": app.pk})

    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_an_unknown_pack_is_404(portal_isv, owner_client):
    app = factories.make_app(isv=portal_isv)
    assert owner_client.post(reverse("portal:catalog_subscribe_pack", args=["nope"]),
                             {"app": app.pk}).status_code == 404


def test_catalog_queries_do_not_grow_with_apps_and_subscriptions(
        portal_isv, owner_client, django_assert_max_num_queries):
    packs = list(FunctionPack.objects.all())

    def fill(count):
        for _ in range(count):
            app = factories.make_app(isv=portal_isv)
            for pack in packs[:3]:
                factories.make_subscription(app=app, pack=pack)

    fill(1)
    with django_assert_max_num_queries(15) as few:
        owner_client.get(reverse("portal:catalog"))
    fill(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        owner_client.get(reverse("portal:catalog"))
