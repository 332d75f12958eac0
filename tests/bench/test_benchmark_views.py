"""The benchmark's yardstick views (`make bench` only): what they do, and that a
normal deployment does not route them."""

import json

import pytest
from django.http import Http404
from django.test import RequestFactory

from core import views
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded_sql(tmp_path, settings):
    """Write a page-SQL file as `make bench` does and point the settings at it."""

    def record(pages):
        path = tmp_path / "page_sql.json"
        path.write_text(json.dumps(pages))
        settings.NEWSROOM_BENCHMARK_SQL_FILE = str(path)
        views._recorded_page_sql.cache_clear()

    yield record
    views._recorded_page_sql.cache_clear()


def test_neither_yardstick_is_routed_in_a_normal_deployment(client):
    assert client.get("/bench/hello").status_code == 404
    assert client.get("/bench/sql/front").status_code == 404


def test_page_sql_replays_the_recorded_queries_and_answers_like_hello(
    recorded_sql, django_assert_num_queries
):
    ArticleFactory()
    recorded_sql(
        {
            "front": [
                "SELECT COUNT(*) FROM articles_article",
                "SELECT id, headline FROM articles_article",
            ]
        }
    )
    request = RequestFactory().get("/bench/sql/front")

    with django_assert_num_queries(2):
        response = views.page_sql(request, "front")

    assert response.content == views.HELLO


def test_page_sql_answers_404_for_a_page_it_has_no_sql_for(recorded_sql):
    recorded_sql({"front": ["SELECT 1"]})

    with pytest.raises(Http404):
        views.page_sql(RequestFactory().get("/bench/sql/tag"), "tag")


def test_page_sql_refuses_to_replay_anything_but_reads(recorded_sql):
    recorded_sql({"front": ["SELECT 1", "DELETE FROM articles_article"]})

    with pytest.raises(ValueError, match="Only reads"):
        views.page_sql(RequestFactory().get("/bench/sql/front"), "front")


def test_the_benchmark_records_each_pages_sql_for_the_replay(
    tmp_path, django_assert_num_queries, client
):
    from benchmarks.web import SQL_PAGES, record_page_sql

    story = ArticleFactory()
    urls = {page: [story.get_absolute_url()] for page in SQL_PAGES}
    path = tmp_path / "page_sql.json"

    replay_urls = record_page_sql(urls, path)

    recorded = json.loads(path.read_text())
    with django_assert_num_queries(len(recorded["article"])):
        client.get(story.get_absolute_url())
    assert recorded["article"][0].startswith("SELECT")
    assert replay_urls["article: its SQL alone"] == ["/bench/sql/article"]


def test_in_process_timing_warms_every_row_and_counts_queries_apart(client):
    """The timed requests run bare (capturing queries slows a request), after
    each row was requested once; the query counts come from a second pass."""
    import random

    from benchmarks.web import timed_requests

    stories = [ArticleFactory() for _ in range(3)]
    urls = [story.get_absolute_url() for story in stories]
    asked = []
    real_get = client.get

    def noted_get(url, *args, **kwargs):
        from django.db import connection

        asked.append((url, connection.force_debug_cursor))
        return real_get(url, *args, **kwargs)

    client.get = noted_get

    samples, queries, sql = timed_requests(client, urls, random.Random(1), 4)

    assert [url for url, _ in asked[:3]] == urls  # every row once, first
    timed, counted = asked[3:7], asked[7:]
    assert not any(captured for _, captured in timed)
    assert all(captured for _, captured in counted)
    assert [url for url, _ in timed] == [url for url, _ in counted]
    assert len(samples) == len(sql) == 4 and all(count >= 1 for count in queries)
