"""The ISV API's happy paths, one per endpoint, through real DOT tokens; plus scope and state."""

from urllib.parse import parse_qs, urlsplit

import pytest
from rest_framework.test import APIClient

from isv.choices import AppState, IsvState, SubscriptionState
from merchants.choices import AuthorizationState, MerchantState
from merchants.models import Merchant
from openplatform.audit.models import AuditEvent
from tests import factories
from tests.api.isv_api_support import client_for, merchant_payload

pytestmark = pytest.mark.django_db


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- Catalog: public ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/capabilities/", "/api/v1/packs/",
                                 "/api/v1/solutions/"])
def test_catalog_lists_are_public(url):
    assert _results(APIClient().get(url))


def test_pack_detail_lists_its_capabilities_and_scope():
    body = APIClient().get("/api/v1/packs/merchant_basics/").json()
    assert body["scope"] == "pack:merchant_basics"
    assert "merchant.info.query" in body["capabilities"]


@pytest.mark.parametrize(("language", "field"), [("en", "name"), ("zh-Hans", "name_zh")])
def test_catalog_names_follow_accept_language(language, field):
    pack = factories.get_pack()
    body = APIClient().get("/api/v1/packs/merchant_basics/", HTTP_ACCEPT_LANGUAGE=language).json()
    assert body["name"] == getattr(pack, field)


