"""When the database cannot render a page, readers get its last good copy (stale),
never a page that shows a story withdrawn since; else a 503 with Retry-After."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.utils import timezone

from articles.models import Article
from articles.services import article_unpublish
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings, client):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    client.raise_request_exception = False
    cache.clear()
    yield
    cache.clear()


def database_down():
    """Every query refused, as when PostgreSQL is stopped."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    return connection.execute_wrapper(refuse)


def test_a_page_the_database_cannot_render_is_served_from_its_last_good_copy(client):
    ArticleFactory(headline="Ossoff forces a runoff")
    client.get("/")
    ArticleFactory(headline="Saved just before the outage")  # a new version

    with database_down():
        response = client.get("/")

    assert response.status_code == 200
    assert response["X-Page-Cache"] == "stale"
    assert "Ossoff forces a runoff" in response.content.decode()


def test_a_stale_copy_says_it_is_stale(client):
    ArticleFactory()
    client.get("/")
    ArticleFactory()

    with database_down():
        response = client.get("/")

    assert response["Warning"] == '110 - "Response is Stale"'


def test_a_page_never_rendered_gets_a_503_with_retry_after(client):
    with database_down():
        response = client.get("/races/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_a_story_page_is_served_stale_after_an_edit_to_it(client):
    story = ArticleFactory(headline="Handel wins")
    client.get(story.get_absolute_url())
    story.dek = "Edited just before the outage"
    story.save()

    with database_down():
        response = client.get(story.get_absolute_url())

    assert response.status_code == 200 and "Handel wins" in response.content.decode()


def unpublish(story, user):
    article_unpublish(article=story, user=user)


def back_to_draft(story, user):
    story.status = Article.Status.DRAFT
    story.save()


def rescheduled(story, user):
    story.published_at = timezone.now() + timedelta(days=1)
    story.save()


def deleted(story, user):
    story.delete()


WITHDRAWALS = [unpublish, back_to_draft, rescheduled, deleted]


@pytest.mark.parametrize("withdraw", WITHDRAWALS)
def test_a_withdrawn_story_page_is_never_served_stale(client, admin_user, withdraw):
    story = ArticleFactory(headline="Embargo broken")
    url = story.get_absolute_url()
    client.get(url)
    withdraw(story, admin_user)

    with database_down():
        response = client.get(url)

    assert response.status_code == 503
    assert "Embargo broken" not in response.content.decode()


@pytest.mark.parametrize("withdraw", WITHDRAWALS)
def test_no_listing_shows_a_withdrawn_story_from_a_stale_copy(
    client, admin_user, withdraw
):
    story = ArticleFactory(headline="Embargo broken")
    client.get("/")
    withdraw(story, admin_user)

    with database_down():
        response = client.get("/")

    assert "Embargo broken" not in response.content.decode()
    assert response.status_code == 503


def test_saving_a_draft_keeps_the_stale_copies(client):
    ArticleFactory(headline="Runoff called")
    client.get("/")
    draft = ArticleFactory(status=Article.Status.DRAFT)
    draft.headline = "Still a draft"
    draft.save()

    with database_down():
        response = client.get("/")

    assert response.status_code == 200 and "Runoff called" in response.content.decode()


def test_without_the_cache_either_the_reader_gets_the_503(client, monkeypatch):
    ArticleFactory()
    client.get("/")
    ArticleFactory()

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    for method in ("get", "get_many", "set", "add", "incr"):
        monkeypatch.setattr(cache, method, down)
    with database_down():
        response = client.get("/")

    assert response.status_code == 503 and response["Retry-After"] == "30"
