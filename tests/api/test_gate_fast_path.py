"""The gate's fast path: the token loaded by a query compiled once (on a cold call), Redis
clients reused, the decision read with the quota counted in one round trip, and that round
trip sent as the request arrives (``GateEarlyReadingMiddleware``)."""

import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from redis.exceptions import ConnectionError as RedisConnectionError

from openplatform.api import gate, quota
from openplatform.api.authentication import load_access_token
from openplatform.api.cache import RedisCache
from tests import factories
from tests.api.gate_support import URL, make_token, ratelimit_day_left, with_daily_quota

needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")


@pytest.mark.django_db
def test_token_is_loaded_with_app_isv_user_and_authorization_in_one_query(
        isv, app, django_assert_num_queries):
    merchant = factories.make_merchant(isv=isv)
    merchant_user = factories.make_merchant_user(merchant=merchant)
    authorization = factories.make_authorization(merchant=merchant, app=app)
    token, raw = make_token(app=app, user=merchant_user.user, authorization=authorization)

    with django_assert_num_queries(1):
        loaded = load_access_token(raw)
        related = (loaded.application, loaded.application.isv, loaded.user,
                   loaded.merchant_authorization.authorization)

    assert (loaded.pk, loaded.token_checksum, loaded.scope, loaded.expires) == (
        token.pk, token.token_checksum, token.scope, token.expires)
    assert related == (app, isv, merchant_user.user, authorization)
    assert related[0].state == app.state and related[1].kind == isv.kind
    assert related[3].merchant_id == merchant.pk
    assert not loaded.is_expired()


@pytest.mark.django_db
def test_app_token_has_no_user_nor_authorization_and_unknown_token_is_none(
        app, django_assert_num_queries):
    token, raw = make_token(app=app)

    with django_assert_num_queries(2):
        loaded = load_access_token(raw)
        assert load_access_token(uuid.uuid4().hex) is None
        assert loaded.user is None
        assert getattr(loaded, "merchant_authorization", None) is None

    assert loaded.pk == token.pk


def test_counters_start_at_one_count_up_and_give_back():
    window = uuid.uuid4().hex
    keys = {f"test:counter:day:{window}": 60, f"test:counter:second:{window}": 2}

    first = quota.increment(keys)
    second = quota.increment(keys)
    given_back = quota.increment(keys, amount=-1)

    assert list(first.values()) == [1, 1]
    assert list(second.values()) == [2, 2]
    assert list(given_back.values()) == [1, 1]


@needs_redis
def test_redis_cache_reuses_one_client_and_counts_with_the_window_timeout():
    redis_cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    key = "counter"

    assert redis_cache.incr_counters({key: 30}) == {key: 1}
    assert redis_cache.incr_counters({key: 30}) == {key: 2}

    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client() is client
    assert 0 < client.ttl(redis_cache.make_and_validate_key(key)) <= 30
    assert redis_cache.get(key) == 2
    redis_cache.delete(key)


@needs_redis
def test_redis_cache_reads_values_and_counts_in_one_call():
    redis_cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    redis_cache.set_many({"decision": {"pack": "merchant_basics"}, "generation": "g1"})

    values, counts = redis_cache.get_many_and_count(
        ["decision", "generation", "missing"], {"day": 90, "second": 2})
    _values, again = redis_cache.get_many_and_count([], {"day": 90, "second": 2})
    _values, back = redis_cache.get_many_and_count([], {"day": 90}, amount=-1)

    assert values == {"decision": {"pack": "merchant_basics"}, "generation": "g1"}
    assert counts == {"day": 1, "second": 1}
    assert again == {"day": 2, "second": 2}
    assert back == {"day": 1}
    client = redis_cache._cache.get_client(write=True)
    assert 0 < client.ttl(redis_cache.make_key("day")) <= 90
    assert 0 < client.ttl(redis_cache.make_key("second")) <= 2
    redis_cache.delete_many(["decision", "generation", "day", "second"])


@needs_redis
def test_giving_back_to_an_expired_counter_leaves_no_key_without_timeout():
    redis_cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})

    assert redis_cache.incr_counters({"gone": 2}, amount=-1) == {"gone": -1}

    assert 0 < redis_cache._cache.get_client().ttl(redis_cache.make_key("gone")) <= 2
    redis_cache.delete("gone")


