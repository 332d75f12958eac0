"""ETags: Django's own (`ConditionalGetMiddleware`, `set_response_etag`), changing
whenever the page does, and answered with 304 while it does not."""

import pytest
from django.http import HttpResponse
from django.utils.cache import set_response_etag

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def djangos_etag(content: bytes) -> str:
    return set_response_etag(HttpResponse(content))["ETag"]


def test_a_story_page_carries_djangos_etag_of_its_content(client):
    story = ArticleFactory()

    response = client.get(story.get_absolute_url())

    assert response["ETag"] == djangos_etag(response.content)


def test_an_unchanged_page_answers_a_matching_etag_with_304(client):
    story = ArticleFactory()
    first = client.get(story.get_absolute_url())

    again = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""


def test_a_story_page_etag_changes_with_its_headline(client):
    story = ArticleFactory(headline="Handel leads")
    before = client.get(story.get_absolute_url())

    story.headline = "Handel wins"
    story.save()
    after = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] == djangos_etag(after.content) != before["ETag"]


def test_a_head_request_gets_no_etag(client):
    story = ArticleFactory()

    assert not client.head(story.get_absolute_url()).has_header("ETag")
