from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_published_story_is_in_the_published_queryset():
    story = ArticleFactory()

    assert list(Article.objects.published()) == [story]


@pytest.mark.parametrize(
    "status",
    [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.UNPUBLISHED],
)
def test_story_that_is_not_published_is_hidden(status):
    ArticleFactory(status=status)

    assert not Article.objects.published().exists()


def test_scheduled_story_is_hidden_until_its_time():
    ArticleFactory(published_at=timezone.now() + timedelta(minutes=5))

    assert not Article.objects.published().exists()


def test_scheduled_story_appears_when_its_time_comes():
    story = ArticleFactory(published_at=timezone.now() + timedelta(minutes=5))
    story.published_at = timezone.now() - timedelta(seconds=1)
    story.save()

    assert list(Article.objects.published()) == [story]


def test_published_status_without_time_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        ArticleFactory(published_at=None)


def test_clean_sets_publish_time_when_published_without_one():
    story = ArticleFactory.build(section=SectionFactory(), published_at=None)

    story.full_clean()

    assert story.published_at is not None


def test_slug_is_unique():
    ArticleFactory(slug="same")

    with pytest.raises(IntegrityError):
        ArticleFactory(slug="same")


def test_lead_image_needs_alt_text():
    story = ArticleFactory.build(section=SectionFactory(), lead_image="articles/x.jpg")

    with pytest.raises(ValidationError) as error:
        story.full_clean()

    assert "lead_image_alt" in error.value.message_dict


def test_url_carries_the_publication_date_in_newsroom_time():
    # 02:30 UTC on June 21 is still June 20 in Atlanta.
    story = ArticleFactory(
        slug="runoff-night",
        published_at=datetime(2017, 6, 21, 2, 30, tzinfo=UTC),
    )

    assert story.get_absolute_url() == "/2017/06/20/runoff-night/"


def test_listing_queryset_does_not_load_bodies():
    ArticleFactory()

    story = Article.objects.for_listing().get()

    assert "body" in story.get_deferred_fields()


def test_newest_first_orders_by_publish_time():
    older = ArticleFactory(published_at=timezone.now() - timedelta(days=2))
    newer = ArticleFactory(published_at=timezone.now() - timedelta(days=1))

    assert list(Article.objects.published().newest_first()) == [newer, older]


def test_a_storys_url_follows_a_new_slug_and_time_on_the_same_instance():
    from datetime import timedelta

    story = ArticleFactory(slug="first-slug")
    first = story.get_absolute_url()

    story.slug = "second-slug"
    story.published_at -= timedelta(days=3)

    assert "first-slug" in first
    assert "second-slug" in story.get_absolute_url()
    assert story.get_absolute_url() != first.replace("first-slug", "second-slug")


def test_a_listing_carries_every_storys_bylines_in_order_in_its_own_rows(
    django_assert_num_queries,
):
    from tests.factories import BylineFactory

    first, second = ArticleFactory(), ArticleFactory()
    BylineFactory(article=first, person__name="Zed Last", position=2)
    BylineFactory(article=first, person__name="Amy First", position=1)

    with django_assert_num_queries(1):  # the stories, their bylines with them
        stories = {s.pk: s for s in Article.objects.for_listing()}

    assert [c.name for c in stories[first.pk].credits] == ["Amy First", "Zed Last"]
    assert stories[second.pk].credits == []
    assert stories[first.pk].credits[0].get_absolute_url() == "/people/amy-first/"


def test_people_addresses_follow_the_script_prefix():
    from django.urls import set_script_prefix

    from tests.factories import PersonFactory

    person = PersonFactory(name="Jon Ossoff")
    set_script_prefix("/news/")
    try:
        assert person.get_absolute_url() == "/news/people/jon-ossoff/"
    finally:
        set_script_prefix("/")
    assert person.get_absolute_url() == "/people/jon-ossoff/"


def test_a_story_fetched_without_its_credits_still_knows_its_bylines():
    from tests.factories import BylineFactory

    story = ArticleFactory()
    BylineFactory(article=story, person__name="Jerome Hudson")

    assert [c.name for c in Article.objects.get(pk=story.pk).credits] == [
        "Jerome Hudson"
    ]


def test_stories_with_tag_links_carry_their_tags_by_name_from_one_query(
    django_assert_num_queries,
):
    first, second = ArticleFactory(), ArticleFactory()
    first.tags.add("Runoff", "Georgia", "Fundraising")

    with django_assert_num_queries(2):  # the stories, then all their tags
        stories = {s.pk: s for s in Article.objects.with_tag_links()}

    assert [t.name for t in stories[first.pk].tag_links] == [
        "Fundraising",
        "Georgia",
        "Runoff",
    ]
    assert stories[second.pk].tag_links == []
    assert stories[first.pk].tag_links[1].get_absolute_url() == "/tags/georgia/"


def test_tag_links_survive_chaining(django_assert_num_queries):
    from tests.factories import BylineFactory

    story = ArticleFactory()
    story.tags.add("Georgia")
    BylineFactory(article=story, person__name="Greg Bluestein")
    stories = Article.objects.with_tag_links()

    with django_assert_num_queries(2):  # stories (bylines in their rows), tags
        fetched = stories.filter(headline=story.headline).get(pk=story.pk)

    assert [t.name for t in fetched.tag_links] == ["Georgia"]
    assert [c.name for c in fetched.credits] == ["Greg Bluestein"]


def test_a_story_fetched_without_its_tag_links_still_knows_its_tags():
    story = ArticleFactory()
    story.tags.add("Georgia")

    assert [t.slug for t in Article.objects.get(pk=story.pk).tag_links] == ["georgia"]
