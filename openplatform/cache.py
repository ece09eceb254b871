"""Django's Redis cache, with one client per connection pool and atomic window counters.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` for every operation, and redis-py's
constructor is costly (it fills a large response-callback table); a client is thread-safe and
only borrows connections from its pool, so one per pool serves every operation.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def incr_counters(self, timeouts: dict[str, int]) -> dict[str, int]:
        """Count one more in each counter, creating it (0, with its timeout in seconds) if it
        is missing: one round trip, atomic, so a counter cannot expire between the two."""
        keys = {key: self.make_and_validate_key(key) for key in timeouts}
        pipeline = self._cache.get_client(write=True).pipeline(transaction=True)
        for key, timeout in timeouts.items():
            pipeline.set(keys[key], 0, ex=timeout, nx=True)
            pipeline.incr(keys[key])
        results = pipeline.execute()
        return {key: int(count) for key, count in zip(timeouts, results[1::2], strict=True)}
