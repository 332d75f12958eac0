"""PostgreSQL with server-side binding (`newsroom.postgresql`): the plans of a
page's queries are kept, and bulk work stays within the protocol's parameter limit."""

import pytest
from django.db import connection
from taggit.models import Tag

from tests.factories import ArticleFactory, editor

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def prepared_statements() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return cursor.fetchone()[0]


def test_a_page_asked_for_again_runs_from_prepared_statements(client):
    ArticleFactory(status="published")
    client.get("/")
    before = prepared_statements()

    for _ in range(6):
        assert client.get("/").status_code == 200

    assert prepared_statements() > before


def test_deleting_more_rows_than_the_parameter_limit_at_once_works():
    # Deleting collects the related rows of every tag in one statement per
    # relation: 66,000 tags were 66,000 parameters, beyond what the protocol allows.
    Tag.objects.bulk_create(
        Tag(name=f"topic {n}", slug=f"topic-{n}") for n in range(66_000)
    )

    Tag.objects.all().delete()

    assert not Tag.objects.exists()


def prepared_searches() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements "
            "WHERE statement ILIKE '%to_tsquery%'"
        )
        return cursor.fetchone()[0]


def test_a_search_is_planned_for_its_own_words_every_time(client):
    ArticleFactory(status="published", headline="Runoff night")

    for _ in range(8):
        assert client.get("/search/?q=runoff").status_code == 200

    assert prepared_searches() == 0


def test_after_a_search_the_connection_prepares_repeated_queries_again(client):
    ArticleFactory(status="published")
    client.get("/search/?q=runoff")
    before = prepared_statements()

    for _ in range(6):
        client.get("/")

    assert prepared_statements() > before


def test_an_editors_search_is_planned_for_its_own_words_every_time(client):
    client.force_login(editor())
    ArticleFactory(headline="Runoff night")

    for _ in range(8):
        assert client.get("/admin/articles/article/?q=runoff").status_code == 200

    assert prepared_searches() == 0
