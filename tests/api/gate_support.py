"""Helpers for the tests of the capability gate in front of ``merchant.info.query``: a merchant
authorization's token, the call, and the RateLimit header read back."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from isv.models import App, Isv, Subscription
from merchants.choices import MerchantState
from merchants.models import AuthorizationToken, Merchant, Store
from tests import factories

URL = "/api/v1/merchant/info"


@dataclass
class Setup:
    isv: Isv
    app: App
    subscription: Subscription
    merchant: Merchant
    authorization: object
    token: object
    raw_token: str


def make_token(*, app, user=None, scope="pack:merchant_basics", authorization=None,
               expires_in=timedelta(hours=1)):
    raw = uuid.uuid4().hex
    token = get_access_token_model().objects.create(
        application=app, user=user, token=raw, scope=scope, expires=timezone.now() + expires_in)
    if authorization is not None:
        AuthorizationToken.objects.create(access_token=token, authorization=authorization)
    return token, raw


def make_setup(*, isv: Isv, app: App) -> Setup:
    """An active merchant with a store that authorized ``app``, subscribed to merchant basics,
    and a token of that authorization."""
    subscription = factories.make_subscription(app=app)
    merchant = factories.make_merchant(isv=isv, state=MerchantState.ACTIVE)
    Store.objects.create(merchant=merchant, external_id="S1", name="Main store", city="Shanghai",
                         address="1 Century Avenue")
    merchant_user = factories.make_merchant_user(merchant=merchant)
    authorization = factories.make_authorization(merchant=merchant, app=app)
    token, raw = make_token(app=app, user=merchant_user.user, authorization=authorization)
    return Setup(isv=isv, app=app, subscription=subscription, merchant=merchant,
                 authorization=authorization, token=token, raw_token=raw)


def with_daily_quota(setup: Setup, daily_quota: int) -> Setup:
    Subscription.objects.filter(pk=setup.subscription.pk).update(
        daily_quota_override=daily_quota)
    return setup


def call(client, raw_token: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"} if raw_token else {}
    return client.get(URL, **headers)


def ratelimit_day_left(response) -> int:
    """The calls left today, from the RateLimit header of a response (or a headers mapping)."""
    return int(response["RateLimit"].split(";r=")[1].split(";")[0])
