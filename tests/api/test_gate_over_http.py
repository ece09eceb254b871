"""The gate over real HTTP (Django's live server, real Redis): warm calls take the round trip
``GateEarlyReadingMiddleware`` sent as they arrived, and every service change still refuses the
very next call."""

import json
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from merchants.choices import MerchantState
from openplatform.cache import RedisCache
from tests import factories
from tests.api.test_gate import SERVICE_CHANGES, URL, Setup, make_token

pytestmark = [
    pytest.mark.skipif(not settings.REDIS_URL, reason="the early reading needs Redis"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def setup(isv, app):
    subscription = factories.make_subscription(app=app, daily_quota_override=50)
    merchant = factories.make_merchant(isv=isv, state=MerchantState.ACTIVE)
    merchant_user = factories.make_merchant_user(merchant=merchant)
    authorization = factories.make_authorization(merchant=merchant, app=app)
    token, raw = make_token(app=app, user=merchant_user.user, authorization=authorization)
    return Setup(isv=isv, app=app, subscription=subscription, merchant=merchant,
                 authorization=authorization, token=token, raw_token=raw)


def get(live_server, raw_token: str, **headers: str) -> tuple[int, dict, dict]:
    request = urllib.request.Request(f"{live_server.url}{URL}", headers={
        "Authorization": f"Bearer {raw_token}", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")


def day_left(headers: dict) -> int:
    return int(headers["RateLimit"].split(";r=")[1].split(";")[0])


@pytest.mark.parametrize("change", SERVICE_CHANGES)
def test_a_change_refuses_the_next_warm_call_over_http(live_server, setup, change):
    code, apply = SERVICE_CHANGES[change]
    for _ in range(3):  # the first call is cold; the others are read as they arrive
        status, _headers, body = get(live_server, setup.raw_token)
        assert status == 200, body

    apply(setup)  # committed: the generations are bumped on commit

    status, _headers, body = get(live_server, setup.raw_token)
    assert body["code"] == code


def test_calls_over_http_count_once_each_refusals_before_the_gate_none(live_server, setup,
                                                                       monkeypatch):
    reads = []
    send = RedisCache.send_read_and_count
    monkeypatch.setattr(RedisCache, "send_read_and_count", lambda self, keys, *args, **kwargs:
                        (keys and reads.append(keys)) or send(self, keys, *args, **kwargs))

    lefts = [day_left(get(live_server, setup.raw_token)[1]) for _ in range(3)]
    not_acceptable, _headers, _body = get(live_server, setup.raw_token, Accept="application/xml")
    after = day_left(get(live_server, setup.raw_token)[1])

    assert lefts == [49, 48, 47]
    assert not_acceptable == 406
    assert after == 46
    # Every call after the first was read as it arrived, the refused one included.
    assert len(reads) == 4
