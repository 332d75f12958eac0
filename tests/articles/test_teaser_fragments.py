"""A listing's plain teasers come from the cache, each named by what it shows
(`articles.teaser_fragments`): a change to what a teaser shows is a new fragment."""

from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from articles.models import Article
from articles.teaser_fragments import cached_teasers, fragment_key
from core.cache import set_content_named
from tests.factories import ArticleFactory, BylineFactory
from tests.reference_templates import macro

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def listed(story):
    return Article.objects.for_listing().get(pk=story.pk)


def teaser(story):
    return macro("includes/_teaser.html", "teaser", story)


def listing(stories):
    return macro("includes/_teaser.html", "teasers", stories)


def test_a_listing_from_the_cache_is_the_listing_drawn_afresh():
    stories = [listed(BylineFactory().article) for _ in range(3)]
    drawn = listing(stories)

    again = listing([listed(story) for story in stories])

    assert drawn == again == "\n".join(teaser(story) for story in stories)


def test_a_kept_fragment_is_what_the_listing_shows():
    story = listed(ArticleFactory())
    listing([story])
    setting = f"{get_language()}|{timezone.get_current_timezone_name()}"
    key = fragment_key(story, setting)
    set_content_named(key, "<article>kept</article>", 60)

    assert str(cached_teasers([story])) == "<article>kept</article>"


def test_an_edited_headline_is_shown_at_once():
    story = ArticleFactory(headline="Ossoff leads")
    listing([listed(story)])
    story.headline = "Handel wins"
    story.save()

    html = listing([listed(story)])

    assert "Handel wins" in html and "Ossoff leads" not in html


def test_a_renamed_section_is_shown_at_once():
    story = ArticleFactory(section__name="Politics")
    listing([listed(story)])
    story.section.name = "Elections"
    story.section.save()

    html = listing([listed(story)])

    assert ">Elections</a>" in html and "Politics" not in html


def test_a_renamed_journalist_is_shown_at_once():
    byline = BylineFactory(person__name="Greg Bluestein")
    story = byline.article
    listing([listed(story)])
    byline.person.name = "Greg Bluestein Jr"
    byline.person.save()

    html = listing([listed(story)])

    assert "By Greg Bluestein Jr" in html


def test_a_page_in_another_time_zone_gets_its_own_fragment():
    story = listed(ArticleFactory())
    eastern = listing([story])

    with timezone.override(ZoneInfo("America/Los_Angeles")):
        pacific = listing([story])

    assert eastern != pacific
    assert pacific == teaser_in(story, "America/Los_Angeles")


def teaser_in(story, zone):
    with timezone.override(ZoneInfo(zone)):
        return teaser(story)
