"""Every wait on Redis and PostgreSQL is bounded: a hung dependency costs a reader
a short wait and a degraded answer (a page rendered fresh, a stale copy, a 503 with
Retry-After), never a worker held until gunicorn kills it. Real servers of the
tests' own are frozen and locked here (tests/fault_servers.py)."""

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

import newsroom.settings
from core.cache import breaker
from newsroom.settings import redis_cache
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own timeouts"
)


@pytest.fixture
def frozen_redis_cache(settings, own_redis):
    """The page cache in a Redis of the test's own, which the test may freeze."""
    settings.CACHES = {"default": redis_cache(own_redis.url)}
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    settings.NEWSROOM_REDIS_RETRY_SECONDS = 60  # one timeout in this whole test
    breaker.reset()
    yield own_redis
    breaker.reset()


def test_redis_calls_are_bounded_by_short_timeouts():
    options = redis_cache("redis://127.0.0.1:6379/0")["OPTIONS"]

    assert 0 < options["socket_timeout"] <= 0.5
    assert 0 < options["socket_connect_timeout"] <= 0.5


def test_a_frozen_redis_costs_one_timeout_then_pages_are_served_fresh(
    client, frozen_redis_cache, caplog
):
    ArticleFactory(headline="Polls close in Georgia")
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    frozen_redis_cache.freeze()

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        responses = [client.get("/") for _ in range(3)]

    assert [response.status_code for response in responses] == [200, 200, 200]
    assert all("Polls close" in response.content.decode() for response in responses)
    waits = [r for r in caplog.records if r.getMessage().startswith("Redis unreach")]
    assert len(waits) == 1


def test_redis_is_asked_again_once_it_answers(client, frozen_redis_cache):
    ArticleFactory()
    frozen_redis_cache.freeze()
    client.get("/")
    frozen_redis_cache.thaw()
    breaker.reset()  # as its retry time running out would

    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_the_health_check_reports_a_frozen_redis_and_keeps_the_site_in(
    client, frozen_redis_cache
):
    frozen_redis_cache.freeze()
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "timeout",
        "purge": "off",
        "purges_failed": 0,
    }


def test_commands_wait_longer_on_postgresql_than_web_requests(monkeypatch):
    assert newsroom.settings.pg_wait("lock_timeout") == "2s"
    assert newsroom.settings.pg_wait("statement_timeout") == "5s"
    monkeypatch.setattr(newsroom.settings, "NEWSROOM_PROCESS", "command")

    assert newsroom.settings.pg_wait("lock_timeout") == "30s"
    assert newsroom.settings.pg_wait("statement_timeout") == "0"


def test_a_wait_that_is_not_a_duration_stops_start_up(monkeypatch):
    monkeypatch.setenv("DJANGO_PG_LOCK_TIMEOUT", "soon")

    with pytest.raises(ImproperlyConfigured, match="DJANGO_PG_LOCK_TIMEOUT"):
        newsroom.settings.pg_wait("lock_timeout")


def test_manage_py_runs_commands_as_commands():
    environment = {k: v for k, v in os.environ.items() if k != "NEWSROOM_PROCESS"}
    printed = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c"]
        + ["from django.conf import settings; print(settings.NEWSROOM_PROCESS)"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout

    assert printed.strip().splitlines()[-1] == "command"


@postgresql_only
def test_web_requests_wait_a_bounded_time_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        statement = cursor.fetchone()[0]
        cursor.execute("SHOW lock_timeout")
        lock = cursor.fetchone()[0]

    assert (statement, lock) == ("5s", "2s")
    assert django_settings.DATABASES["default"]["OPTIONS"]["connect_timeout"] <= 5


class TableLock:
    """ACCESS EXCLUSIVE on a table, held by a connection of its own, as a
    migration does; let go after `seconds` at most, so a page that waits for it
    without a bound ends the test (failed) rather than hanging it."""

    def __init__(self, table, seconds=12):
        parameters = connection.get_connection_params()
        self.holder = psycopg.connect(
            host=parameters.get("host"),
            port=parameters.get("port"),
            user=parameters.get("user"),
            password=parameters.get("password"),
            dbname=parameters["dbname"],
        )
        self.holder.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        self.timer = threading.Timer(seconds, self.release)
        self.timer.start()

    def release(self):
        self.holder.close()  # the lock goes with the connection

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.timer.cancel()
        self.release()


@pytest.fixture
def reader(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    client.raise_request_exception = False
    cache.clear()
    yield client
    cache.clear()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_locked_table_gives_readers_a_503_with_retry_after(reader):
    section = SectionFactory()
    ArticleFactory(section=section)

    with TableLock("articles_article"):
        response = reader.get(f"/sections/{section.slug}/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_locked_table_serves_the_last_good_copy(reader):
    story = ArticleFactory(headline="Handel concedes")
    reader.get(story.get_absolute_url())
    story.dek = "Edited just before the lock"  # its page must be rendered afresh
    story.save()

    with TableLock("articles_article"):
        response = reader.get(story.get_absolute_url())

    assert response.status_code == 200 and response["X-Page-Cache"] == "stale"
    assert "Handel concedes" in response.content.decode()
