"""The gate over real HTTP (Django's live server, real Redis): warm calls take the round trip
``GateEarlyReadingMiddleware`` sent as they arrived, and every service change still refuses the
very next call."""

import json
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from openplatform.api.cache import RedisCache
from tests.api.gate_support import URL, ratelimit_day_left, with_daily_quota
from tests.api.test_gate import SERVICE_CHANGES

pytestmark = [
    pytest.mark.skipif(not settings.REDIS_URL, reason="the early reading needs Redis"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def served(setup):
    return with_daily_quota(setup, 50)


def get(live_server, raw_token: str, **headers: str) -> tuple[int, dict, dict]:
    request = urllib.request.Request(f"{live_server.url}{URL}", headers={
        "Authorization": f"Bearer {raw_token}", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")


@pytest.mark.parametrize("change", SERVICE_CHANGES)
def test_a_change_refuses_the_next_warm_call_over_http(live_server, served, change):
    code, apply = SERVICE_CHANGES[change]
    for _ in range(3):  # the first call is cold; the others are read as they arrive
        status, _headers, body = get(live_server, served.raw_token)
        assert status == 200, body

    apply(served)  # committed: the generations are bumped on commit

    status, _headers, body = get(live_server, served.raw_token)
    assert body["code"] == code


def test_calls_over_http_count_once_each_refusals_before_the_gate_none(live_server, served,
                                                                       monkeypatch):
    reads = []
    send = RedisCache.send_read_and_count
    monkeypatch.setattr(RedisCache, "send_read_and_count", lambda self, keys, *args, **kwargs:
                        (keys and reads.append(keys)) or send(self, keys, *args, **kwargs))

    lefts = [ratelimit_day_left(get(live_server, served.raw_token)[1]) for _ in range(3)]
    not_acceptable, _headers, _body = get(live_server, served.raw_token, Accept="application/xml")
    after = ratelimit_day_left(get(live_server, served.raw_token)[1])

    assert lefts == [49, 48, 47]
    assert not_acceptable == 406
    assert after == 46
    # Every call after the first was read as it arrived, the refused one included.
    assert len(reads) == 4
