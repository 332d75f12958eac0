"""Django's Redis cache, sharing one Redis client per connection pool; and lookups
for what a reader's page only keeps to save work, which go on without the cache.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every cache
call, and redis-py copies its whole table of reply parsers into each new client:
measured here, 90 µs of the 210 µs a `cache.get()` took. A client only holds its
pool, and redis-py makes a client safe to share between threads (each command
borrows a connection from the pool; a forked worker's pool starts afresh), so one
client per pool does the same work for less than half the price.
"""

import logging

from django.core.cache import cache
from django.core.cache.backends import redis

logger = logging.getLogger(__name__)


class SharedClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient


# What a page keeps in the cache only to save work (renditions, linked bodies) is
# worked out afresh when the cache is unreachable: a Redis outage makes pages
# slower, never a 500. (The page cache has its own handling, and an unpublish still
# fails whole without the cache: newsroom/page_cache.py.)


def get_many_or_nothing(keys) -> dict:
    """`cache.get_many(keys)`, or {} (logged) when the cache is unreachable."""
    try:
        return cache.get_many(keys)
    except Exception:  # noqa: BLE001  (any client error: connection, timeout, reply)
        logger.warning("Cache unreachable; working it out afresh", exc_info=True)
        return {}


def set_if_reachable(key, value, timeout) -> None:
    """`cache.set(...)`, skipped (logged) when the cache is unreachable."""
    try:
        cache.set(key, value, timeout)
    except Exception as error:  # noqa: BLE001
        # One line each: a page can skip twenty of these, and the lookup before
        # them has logged the traceback already.
        logger.warning("Cache unreachable; %s not kept (%r)", key, error)
