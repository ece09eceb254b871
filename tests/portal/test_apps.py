"""Apps in the portal: list, create (secret shown once), edit, rotate with an overlap,
review and go-live, subscriptions; and the sandbox every approved ISV gets."""

import base64
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from isv.choices import AppEnvironment, AppState, IsvState, MemberRole, SubscriptionState
from isv.models import App, Subscription
from isv.services.apps import app_create, app_go_live, app_rotate_secret
from isv.services.providers import isv_approve
from merchants.choices import AuthorizationState, MerchantState
from merchants.models import Authorization, Merchant
from merchants.services.sandbox import isv_provision_sandbox
from openplatform import plugins
from openplatform.audit.models import AuditEvent
from openplatform.data.validators import validate_uscc
from tests import factories
from tests.portal.support import client_for, make_member, make_verified_user

pytestmark = pytest.mark.django_db

TOKEN_URL = "/oauth/token/"
ALL_ROLES = list(MemberRole)
MANAGERS = [MemberRole.OWNER, MemberRole.ADMIN, MemberRole.DEVELOPER]


def member_client(isv, role):
    if role == MemberRole.OWNER:
        return client_for(isv.members.get(role=MemberRole.OWNER).user)
    return client_for(make_member(isv, role).user)


def create_app(client, **data):
    return client.post(reverse("portal:app_create"), {
        "name": "Cashier", "environment": AppEnvironment.SANDBOX, "description": "",
        "redirect_uris": "", **data})


def client_credentials_token(app, secret, *, basic=False):
    data = {"grant_type": "client_credentials", "scope": "isv:read"}
    if basic:
        credentials = base64.b64encode(f"{app.client_id}:{secret}".encode()).decode()
        return Client().post(TOKEN_URL, data, HTTP_AUTHORIZATION=f"Basic {credentials}")
    return Client().post(TOKEN_URL, {**data, "client_id": app.client_id,
                                     "client_secret": secret})


# --- list -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_member_sees_the_apps_and_only_managers_may_create(portal_isv, role):
    factories.make_app(isv=portal_isv, name="Visible app")
    factories.make_app(name="Another ISV's app")
    client = member_client(portal_isv, role)

    page = client.get(reverse("portal:apps"))

    assert page.status_code == 200
    content = page.content.decode()
    assert "Visible app" in content
    assert "Another ISV&#x27;s app" not in content and "Another ISV's app" not in content
    assert ("Create an app" in content) is (role in MANAGERS)
    assert client.get(reverse("portal:app_create")).status_code == (
        200 if role in MANAGERS else 403)


def test_the_app_list_queries_do_not_grow_with_the_apps(portal_isv, owner_client,
                                                        django_assert_max_num_queries):
    def fill(count):
        for _ in range(count):
            app = factories.make_app(isv=portal_isv)
            factories.make_subscription(app=app)

    fill(1)
    with django_assert_max_num_queries(10) as few:
        owner_client.get(reverse("portal:apps"))
    fill(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert owner_client.get(reverse("portal:apps")).status_code == 200


# --- create: the secret is shown once --------------------------------------------------------


def test_creating_an_app_shows_its_secret_once_and_never_again(portal_isv, owner_client):
    response = create_app(owner_client, redirect_uris="https://pos.example.com/cb\n"
                                                      "http://127.0.0.1:8000/cb")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    app = App.objects.get(isv=portal_isv)
    secret = response.context["client_secret"]
    content = response.content.decode()
    assert secret in content and app.client_id in content
    assert check_password(secret, app.client_secret)
    assert app.redirect_uris == "https://pos.example.com/cb http://127.0.0.1:8000/cb"
    assert (app.state, app.environment) == (AppState.DEVELOPING, AppEnvironment.SANDBOX)

    for url in (reverse("portal:apps"), reverse("portal:app_detail", args=[app.pk]),
                reverse("portal:app_edit", args=[app.pk])):
        assert secret not in owner_client.get(url).content.decode()


def test_app_form_errors_show_beside_the_fields_and_keep_the_input(portal_isv, owner_client):
    response = create_app(owner_client, name="", description="Keeps this",
                          environment=AppEnvironment.PRODUCTION,
                          redirect_uris="http://127.0.0.1/cb")

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "name" in errors
    content = response.content.decode()
    assert "Keeps this" in content and "http://127.0.0.1/cb" in content
    assert not App.objects.exists()

    response = create_app(owner_client, environment=AppEnvironment.PRODUCTION,
                          redirect_uris="http://127.0.0.1/cb")
    assert response.status_code == 400
    assert "Redirect URIs must use https" in response.context["form"].errors[
        "redirect_uris"][0]
    assert 'id="id_redirect_uris-errors"' in response.content.decode()


def test_a_pending_isv_cannot_create_apps(portal_owner):
    isv = factories.make_isv(owner=make_verified_user(), state=IsvState.PENDING_REVIEW)
    response = create_app(client_for(isv.members.get().user))

    assert response.status_code == 400
    assert "not active" in response.content.decode()


# --- detail and edit -------------------------------------------------------------------------


def test_editing_an_app_goes_through_the_service_and_is_audited(portal_isv, owner_client):
    app = factories.make_app(isv=portal_isv, name="Old name", redirect_uris="")
    response = owner_client.post(reverse("portal:app_edit", args=[app.pk]), {
        "name": "New name", "description": "Till", "redirect_uris": "https://a.example/cb"})

    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.name, app.description, app.redirect_uris) == (
        "New name", "Till", "https://a.example/cb")
    audit = AuditEvent.objects.get(action="app.updated")
    assert audit.before["name"] == "Old name" and audit.after["name"] == "New name"


