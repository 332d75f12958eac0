"""PostgreSQL with server-side binding (`newsroom.postgresql`): the plans of a
page's queries are kept, and bulk work stays within the protocol's parameter limit."""

import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.postgresql import base
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


@pytest.fixture
def kept_connection():
    """A second connection to the test database, idle between requests as a
    gunicorn worker's is."""
    kept = connections.create_connection(DEFAULT_DB_ALIAS)
    kept.ensure_connection()
    yield kept
    kept.close()


def test_an_idle_connection_is_judged_usable_without_a_round_trip(
    kept_connection, monkeypatch
):
    round_trips = []
    monkeypatch.setattr(
        base.DatabaseWrapper, "is_usable", lambda self: round_trips.append(self)
    )

    assert kept_connection.is_usable() is True
    assert round_trips == []


def test_a_connection_the_server_dropped_is_judged_unusable(kept_connection):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(%s)",
            [kept_connection.connection.info.backend_pid],
        )
    deadline = time.monotonic() + 5
    while kept_connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's goodbye takes a moment to arrive

    assert kept_connection.is_usable() is False


def test_the_health_check_reconnects_after_the_server_dropped_the_connection(
    kept_connection,
):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(%s)",
            [kept_connection.connection.info.backend_pid],
        )
    time.sleep(0.2)
    kept_connection.health_check_done = False  # a new request

    with kept_connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_connection_inside_a_transaction_is_checked_with_a_round_trip(
    kept_connection, monkeypatch
):
    round_trips = []
    monkeypatch.setattr(
        base.DatabaseWrapper,
        "is_usable",
        lambda self: round_trips.append(self) or True,
    )
    kept_connection.set_autocommit(False)
    with kept_connection.cursor() as cursor:
        cursor.execute("SELECT 1")

    assert kept_connection.is_usable() is True
    assert round_trips == [kept_connection]
    kept_connection.rollback()
    kept_connection.set_autocommit(True)
