"""Signatures as a receiver checks them: with the standardwebhooks library, across a rotation."""

from datetime import timedelta

import pytest
from django.db import transaction
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from openplatform.events import services
from openplatform.events.choices import DeliveryState
from openplatform.events.models import Delivery
from openplatform.events.signing import new_secret, signature_header


def _deliver_one(endpoint, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delivery = services.webhook_endpoint_send_test(endpoint=endpoint, actor=None)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    return delivery


def test_a_delivery_verifies_with_the_standardwebhooks_library(
        endpoint_and_secret, receiver, django_capture_on_commit_callbacks):
    endpoint, secret = endpoint_and_secret
    delivery = _deliver_one(endpoint, django_capture_on_commit_callbacks)

    [message] = receiver.received
    payload = Webhook(secret).verify(message.body, message.headers)
    assert payload["type"] == "webhook_endpoint.test"
    assert payload["id"] == message.headers["webhook-id"] == delivery.event.webhook_id
    assert payload["data"]["endpoint_id"] == str(endpoint.pk)


def test_a_tampered_body_or_another_secret_fails_verification(
        endpoint_and_secret, receiver, django_capture_on_commit_callbacks):
    endpoint, secret = endpoint_and_secret
    _deliver_one(endpoint, django_capture_on_commit_callbacks)
    [message] = receiver.received

    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(message.body.replace(b"test", b"tost"), message.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(message.body, message.headers)


def test_during_a_rotation_both_secrets_verify_and_after_it_only_the_new_one(
        endpoint_and_secret, receiver, django_capture_on_commit_callbacks):
    endpoint, old_secret = endpoint_and_secret
    new = services.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=None,
                                                  overlap=timedelta(hours=2))
    endpoint.refresh_from_db()
    _deliver_one(endpoint, django_capture_on_commit_callbacks)
    during = receiver.received[-1]
    assert len(during.headers["webhook-signature"].split()) == 2
    Webhook(old_secret).verify(during.body, during.headers)
    Webhook(new).verify(during.body, during.headers)

    Delivery.objects.all().delete()
    type(endpoint).objects.filter(pk=endpoint.pk).update(
        previous_secret_expires_at=endpoint.previous_secret_expires_at - timedelta(hours=3))
    endpoint.refresh_from_db()
    _deliver_one(endpoint, django_capture_on_commit_callbacks)
    after = receiver.received[-1]
    assert len(after.headers["webhook-signature"].split()) == 1
    Webhook(new).verify(after.body, after.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old_secret).verify(after.body, after.headers)


def test_rotation_without_overlap_drops_the_old_secret_at_once(endpoint_and_secret):
    endpoint, old_secret = endpoint_and_secret
    new = services.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=None,
                                                  overlap=timedelta(0))
    endpoint.refresh_from_db()
    assert services.signing_secrets(endpoint) == [new]
    assert old_secret not in endpoint.secret_ciphertext


def test_signature_header_matches_the_library_signer():
    secret = new_secret()
    body = b'{"a":1}'
    header = signature_header(secrets=[secret], message_id="evt_1", timestamp=1764115200,
                              body=body)
    from datetime import UTC, datetime

    expected = Webhook(secret).sign("evt_1", datetime.fromtimestamp(1764115200, tz=UTC),
                                    body.decode())
    assert header == expected