def test_plans_are_bounded_and_the_oldest_is_forgotten(monkeypatch):
    monkeypatch.setattr(gate, "_plans", {})
    monkeypatch.setattr(gate, "PLAN_LIMIT", 2)
    plan = gate._Plan(app_id=1, pack="merchant_basics", generation_keys=(), prefetch_keys=())

    for key in ("first", "second", "second", "third"):
        gate._remember_plan(key, plan)

    assert list(gate._plans) == ["second", "third"]


@needs_redis
def test_replies_reach_their_callers_when_a_second_command_is_sent_before_the_first_is_read():
    redis_cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    redis_cache.set_many({"first": 1_000_000, "second": "two"})

    first = redis_cache.send_read_and_count(["first"], {"counter": 30})
    second = redis_cache.send_read_and_count(["second"], {"counter": 30})

    assert second.result() == ({"second": "two"}, {"counter": 2})
    assert first.result() == ({"first": 1_000_000}, {"counter": 1})
    assert first.result() == ({"first": 1_000_000}, {"counter": 1})  # read once, kept
    redis_cache.delete_many(["first", "second", "counter"])


@needs_redis
def test_a_reply_sent_early_survives_a_flushed_script_cache():
    redis_cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    redis_cache._cache.get_client(write=True).script_flush()

    pending = redis_cache.send_read_and_count([], {"counter": 30})

    assert pending.result() == ({}, {"counter": 1})
    redis_cache.delete("counter")


@pytest.fixture
def redis_gate(setup):
    """The raw token of a served merchant authorization, with 50 calls a day."""
    if not hasattr(cache, "send_read_and_count"):
        pytest.skip("the early reading needs the Redis cache (REDIS_URL)")
    return with_daily_quota(setup, 50).raw_token


def _day_left(response) -> int:
    assert response.status_code == 200, response.content
    return ratelimit_day_left(response)


def test_a_warm_call_is_read_as_it_arrives_and_counted_once(client, redis_gate, monkeypatch,
                                                            django_assert_num_queries):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {redis_gate}"}
    sent = []
    send = RedisCache.send_read_and_count
    monkeypatch.setattr(RedisCache, "send_read_and_count", lambda self, keys, *args, **kwargs:
                        sent.append(keys) or send(self, keys, *args, **kwargs))
    monkeypatch.setattr(gate, "_read_and_count", None)  # the late path would fail

    first = client.get(URL, **headers)  # cold: learns the plan and the request's signature
    with django_assert_num_queries(0):
        second = client.get(URL, **headers)
        third = client.get(URL, **headers)

    assert [_day_left(response) for response in (first, second, third)] == [49, 48, 47]
    assert len([keys for keys in sent if keys]) == 2  # the cold call only counted


def test_a_call_refused_before_the_gate_gives_its_early_count_back(client, redis_gate):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {redis_gate}"}
    assert _day_left(client.get(URL, **headers)) == 49

    refused = client.get(URL, HTTP_ACCEPT="application/xml", **headers)

    assert refused.status_code == 406
    assert _day_left(client.get(URL, **headers)) == 48


def test_an_early_reading_made_for_another_language_is_given_back(client, redis_gate):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {redis_gate}"}
    assert _day_left(client.get(URL, **headers)) == 49

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"  # same request signature
    assert _day_left(client.get(URL, **headers)) == 48
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]

    assert _day_left(client.get(URL, **headers)) == 47


def test_a_failed_early_send_leaves_the_call_to_the_gate(client, redis_gate, monkeypatch, rf):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {redis_gate}"}
    assert _day_left(client.get(URL, **headers)) == 49

    def broken(*args, **kwargs):
        raise RedisConnectionError("Redis went away")

    with monkeypatch.context() as patched:
        patched.setattr(RedisCache, "send_read_and_count", broken)
        request = rf.get(URL, **headers)
        assert gate.send_early_reading(request) is None
    assert not hasattr(request, "gate_early_reading")
    assert _day_left(client.get(URL, **headers)) == 48
