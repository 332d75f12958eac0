"""PostgreSQL with server-side binding (`newsroom.postgresql`): the plans of a
page's queries are kept, and bulk work stays within the protocol's parameter limit."""

import datetime
import time

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.postgresql import base
from psycopg.pq import Format
from taggit.models import Tag

from articles.models import Article
from newsroom.postgresql.base import TIMESTAMPTZ
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


TIMES = [
    "2017-06-20 23:59:59.123456-04",  # election night, New York
    "2017-03-12 07:00:00+00",  # a DST change
    "1900-01-01 00:00:00+00",
    "2199-12-31 23:59:59.999999+00",
    "2024-02-29 12:30:00+05:45",
]


def read_times(cursor) -> list:
    cursor.execute(
        "SELECT t::timestamptz FROM unnest(%s::text[]) AS t ORDER BY t", [TIMES]
    )
    return [row[0] for row in cursor.fetchall()]


def test_timestamps_read_natively_are_the_values_djangos_loader_gives():
    with connection.cursor() as cursor:
        native = read_times(cursor)
        base.register_tzloader(connection.timezone, cursor.cursor)  # Django's own
        djangos = read_times(cursor)

    assert native == djangos
    assert all(moment.tzinfo is datetime.UTC for moment in native)


def test_timestamps_are_read_by_psycopgs_own_loader():
    """Compiled where psycopg has it: a tenth of the cost of Django's Python one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        cursor.fetchall()
        loader = cursor.cursor._tx.get_loader(TIMESTAMPTZ, Format.TEXT)

    assert type(loader) is psycopg.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)


def test_a_server_side_cursor_reads_timestamps_too():
    stories = ArticleFactory.create_batch(3, status="published")

    read = list(
        Article.objects.order_by("pk")
        .values_list("published_at", flat=True)
        .iterator(chunk_size=2)
    )

    assert read == [story.published_at for story in stories]


def plans_of(fragment) -> list[tuple[int, int]]:
    """(generic plans, custom plans) of this connection's prepared statements
    whose SQL holds `fragment`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE strpos(statement, %s) > 0",
            [fragment],
        )
        return cursor.fetchall()


def an_archive(count=5000):
    """Many published stories, and statistics that say so (as autovacuum would)."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import SectionFactory

    section, now = SectionFactory(), timezone.now()
    Article.objects.bulk_create(
        Article(
            headline=f"Story {n}",
            slug=f"story-{n}",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=n + 1),
        )
        for n in range(count)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    return Article.objects.order_by("-published_at")


@pytest.mark.parametrize("page", ["/", "/?before={cursor}", "/?after={cursor}"])
def test_the_front_pages_stories_are_planned_once_not_on_every_request(client, page):
    """With real values PostgreSQL found a plan for each `now` cheaper than its
    generic one, so it planned every front page afresh (`Opaque` hides them)."""
    from core.keyset import cursor_of

    stories = an_archive()
    page = page.format(cursor=cursor_of(stories[2500]))

    for _ in range(14):
        assert client.get(page).status_code == 200

    ((generic, custom),) = plans_of("LIMIT 21")  # the stories, not the sidebar
    assert custom <= 5 and generic >= 3


@pytest.mark.parametrize("direction", [None, "older", "newer"])
def test_every_value_of_the_front_pages_stories_is_hidden_from_the_planner(direction):
    """Else the plans for the values would differ from the generic one again."""
    from articles.views import FRONT_PAGE

    statement = FRONT_PAGE.statements[direction]
    queryset = statement.build(**statement._stand_ins({}))
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()

    assert params and sql.count("%s") == sql.count("(SELECT %s::") == len(params)


def test_the_story_pages_long_statement_is_not_parsed_again_on_every_page(client):
    """psycopg remembers the placeholders of queries up to a length; the story
    page's statement is longer than its default (`newsroom.postgresql.base`)."""
    from psycopg import _queries

    from articles.story_page import STORY

    story = ArticleFactory()
    client.get(story.get_absolute_url())
    statement = STORY._compiled[connections[DEFAULT_DB_ALIAS]][()][0]
    assert len(statement.encode()) > 4096  # else this test proves nothing
    parsed = []
    original = _queries._query2pg_nocache

    def counting(query, encoding):
        parsed.append(query)
        return original(query, encoding)

    _queries._query2pg_nocache = counting
    try:
        for _ in range(3):
            assert client.get(story.get_absolute_url()).status_code == 200
    finally:
        _queries._query2pg_nocache = original

    assert statement.encode() not in parsed
