"""Nothing unpublished reaches a reader: one story of each hidden state, and a crawl
of every reader surface."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    CandidacyFactory,
    MentionFactory,
    PersonFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN_STATES = {
    "draft": {"status": Article.Status.DRAFT},
    "review": {"status": Article.Status.IN_REVIEW},
    "unpublished": {"status": Article.Status.UNPUBLISHED},
    "scheduled": {"published_at_offset": timedelta(hours=2)},
}


@pytest.fixture
def newsroom():
    """A published story and one hidden story per state, all about the same
    person, tag, section and race; every hidden one says SECRET everywhere."""
    section = SectionFactory(name="Elections", slug="elections")
    person = PersonFactory(name="Jon Ossoff", slug="jon-ossoff")
    race = CandidacyFactory(person=person, is_winner=True).election.race
    published = ArticleFactory(
        headline="Runoff results are in", slug="runoff-results", section=section
    )
    hidden = []
    for state, values in HIDDEN_STATES.items():
        values = dict(values)
        offset = values.pop("published_at_offset", -timedelta(hours=2))
        hidden.append(
            ArticleFactory(
                headline=f"SECRET {state} runoff story",
                slug=f"secret-{state}",
                dek=f"SECRET dek {state}",
                body=f"<p>SECRET body {state} runoff</p>",
                section=section,
                published_at=timezone.now() + offset,
                **values,
            )
        )
    for story in [published, *hidden]:
        story.tags.add("Georgia runoff")
        story.races.add(race)
        MentionFactory(article=story, person=person, role="candidate")
    return {"published": published, "hidden": hidden, "person": person, "race": race}


def reader_urls(newsroom):
    person, race = newsroom["person"], newsroom["race"]
    urls = [
        "/",
        "/?page=1",
        reverse("articles:section", args=["elections"]),
        reverse("articles:tag", args=["georgia-runoff"]),
        person.get_absolute_url(),
        race.get_absolute_url(),
        reverse("people:list"),
        reverse("people:race-list"),
        newsroom["published"].get_absolute_url(),
        reverse("articles:search") + "?q=runoff",
        reverse("articles:search") + "?q=dek",
        reverse("articles:search") + "?q=body",
        reverse("articles:feed"),
        reverse("articles:feed-atom"),
        reverse("articles:person-feed", args=[person.slug]),
        reverse("articles:person-feed-atom", args=[person.slug]),
        reverse("articles:tag-feed", args=["georgia-runoff"]),
        reverse("articles:tag-feed-atom", args=["georgia-runoff"]),
        reverse("articles:section-feed", args=["elections"]),
        reverse("articles:section-feed-atom", args=["elections"]),
        reverse("articles:race-feed", args=[race.slug]),
        reverse("articles:race-feed-atom", args=[race.slug]),
        reverse("articles:sitemap"),
        reverse("articles:sitemap-news"),
        "/robots.txt",
    ]
    return urls


def test_every_reader_surface_hides_unpublished_stories(client, newsroom):
    pages = {url: client.get(url) for url in reader_urls(newsroom)}
    # Follow the sitemap index to each of its sitemaps.
    index = pages[reverse("articles:sitemap")].content.decode()
    for location in re.findall(r"<loc>http://testserver([^<]+)</loc>", index):
        pages[location] = client.get(location)

    for url, response in pages.items():
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "SECRET" not in text, url
        assert "secret-" not in text, url
    assert "Runoff results are in" in pages["/"].content.decode()
    assert "runoff-results" in pages[reverse("articles:sitemap-news")].content.decode()


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_hidden_story_urls_are_404(client, newsroom, state):
    story = Article.objects.get(slug=f"secret-{state}")

    assert client.get(story.get_absolute_url()).status_code == 404


def test_counts_shown_to_readers_leave_hidden_stories_out(client, newsroom):
    page = client.get(reverse("articles:tag", args=["georgia-runoff"])).content.decode()

    assert "1 story" in page


def test_scheduled_story_appears_on_its_time_with_no_job(client, newsroom):
    story = Article.objects.get(slug="secret-scheduled")
    Article.objects.filter(pk=story.pk).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )

    assert "SECRET scheduled" in client.get("/").content.decode()
