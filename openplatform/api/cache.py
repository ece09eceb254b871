"""Django's Redis cache, with one client per connection pool and atomic window counters.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` for every operation, and redis-py's
constructor is costly (it fills a large response-callback table); a client is thread-safe and
only borrows connections from its pool, so one per pool serves every operation.

The capability gate reads its cached decision and counts the call's quota windows in ONE round
trip (``get_many_and_count``): a Lua script, so redis-py packs one command and parses one reply,
sent on a connection each thread keeps for it: checking a connection out of redis-py's pool and
back costs more than the round trip itself (locks, a poll of the socket, metrics), several times
the CPU of sending the command on a connection already at hand. ``send_read_and_count`` sends it
without waiting, so that a request is routed while Redis answers.
"""

import hashlib
import os
import threading
from dataclasses import dataclass
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, RedisError

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
        a missing counter starts at 0): one round trip, atomic."""
        return self.send_read_and_count(keys, counters, amount=amount).result()

    def send_read_and_count(self, keys: list[str], counters: dict[str, int], *,
                            amount: int = 1) -> "PendingReadAndCount":
        """Send what ``get_many_and_count`` does without waiting for the reply: the caller
        works on while Redis answers, and ``result()`` reads it.

        Keys are made with ``make_key`` but not validated: the validation only warns about
        keys memcached would refuse, and costs more than the rest of the call.
        """
        made = [self.make_key(key) for key in (*keys, *counters)]
        arguments = (len(made), *made, len(keys), amount, *counters.values())
        held = self._held_connection()
        if held.outstanding is not None:
            # One reply at a time per connection: the earlier caller's is read (and kept
            # for it) first, so no reply ever reaches the wrong caller.
            held.outstanding.receive()
        try:
            held.connection.send_command("EVALSHA", READ_AND_COUNT_SHA, *arguments)
        except RedisConnectionError:
            # Nothing reached the server (an idle connection was closed): send once more.
            held.connection.disconnect()
            held.connection.send_command("EVALSHA", READ_AND_COUNT_SHA, *arguments)
        held.outstanding = PendingReadAndCount(
            held=held, arguments=arguments, keys=keys, counters=list(counters),
            loads=self._cache._serializer.loads)
        return held.outstanding

    def incr_counters(self, timeouts: dict[str, int], *, amount: int = 1) -> dict[str, int]:
        """Add ``amount`` to each counter, creating it (0, with its timeout in seconds) if it
        is missing: one round trip, atomic, so a counter cannot expire between the two."""
        return self.get_many_and_count([], timeouts, amount=amount)[1]

    def _held_connection(self) -> "_HeldConnection":
        """This thread's own connection to the primary, made like the pool's, outside it."""
        held = getattr(self._held, "connection", None)
        if held is None or held.pid != os.getpid():  # a forked child makes its own
            pool = self._cache._get_connection_pool(write=True)
            held = self._held.connection = _HeldConnection(
                connection=pool.connection_class(**pool.connection_kwargs), pid=os.getpid())
        return held


@dataclass
class _HeldConnection:
    connection: Any
    pid: int
    # The read-and-count sent on it whose reply is not read yet.
    outstanding: "PendingReadAndCount | None" = None


_UNREAD = object()


class PendingReadAndCount:
    """A read-and-count sent on this thread's held connection; ``result()`` reads its reply
    (waiting for it if it has not come yet) once, and decodes it."""

    def __init__(self, *, held: _HeldConnection, arguments: tuple, keys: list[str],
                 counters: list[str], loads) -> None:
        self._held = held
        self._arguments = arguments
        self._keys = keys
        self._counters = counters
        self._loads = loads
        self._reply: Any = _UNREAD
        self._error: RedisError | None = None

    def result(self) -> tuple[dict[str, Any], dict[str, int]]:
        self.receive()
        if self._error is not None:
            raise self._error
        reply = self._reply
        values = {key: self._loads(raw) for key, raw in zip(self._keys, reply, strict=False)
                  if raw is not None}
        counts = {key: int(count) for key, count in zip(self._counters, reply[len(self._keys):],
                                                          strict=True)}
        return values, counts

    def receive(self) -> None:
        """Read the reply off the connection (once), keeping any error for ``result()``."""
        if self._reply is not _UNREAD or self._error is not None:
            return
        held = self._held
        if held.outstanding is self:
            held.outstanding = None
        connection = held.connection
        try:
            try:
                self._reply = connection.read_response()
            except NoScriptError:
                # The server restarted or flushed its scripts: load it, and run it this once.
                connection.send_command("EVAL", READ_AND_COUNT_SCRIPT, *self._arguments)
                self._reply = connection.read_response()
        except RedisError as error:
            connection.disconnect()
            self._error = error
