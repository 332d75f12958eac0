from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import sitemaps
from articles.models import Article
from articles.sitemaps import month_path
from people.models import Person
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
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


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

    # stories (their bylines in their rows), tags
    with django_assert_num_queries(2):
        client.get(reverse("articles:feed"))


def test_feed_survives_control_characters_in_a_headline(client):
    ArticleFactory(headline="Bad\x0bheadline\x07")

    assert client.get(reverse("articles:feed")).status_code == 200


def local(*args) -> datetime:
    """A moment in the newsroom's time zone."""
    return timezone.make_aware(datetime(*args))


def sitemap_locations(response) -> list[str]:
    """The addresses a sitemap or sitemap index lists, parsed as XML."""
    root = parse(response)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def test_sitemap_index_lists_every_sitemap(client):
    ArticleFactory(published_at=local(2017, 6, 20, 22, 15))

    index = sitemap_locations(client.get(reverse("articles:sitemap")))

    assert index == [
        "http://testserver/sitemap-articles-2017-06.xml",
        *(
            f"http://testserver/sitemap-{section}.xml"
            for section in ["people", "races", "sections", "tags"]
        ),
    ]


def test_sitemap_index_lists_a_file_per_month_with_stories_newest_first(client):
    for month in [4, 6, 6]:
        ArticleFactory(published_at=local(2017, month, 20))
    ArticleFactory(status=Article.Status.DRAFT, published_at=local(2017, 5, 1))
    ArticleFactory(published_at=timezone.now() + timedelta(days=40))  # scheduled

    index = sitemap_locations(client.get(reverse("articles:sitemap")))

    months = [loc for loc in index if "/sitemap-articles-" in loc]
    assert months == [
        "http://testserver/sitemap-articles-2017-06.xml",
        "http://testserver/sitemap-articles-2017-04.xml",
    ]


def test_article_sitemap_lists_published_stories_with_lastmod(client):
    story = ArticleFactory(slug="runoff", published_at=local(2017, 6, 20, 22, 15))

    body = client.get(month_path(story.published_at)).content.decode()

    assert f"<loc>http://testserver{story.get_absolute_url()}</loc>" in body
    assert "<lastmod>" in body


def test_a_month_sitemap_holds_the_stories_of_that_month_in_newsroom_time(client):
    # 11:30 p.m. on June 30 in New York is already July 1 in UTC.
    late_june = ArticleFactory(
        slug="late-june", published_at=local(2017, 6, 30, 23, 30)
    )
    ArticleFactory(slug="first-of-july", published_at=local(2017, 7, 1, 0, 30))
    ArticleFactory(slug="last-of-may", published_at=local(2017, 5, 31, 23, 59))
    ArticleFactory(
        slug="pulled", status=Article.Status.UNPUBLISHED, published_at=local(2017, 6, 9)
    )

    june = sitemap_locations(client.get("/sitemap-articles-2017-06.xml"))

    assert june == [f"http://testserver{late_june.get_absolute_url()}"]


def test_a_month_sitemap_lists_the_month_oldest_first(client):
    later = ArticleFactory(published_at=local(2017, 6, 20))
    earlier = ArticleFactory(published_at=local(2017, 6, 2))

    june = sitemap_locations(client.get("/sitemap-articles-2017-06.xml"))

    assert june == [
        f"http://testserver{earlier.get_absolute_url()}",
        f"http://testserver{later.get_absolute_url()}",
    ]


def test_an_edited_story_shows_its_edit_as_lastmod(client):
    story = ArticleFactory(published_at=local(2017, 6, 20))
    Article.objects.filter(pk=story.pk).update(updated_at=local(2017, 7, 4, 12))

    root = parse(client.get("/sitemap-articles-2017-06.xml"))

    assert (
        root.find(f"{SITEMAP}url/{SITEMAP}lastmod").text == "2017-07-04T16:00:00+00:00"
    )


