"""The benchmark's yardstick views (`make bench` only): what they do, and that a
normal deployment does not route them."""

import json

import pytest
from django.http import Http404
from django.test import RequestFactory

from newsroom import views
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
