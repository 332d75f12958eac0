from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CandidacyFactory,
    MentionFactory,
    PersonFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response):
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def test_latest_rss_feed_lists_stories_newest_first(client):
    ArticleFactory(headline="Older", published_at=timezone.now() - timedelta(days=2))
    BylineFactory(
        article__headline="Newer", person__name="Jerome Hudson"
    ).article.tags.add("Hollywood")

    feed = parse(client.get(reverse("articles:feed")))

    items = feed.findall("channel/item")
    assert [i.findtext("title") for i in items] == ["Newer", "Older"]
    assert items[0].findtext("category") == "Hollywood"
    assert items[0].findtext("link").startswith("http://testserver/")


def test_latest_atom_feed_is_atom(client):
    ArticleFactory(headline="Runoff")

    feed = parse(client.get(reverse("articles:feed-atom")))

    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}entry/{ATOM}title").text == "Runoff"


def test_person_feed_lists_their_stories_once(client):
    person = PersonFactory(slug="jon-ossoff")
    story = MentionFactory(
        person=person, role="candidate", article__headline="Ossoff"
    ).article
    MentionFactory(person=person, role="quoted", article=story)
    ArticleFactory(headline="Other")

    feed = parse(client.get(reverse("articles:person-feed", args=["jon-ossoff"])))

    assert [i.findtext("title") for i in feed.findall("channel/item")] == ["Ossoff"]


def test_person_feed_has_their_latest_published_stories_newest_first(client):
    person = PersonFactory(slug="karen-handel")
    now = timezone.now()
    for days, headline in [(3, "Oldest"), (1, "Newest"), (2, "Middle")]:
        MentionFactory(
            person=person,
            article__headline=headline,
            article__published_at=now - timedelta(days=days),
        )
    MentionFactory(person=person, article__headline="Draft", article__status="draft")

    feed = parse(client.get(reverse("articles:person-feed", args=["karen-handel"])))

    assert [i.findtext("title") for i in feed.findall("channel/item")] == [
        "Newest",
        "Middle",
        "Oldest",
    ]


def test_tag_section_and_race_feeds(client):
    section = SectionFactory(slug="elections")
    story = ArticleFactory(headline="Tagged", section=section)
    story.tags.add("Hollywood")
    race = CandidacyFactory().election.race
    story.races.add(race)

    for name, slug in [
        ("articles:tag-feed", "hollywood"),
        ("articles:section-feed", "elections"),
        ("articles:race-feed", race.slug),
    ]:
        feed = parse(client.get(reverse(name, args=[slug])))
        assert [i.findtext("title") for i in feed.findall("channel/item")] == ["Tagged"]


def test_feed_of_an_unknown_subject_is_404(client):
    assert (
        client.get(reverse("articles:person-feed", args=["nobody"])).status_code == 404
    )


@pytest.mark.parametrize("rows", [1, 30])
def test_feed_query_count_does_not_grow(client, django_assert_num_queries, rows):
    for _ in range(rows):
        BylineFactory().article.tags.add("Hollywood")

    # stories, bylines, tags
    with django_assert_num_queries(3):
        client.get(reverse("articles:feed"))


def test_feed_survives_control_characters_in_a_headline(client):
    ArticleFactory(headline="Bad\x0bheadline\x07")

    assert client.get(reverse("articles:feed")).status_code == 200


def test_sitemap_index_lists_every_sitemap(client):
    ArticleFactory()

    index = client.get(reverse("articles:sitemap")).content.decode()

    for section in ["articles", "people", "races", "sections", "tags"]:
        assert f"http://testserver/sitemap-{section}.xml" in index


def test_article_sitemap_lists_published_stories_with_lastmod(client):
    story = ArticleFactory(slug="runoff")

    body = client.get("/sitemap-articles.xml").content.decode()

    assert f"http://testserver{story.get_absolute_url()}" in body
    assert "<lastmod>" in body


def test_people_races_and_tags_are_in_their_sitemaps(client):
    person = PersonFactory(slug="jon-ossoff")
    race = CandidacyFactory(person=person).election.race
    ArticleFactory().tags.add("Hollywood")

    assert "/people/jon-ossoff/" in client.get("/sitemap-people.xml").content.decode()
    assert race.get_absolute_url() in client.get("/sitemap-races.xml").content.decode()
    assert "/tags/hollywood/" in client.get("/sitemap-tags.xml").content.decode()


def test_news_sitemap_has_only_the_last_two_days(client):
    ArticleFactory(headline="Fresh", slug="fresh")
    ArticleFactory(
        headline="Stale", slug="stale", published_at=timezone.now() - timedelta(days=3)
    )

    body = client.get(reverse("articles:sitemap-news")).content.decode()

    assert "<news:title>Fresh</news:title>" in body
    assert "Stale" not in body
    ElementTree.fromstring(body.encode())


def test_news_sitemap_escapes_headlines(client):
    ArticleFactory(headline="Ossoff & Handel <debate>")

    body = client.get(reverse("articles:sitemap-news")).content.decode()

    assert "Ossoff &amp; Handel &lt;debate&gt;" in body
    ElementTree.fromstring(body.encode())
