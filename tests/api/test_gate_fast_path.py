"""The gate's fast path: the token loaded by a query compiled once (on a cold call), Redis
clients reused, and the decision read with the quota counted in one round trip."""

import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from merchants.models import AuthorizationToken
from openplatform.api import gate, quota
from openplatform.api.authentication import load_access_token
from openplatform.cache import RedisCache
from tests import factories

needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")


def _token(*, app, user=None, authorization=None):
    raw = uuid.uuid4().hex
    token = get_access_token_model().objects.create(
        application=app, user=user, token=raw, scope="pack:merchant_basics",
        expires=timezone.now() + timedelta(hours=1))
    if authorization is not None:
        AuthorizationToken.objects.create(access_token=token, authorization=authorization)
    return token, raw


@pytest.mark.django_db
def test_token_is_loaded_with_app_isv_user_and_authorization_in_one_query(
        isv, app, django_assert_num_queries):
    merchant = factories.make_merchant(isv=isv)
    merchant_user = factories.make_merchant_user(merchant=merchant)
    authorization = factories.make_authorization(merchant=merchant, app=app)
    token, raw = _token(app=app, user=merchant_user.user, authorization=authorization)

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
    token, raw = _token(app=app)

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
