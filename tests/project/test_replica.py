"""With DATABASE_REPLICA_URL set, readers' pages read from the replica and editors'
work stays on the primary."""

import re
import shutil

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from core import db_router
from core.db_router import (
    PrimaryReplicaRouter,
    ReaderRequestMiddleware,
    _reader_request,
)
from tests.factories import ArticleFactory
from tests.project.test_project import manage

router = PrimaryReplicaRouter()


def route_seen_during(request):
    seen = {}

    def view(request):
        seen["db"] = router.db_for_read(None)
        return HttpResponse()

    ReaderRequestMiddleware(view)(request)
    return seen["db"]


def reader_get(path="/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def test_an_anonymous_readers_page_reads_from_the_replica():
    assert route_seen_during(reader_get()) == "replica"


def test_reads_outside_a_readers_request_use_the_primary():
    route_seen_during(reader_get())

    assert router.db_for_read(None) == "default"


def test_posts_and_the_admin_read_from_the_primary():
    post = RequestFactory().post("/search/")
    post.user = AnonymousUser()

    assert route_seen_during(post) == "default"
    assert route_seen_during(reader_get("/admin/login/")) == "default"


def test_a_logged_in_user_reads_from_the_primary():
    request = RequestFactory().get("/")
    request.user = User(username="editor", is_staff=True)

    assert route_seen_during(request) == "default"


def test_reads_inside_a_transaction_use_the_primary():
    token = _reader_request.set(True)
    try:
        connection = connections["default"]
        connection.in_atomic_block = True
        try:
            assert router.db_for_read(None) == "default"
        finally:
            connection.in_atomic_block = False
    finally:
        _reader_request.reset(token)


def test_writes_and_migrations_go_to_the_primary_only():
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica", "articles")


REPLICA_CHECK = """
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from articles.models import Article, Section

section = Section.objects.using("replica").create(name="News", slug="news")
story = Article.objects.using("replica").create(
    headline="Only on the replica", slug="only-on-the-replica", section=section,
    body="<p>Copied.</p>", status="published", published_at=timezone.now(),
)
editor = User.objects.create_superuser("editor", "e@example.org", "x" * 20)
reader, staff = Client(), Client()
staff.force_login(editor)
print("reader", "Only on the replica" in reader.get("/").content.decode())
print("staff", "Only on the replica" in staff.get("/").content.decode())
# The story page's compiled statements read where the router says, too.
print("story", reader.get(story.get_absolute_url()).status_code)
print("story for staff", staff.get(story.get_absolute_url()).status_code)
"""


def test_reader_pages_are_served_from_the_replica_database(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = {"DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{primary}"}
    assert manage("migrate", "--no-input", **env).returncode == 0
    shutil.copy(primary, replica)

    result = manage(
        "shell",
        "-c",
        REPLICA_CHECK,
        DATABASE_REPLICA_URL=f"sqlite:///{replica}",
        DJANGO_ALLOWED_HOSTS="testserver",
        **env,
    )

    assert result.returncode == 0, result.stderr
    answers = result.stdout.splitlines()[-4:]  # after the shell's own banner
    assert answers == ["reader True", "staff False", "story 200", "story for staff 404"]


@pytest.fixture
def replica_on_postgresql(monkeypatch):
    """A PostgreSQL replica that has replayed up to `position["replayed"]`."""
    position = {"replayed": None}
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setattr(db_router, "_postgresql", lambda alias: True)
    monkeypatch.setattr(
        db_router, "replica_replay_position", lambda: position["replayed"]
    )
    cache.delete(db_router.LAST_WRITE_KEY)
    yield position
    cache.delete(db_router.LAST_WRITE_KEY)


def test_a_replica_behind_the_last_editorial_commit_is_not_read(replica_on_postgresql):
    cache.set(db_router.LAST_WRITE_KEY, "16/B374D848", None)
    replica_on_postgresql["replayed"] = "16/B374D000"

    assert route_seen_during(reader_get()) == "default"


def test_a_replica_that_has_caught_up_is_read(replica_on_postgresql):
    cache.set(db_router.LAST_WRITE_KEY, "16/B374D848", None)
    replica_on_postgresql["replayed"] = "17/00000000"

    assert route_seen_during(reader_get()) == "replica"


def test_an_unreachable_replica_sends_readers_to_the_primary(
    replica_on_postgresql, monkeypatch
):
    from django.db import OperationalError

    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(db_router, "replica_replay_position", unreachable)
    cache.set(db_router.LAST_WRITE_KEY, "0/10", None)

    assert route_seen_during(reader_get()) == "default"


def test_without_the_cache_readers_use_the_primary(replica_on_postgresql, monkeypatch):
    """The last commit's position is in the cache: unknown, the replica may lag."""

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", down)
    replica_on_postgresql["replayed"] = "17/00000000"

    assert route_seen_during(reader_get()) == "default"


def test_wal_positions_compare_as_numbers():
    assert db_router.lsn("16/B374D848") > db_router.lsn("9/FFFFFFFF")
    assert db_router.lsn("0/10") == 16


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="WAL positions"
)
def test_an_editorial_commit_records_the_primarys_position(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    cache.delete(db_router.LAST_WRITE_KEY)

    ArticleFactory()

    position = cache.get(db_router.LAST_WRITE_KEY)
    cache.delete(db_router.LAST_WRITE_KEY)
    assert re.fullmatch(r"[0-9A-F]+/[0-9A-F]+", position)
