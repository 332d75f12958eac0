"""/healthz reports each dependency's state, fast even when one hangs, and its 503
carries Retry-After. Real servers of the tests' own are stopped and frozen here,
each checked by a production-settings process pointed at them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fault_servers import production_environment

ROOT = Path(__file__).resolve().parents[2]
ASK = """
import django, json
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(json.dumps([response.status_code, response.json(), response.get("Retry-After")]))
"""


def health(database_url, redis_url, **settings):
    """(status, states, Retry-After) of /healthz in a production-settings process."""
    environment = production_environment(database_url, redis_url, **settings)
    printed = subprocess.run(
        [sys.executable, "-c", ASK],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=20,  # a stalled health check fails here
        check=True,
    ).stdout
    return json.loads(printed.strip().splitlines()[-1])


def test_all_dependencies_up_is_healthy(own_postgresql, own_redis):
    status, states, _ = health(own_postgresql.url, own_redis.url)

    assert (status, states) == (
        200,
        {"database": "ok", "cache": "ok", "purge": "off", "purges_failed": 0},
    )


def test_a_stopped_database_is_down_with_retry_after(own_postgresql, own_redis):
    own_postgresql.stop()
    status, states, retry_after = health(own_postgresql.url, own_redis.url)

    assert (status, states["database"], retry_after) == (503, "down", "30")


def test_a_frozen_database_is_reported_as_timing_out(own_postgresql, own_redis):
    own_postgresql.freeze()
    status, states, retry_after = health(own_postgresql.url, own_redis.url)

    assert (status, states, retry_after) == (
        503,
        {"database": "timeout", "cache": "ok", "purge": "off", "purges_failed": 0},
        "30",
    )


def test_a_frozen_cache_is_reported_and_the_site_stays_in(own_postgresql, own_redis):
    own_redis.freeze()
    status, states, retry_after = health(own_postgresql.url, own_redis.url)

    assert (status, states, retry_after) == (
        200,
        {"database": "ok", "cache": "timeout", "purge": "off", "purges_failed": 0},
        None,
    )


def test_a_stopped_cache_is_down(own_postgresql, own_redis):
    os.kill(own_redis.pid, 15)
    status, states, _ = health(own_postgresql.url, own_redis.url)

    assert (status, states["cache"]) == (200, "down")


@pytest.mark.django_db
def test_a_method_the_health_check_does_not_serve_is_refused(client):
    response = client.generic("TRACE", "/healthz")

    assert response.status_code == 405


def test_a_site_may_stay_in_rotation_through_a_database_outage(
    own_postgresql, own_redis
):
    own_postgresql.stop()
    status, states, _ = health(
        own_postgresql.url, own_redis.url, NEWSROOM_HEALTH_REQUIRED="none"
    )

    assert (status, states["database"]) == (200, "down")
