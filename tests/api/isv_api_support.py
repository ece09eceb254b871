"""Helpers for the ISV API tests: real DOT access tokens for apps acting as themselves."""

import secrets
from datetime import timedelta

from django.utils import timezone
from oauth2_provider.models import get_access_token_model, set_token_value
from rest_framework.test import APIClient

from tests import factories

ISV_SCOPES = "isv:read isv:merchants"


def make_token(app, *, scope: str = ISV_SCOPES, expires_in: int = 3600) -> str:
    """A client-credentials access token of ``app`` (stored hashed, as DOT does)."""
    raw = secrets.token_urlsafe(30)
    token = get_access_token_model()(
        application=app, user=None, scope=scope,
        expires=timezone.now() + timedelta(seconds=expires_in))
    set_token_value(token, raw)
    token.save()
    return raw


def client_for(app, *, scope: str = ISV_SCOPES) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(app, scope=scope)}")
    return client


def merchant_payload(**overrides) -> dict:
    number = factories.next_number()
    return {
        "external_id": f"ext-{number}",
        "legal_name": f"上海测试商贸有限公司{number}",
        "short_name": f"测试小店{number}",
        "uscc": factories.make_uscc(number),
        "legal_rep_name": "王五",
        "legal_rep_id_number": factories.make_id_number(number),
        "settlement_account_name": "上海测试商贸有限公司",
        "settlement_bank_name": "中国工商银行",
        "settlement_account": factories.make_bank_account(number),
        "contact_phone": "13912345678",
        "contact_email": "boss@example.com",
        "mcc": "5411",
        "address": "上海市浦东新区世纪大道100号",
        "business_scope": "日用百货零售",
        **overrides,
    }
