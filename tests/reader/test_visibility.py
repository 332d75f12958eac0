"""Nothing unpublished reaches a reader: one story of each hidden state, and a crawl
of every reader surface."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_publish
from people.models import Person, PersonSlug, Race
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CandidacyFactory,
    ElectionFactory,
    JournalistFactory,
    MentionFactory,
    PersonFactory,
    RaceFactory,
    SectionFactory,
    UserFactory,
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


# People and races known only from hidden stories. Their addresses (slugs) must
# never reach a reader; their names neither, but where a public page lists them
# without a link: a public race's candidates, a public candidate's races, and the
# reader's own words echoed on a search page.
HIDDEN_SLUGS = ("hiddenperson-", "hiddenwriter-", "hiddenrace-")
HIDDEN_NAMES = ("Hiddenperson", "Hiddenwriter", "Hiddenrace")


@pytest.fixture
def hidden_people(newsroom):
    """Per hidden story: a candidate mentioned only there, a journalist credited
    only there, and a race covered only there. The candidate also runs in the
    public race; the public person runs in each hidden race."""
    public_round = newsroom["race"].elections.get()
    found = {}
    for story in newsroom["hidden"]:
        state = story.slug.removeprefix("secret-")
        person = PersonFactory(
            name=f"Hiddenperson {state}",
            slug=f"hiddenperson-{state}",
            kind=Person.Kind.CANDIDATE,
            show_without_stories=False,
        )
        journalist = JournalistFactory(
            name=f"Hiddenwriter {state}",
            slug=f"hiddenwriter-{state}",
            show_without_stories=False,
        )
        race = RaceFactory(
            name=f"Hiddenrace {state}",
            slug=f"hiddenrace-{state}",
            show_without_stories=False,
        )
        MentionFactory(article=story, person=person, role="candidate")
        BylineFactory(article=story, person=journalist)
        story.races.add(race)
        hidden_round = ElectionFactory(race=race)
        CandidacyFactory(person=person, election=hidden_round, is_winner=True)
        CandidacyFactory(person=newsroom["person"], election=hidden_round)
        CandidacyFactory(person=person, election=public_round)
        PersonSlug.objects.create(person=person, slug=f"old-hiddenperson-{state}")
        found[state] = {"person": person, "journalist": journalist, "race": race}
    return found


def own_urls(person=None, race=None):
    """A person's or a race's page and feeds."""
    urls = []
    if person is not None:
        urls += [
            person.get_absolute_url(),
            reverse("articles:person-feed", args=[person.slug]),
            reverse("articles:person-feed-atom", args=[person.slug]),
        ]
    if race is not None:
        urls += [
            race.get_absolute_url(),
            reverse("articles:race-feed", args=[race.slug]),
            reverse("articles:race-feed-atom", args=[race.slug]),
        ]
    return urls


def crawl(client, newsroom):
    """Every reader page a reader can reach with the newsroom's public things,
    with every sitemap the index lists, and the searches for the hidden names."""
    search = reverse("articles:search")
    urls = [
        *reader_urls(newsroom),
        *(f"{reverse('people:list')}?kind={kind}" for kind in Person.Kind.values),
        *(f"{search}?q={name}" for name in HIDDEN_NAMES),
        f"{search}?q=hidden",
    ]
    pages = {url: client.get(url) for url in urls}
    index = pages[reverse("articles:sitemap")].content.decode()
    for location in re.findall(r"<loc>http://testserver([^<]+)</loc>", index):
        pages[location] = client.get(location)
    return pages


def names_may_show(url, newsroom) -> bool:
    return url.startswith(reverse("articles:search")) or url in (
        newsroom["person"].get_absolute_url(),
        newsroom["race"].get_absolute_url(),
    )


def test_people_and_races_known_only_from_hidden_stories_reach_no_reader(
    client, newsroom, hidden_people
):
    pages = crawl(client, newsroom)

    for url, response in pages.items():
        assert response.status_code == 200, url
        text = response.content.decode()
        for slug in HIDDEN_SLUGS:
            assert slug not in text, (url, slug)
        if not names_may_show(url, newsroom):
            for name in HIDDEN_NAMES:
                assert name not in text, (url, name)


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_pages_and_feeds_of_people_and_races_from_a_hidden_story_are_404(
    client, hidden_people, state
):
    hidden = hidden_people[state]
    urls = [
        *own_urls(person=hidden["person"], race=hidden["race"]),
        *own_urls(person=hidden["journalist"]),
        reverse("people:detail", args=[f"old-hiddenperson-{state}"]),
    ]

    for url in urls:
        assert client.get(url).status_code == 404, url


def test_a_public_race_names_a_hidden_candidate_without_a_link(
    client, newsroom, hidden_people
):
    page = client.get(newsroom["race"].get_absolute_url()).content.decode()

    assert "Hiddenperson draft" in page
    assert "/people/hiddenperson-draft/" not in page


def assert_public(client, newsroom, person=None, race=None):
    """`person` and `race` have their pages and feeds and are listed wherever
    readers find people and races."""
    for url in own_urls(person=person, race=race):
        assert client.get(url).status_code == 200, url
    pages = crawl(client, newsroom)
    shown = person or race
    url = shown.get_absolute_url()
    search = f"{reverse('articles:search')}?q={shown.name.split()[0]}"
    if person is not None:
        listings = [search, reverse("people:list"), "/sitemap-people.xml"]
    else:
        listings = [search, reverse("people:race-list"), "/sitemap-races.xml"]
    for listing in listings:
        assert url in pages[listing].text, listing


@pytest.mark.parametrize("state", ["draft", "review", "unpublished"])
def test_publishing_the_story_shows_its_people_and_race_to_readers(
    client, newsroom, hidden_people, state
):
    story = Article.objects.get(slug=f"secret-{state}")
    article_publish(article=story, user=UserFactory(is_superuser=True))
    hidden = hidden_people[state]

    assert_public(client, newsroom, person=hidden["person"])
    assert_public(client, newsroom, person=hidden["journalist"])
    assert_public(client, newsroom, race=hidden["race"])


def test_a_scheduled_storys_people_and_race_appear_on_its_time_with_no_job(
    client, newsroom, hidden_people, monkeypatch
):
    hidden = hidden_people["scheduled"]
    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert_public(client, newsroom, person=hidden["person"])
    assert_public(client, newsroom, person=hidden["journalist"])
    assert_public(client, newsroom, race=hidden["race"])


def test_the_editors_switch_shows_a_person_and_a_race_without_stories(
    client, newsroom, hidden_people
):
    hidden = hidden_people["draft"]
    Person.objects.filter(pk=hidden["person"].pk).update(show_without_stories=True)
    Race.objects.filter(pk=hidden["race"].pk).update(show_without_stories=True)

    assert_public(client, newsroom, person=hidden["person"])
    assert_public(client, newsroom, race=hidden["race"])


def test_staff_may_preview_a_hidden_persons_and_races_pages(
    admin_client, hidden_people
):
    hidden = hidden_people["draft"]

    for page in (hidden["person"], hidden["race"]):
        response = admin_client.get(page.get_absolute_url())
        assert response.status_code == 200
        assert "readers cannot see this page yet" in response.content.decode()


def test_a_visible_persons_page_has_no_preview_banner(client, newsroom):
    page = client.get(newsroom["person"].get_absolute_url()).content.decode()

    assert "preview-banner" not in page


def people_seen_and_hidden(rows):
    """`rows` people in a published story, `rows` journalists credited on one, and
    `rows` people in a draft only: the index lists the first two."""
    for _ in range(rows):
        MentionFactory(person__show_without_stories=False)
        BylineFactory(person__show_without_stories=False)
        MentionFactory(
            person__show_without_stories=False, article__status=Article.Status.DRAFT
        )


def races_seen_and_hidden(rows):
    """`rows` races a published story covers, `rows` a draft covers only."""
    for _ in range(rows):
        for status in (Article.Status.PUBLISHED, Article.Status.DRAFT):
            race = CandidacyFactory(
                is_winner=True, election__race__show_without_stories=False
            ).election.race
            ArticleFactory(status=status).races.add(race)


@pytest.mark.parametrize("rows", [1, 20])
def test_the_people_index_lists_only_people_readers_may_see_in_two_queries(
    client, django_assert_num_queries, rows
):
    people_seen_and_hidden(rows)

    with django_assert_num_queries(2):  # count, page of people
        response = client.get(reverse("people:list"))

    assert len(response.context["people"]) == 2 * rows


@pytest.mark.parametrize("rows", [1, 20])
def test_the_people_sitemap_lists_only_people_readers_may_see_in_two_queries(
    client, django_assert_num_queries, rows
):
    people_seen_and_hidden(rows)

    with django_assert_num_queries(2):  # how many, then the page of them
        response = client.get("/sitemap-people.xml")

    assert response.content.decode().count("<url>") == 2 * rows


@pytest.mark.parametrize("rows", [1, 20])
def test_the_races_index_lists_only_races_readers_may_see_in_two_queries(
    client, django_assert_num_queries, rows
):
    races_seen_and_hidden(rows)

    with django_assert_num_queries(2):  # count, page of races with their results
        response = client.get(reverse("people:race-list"))

    assert len(response.context["races"]) == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_the_races_sitemap_lists_only_races_readers_may_see_in_two_queries(
    client, django_assert_num_queries, rows
):
    races_seen_and_hidden(rows)

    with django_assert_num_queries(2):  # how many, then the page of them
        response = client.get("/sitemap-races.xml")

    assert response.content.decode().count("<url>") == rows


def test_the_sitemap_index_dates_people_and_races_by_those_readers_may_see(client):
    PersonFactory()
    RaceFactory()
    hidden = PersonFactory(show_without_stories=False)
    hidden_race = RaceFactory(show_without_stories=False)
    later = timezone.now() + timedelta(days=400)
    Person.objects.filter(pk=hidden.pk).update(updated_at=later)
    Race.objects.filter(pk=hidden_race.pk).update(updated_at=later)

    index = client.get(reverse("articles:sitemap")).content.decode()

    assert str(later.year) not in index


@pytest.mark.parametrize("rows", [1, 20])
def test_search_finds_only_people_and_races_readers_may_see_in_as_many_queries(
    client, django_assert_num_queries, rows
):
    for n in range(rows):
        for status in (Article.Status.PUBLISHED, Article.Status.DRAFT):
            story = ArticleFactory(status=status, headline=f"Runoff story {n}")
            MentionFactory(
                article=story,
                person__name=f"Runoff {status} person {n}",
                person__show_without_stories=False,
            )
            race = RaceFactory(
                name=f"Runoff {status} race {n}", show_without_stories=False
            )
            story.races.add(race)

    # As test_search_page_query_count_does_not_grow: the stories' count and page
    # (and on PostgreSQL one more look for the newest matches), people, races.
    expected = 5 if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(expected):
        response = client.get(reverse("articles:search"), {"q": "runoff"})

    names = [p.name for p in response.context["people"]]
    races = [r.name for r in response.context["races"]]
    assert len(names) == len(races) == min(rows, 10)
    assert not [name for name in names + races if "draft" in name]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN on PostgreSQL")
@pytest.mark.parametrize("model", [Person, Race])
def test_visibility_is_an_index_probe_a_row_not_a_hash_of_every_link(model):
    from tests.project.test_indexes import plan

    MentionFactory(person__show_without_stories=False)
    ArticleFactory().races.add(RaceFactory(show_without_stories=False))

    explained = plan(model.objects.visible_to_readers())

    assert "hashed" not in explained
    assert "Index" in explained


@pytest.mark.parametrize("state", HIDDEN_STATES)
@pytest.mark.parametrize(
    "name", ["articles:tag", "articles:tag-feed", "articles:tag-feed-atom"]
)
def test_a_tag_known_only_from_a_hidden_story_has_no_page_nor_feed(
    client, newsroom, name, state
):
    # Its address is the tag's name: a 200 where an unknown tag gets a 404 would
    # confirm an embargoed story's subject ("candidate-x-withdraws").
    Article.objects.get(slug=f"secret-{state}").tags.add("Candidate X withdraws")

    response = client.get(reverse(name, args=["candidate-x-withdraws"]))

    assert response.status_code == 404
    assert "Candidate X withdraws" not in response.content.decode()


def test_staff_may_preview_the_page_of_a_tag_known_only_from_a_draft(
    admin_client, newsroom
):
    Article.objects.get(slug="secret-draft").tags.add("Candidate X withdraws")

    response = admin_client.get(reverse("articles:tag", args=["candidate-x-withdraws"]))

    assert response.status_code == 200
