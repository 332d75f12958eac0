"""ETags: checksums of the page, changing whenever the page does."""

import pytest

from core.etags import content_etag
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_an_etag_is_a_quoted_pair_of_checksums_and_the_length():
    assert content_etag(b"Handel wins") == '"1dcc5f3d183c042e-b"'


def test_pages_differing_in_one_byte_have_different_etags():
    page = b"<p>Ossoff 48.1%, Handel 51.9%</p>" * 900

    assert content_etag(page) != content_etag(page.replace(b"48.1", b"48.2", 1))


def test_a_story_page_etag_changes_with_its_headline(client):
    story = ArticleFactory(headline="Handel leads")
    before = client.get(story.get_absolute_url())

    story.headline = "Handel wins"
    story.save()
    after = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] == content_etag(after.content) != before["ETag"]


def test_a_head_request_gets_no_etag(client):
    story = ArticleFactory()

    assert not client.head(story.get_absolute_url()).has_header("ETag")
