"""A story's races (`Article.races`, through `RaceCoverage`): each link carries its
story's publish time, however it was written, so a race's page reads its newest
coverage as one range of an index."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, RaceCoverage
from articles.story_copies import refresh_story_links
from tests.articles.test_admin import article_form
from tests.articles.test_workflow import story_form
from tests.factories import ArticleFactory, RaceFactory, SectionFactory, editor

pytestmark = pytest.mark.django_db


def link_time(story, race):
    return RaceCoverage.objects.get(article=story, race=race).published_at


def test_a_race_added_to_a_story_gets_its_publish_time():
    story, race = ArticleFactory(), RaceFactory()

    story.races.add(race)

    assert link_time(story, race) == story.published_at


def test_a_story_added_to_a_race_gets_its_publish_time():
    story, race = ArticleFactory(), RaceFactory()

    race.articles.add(story)

    assert link_time(story, race) == story.published_at


def test_set_gives_every_new_link_its_publish_time():
    story, races = ArticleFactory(), RaceFactory.create_batch(2)

    story.races.set(races)

    assert [link_time(story, race) for race in races] == [story.published_at] * 2


def test_a_draft_story_links_with_no_time_until_it_is_published():
    story, race = ArticleFactory(status=Article.Status.DRAFT), RaceFactory()
    story.races.add(race)
    assert link_time(story, race) is None

    story.status = Article.Status.PUBLISHED
    story.save()

    assert link_time(story, race) == story.published_at


def test_unpublishing_clears_the_time():
    story, race = ArticleFactory(), RaceFactory()
    story.races.add(race)

    story.status = Article.Status.UNPUBLISHED
    story.save()

    assert link_time(story, race) is None


def test_a_bulk_change_is_copied_again_by_refresh_story_links():
    story, race = ArticleFactory(), RaceFactory()
    story.races.add(race)
    later = timezone.now() - timedelta(minutes=5)
    Article.objects.filter(pk=story.pk).update(published_at=later)

    refresh_story_links([story.pk])

    assert link_time(story, race) == later


def test_a_races_page_lists_its_newest_published_stories(client):
    race = RaceFactory()
    now = timezone.now()
    stories = [
        ArticleFactory(headline=f"Story {n}", published_at=now - timedelta(hours=n))
        for n in range(1, 24)
    ]
    hidden = [
        ArticleFactory(status=Article.Status.DRAFT, headline="Draft"),
        ArticleFactory(published_at=now + timedelta(hours=1), headline="Scheduled"),
    ]
    for story in [*reversed(stories), *hidden]:
        story.races.add(race)

    coverage = client.get(race.get_absolute_url()).context["coverage"]

    assert [s.headline for s in coverage] == [s.headline for s in stories[:20]]


def test_an_editor_picks_a_storys_races_in_its_form(admin_client):
    section, races = SectionFactory(), RaceFactory.create_batch(2)

    admin_client.post(
        reverse("admin:articles_article_add"),
        article_form(
            section,
            status=Article.Status.PUBLISHED,
            published_at_0="2017-06-20",
            published_at_1="22:15:00",
            covered_races=[str(race.pk) for race in races],
        ),
    )

    story = Article.objects.get(slug="handel-wins-the-runoff")
    assert set(story.races.all()) == set(races)
    assert {link_time(story, race) for race in races} == {story.published_at}


def test_the_form_shows_the_races_a_story_covers(admin_client):
    story, race = ArticleFactory(), RaceFactory(name="GA-06 special")
    story.races.add(race)

    page = admin_client.get(
        reverse("admin:articles_article_change", args=[story.pk])
    ).content.decode()

    assert 'name="covered_races"' in page
    assert f'<option value="{race.pk}" selected>GA-06 special' in page


def test_restoring_a_version_brings_back_its_races(client):
    client.force_login(editor(username="ed"))
    story, race = ArticleFactory(), RaceFactory()
    url = reverse("admin:articles_article_change", args=[story.pk])
    client.post(url, story_form(story, covered_races=[str(race.pk)]))
    story.refresh_from_db()
    client.post(url, story_form(story))  # the race taken off
    assert list(story.races.all()) == []
    first = Version.objects.get_for_object(story).last()
    story.refresh_from_db()

    revision = reverse("admin:articles_article_revision", args=[story.pk, first.pk])
    form = client.get(revision).content.decode()
    client.post(revision, story_form(story, covered_races=[str(race.pk)]))

    assert f'<option value="{race.pk}" selected>' in form
    assert list(story.races.all()) == [race]
    assert link_time(story, race) == story.published_at


def test_the_races_autocomplete_finds_races_by_name(admin_client):
    RaceFactory(name="Georgia's 6th District special election")
    RaceFactory(name="Virginia governor")

    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "races",
            "term": "georgia",
        },
    )

    assert [r["text"] for r in response.json()["results"]] == [
        "Georgia's 6th District special election (2017)"
    ]


@pytest.mark.parametrize("bad", ["999999", "not-a-race"])
def test_an_unknown_race_is_a_form_error_and_nothing_is_saved(admin_client, bad):
    section = SectionFactory()

    response = admin_client.post(
        reverse("admin:articles_article_add"),
        article_form(section, covered_races=[bad]),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["covered_races"]
    assert not Article.objects.exists()
    assert not RaceCoverage.objects.exists()
