"""Docs in the portal: the quickstart with the developer's own sandbox client id, the event
catalogue, and the webhook verification snippet that must accept what the platform signs."""

import time

import pytest
from django.urls import reverse

from isv.choices import AppEnvironment, MemberRole
from openplatform.events import signing
from openplatform.events.registry import event_types
from portal.docs import HMAC_VERIFY_SNIPPET
from tests import factories
from tests.portal.support import client_for, make_member

pytestmark = pytest.mark.django_db


def test_the_quickstart_carries_the_first_sandbox_app_and_the_site_address(
        portal_isv, owner_client):
    factories.make_app(isv=portal_isv, environment=AppEnvironment.PRODUCTION, name="Prod")
    first = factories.make_app(isv=portal_isv, name="Sandbox one",
                               redirect_uris="https://shop.example.com/oauth/back")
    factories.make_app(isv=portal_isv, name="Sandbox two")

    page = owner_client.get(reverse("portal:docs")).content.decode()

    assert f'export CLIENT_ID="{first.client_id}"' in page
    assert 'export PLATFORM="http://testserver"' in page
    assert "grant_type=client_credentials" in page
    assert "/api/v1/merchants/" in page and "/api/v1/merchant/info" in page
    assert "code_challenge_method=S256" in page
    assert "redirect_uri=https%3A%2F%2Fshop.example.com%2Foauth%2Fback" in page
    assert 'href="/api/docs/"' in page and 'href="/api/redoc/"' in page
    assert "webhook.verify(request.body, request.headers)" in page
    assert "hmac.compare_digest" in page


def test_without_a_sandbox_app_the_quickstart_says_how_to_make_one(portal_isv, owner_client):
    factories.make_app(isv=factories.make_isv(), name="Not yours")

    page = owner_client.get(reverse("portal:docs")).content.decode()

    assert "you have none yet" in page
    assert reverse("portal:app_create") in page
    assert "your-sandbox-client-id" in page


@pytest.mark.parametrize("role", list(MemberRole))
def test_every_role_reads_the_docs(portal_isv, role):
    client = client_for(make_member(portal_isv, role).user)

    assert client.get(reverse("portal:docs")).status_code == 200
    assert client.get(reverse("portal:docs_events")).status_code == 200


def test_the_event_catalogue_lists_every_event_type_with_its_data(portal_isv, owner_client):
    page = owner_client.get(reverse("portal:docs_events")).content.decode()

    for event_type in event_types():
        assert f'id="{event_type}"' in page
    assert "reason_code" in page and "refund_amount" in page


def _verify_with_the_snippet(secret: str, body: bytes, headers: dict) -> bool:
    namespace: dict = {}
    exec(HMAC_VERIFY_SNIPPET.replace('"whsec_..."', repr(secret)), namespace)
    return namespace["verify"](body, headers)


def test_the_hmac_snippet_accepts_what_the_platform_signs_and_nothing_else():
    secret, old_secret = signing.new_secret(), signing.new_secret()
    body = b'{"type": "merchant.activated"}'
    now = int(time.time())

    def headers(*, secrets, timestamp=now, message_id="evt_1"):
        return {"webhook-id": message_id, "webhook-timestamp": str(timestamp),
                "webhook-signature": signing.signature_header(
                    secrets=secrets, message_id=message_id, timestamp=timestamp, body=body)}

    assert _verify_with_the_snippet(secret, body, headers(secrets=[secret]))
    assert _verify_with_the_snippet(secret, body, headers(secrets=[old_secret, secret]))
    assert not _verify_with_the_snippet(secret, body + b" ", headers(secrets=[secret]))
    assert not _verify_with_the_snippet(secret, body, headers(secrets=[old_secret]))
    assert not _verify_with_the_snippet(secret, body,
                                        headers(secrets=[secret], timestamp=now - 3600))