def test_unknown_pack_is_problem_404():
    response = APIClient().get("/api/v1/packs/no_such_pack/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


# --- Apps and subscriptions --------------------------------------------------------------------


def test_apps_lists_the_isvs_apps(app):
    sibling = factories.make_app(isv=app.isv)
    factories.make_app()  # another ISV's
    ids = {row["id"] for row in _results(client_for(app).get("/api/v1/apps/"))}
    assert ids == {app.pk, sibling.pk}


def test_app_detail(app):
    body = client_for(app).get(f"/api/v1/apps/{app.pk}/").json()
    assert body["client_id"] == app.client_id
    assert "client_secret" not in body


def test_subscription_list_filters_by_state(app):
    active = factories.make_subscription(app=app)
    factories.make_subscription(app=app, pack=factories.get_pack("credit_score"),
                                state=SubscriptionState.PENDING_REVIEW)
    rows = _results(client_for(app).get(f"/api/v1/apps/{app.pk}/subscriptions/?state=active"))
    assert [row["id"] for row in rows] == [active.pk]


def test_subscribe_to_a_pack(app):
    response = client_for(app).post(f"/api/v1/apps/{app.pk}/subscriptions/",
                                    {"pack": "merchant_basics"}, format="json")
    assert response.status_code == 201, response.content
    [row] = response.json()["subscriptions"]
    assert (row["pack"], row["state"]) == ("merchant_basics", "active")


def test_pack_needing_review_comes_back_pending(app):
    response = client_for(app).post(f"/api/v1/apps/{app.pk}/subscriptions/",
                                    {"pack": "credit_score"}, format="json")
    assert response.json()["subscriptions"][0]["state"] == "pending_review"


def test_subscribe_to_a_whole_solution_in_one_call(app):
    response = client_for(app).post(f"/api/v1/apps/{app.pk}/subscriptions/",
                                    {"solution": "retail"}, format="json")
    assert response.status_code == 201
    solution_packs = set(app.subscriptions.values_list("pack__code", flat=True))
    assert {row["pack"] for row in response.json()["subscriptions"]} == solution_packs
    assert {row["solution"] for row in response.json()["subscriptions"]} == {"retail"}


@pytest.mark.parametrize("body", [{}, {"pack": "merchant_basics", "solution": "retail"},
                                  {"pack": "nope"}, {"pack": 3}])
def test_subscribe_needs_exactly_one_known_pack_or_solution(app, body):
    response = client_for(app).post(f"/api/v1/apps/{app.pk}/subscriptions/", body,
                                    format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert not app.subscriptions.exists()


def test_second_subscription_to_the_same_pack_is_409(app):
    factories.make_subscription(app=app)
    response = client_for(app).post(f"/api/v1/apps/{app.pk}/subscriptions/",
                                    {"pack": "merchant_basics"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "already_subscribed"


def test_cancel_subscription(app):
    subscription = factories.make_subscription(app=app)
    response = client_for(app).post(f"/api/v1/subscriptions/{subscription.pk}/cancel")
    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"
    subscription.refresh_from_db()
    assert subscription.state == SubscriptionState.CANCELLED


def test_cancelling_twice_is_illegal_transition(app):
    subscription = factories.make_subscription(app=app, state=SubscriptionState.CANCELLED)
    response = client_for(app).post(f"/api/v1/subscriptions/{subscription.pk}/cancel")
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"


# --- Merchants ---------------------------------------------------------------------------------


def test_create_merchant_is_a_draft_with_pii_masked(app):
    payload = merchant_payload()
    response = client_for(app).post("/api/v1/merchants/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    merchant = Merchant.objects.get(pk=body["id"])
    assert (merchant.isv, merchant.state) == (app.isv, MerchantState.DRAFT)
    assert body["legal_rep_id_number"] == merchant.legal_rep_id_number_masked
    assert body["settlement_account"] == merchant.settlement_account_masked
    assert payload["legal_rep_id_number"] not in response.content.decode()
    assert payload["settlement_account"] not in response.content.decode()
    assert body["contact_phone"] == "139****5678"
    assert AuditEvent.objects.filter(action="merchant.created").count() == 1


def test_create_is_idempotent_on_external_id(app):
    payload = merchant_payload()
    api = client_for(app)
    first = api.post("/api/v1/merchants/", payload, format="json")
    again = api.post("/api/v1/merchants/", {**payload, "short_name": f" {payload['short_name']}"},
                     format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Merchant.objects.filter(external_id=payload["external_id"]).count() == 1


def test_create_with_other_data_for_an_existing_external_id_is_409(app):
    payload = merchant_payload()
    api = client_for(app)
    api.post("/api/v1/merchants/", payload, format="json")
    response = api.post("/api/v1/merchants/", {**payload, "mcc": "5812"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "external_id_conflict"
    assert Merchant.objects.get(external_id=payload["external_id"]).mcc == "5411"


def test_create_reports_every_field_error_at_once(app):
    response = client_for(app).post(
        "/api/v1/merchants/",
        merchant_payload(uscc="123", contact_phone="12", legal_name="", colour="red"),
        format="json")
    assert response.status_code == 400
    codes = {(error["field"], error["code"]) for error in response.json()["errors"]}
    assert {("uscc", "uscc_length"), ("legal_name", "required"),
            ("colour", "unknown_field")} <= codes
    assert "contact_phone" in {field for field, _code in codes}
    assert not Merchant.objects.exists()


def test_merchant_list_filters_and_search(app):
    isv = app.isv
    wanted = factories.make_merchant(isv=isv, short_name="鲜花小铺", mcc="5992")
    factories.make_merchant(isv=isv, state=MerchantState.ACTIVE, mcc="5992")
    factories.make_merchant(isv=isv, mcc="5411")
    api = client_for(app)
    assert [row["id"] for row in _results(api.get("/api/v1/merchants/?state=draft&mcc=5992"))] \
        == [wanted.pk]
    assert [row["id"] for row in _results(api.get("/api/v1/merchants/?q=鲜花"))] == [wanted.pk]
    assert [row["id"] for row in
            _results(api.get(f"/api/v1/merchants/?q={wanted.external_id}"))] == [wanted.pk]
    assert len(_results(api.get("/api/v1/merchants/?created_at_after=2000-01-01T00:00:00Z"))) == 3
    assert _results(api.get("/api/v1/merchants/?created_at_before=2000-01-01T00:00:00Z")) == []


def test_merchant_list_rejects_bad_filters_as_problem(app):
    response = client_for(app).get("/api/v1/merchants/?state=bogus")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "state"


def test_merchant_list_paginates_by_cursor_with_constant_queries(
    app, django_assert_max_num_queries
):
    for _ in range(3):
        factories.make_merchant(isv=app.isv)
    api = client_for(app)
    first = api.get("/api/v1/merchants/?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1
    for _ in range(10):
        factories.make_merchant(isv=app.isv)
    with django_assert_max_num_queries(4):
        api.get("/api/v1/merchants/")


def test_merchant_detail(app, merchant):
    body = client_for(app).get(f"/api/v1/merchants/{merchant.pk}/").json()
    assert body["external_id"] == merchant.external_id
    assert body["legal_rep_name"] == "王*"


def test_patch_a_draft_changes_only_what_is_sent(app, merchant):
    digest = merchant.settlement_account_digest
    response = client_for(app).patch(f"/api/v1/merchants/{merchant.pk}/",
                                     {"contact_phone": "13812345678"}, format="json")
    assert response.status_code == 200, response.content
    merchant.refresh_from_db()
    assert merchant.contact_phone == "13812345678"
    assert merchant.settlement_account_digest == digest


@pytest.mark.parametrize("state", [MerchantState.SUBMITTED, MerchantState.ACTIVE,
                                   MerchantState.SUSPENDED])
def test_patch_outside_draft_or_rectifying_is_409(app, state):
    merchant = factories.make_merchant(isv=app.isv, state=state)
    response = client_for(app).patch(f"/api/v1/merchants/{merchant.pk}/",
                                     {"short_name": "新名字"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "merchant_not_editable"


def test_submit_moves_a_draft_to_submitted(app, merchant):
    response = client_for(app).post(f"/api/v1/merchants/{merchant.pk}/submit")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted"


def test_submitting_twice_is_illegal_transition(app):
    merchant = factories.make_merchant(isv=app.isv, state=MerchantState.SUBMITTED)
    response = client_for(app).post(f"/api/v1/merchants/{merchant.pk}/submit")
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"


def test_validate_a_clean_merchant_saves_nothing(app):
    response = client_for(app).post("/api/v1/merchants/validate", merchant_payload(),
                                    format="json")
    assert response.json() == {"valid": True}
    assert not Merchant.objects.exists()


def test_validate_returns_every_field_error(app):
    response = client_for(app).post("/api/v1/merchants/validate",
                                    {"uscc": "91310000000000000X"}, format="json")
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"external_id", "legal_name", "uscc", "mcc", "settlement_account"} <= fields


# --- Authorization links and authorizations ----------------------------------------------------


def test_authorization_link_points_at_the_consent_page(app):
    factories.make_subscription(app=app)
    merchant = factories.make_merchant(isv=app.isv, state=MerchantState.ACTIVE)
    response = client_for(app).post(
        f"/api/v1/merchants/{merchant.pk}/authorization-link",
        {"packs": ["merchant_basics"], "redirect_uri": "https://example.com/callback"},
        format="json")
    assert response.status_code == 200, response.content
    url = urlsplit(response.json()["authorization_url"])
    assert url.path == "/oauth/authorize/"
    assert parse_qs(url.query) == {
        "client_id": [app.client_id], "response_type": ["code"],
        "scope": ["pack:merchant_basics"], "redirect_uri": ["https://example.com/callback"]}


def test_authorization_link_needs_subscribed_packs_and_a_registered_redirect(app):
    merchant = factories.make_merchant(isv=app.isv, state=MerchantState.ACTIVE)
    response = client_for(app).post(
        f"/api/v1/merchants/{merchant.pk}/authorization-link",
        {"packs": ["merchant_basics"], "redirect_uri": "https://evil.example/cb"},
        format="json")
    assert response.status_code == 400
    codes = {(error["field"], error["code"]) for error in response.json()["errors"]}
    assert codes == {("packs", "pack_not_subscribed"),
                     ("redirect_uri", "redirect_uri_not_registered")}


def test_authorization_link_for_a_draft_merchant_is_409(app, merchant):
    factories.make_subscription(app=app)
    response = client_for(app).post(f"/api/v1/merchants/{merchant.pk}/authorization-link",
                                    {"packs": ["merchant_basics"]}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "merchant_not_active"


def test_authorizations_lists_those_of_the_isvs_apps(app):
    merchant = factories.make_merchant(isv=app.isv, state=MerchantState.ACTIVE)
    mine = factories.make_authorization(merchant=merchant, app=app)
    factories.make_authorization(merchant=factories.make_merchant(), app=factories.make_app())
    rows = _results(client_for(app).get("/api/v1/authorizations/"))
    assert [(row["id"], row["packs"]) for row in rows] == [(mine.pk, ["merchant_basics"])]


def test_revoke_an_authorization(app):
    merchant = factories.make_merchant(isv=app.isv, state=MerchantState.ACTIVE)
    authorization = factories.make_authorization(merchant=merchant, app=app)
    response = client_for(app).post(f"/api/v1/authorizations/{authorization.pk}/revoke",
                                    {"reason": "merchant left"}, format="json")
    assert response.status_code == 200, response.content
    authorization.refresh_from_db()
    assert authorization.state == AuthorizationState.REVOKED
    assert authorization.revoked_reason == "merchant left"


# --- Who may call ------------------------------------------------------------------------------


def test_no_token_is_401_invalid_token(app):
    response = APIClient().get("/api/v1/merchants/")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_read_scope_cannot_write(app):
    response = client_for(app, scope="isv:read").post("/api/v1/merchants/", merchant_payload(),
                                                      format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    assert "isv:merchants" in response.json()["detail"]
    assert not Merchant.objects.exists()


def test_merchant_token_without_isv_scopes_cannot_read(app):
    response = client_for(app, scope="pack:merchant_basics").get("/api/v1/apps/")
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_suspended_app_is_refused(app):
    api = client_for(app)
    app.state = AppState.SUSPENDED
    app.save(update_fields=["state"])
    response = api.get("/api/v1/merchants/")
    assert (response.status_code, response.json()["code"]) == (403, "app_suspended")


@pytest.mark.parametrize("state", [IsvState.SUSPENDED, IsvState.CLEARED_OUT,
                                   IsvState.PENDING_REVIEW])
def test_isv_that_may_not_operate_is_refused(app, state):
    api = client_for(app)
    app.isv.state = state
    app.isv.save(update_fields=["state"])
    response = api.get("/api/v1/merchants/")
    assert (response.status_code, response.json()["code"]) == (403, "isv_suspended")
