"""The demo's relationships: those the seed stories report, each sourced to its
story with the sentence that says so."""

import pytest
from django.core.management import call_command

from articles.demo import data
from articles.demo.loader import split_seed
from articles.demo.relationships import RELATIONSHIPS
from articles.models import Article, RelationshipSource
from people.models import Person, Relationship

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=None)


def story_words(article) -> str:
    story = next(s for s in data.STORIES if s["slug"] == article.slug)
    return " ".join(split_seed(story)[1].split())


def test_every_source_quotes_its_seed_story_word_for_word(demo):
    sources = RelationshipSource.objects.select_related("article")

    assert sources.count() == sum(len(r[-1]) for r in RELATIONSHIPS)
    for source in sources:
        assert source.quote in story_words(source.article)


def test_each_relationship_has_one_primary_source(demo):
    for relationship in Relationship.objects.all():
        assert relationship.sources.filter(is_primary=True).count() == 1


def test_jacksons_ad_is_sourced_to_the_runoff_story_first(demo):
    ad = Relationship.objects.get(
        subject__name="Samuel L. Jackson", kind=Relationship.Kind.RECORDED_AD_FOR
    )

    primary = ad.sources.get(is_primary=True)
    assert primary.article.slug == "hollywood-vs-georgia-celebrity-backed-ossoff-loses"
    assert "cut a 45-second radio ad endorsing Ossoff" in primary.quote
    assert ad.sources.count() == 2


def test_ossoffs_page_shows_his_backers_with_their_sources(demo, client):
    ossoff = Person.objects.get(name="Jon Ossoff")
    story = Article.objects.get(slug="hollywood-came-to-georgia-and-lost")

    page = client.get(ossoff.get_absolute_url()).content.decode()

    assert "Backed by" in page
    assert Person.objects.get(name="Alyssa Milano").get_absolute_url() in page
    assert story.get_absolute_url() in page


def test_loading_twice_adds_no_relationship(settings, demo):
    before = RelationshipSource.objects.count(), Relationship.objects.count()

    call_command("load_demo", stdout=None)

    assert (RelationshipSource.objects.count(), Relationship.objects.count()) == before