def test_a_month_of_more_stories_than_a_file_holds_is_split(client, monkeypatch):
    monkeypatch.setattr(sitemaps, "URLS_PER_FILE", 2)
    stories = [ArticleFactory(published_at=local(2017, 6, day)) for day in (1, 2, 3)]

    index = sitemap_locations(client.get(reverse("articles:sitemap")))
    second = sitemap_locations(client.get("/sitemap-articles-2017-06.xml?p=2"))

    assert "http://testserver/sitemap-articles-2017-06.xml?p=2" in index
    assert "http://testserver/sitemap-articles-2017-06.xml?p=3" not in index
    assert second == [f"http://testserver{stories[2].get_absolute_url()}"]
    assert client.get("/sitemap-articles-2017-06.xml?p=3").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/sitemap-articles-2017-13.xml",
        "/sitemap-articles-2017-00.xml",
        "/sitemap-articles-0000-06.xml",
        "/sitemap-articles-9999-12.xml",
        "/sitemap-articles-2017-6.xml",
        "/sitemap-articles-2017-05.xml",  # a month without stories
        "/sitemap-articles-2017-06.xml?p=0",
        "/sitemap-articles-2017-06.xml?p=-1",
        "/sitemap-articles-2017-06.xml?p=two",
        "/sitemap-articles-2017-06.xml?p=%C2%B2",
        "/sitemap-articles.xml",
        "/sitemap-people.xml?p=2",
        "/sitemap-people.xml?p=x",
        "/sitemap-nobody.xml",
    ],
)
def test_a_sitemap_that_does_not_exist_is_404(client, url):
    ArticleFactory(published_at=local(2017, 6, 20))
    PersonFactory()

    assert client.get(url).status_code == 404


def test_sitemaps_are_not_for_search_results(client):
    ArticleFactory(published_at=local(2017, 6, 20))

    for url in ["/sitemap.xml", "/sitemap-articles-2017-06.xml", "/sitemap-tags.xml"]:
        assert client.get(url)["X-Robots-Tag"] == "noindex, noodp, noarchive", url


@pytest.mark.parametrize("stories", [1, 12])
def test_the_sitemap_index_reads_no_story_or_person(client, stories):
    """Django's index loaded every story and person for their newest lastmod:
    2.7 s at 100,000 stories. Here: counts and aggregates only."""
    for month in range(1, stories + 1):
        MentionFactory(article__published_at=local(2016, month, 10))
    loaded = []

    def record(sender, **kwargs):
        loaded.append(sender)

    post_init.connect(record, sender=Article)
    post_init.connect(record, sender=Person)
    try:
        # months with their story counts; then for people and races a count and
        # their newest change, for sections and tags a count
        with CaptureQueriesContext(connection) as queries:
            index = sitemap_locations(client.get(reverse("articles:sitemap")))
    finally:
        post_init.disconnect(record, sender=Article)
        post_init.disconnect(record, sender=Person)

    assert loaded == []
    assert len(queries) == 7
    assert len(index) == stories + 4


@pytest.mark.parametrize("stories", [1, 20])
def test_a_month_sitemap_is_one_query(client, django_assert_num_queries, stories):
    for day in range(1, stories + 1):
        ArticleFactory(published_at=local(2017, 6, day))

    with django_assert_num_queries(1):
        client.get("/sitemap-articles-2017-06.xml")


@pytest.mark.parametrize("people", [2, 30])
def test_a_people_sitemap_takes_two_queries_however_many_people(
    client, django_assert_num_queries, people
):
    PersonFactory.create_batch(people)

    with django_assert_num_queries(2):  # how many, then the page of them
        client.get("/sitemap-people.xml")


def test_people_sitemap_gives_their_newest_change_in_the_index(client):
    PersonFactory()
    newest = PersonFactory()
    Person.objects.filter(pk=newest.pk).update(updated_at=local(2030, 1, 2, 3, 4, 5))

    root = parse(client.get(reverse("articles:sitemap")))

    entries = {
        entry.find(f"{SITEMAP}loc").text: entry.find(f"{SITEMAP}lastmod")
        for entry in root.iter(f"{SITEMAP}sitemap")
    }
    people = entries["http://testserver/sitemap-people.xml"]
    assert people.text == "2030-01-02T08:04:05+00:00"


def test_a_tag_is_in_the_sitemap_while_a_published_story_has_it(client):
    ArticleFactory().tags.add("Runoff")
    ArticleFactory(status=Article.Status.DRAFT).tags.add("Runoff", "Secret plans")
    ArticleFactory(published_at=timezone.now() + timedelta(days=1)).tags.add("Soon")

    tags = sitemap_locations(client.get("/sitemap-tags.xml"))

    assert tags == ["http://testserver/tags/runoff/"]


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
