"""With DATABASE_REPLICA_URL set, readers' pages read from the replica and editors'
work stays on the primary."""

import shutil

from django.contrib.auth.models import AnonymousUser, User
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from newsroom.db_router import (
    PrimaryReplicaRouter,
    ReaderRequestMiddleware,
    _reader_request,
)
from tests.test_project import manage

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
Article.objects.using("replica").create(
    headline="Only on the replica", slug="only-on-the-replica", section=section,
    body="<p>Copied.</p>", status="published", published_at=timezone.now(),
)
editor = User.objects.create_superuser("editor", "e@example.org", "x" * 20)
reader, staff = Client(), Client()
staff.force_login(editor)
print("reader", "Only on the replica" in reader.get("/").content.decode())
print("staff", "Only on the replica" in staff.get("/").content.decode())
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
    answers = result.stdout.splitlines()[-2:]  # after the shell's own banner
    assert answers == ["reader True", "staff False"]