def test_an_edit_with_a_bad_redirect_uri_keeps_the_input(portal_isv, owner_client):
    app = factories.make_app(isv=portal_isv, environment=AppEnvironment.PRODUCTION)
    response = owner_client.post(reverse("portal:app_edit", args=[app.pk]), {
        "name": "Renamed", "description": "", "redirect_uris": "ftp://files.example/cb"})

    assert response.status_code == 400
    assert "redirect_uris" in response.context["form"].errors
    assert "ftp://files.example/cb" in response.content.decode()
    app.refresh_from_db()
    assert app.name != "Renamed"


def test_the_detail_shows_subscriptions_and_cancelling_one_works(portal_isv, owner_client):
    app = factories.make_app(isv=portal_isv)
    subscription = factories.make_subscription(app=app)
    page = owner_client.get(reverse("portal:app_detail", args=[app.pk])).content.decode()
    assert subscription.pack.display_name in page

    response = owner_client.post(reverse("portal:subscription_cancel",
                                         args=[app.pk, subscription.pk]))

    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.state == SubscriptionState.CANCELLED


# --- rotation with an overlap ----------------------------------------------------------------


@pytest.mark.parametrize(("role", "environment", "status"), [
    (MemberRole.DEVELOPER, AppEnvironment.SANDBOX, 200),
    (MemberRole.DEVELOPER, AppEnvironment.PRODUCTION, 403),
    (MemberRole.ADMIN, AppEnvironment.PRODUCTION, 200),
    (MemberRole.OWNER, AppEnvironment.PRODUCTION, 200),
    (MemberRole.FINANCE, AppEnvironment.SANDBOX, 403),
])
def test_who_may_rotate_a_client_secret(portal_isv, role, environment, status):
    app = factories.make_app(isv=portal_isv, environment=environment)
    before = app.client_secret
    client = member_client(portal_isv, role)

    response = client.post(reverse("portal:app_rotate_secret", args=[app.pk]),
                           {"overlap_hours": 24})

    assert response.status_code == status
    app.refresh_from_db()
    assert (app.client_secret != before) is (status == 200)
    if status == 200:
        assert check_password(response.context["client_secret"], app.client_secret)
        assert "no-store" in response["Cache-Control"]


def test_an_overlap_outside_zero_to_a_week_is_refused_beside_the_field(portal_isv,
                                                                       owner_client):
    app = factories.make_app(isv=portal_isv)
    response = owner_client.post(reverse("portal:app_rotate_secret", args=[app.pk]),
                                 {"overlap_hours": 169})

    assert response.status_code == 400
    assert "overlap_hours" in response.context["form"].errors
    assert 'value="169"' in response.content.decode()


@pytest.mark.parametrize("basic", [False, True], ids=["body", "basic"])
def test_the_old_secret_gets_a_token_during_the_overlap_and_not_after(portal_isv, portal_owner,
                                                                      basic):
    owner = portal_owner
    app, old_secret = app_create(isv=portal_isv, actor=owner, name="Cashier")
    app_go_live(app=app, actor=owner)
    assert client_credentials_token(app, old_secret, basic=basic).status_code == 200

    new_secret = app_rotate_secret(app=app, actor=owner,
                                            overlap=timedelta(hours=2))

    assert client_credentials_token(app, new_secret, basic=basic).status_code == 200
    assert client_credentials_token(app, old_secret, basic=basic).status_code == 200
    assert client_credentials_token(app, "not-the-secret", basic=basic).status_code == 401

    App.objects.filter(pk=app.pk).update(
        previous_client_secret_expires_at=timezone.now() - timedelta(seconds=1))
    assert client_credentials_token(app, old_secret, basic=basic).status_code == 401
    assert client_credentials_token(app, new_secret, basic=basic).status_code == 200


def test_a_rotation_without_overlap_ends_the_old_secret_at_once(portal_isv, portal_owner):
    owner = portal_owner
    app, old_secret = app_create(isv=portal_isv, actor=owner, name="Cashier")
    app_go_live(app=app, actor=owner)

    app_rotate_secret(app=app, actor=owner, overlap=timedelta(0))

    assert client_credentials_token(app, old_secret).status_code == 401
    audit = AuditEvent.objects.get(action="app.secret_rotated")
    assert audit.after == {"overlap_seconds": 0}


