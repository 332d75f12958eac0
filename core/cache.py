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
import threading
import time
from collections import OrderedDict

import redis as redis_py
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends import redis
from django.core.signals import setting_changed

logger = logging.getLogger(__name__)


class RedisSkipped(redis_py.ConnectionError):
    """Redis was not asked: it failed moments ago (see `RedisBreaker`)."""


class RedisBreaker:
    """After Redis fails to answer (refused, or silent past the socket timeout),
    this worker takes it as down for `NEWSROOM_REDIS_RETRY_SECONDS`: each call
    fails at once, as with a Redis that is down, and callers degrade as they do
    then (pages rendered fresh, a save refused). A hung Redis costs a worker one
    timeout every few seconds, not one for every key of every page."""

    def __init__(self):
        self.closed_until = 0.0

    def check(self) -> None:
        if time.monotonic() < self.closed_until:
            raise RedisSkipped("Redis failed moments ago; not asked")

    def failed(self, error) -> None:
        seconds = settings.NEWSROOM_REDIS_RETRY_SECONDS
        logger.warning("Redis unreachable (%r); taken as down for %s s", error, seconds)
        self.closed_until = time.monotonic() + seconds

    def reset(self) -> None:
        self.closed_until = 0.0


breaker = RedisBreaker()


class BoundedRedis(redis_py.Redis):
    """A Redis client that fails at once while the breaker is open, and opens it
    when Redis does not answer."""

    def execute_command(self, *args, **options):
        breaker.check()
        try:
            return super().execute_command(*args, **options)
        except (redis_py.ConnectionError, redis_py.TimeoutError) as error:
            breaker.failed(error)
            raise

    def pipeline(self, *args, **kwargs):
        breaker.check()
        return super().pipeline(*args, **kwargs)


class SharedClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._client = BoundedRedis

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


# Add one to the clock (KEYS[1]) and set every other key to its new value, as one
# step: two invalidations at once never leave a key at the older one's value.
TICK = """
local clock = redis.call('INCR', KEYS[1])
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], clock)
end
return clock
"""


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def tick(self, clock_key: str, keys) -> int:
        """Add one to the integer at `clock_key` and set each of `keys` to the
        result, kept until replaced, atomically; returns the new value (read back
        by `get()` as an int)."""
        client = self._cache.get_client(write=True)
        names = [self.make_and_validate_key(key) for key in (clock_key, *keys)]
        return int(client.register_script(TICK)(keys=names))


# What a page keeps in the cache only to save work (renditions, linked bodies) is
# worked out afresh when the cache is unreachable: a Redis outage makes pages
# slower, never a 500. (The page cache has its own handling, and an unpublish still
# fails whole without the cache: core/page_cache.py.)


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


# Some of those entries are named by their content: a rendition's key is its
# original's file name (never reused: storages pick a fresh name for every upload), a
# linked body's key hashes the story's edit time and its people. What is under such a
# key never changes, so a worker can keep its own copy and skip the round trip to
# Redis (0.3 ms of a story page's 3.5 here) for the stories and pictures it serves
# again and again: an election night's front page and its top stories.


class WorkerCopies:
    """A least-recently-used store of content-named cache entries in this worker's
    memory, within about `budget` bytes (a linked body weighs ten of a picture's
    renditions), each kept at most `seconds` (a rendition found missing is looked
    for again in time, as in the shared cache)."""

    ENTRY_OVERHEAD = 200  # the key, the tuple and the dictionary's node

    def __init__(self, budget: int, seconds: float):
        self.budget = budget
        self.seconds = seconds
        self.used = 0
        self._entries: OrderedDict = OrderedDict()  # key: (deadline, value, size)
        self._lock = threading.Lock()

    def get_many(self, keys) -> dict:
        now = time.monotonic()
        found = {}
        with self._lock:
            for key in keys:
                entry = self._entries.get(key)
                if entry is None:
                    continue
                if entry[0] < now:
                    self._forget(key)
                    continue
                self._entries.move_to_end(key)
                found[key] = entry[1]
        return found

    def keep(self, key, value, seconds=None) -> None:
        size = _approximate_size(value) + self.ENTRY_OVERHEAD
        if size > self.budget:
            return
        lifetime = self.seconds if seconds is None else min(seconds, self.seconds)
        with self._lock:
            if key in self._entries:
                self._forget(key)
            self._entries[key] = (time.monotonic() + lifetime, value, size)
            self.used += size
            while self.used > self.budget:
                self._forget(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.used = 0

    def _forget(self, key) -> None:
        self.used -= self._entries.pop(key)[2]


def _approximate_size(value) -> int:
    """Bytes a value holds, near enough for a budget: a text's length, else its
    repr's (a picture's renditions: their addresses)."""
    return len(value) if isinstance(value, str) else len(repr(value))


def _worker_copies() -> WorkerCopies:
    return WorkerCopies(
        int(settings.NEWSROOM_WORKER_CACHE_MB * 1_000_000),
        settings.NEWSROOM_WORKER_CACHE_SECONDS,
    )


worker_copies = _worker_copies()


def get_many_content_named(keys) -> dict:
    """`get_many_or_nothing(keys)` for keys named by their content: this worker's
    own copies first, the shared cache for the rest (then copied here)."""
    found = worker_copies.get_many(keys)
    if len(found) < len(keys):
        shared = get_many_or_nothing([key for key in keys if key not in found])
        for key, value in shared.items():
            worker_copies.keep(key, value)
        found.update(shared)
    return found


def set_content_named(key, value, timeout) -> None:
    """`set_if_reachable(...)` of a key named by its content, copied here too."""
    set_if_reachable(key, value, timeout)
    worker_copies.keep(key, value, timeout)


def _new_worker_copies(*, setting, **kwargs):
    global worker_copies
    if setting.startswith(("NEWSROOM_WORKER_CACHE_", "CACHES")):
        worker_copies = _worker_copies()
    if setting == "CACHES":
        breaker.reset()


setting_changed.connect(_new_worker_copies)
