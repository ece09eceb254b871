"""The OpenAPI document, the local docs pages, and robustness: every bad request a client can
send to a POST endpoint is a problem+json 4xx, never a 500."""

import re

import pytest
import yaml
from django.core.management import call_command
from django.db import transaction
from rest_framework.test import APIClient

from governance.services import governance_order_rectification
from merchants.choices import MerchantState
from openplatform.events import services as events
from tests import factories
from tests.api.isv_api_support import client_for, merchant_payload

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
# A sandbox app's receiver on its own machine: valid, and nothing resolves or connects (the
# deliveries are queued on commit, which these tests never reach).
RECEIVER_URL = "http://127.0.0.1:9/hooks"


def test_schema_validates_as_openapi_3(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    flows = schema["components"]["securitySchemes"]["oauth2"]["flows"]
    assert flows["clientCredentials"]["tokenUrl"] == "/oauth/token/"
    assert flows["authorizationCode"]["authorizationUrl"] == "/oauth/authorize/"
    assert {"isv:read", "isv:merchants"} <= flows["clientCredentials"]["scopes"].keys()


@pytest.fixture
def schema():
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def _capability_call(operation: dict) -> bool:
    """A call through the capability gate (a merchant's token, pack scopes), not the ISV API."""
    return any("oauth2_merchant" in requirement for requirement in operation.get("security", []))


def test_every_isv_operation_documents_problem_errors_and_scopes(schema):
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            if _capability_call(operation):
                continue
            assert operation.get("tags"), (method, path)
            errors = {status: response for status, response in operation["responses"].items()
                      if status.startswith("4")}
            assert errors or operation.get("security") == [{}] or "security" not in operation, \
                (method, path)
            for response in errors.values():
                assert PROBLEM in response["content"], (method, path)
            if operation.get("security"):
                scopes = operation["security"][0]["oauth2"]
                expected = "isv:read" if method == "get" else "isv:merchants"
                assert scopes == [expected], (method, path)


def test_idempotent_posts_document_the_header(schema):
    for path in ["/api/v1/merchants/", "/api/v1/apps/{id}/subscriptions/",
                 "/api/v1/subscriptions/{id}/cancel", "/api/v1/merchants/{id}/submit",
                 "/api/v1/merchants/{id}/authorization-link",
                 "/api/v1/authorizations/{id}/revoke",
                 "/api/v1/governance-actions/{id}/evidence", "/api/v1/webhook-endpoints/",
                 "/api/v1/webhook-endpoints/{id}/rotate-secret"]:
        names = {parameter["name"] for parameter in schema["paths"][path]["post"]["parameters"]
                 if parameter["in"] == "header"}
        assert "Idempotency-Key" in names, path


def test_every_documented_endpoint_answers_as_documented(schema, app):
    """Call each documented operation with a valid token and real ids: the status must be
    one the document lists."""
    factories.make_subscription(app=app)
    active = factories.make_merchant(isv=app.isv, state=MerchantState.ACTIVE)
    draft = factories.make_merchant(isv=app.isv)
    subscription = factories.make_subscription(app=app, pack=factories.get_pack("credit_score"))
    authorization = factories.make_authorization(merchant=active, app=app)
    endpoint = _webhook_endpoint(app)
    calls = {
        ("get", "/api/v1/capabilities/"): None,
        ("get", "/api/v1/packs/"): None,
        ("get", "/api/v1/packs/{code}/"): None,
        ("get", "/api/v1/solutions/"): None,
        ("get", "/api/v1/apps/"): None,
        ("get", "/api/v1/apps/{id}/"): None,
        ("get", "/api/v1/apps/{id}/subscriptions/"): None,
        ("post", "/api/v1/apps/{id}/subscriptions/"): {"pack": "coupons"},
        ("post", "/api/v1/subscriptions/{id}/cancel"): None,
        ("get", "/api/v1/merchants/"): None,
        ("post", "/api/v1/merchants/"): merchant_payload(),
        ("post", "/api/v1/merchants/validate"): merchant_payload(),
        ("get", "/api/v1/merchants/{id}/"): None,
        ("patch", "/api/v1/merchants/{id}/"): {"short_name": "改名小店"},
        ("post", "/api/v1/merchants/{id}/submit"): None,
        ("post", "/api/v1/merchants/{id}/authorization-link"): {"packs": ["merchant_basics"]},
        ("get", "/api/v1/authorizations/"): None,
        ("post", "/api/v1/authorizations/{id}/revoke"): None,
        ("get", "/api/v1/governance-actions/"): None,
        ("get", "/api/v1/governance-actions/{id}/"): None,
        ("post", "/api/v1/governance-actions/{id}/evidence"): {"statement": "Renewed."},
        ("get", "/api/v1/webhook-endpoints/"): None,
        ("post", "/api/v1/webhook-endpoints/"): {"app": app.pk, "url": RECEIVER_URL,
                                                 "event_types": ["merchant.activated"]},
        ("get", "/api/v1/webhook-endpoints/{id}/"): None,
        ("patch", "/api/v1/webhook-endpoints/{id}/"): {"description": "Till receiver"},
        ("post", "/api/v1/webhook-endpoints/{id}/rotate-secret"): {"overlap_hours": 1},
        ("post", "/api/v1/webhook-endpoints/{id}/disable"): None,
        ("post", "/api/v1/webhook-endpoints/{id}/enable"): None,
        ("post", "/api/v1/webhook-endpoints/{id}/test"): None,
        ("get", "/api/v1/events/"): None,
        ("get", "/api/v1/events/{id}/"): None,
        ("post", "/api/v1/events/{id}/resend"): None,
        ("get", "/api/v1/event-types/"): None,
        # Last: the endpoint above is used until here.
        ("delete", "/api/v1/webhook-endpoints/{id}/"): None,
    }
    ids = {"/api/v1/apps/": app.pk, "/api/v1/subscriptions/": subscription.pk,
           "/api/v1/authorizations/": authorization.pk,
           "/api/v1/governance-actions/": _rectification_order(app).pk,
           "/api/v1/webhook-endpoints/": endpoint.pk, "/api/v1/events/": _event(app).pk}
    documented = {(method, path) for path, operations in schema["paths"].items()
                  for method, operation in operations.items()
                  if not _capability_call(operation)}
    assert documented == set(calls)
    api = client_for(app)
    for (method, path), body in calls.items():
        merchant = active if "authorization-link" in path else draft
        object_id = next((value for prefix, value in ids.items() if path.startswith(prefix)),
                         merchant.pk)
        url = path.replace("{code}", "merchant_basics").replace("{id}", str(object_id))
        response = getattr(api, method)(url, body, format="json")
        listed = schema["paths"][path][method]["responses"]
        assert str(response.status_code) in listed, (method, url, response.content)
        assert response.status_code < 300, (method, url, response.content)


def _webhook_endpoint(app):
    endpoint, _secret = events.webhook_endpoint_create(app=app, actor=None, url=RECEIVER_URL,
                                                       event_types=["*"])
    return endpoint


def _event(app):
    with transaction.atomic():
        return events.event_emit(type="merchant.activated", isv=app.isv, app=app,
                                 data={"merchant_id": "1", "state": "active"})


def _rectification_order(app):
    return governance_order_rectification(
        target=app.isv, actor=None, reason_code="licence_expired", reason="Licence expired.",
        evidence_required="The renewed licence.")


def test_swagger_ui_loads_without_cdn():
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    _assert_local_assets(response.content.decode())


def test_redoc_loads_without_cdn():
    response = APIClient().get("/api/redoc/")
    assert response.status_code == 200
    _assert_local_assets(response.content.decode())


def _assert_local_assets(html: str) -> None:
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith("/"), asset
    assert "cdn" not in html.lower()


# --- Robustness -------------------------------------------------------------------------------


@pytest.fixture
def post_endpoints(app):
    factories.make_subscription(app=app)
    active = factories.make_merchant(isv=app.isv, state=MerchantState.ACTIVE)
    draft = factories.make_merchant(isv=app.isv)
    subscription = factories.make_subscription(app=app, pack=factories.get_pack("credit_score"))
    authorization = factories.make_authorization(merchant=active, app=app)
    endpoint = _webhook_endpoint(app)
    event = _event(app)
    return [
        ("post", "/api/v1/merchants/"),
        ("post", "/api/v1/merchants/validate"),
        ("post", f"/api/v1/apps/{app.pk}/subscriptions/"),
        ("post", f"/api/v1/subscriptions/{subscription.pk}/cancel"),
        ("post", f"/api/v1/merchants/{draft.pk}/submit"),
        ("patch", f"/api/v1/merchants/{draft.pk}/"),
        ("post", f"/api/v1/merchants/{active.pk}/authorization-link"),
        ("post", f"/api/v1/authorizations/{authorization.pk}/revoke"),
        ("post", f"/api/v1/governance-actions/{_rectification_order(app).pk}/evidence"),
        ("post", "/api/v1/webhook-endpoints/"),
        ("patch", f"/api/v1/webhook-endpoints/{endpoint.pk}/"),
        ("post", f"/api/v1/webhook-endpoints/{endpoint.pk}/rotate-secret"),
        ("post", f"/api/v1/webhook-endpoints/{endpoint.pk}/enable"),
        ("post", f"/api/v1/webhook-endpoints/{endpoint.pk}/disable"),
        ("post", f"/api/v1/webhook-endpoints/{endpoint.pk}/test"),
        ("post", f"/api/v1/events/{event.pk}/resend"),
    ]


def _send(api, method, url, raw: bytes | str):
    return getattr(api, method)(url, raw, content_type="application/json")


def _assert_problem(response, status: int | None = None, code: str | None = None):
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    if status is not None:
        assert response.status_code == status, body
    if code is not None:
        assert body["code"] == code, body
    return body


@pytest.mark.parametrize("raw", ['{"external_id": ', "not json", "[1, 2", "\x00\xff"])
def test_malformed_json_is_400(app, post_endpoints, raw):
    api = client_for(app)
    for method, url in post_endpoints:
        _assert_problem(_send(api, method, url, raw), 400, "malformed_request")


@pytest.mark.parametrize("raw", ["[1, 2]", '"text"', "42", "null", "true",
                                 '{"external_id": 7, "packs": "merchant_basics", '
                                 '"pack": ["x"], "reason": 5, "short_name": {}}'])
def test_wrong_types_are_400(app, post_endpoints, raw):
    api = client_for(app)
    for method, url in post_endpoints:
        _assert_problem(_send(api, method, url, raw), 400)


def test_a_2_mib_body_is_413(app, post_endpoints):
    api = client_for(app)
    raw = '{"external_id": "' + "x" * (2 * 1024 * 1024) + '"}'
    for method, url in post_endpoints:
        _assert_problem(_send(api, method, url, raw), 413, "request_too_large")


def test_unknown_fields_are_listed_each(app, post_endpoints):
    api = client_for(app)
    for method, url in post_endpoints:
        body = _assert_problem(_send(api, method, url, '{"colour": "red", "size": 1}'), 400,
                               "validation_error")
        unknown = {error["field"] for error in body["errors"]
                   if error["code"] == "unknown_field"}
        assert unknown == {"colour", "size"}, (url, body)


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer ", "Basic dXNlcjpwdw==", "Bearer"])
def test_bad_tokens_are_401(app, post_endpoints, header):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)
    for method, url in post_endpoints:
        _assert_problem(_send(api, method, url, "{}"), 401, "invalid_token")


def test_an_expired_token_is_401(app, post_endpoints):
    from tests.api.isv_api_support import make_token

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(app, expires_in=-1)}")
    for method, url in post_endpoints:
        _assert_problem(_send(api, method, url, "{}"), 401, "invalid_token")


@pytest.mark.parametrize("url", ["/api/v1/merchants/abc/", "/api/v1/nothing-here/",
                                 "/api/v1/merchants/99999999999999999999999/"])
def test_unknown_urls_are_problem_404(app, url):
    _assert_problem(client_for(app).get(url), 404, "not_found")


def test_wrong_content_type_is_415(app, post_endpoints):
    api = client_for(app)
    for method, url in post_endpoints:
        response = getattr(api, method)(url, "a=1",
                                        content_type="application/x-www-form-urlencoded")
        _assert_problem(response, 415, "unsupported_media_type")
