"""Django's Redis cache, with one client per connection pool and atomic window counters.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` for every operation, and redis-py's
constructor is costly (it fills a large response-callback table); a client is thread-safe and
only borrows connections from its pool, so one per pool serves every operation.

The capability gate reads its cached decision and counts the call's quota windows in ONE round
trip (``get_many_and_count``): a Lua script, so redis-py packs one command and parses one reply,
sent on a connection each thread keeps for it. Checking a connection out of redis-py's pool and
back costs more than the round trip itself (locks, a poll of the socket, metrics), several
times the CPU of sending the command on a connection already at hand.
"""

import hashlib
import os
import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError

# KEYS: the values to read, then the counters. ARGV[1]: how many values; ARGV[2]: the amount
# added to each counter; ARGV[3...]: each counter's timeout in seconds, set when it has none
# (a new counter, whatever the amount). Atomic: a counter cannot expire between the two.
READ_AND_COUNT_SCRIPT = """
local reads = tonumber(ARGV[1])
local result = {}
if reads > 0 then
  result = redis.call('MGET', unpack(KEYS, 1, reads))
end
for index = reads + 1, #KEYS do
  local count = redis.call('INCRBY', KEYS[index], ARGV[2])
  if redis.call('PTTL', KEYS[index]) == -1 then
    redis.call('EXPIRE', KEYS[index], ARGV[index - reads + 2])
  end
  result[#result + 1] = count
end
return result
"""
READ_AND_COUNT_SHA = hashlib.sha1(READ_AND_COUNT_SCRIPT.encode()).hexdigest()


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
        self._held = threading.local()

    def get_many_and_count(self, keys: list[str], counters: dict[str, int], *,
                           amount: int = 1) -> tuple[dict[str, Any], dict[str, int]]:
        """``get_many(keys)``, and ``amount`` added to each counter (key → timeout in seconds,
        a missing counter starts at 0): one round trip, atomic.

        Keys are made with ``make_key`` but not validated: the validation only warns about
        keys memcached would refuse, and costs more than the rest of the call.
        """
        made = [self.make_key(key) for key in (*keys, *counters)]
        reply = self._run_read_and_count(made, [len(keys), amount, *counters.values()])
        loads = self._cache._serializer.loads
        values = {key: loads(raw) for key, raw in zip(keys, reply, strict=False)
                  if raw is not None}
        counts = {key: int(count) for key, count in zip(counters, reply[len(keys):],
                                                          strict=True)}
        return values, counts

    def incr_counters(self, timeouts: dict[str, int], *, amount: int = 1) -> dict[str, int]:
        """Add ``amount`` to each counter, creating it (0, with its timeout in seconds) if it
        is missing: one round trip, atomic, so a counter cannot expire between the two."""
        return self.get_many_and_count([], timeouts, amount=amount)[1]

    def _held_connection(self):
        """This thread's own connection to the primary, made like the pool's, outside it."""
        held = getattr(self._held, "connection", None)
        if held is None or self._held.pid != os.getpid():  # a forked child makes its own
            pool = self._cache._get_connection_pool(write=True)
            held = self._held.connection = pool.connection_class(**pool.connection_kwargs)
            self._held.pid = os.getpid()
        return held

    def _run_read_and_count(self, keys: list[str], args: list) -> list:
        connection = self._held_connection()
        command = ("EVALSHA", READ_AND_COUNT_SHA, len(keys), *keys, *args)
        try:
            connection.send_command(*command)
        except RedisConnectionError:
            # Nothing reached the server (an idle connection was closed): send once more.
            connection.disconnect()
            connection.send_command(*command)
        try:
            return connection.read_response()
        except NoScriptError:
            # The server restarted or flushed its scripts: load it, and run it this once.
            connection.send_command("EVAL", READ_AND_COUNT_SCRIPT, len(keys), *keys, *args)
            return connection.read_response()