# --- review and going live -------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status", "state"), [
    (MemberRole.DEVELOPER, 403, AppState.DEVELOPING),
    (MemberRole.FINANCE, 403, AppState.DEVELOPING),
    (MemberRole.ADMIN, 302, AppState.IN_REVIEW),
    (MemberRole.OWNER, 302, AppState.IN_REVIEW),
])
def test_submitting_a_production_app_for_review(portal_isv, role, status, state):
    app = factories.make_app(isv=portal_isv, environment=AppEnvironment.PRODUCTION,
                             state=AppState.DEVELOPING)
    response = member_client(portal_isv, role).post(
        reverse("portal:app_submit_for_review", args=[app.pk]))

    assert response.status_code == status
    app.refresh_from_db()
    assert app.state == state


def test_a_developer_takes_a_sandbox_app_live(portal_isv):
    app = factories.make_app(isv=portal_isv, state=AppState.DEVELOPING)
    response = member_client(portal_isv, MemberRole.DEVELOPER).post(
        reverse("portal:app_go_live", args=[app.pk]), follow=True)

    assert "The app is live." in response.content.decode()
    app.refresh_from_db()
    assert app.state == AppState.LIVE


def test_another_isvs_app_is_404_everywhere(portal_isv, owner_client):
    app = factories.make_app(environment=AppEnvironment.SANDBOX, state=AppState.DEVELOPING)
    subscription = factories.make_subscription(app=app)

    for method, name, args in (
        ("get", "portal:app_detail", [app.pk]),
        ("get", "portal:app_edit", [app.pk]),
        ("post", "portal:app_edit", [app.pk]),
        ("post", "portal:app_rotate_secret", [app.pk]),
        ("post", "portal:app_go_live", [app.pk]),
        ("post", "portal:app_submit_for_review", [app.pk]),
        ("post", "portal:app_take_offline", [app.pk]),
        ("post", "portal:subscription_cancel", [app.pk, subscription.pk]),
    ):
        response = getattr(owner_client, method)(reverse(name, args=args),
                                                 {"overlap_hours": 1, "name": "x"})
        assert response.status_code == 404, name
    app.refresh_from_db()
    subscription.refresh_from_db()
    assert (app.state, subscription.state) == (AppState.DEVELOPING, SubscriptionState.ACTIVE)


# --- the sandbox every approved ISV gets -----------------------------------------------------


def test_approval_provisions_a_sandbox_app_and_an_authorized_sandbox_merchant(staff_user):
    isv = factories.make_isv(owner=make_verified_user(), state=IsvState.PENDING_REVIEW)

    isv_approve(isv=isv, actor=staff_user)

    app = App.objects.get(isv=isv)
    assert (app.environment, app.state, app.provisioned_on_approval) == (
        AppEnvironment.SANDBOX, AppState.LIVE, True)
    assert dict(app.subscriptions.values_list("pack__code", "state")) == {
        code: SubscriptionState.ACTIVE for code in plugins.sandbox_packs()}
    merchant = Merchant.objects.get(isv=isv)
    assert merchant.state == MerchantState.ACTIVE
    assert validate_uscc(merchant.uscc) == merchant.uscc
    authorization = Authorization.objects.get(merchant=merchant, app=app)
    assert authorization.state == AuthorizationState.ACTIVE
    assert set(authorization.packs.values_list("code", flat=True)) == set(
        plugins.sandbox_packs())
    assert AuditEvent.objects.filter(action="isv.sandbox_provisioned").count() == 1
    # The owner may consent for the sandbox merchant in the authorization-code flow.
    assert list(merchant.users.values_list("user", flat=True)) == [
        isv.members.get(role="owner").user_id]

    written = AuditEvent.objects.count()
    again = isv_provision_sandbox(isv=isv, actor=staff_user)
    assert (again.app, again.merchant, again.authorization) == (app, merchant, authorization)
    assert AuditEvent.objects.count() == written
    assert Subscription.objects.filter(app=app).count() == len(plugins.sandbox_packs())


def test_two_approved_isvs_get_sandbox_merchants_with_distinct_usccs(staff_user):
    isvs = [factories.make_isv(state=IsvState.PENDING_REVIEW) for _ in range(2)]
    for isv in isvs:
        isv_approve(isv=isv, actor=staff_user)

    assert Merchant.objects.filter(state=MerchantState.ACTIVE).values("uscc").distinct(
    ).count() == 2


def test_the_sandbox_app_page_says_to_rotate_for_a_secret(staff_user):
    owner = make_verified_user()
    isv = factories.make_isv(owner=owner, state=IsvState.PENDING_REVIEW)
    isv_approve(isv=isv, actor=staff_user)
    app = App.objects.get(isv=isv)

    page = client_for(owner).get(reverse("portal:app_detail", args=[app.pk])).content.decode()

    assert "rotate it to get one" in page
    assert reverse("portal:app_rotate_secret", args=[app.pk]) in page
