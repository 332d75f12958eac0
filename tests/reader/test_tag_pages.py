"""A tag's page reads its links, each carrying its story's publish time: they must
follow every change of the story, and can never show a story readers may not see."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article, TaggedArticle
from articles.story_copies import refresh_story_links
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

URL = "/tags/georgia/"


def tagged(**kwargs):
    story = ArticleFactory(**kwargs)
    story.tags.add("Georgia")
    return story


def headlines(response):
    if response.status_code == 404:  # no story readers may see: no tag page
        return []
    return [story.headline for story in response.context["articles"]]


def test_a_link_records_its_storys_publish_time_only_while_published():
    story = tagged(status=Article.Status.DRAFT, published_at=None)
    link = TaggedArticle.objects.get(content_object=story)
    assert link.published_at is None

    story.status, story.published_at = Article.Status.PUBLISHED, timezone.now()
    story.save()
    link.refresh_from_db()
    assert link.published_at == story.published_at

    story.status = Article.Status.UNPUBLISHED
    story.save()
    link.refresh_from_db()
    assert link.published_at is None


def test_publishing_a_tagged_draft_puts_it_on_the_tag_page(client):
    story = tagged(headline="Runoff", status=Article.Status.DRAFT, published_at=None)
    assert "Runoff" not in headlines(client.get(URL))

    story.status, story.published_at = Article.Status.PUBLISHED, timezone.now()
    story.save()

    assert headlines(client.get(URL)) == ["Runoff"]


def test_unpublishing_takes_a_story_off_its_tag_page(client):
    story = tagged(headline="Soon gone")
    story.status = Article.Status.UNPUBLISHED
    story.save()

    assert "Soon gone" not in headlines(client.get(URL))


def test_a_scheduled_story_joins_its_tag_page_when_due(client):
    story = tagged(headline="Later", published_at=timezone.now() + timedelta(hours=1))
    assert headlines(client.get(URL)) == []

    story.published_at = timezone.now() - timedelta(minutes=1)
    story.save()

    assert headlines(client.get(URL)) == ["Later"]


def test_a_link_left_stale_by_a_bulk_update_hides_no_rule_and_leaks_nothing(client):
    """update() bypasses save(): the story's own rule still decides what shows."""
    story = tagged(headline="Pulled")
    Article.objects.filter(pk=story.pk).update(status=Article.Status.UNPUBLISHED)

    assert TaggedArticle.objects.get(content_object=story).published_at is not None
    assert "Pulled" not in headlines(client.get(URL))


def test_refreshing_links_after_a_bulk_update_brings_them_back_in_line(client):
    story = tagged(headline="Back", status=Article.Status.DRAFT, published_at=None)
    Article.objects.filter(pk=story.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    assert headlines(client.get(URL)) == []

    refresh_story_links([story.pk])

    assert headlines(client.get(URL)) == ["Back"]


def test_a_tags_older_and_newer_pages_follow_each_other(client):
    moment = timezone.now() - timedelta(minutes=5)
    for n in range(45):  # pairs share a publish time: the id breaks the tie
        tagged(headline=f"Story {n:02d}", published_at=moment - timedelta(hours=n // 2))

    first = client.get(URL)
    second = client.get(URL, {"before": first.context["page_obj"].older})
    third = client.get(URL, {"before": second.context["page_obj"].older})
    back = client.get(URL, {"after": second.context["page_obj"].newer})

    seen = headlines(first) + headlines(second) + headlines(third)
    assert sorted(seen) == [f"Story {n:02d}" for n in range(45)]
    assert len(headlines(first)) == len(headlines(second)) == 20
    assert third.context["page_obj"].older is None
    assert headlines(back) == headlines(first)


def test_other_tags_stories_stay_off_the_page(client):
    tagged(headline="Ours")
    ArticleFactory(headline="Theirs").tags.add("Hollywood")

    assert headlines(client.get(URL)) == ["Ours"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN on PostgreSQL")
def test_a_tag_page_is_one_range_of_the_tag_link_index():
    from taggit.models import Tag

    from tests.project.test_indexes import plan

    tagged()
    links = (
        TaggedArticle.objects.filter(tag=Tag.objects.get(slug="georgia"))
        .published_by_now()
        .newest_first()[:21]
    )

    # A few test rows, and statistics left by earlier tests: a bitmap, or another
    # index plus a sort, can look cheaper. What must hold is that this index gives
    # the page's order with no sort at all.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    explained = plan(links)

    assert "taggedarticle_tag_pub_idx" in explained
    assert "Sort" not in explained


@pytest.mark.parametrize("cursor", ["x", "1.2.3", "99999999999999999999999.1", "-5"])
def test_a_bad_cursor_on_a_tag_page_is_404_not_500(client, cursor):
    tagged()

    assert client.get(URL, {"before": cursor}).status_code == 404
    assert client.get(URL, {"after": cursor}).status_code == 404


def test_an_unknown_tag_is_404(client):
    assert client.get("/tags/no-such-tag/").status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN on PostgreSQL")
def test_a_tags_story_count_is_a_capped_range_of_the_tag_link_index():
    from django.utils import timezone
    from taggit.models import Tag

    from articles.querysets import published_tag_links_counted
    from tests.project.test_indexes import plan

    tagged()
    counted = Tag.objects.filter(slug="georgia").annotate(
        stories=published_tag_links_counted(now=timezone.now(), cap=1001)
    )

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    explained = plan(counted)

    assert "taggedarticle_tag_pub_idx" in explained
    assert "Limit" in explained
    assert counted.get().stories == 1
