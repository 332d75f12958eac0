"""The desk on the admin's front page: review queue, scheduled, drafts, live."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, editor, reporter

pytestmark = pytest.mark.django_db

INDEX = "admin:index"


@pytest.fixture
def editor_client(client):
    client.user = editor(username="ed")
    client.force_login(client.user)
    return client


def desk(client):
    return client.get(reverse(INDEX)).context["desk"]


def test_the_review_queue_lists_the_oldest_submission_first(editor_client):
    rita = reporter(username="rita")
    now = timezone.now()
    ArticleFactory(
        headline="Newer", status="review", published_at=None,
        submitted_at=now - timedelta(hours=1), submitted_by=rita,
    )  # fmt: skip
    ArticleFactory(
        headline="Older", status="review", published_at=None,
        submitted_at=now - timedelta(hours=5), submitted_by=rita,
    )  # fmt: skip

    queue = desk(editor_client).review_queue

    assert [s.headline for s in queue] == ["Older", "Newer"]


def test_the_review_queue_shows_who_submitted_and_when(editor_client):
    ArticleFactory(
        headline="Runoff", status="review", published_at=None,
        submitted_at=timezone.now(), submitted_by=reporter(username="rita"),
    )  # fmt: skip

    page = editor_client.get(reverse(INDEX)).content.decode()

    assert "Waiting for review" in page
    assert "<td>rita</td>" in page


def test_scheduled_stories_are_listed_with_their_times(editor_client):
    when = timezone.now() + timedelta(days=1)
    ArticleFactory(headline="Tomorrow", published_at=when)
    ArticleFactory(headline="Live now")

    scheduled = desk(editor_client).scheduled

    assert [(s.headline, s.published_at) for s in scheduled] == [("Tomorrow", when)]


def test_my_drafts_are_only_mine(editor_client):
    ArticleFactory(
        headline="Mine", status="draft", published_at=None,
        created_by=editor_client.user,
    )  # fmt: skip
    ArticleFactory(
        headline="Theirs", status="draft", published_at=None,
        created_by=reporter(username="rita"),
    )  # fmt: skip

    assert [s.headline for s in desk(editor_client).my_drafts] == ["Mine"]


def test_recently_published_leaves_out_scheduled_stories(editor_client):
    ArticleFactory(headline="Live")
    ArticleFactory(headline="Later", published_at=timezone.now() + timedelta(1))

    live = desk(editor_client).recently_published

    assert [s.headline for s in live] == ["Live"]


def test_a_user_who_may_not_see_stories_gets_no_desk(client, django_user_model):
    user = django_user_model.objects.create_user("guest", is_staff=True)
    client.force_login(user)

    assert client.get(reverse(INDEX)).context["desk"] is None


@pytest.mark.parametrize("rows", [1, 8])
def test_the_desk_costs_the_same_queries_however_many_stories(
    editor_client, django_assert_num_queries, rows
):
    rita = reporter(username="rita")
    editor_client.get(reverse(INDEX))  # warm up: session, user, permissions
    for _ in range(rows):
        ArticleFactory(
            status="review", published_at=None,
            submitted_at=timezone.now(), submitted_by=rita,
        )  # fmt: skip
        ArticleFactory(published_at=timezone.now() + timedelta(1))
        ArticleFactory(status="draft", published_at=None, created_by=editor_client.user)
        ArticleFactory()

    from articles.desk import desk_for

    with django_assert_num_queries(4):
        desk_for(editor_client.user)


def test_the_front_page_costs_the_same_queries_with_more_stories(editor_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def stories():
        ArticleFactory(status="review", published_at=None, submitted_at=timezone.now())
        ArticleFactory(published_at=timezone.now() + timedelta(1))
        ArticleFactory(status="draft", published_at=None, created_by=editor_client.user)

    stories()
    editor_client.get(reverse(INDEX))
    with CaptureQueriesContext(connection) as one:
        editor_client.get(reverse(INDEX))
    for _ in range(5):
        stories()
    with CaptureQueriesContext(connection) as many:
        editor_client.get(reverse(INDEX))

    assert len(many) == len(one)
