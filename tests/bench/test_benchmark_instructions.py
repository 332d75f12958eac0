"""The benchmark's instruction counts (`benchmarks.instructions`): per request,
warm, and nothing else (not the start-up, not the warm-up)."""

import os
from pathlib import Path

import pytest

from benchmarks import instructions

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not instructions.available(), reason="valgrind (apt-get install valgrind)"
)


def hello_counts(tmp_path, requests):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_DEBUG="1",
        NEWSROOM_BENCHMARK_VIEWS="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        PYTHONPATH=str(ROOT),
    )
    urls = {"hello": ["/bench/hello"]}
    return instructions.per_request(urls, env, requests=requests)["hello"]


def test_the_count_is_per_request_without_start_up_or_warm_up(tmp_path):
    few, many = hello_counts(tmp_path, 5), hello_counts(tmp_path, 20)

    # Django's start-up alone runs hundreds of millions of instructions: counted
    # once, it would make five requests' average several times twenty's.
    assert 100_000 < few < 10_000_000
    assert abs(few - many) / many < 0.15
