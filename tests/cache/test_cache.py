"""The Redis cache backend shares one client per connection pool (core.cache)."""

import threading

import pytest
import redis

from core.cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.fixture
def redis_cache():
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": "test-cache"})
    try:
        backend.clear()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    yield backend
    backend.clear()


def test_every_call_reuses_one_client(redis_cache):
    first = redis_cache._cache.get_client("a")
    redis_cache.set("a", 1)

    assert redis_cache._cache.get_client("b", write=True) is first


def test_the_shared_client_reads_what_it_wrote(redis_cache):
    redis_cache.set("headline", "Ossoff concedes", 60)
    redis_cache.set_many({"one": 1, "two": 2})

    assert redis_cache.get("headline") == "Ossoff concedes"
    assert redis_cache.get_many(["one", "two"]) == {"one": 1, "two": 2}
    assert redis_cache.incr("one") == 2
    assert redis_cache.delete("headline")
    assert redis_cache.get("headline") is None


def test_threads_share_the_client_without_mixing_replies(redis_cache):
    """Each command borrows its own connection from the pool: sixteen threads
    reading different keys at once each get their own value back."""
    redis_cache.set_many({f"key-{n}": n for n in range(16)})
    wrong = []

    def read(n):
        for _ in range(200):
            if redis_cache.get(f"key-{n}") != n:
                wrong.append(n)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert wrong == []


def test_entries_pickled_before_a_class_moved_are_not_read(redis_cache):
    """Regression: renditions cached as `articles.renditions.Rendition` failed to
    unpickle on every read after the class moved to `core.renditions`; the cache's
    version (newsroom.settings.redis_cache) leaves such entries unread."""
    from newsroom.settings import redis_cache as settings_for

    version = settings_for(REDIS_URL)["VERSION"]
    client = redis.Redis.from_url(REDIS_URL)
    old = redis_cache.make_key("rendition:a.jpg", version=1)
    # A pickle naming a module that no longer exists.
    client.set(
        old,
        b"\x80\x05\x95\x1a\x00\x00\x00\x00\x00\x00\x00\x8c\x13articles.renditions\x94\x8c\x01X\x94\x93\x94.",
    )

    assert version > 1
    assert redis_cache.get("rendition:a.jpg", version=version) is None
