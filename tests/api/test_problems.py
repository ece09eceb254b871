"""Every API error is RFC 9457 problem+json with a stable code; bad input is a 4xx, never 500."""

import json

import pytest
from django.urls import path
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.urls import handler404  # noqa: F401 (this module is a URLconf in tests)

PROBLEM_KEYS = {"type", "title", "status", "code", "detail", "instance"}


class EchoSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    count = serializers.IntegerField(min_value=1)


class EchoView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def post(self, request):
        serializer = EchoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


urlpatterns = [path("api/v1/echo", EchoView.as_view())]


def assert_problem(response, *, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith(f"/docs/errors#{code}")
    assert body["title"]
    assert body["detail"]
    assert body["instance"] == f"urn:request:{response['X-Request-Id']}"
    return body


@pytest.mark.django_db
def test_capability_without_token_is_a_401_problem(client):
    response = client.get("/api/v1/merchant/info")

    body = assert_problem(response, status=401, code="invalid_token")
    assert "Bearer" in body["detail"]


@pytest.mark.django_db
def test_unknown_api_url_is_a_404_problem(client):
    assert_problem(client.get("/api/v1/no-such-thing"), status=404, code="not_found")


@pytest.mark.urls(__name__)
def test_malformed_json_is_a_400_problem(client):
    response = client.post("/api/v1/echo", data='{"name": ', content_type="application/json")

    assert_problem(response, status=400, code="malformed_request")


@pytest.mark.urls(__name__)
def test_wrong_content_type_is_a_415_problem(client):
    response = client.post("/api/v1/echo", data="name=a", content_type="text/plain")

    assert_problem(response, status=415, code="unsupported_media_type")


@pytest.mark.urls(__name__)
def test_huge_body_is_refused_without_a_server_error(client):
    body = json.dumps({"name": "a", "count": 1, "padding": "x" * (2 * 1024 * 1024)})

    response = client.post("/api/v1/echo", data=body, content_type="application/json")

    assert_problem(response, status=413, code="request_too_large")


@pytest.mark.urls(__name__)
def test_validation_errors_list_each_field_with_a_code(client):
    response = client.post("/api/v1/echo", data={"name": "too long", "count": "x"},
                           content_type="application/json")

    body = assert_problem(response, status=400, code="validation_error")
    assert {(error["field"], error["code"]) for error in body["errors"]} == {
        ("name", "max_length"), ("count", "invalid")}
    assert all(error["message"] for error in body["errors"])


@pytest.mark.urls(__name__)
def test_client_request_id_becomes_the_instance(client):
    response = client.post("/api/v1/echo", data="{", content_type="application/json",
                           HTTP_X_REQUEST_ID="trace-12345678")

    assert response.json()["instance"] == "urn:request:trace-12345678"
