"""The minimal reader site: front page, story, section, person and race pages."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from people.models import Race
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CandidacyFactory,
    ElectionFactory,
    MentionFactory,
    PersonFactory,
    RaceFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

# A story with its section and bylines; its people; its tags; its related stories
# (one query each); and the races of a story that covers any.
STORY_QUERIES = 4
RACES_QUERIES = 1

HIDDEN = [
    {"status": Article.Status.DRAFT},
    {"status": Article.Status.IN_REVIEW},
    {"status": Article.Status.UNPUBLISHED},
    {"published_at": timezone.now() + timedelta(days=1)},
]


def test_front_page_lists_published_stories_newest_first(client):
    ArticleFactory(headline="Older", published_at=timezone.now() - timedelta(days=2))
    ArticleFactory(headline="Newer", published_at=timezone.now() - timedelta(days=1))

    response = client.get("/")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Newer") < page.index("Older")


@pytest.mark.parametrize("hidden", HIDDEN)
def test_front_page_hides_unpublished_stories(client, hidden):
    ArticleFactory(headline="Secret story", **hidden)

    assert "Secret story" not in client.get("/").content.decode()


@pytest.mark.parametrize("hidden", HIDDEN)
def test_unpublished_story_url_is_404(client, hidden):
    story = ArticleFactory(**hidden)

    assert client.get(story.get_absolute_url()).status_code == 404


def test_story_page_shows_the_story_people_and_byline(client):
    mention = MentionFactory(
        article__headline="Handel wins", person__name="Karen Handel", role="candidate"
    )
    BylineFactory(article=mention.article, person__name="Jerome Hudson")

    response = client.get(mention.article.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Handel wins</h1>" in page
    assert "Karen Handel" in page and "Candidate" in page
    assert mention.person.get_absolute_url() in page
    assert "Jerome Hudson" in page


def test_story_page_lists_its_tags_by_name_each_linking_to_its_page(client):
    story = ArticleFactory()
    story.tags.add("Runoff", "Georgia")

    page = client.get(story.get_absolute_url()).content.decode()

    assert (
        'Tags: <a href="/tags/georgia/">Georgia</a>, '
        '<a href="/tags/runoff/">Runoff</a></p>'
    ) in page


def test_story_page_lists_a_person_once_with_all_their_roles(client):
    mention = MentionFactory(person__name="Alyssa Milano", role="endorser")
    MentionFactory(article=mention.article, person=mention.person, role="quoted")

    page = client.get(mention.article.get_absolute_url()).content.decode()

    assert page.count(">Alyssa Milano</a>") == 1
    assert "Endorser, Quoted" in page


def test_story_under_a_wrong_date_redirects_permanently_to_its_url(client):
    story = ArticleFactory(slug="runoff")

    response = client.get("/1999/01/01/runoff/")

    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_unknown_story_is_404(client):
    assert client.get("/2017/06/20/no-such-story/").status_code == 404


def test_story_page_never_runs_body_scripts(client):
    story = ArticleFactory(
        headline="<script>alert(1)</script>", body="<script>x()</script>"
    )

    page = client.get(story.get_absolute_url()).content.decode()

    assert "<script>" not in page


def test_section_page_lists_its_published_stories(client):
    section = SectionFactory(name="Elections", slug="elections")
    ArticleFactory(headline="In section", section=section)
    ArticleFactory(headline="Draft in section", section=section, status="draft")
    ArticleFactory(headline="Elsewhere")

    page = client.get(reverse("articles:section", args=["elections"])).content.decode()

    assert "In section" in page
    assert "Draft in section" not in page
    assert "Elsewhere" not in page


def test_person_page_lists_published_stories_with_roles(client):
    person = PersonFactory(name="Jane Fonda")
    story = MentionFactory(
        person=person, role="donor", article__headline="Stars give"
    ).article
    MentionFactory(person=person, role="quoted", article=story)
    MentionFactory(
        person=person, article__headline="Draft one", article__status="draft"
    )

    page = client.get(person.get_absolute_url()).content.decode()

    assert page.count("Stars give") == 1
    assert "Role in this story: donor, quoted" in page
    assert "Draft one" not in page


def test_journalist_has_a_page(client):
    byline = BylineFactory(person__name="Jerome Hudson")

    assert client.get(byline.person.get_absolute_url()).status_code == 200


def test_race_page_shows_results_with_shares(client):
    election = ElectionFactory(race__name="GA-06 special")
    CandidacyFactory(election=election, person__name="Karen Handel", votes=134_799)
    CandidacyFactory(election=election, person__name="Jon Ossoff", votes=125_517)

    page = client.get(election.race.get_absolute_url()).content.decode()

    assert "51.8%" in page and "48.2%" in page
    assert page.index("Karen Handel") < page.index("Jon Ossoff")


def test_a_race_pages_rounds_link_to_the_round_before_and_after(client):
    race = RaceFactory()
    first = ElectionFactory(race=race, date=date(2017, 4, 18), kind="all-party")
    runoff = ElectionFactory(race=race, date=date(2017, 6, 20), kind="runoff")
    for election in (first, runoff):
        CandidacyFactory(election=election, votes=10)

    page = client.get(race.get_absolute_url()).content.decode()

    first_round, runoff_round = page.split('<section class="round"')[1:]
    assert "Previous round" not in first_round
    assert (
        '<a href="#round-2017-06-20">Next round: runoff, June 20 →</a>' in first_round
    )
    assert (
        '<a href="#round-2017-04-18">← Previous round: all-party special, April 18</a>'
        in runoff_round
    )
    assert "Next round" not in runoff_round


def test_unknown_person_and_race_are_404(client):
    assert client.get("/people/nobody/").status_code == 404
    assert client.get("/races/nothing/").status_code == 404


@pytest.mark.parametrize("rows", [1, 30])
def test_front_page_query_count_does_not_grow(client, django_assert_num_queries, rows):
    section = SectionFactory()
    for _ in range(rows):
        BylineFactory(article__section=section).article.races.add(RaceFactory())
        SectionFactory()

    # page of stories with sections and bylines (keyset: no count); the sidebar's
    # sections; the races in the news
    with django_assert_num_queries(3):
        response = client.get("/")

    assert len(response.context["races_in_the_news"]) == min(rows, 5)


def races_in_the_news(client):
    return [
        (race.name, race.seat, race.year, race.get_absolute_url())
        for race in client.get("/").context["races_in_the_news"]
    ]


def test_the_front_page_lists_the_races_the_latest_stories_cover(client):
    now = timezone.now()
    senate = RaceFactory(
        name="Senate", slug="senate", office=Race.Office.US_SENATE, district=""
    )
    house = RaceFactory(name="GA-06 special", slug="ga-06", district="6", year=2017)
    for hours, race in enumerate([house, senate, house]):
        ArticleFactory(published_at=now - timedelta(hours=hours)).races.add(race)
    RaceFactory(name="Not covered")

    assert races_in_the_news(client) == [
        ("GA-06 special", "GA-06", 2017, "/races/ga-06/"),
        ("Senate", "GA U.S. Senate", 2017, "/races/senate/"),
    ]


def test_races_in_the_news_are_five_newest_year_first(client):
    for year in (2014, 2016, 2018, 2020, 2022, 2024):
        ArticleFactory().races.add(RaceFactory(name=f"Race of {year}", year=year))

    assert [name for name, *_ in races_in_the_news(client)] == [
        "Race of 2024", "Race of 2022", "Race of 2020", "Race of 2018", "Race of 2016"
    ]  # fmt: skip


def test_races_only_unpublished_or_older_stories_cover_are_not_in_the_news(client):
    now = timezone.now()
    ArticleFactory(status=Article.Status.DRAFT).races.add(RaceFactory(name="Draft"))
    ArticleFactory(published_at=now + timedelta(hours=1)).races.add(
        RaceFactory(name="Scheduled")
    )
    ArticleFactory(published_at=now - timedelta(days=30)).races.add(
        RaceFactory(name="Old news")
    )
    for _ in range(50):  # the newest fifty stories
        ArticleFactory(published_at=now - timedelta(hours=1))

    assert races_in_the_news(client) == []


@pytest.mark.parametrize("rows", [1, 30])
def test_story_page_query_count_does_not_grow(client, django_assert_num_queries, rows):
    story = ArticleFactory()
    for _ in range(rows):
        MentionFactory(article=story)
        BylineFactory(article=story)
        story.races.add(CandidacyFactory(votes=10, is_winner=True).election.race)
    story.tags.add(*[f"tag {n}" for n in range(rows)])

    # story with its section and bylines; people; tags; related stories; races
    # with their results
    with django_assert_num_queries(STORY_QUERIES + RACES_QUERIES):
        response = client.get(story.get_absolute_url())

    assert len(response.context["races"]) == rows


def test_a_story_covering_no_race_spends_no_query_on_races(
    client, django_assert_num_queries
):
    story = MentionFactory().article
    story.tags.add("Georgia")

    # story with bylines, tags, people and related stories: no races
    with django_assert_num_queries(STORY_QUERIES):
        response = client.get(story.get_absolute_url())

    assert response.context["races"] == []


@pytest.mark.parametrize("rows", [1, 30])
def test_story_page_with_related_stories_costs_what_any_story_page_does(
    client, django_assert_num_queries, rows
):
    person = PersonFactory()
    story = MentionFactory(person=person).article
    for _ in range(rows):
        BylineFactory(article=MentionFactory(person=person).article)

    with django_assert_num_queries(STORY_QUERIES):  # no races: see the test above
        response = client.get(story.get_absolute_url())

    assert len(response.context["related"]) == min(rows, 5)


@pytest.mark.parametrize("rows", [1, 30])
def test_person_page_query_count_does_not_grow(client, django_assert_num_queries, rows):
    person = PersonFactory()
    for _ in range(rows):
        MentionFactory(person=person)
        CandidacyFactory(person=person)

    # person; their candidacies; a page of their mentions (keyset: no count) with
    # those stories and their bylines; the person's roles in them; their
    # relationships (`articles.relationships`); their dated roles
    with django_assert_num_queries(6):
        response = client.get(person.get_absolute_url())

    assert len(response.context["candidacies"]) == rows


def test_a_person_who_never_ran_has_no_candidacies(client):
    person = MentionFactory().person

    response = client.get(person.get_absolute_url())

    assert response.context["candidacies"] == []
    assert 'id="races-heading"' not in response.content.decode()


def test_a_candidates_races_are_listed_latest_round_first(client):
    person = PersonFactory()
    for day, name in (
        (date(2017, 4, 18), "First round"),
        (date(2017, 6, 20), "Runoff"),
    ):
        CandidacyFactory(person=person, election__date=day, election__race__name=name)

    candidacies = client.get(person.get_absolute_url()).context["candidacies"]

    assert [c.election.race.name for c in candidacies] == ["Runoff", "First round"]
    assert [c.election.date for c in candidacies] == [
        date(2017, 6, 20),
        date(2017, 4, 18),
    ]


def test_a_candidates_page_lists_their_races_with_votes_and_share(client):
    runoff = ElectionFactory(
        race__name="Georgia's 6th District", date=date(2017, 6, 20)
    )
    ossoff = CandidacyFactory(election=runoff, votes=125_517).person
    CandidacyFactory(election=runoff, votes=134_799)

    page = client.get(ossoff.get_absolute_url()).content.decode()

    assert "Georgia&#39;s 6th District" in page
    assert runoff.race.get_absolute_url() in page
    assert "June 20, 2017" in page
    assert "125,517 votes (48.2%)" in page


@pytest.mark.parametrize("rows", [1, 30])
def test_race_page_query_count_does_not_grow(client, django_assert_num_queries, rows):
    election = ElectionFactory()
    for _ in range(rows):
        CandidacyFactory(election=election)
        ArticleFactory().races.add(election.race)

    # race; its rounds; their results; coverage with its bylines; the candidates'
    # backers; the count as it came in
    # (the snapshots' rows)
    with django_assert_num_queries(6):
        client.get(election.race.get_absolute_url())


@pytest.mark.parametrize("rows", [1, 30])
def test_tag_page_query_count_does_not_grow(client, django_assert_num_queries, rows):
    for _ in range(rows):
        BylineFactory().article.tags.add("Hollywood")

    # tag with its story count, a page of its links (keyset) with their stories
    # and bylines
    with django_assert_num_queries(2):
        response = client.get(reverse("articles:tag", args=["hollywood"]))

    assert len(response.context["articles"]) == min(rows, 20)


@pytest.mark.parametrize("rows", [1, 30])
def test_section_page_query_count_does_not_grow(
    client, django_assert_num_queries, rows
):
    section = SectionFactory(slug="elections")
    for _ in range(rows):
        BylineFactory(article__section=section)

    # section, page of stories with their bylines (keyset: no count)
    with django_assert_num_queries(2):
        client.get(reverse("articles:section", args=["elections"]))


@pytest.mark.parametrize("rows", [1, 30])
def test_people_index_query_count_does_not_grow(
    client, django_assert_num_queries, rows
):
    for _ in range(rows):
        PersonFactory()

    # count, page of people
    with django_assert_num_queries(2):
        response = client.get(reverse("people:list"))

    assert len(response.context["people"]) == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_races_index_query_count_does_not_grow(client, django_assert_num_queries, rows):
    for _ in range(rows):
        CandidacyFactory(is_winner=True)

    # count, page of races with their results
    with django_assert_num_queries(2):
        client.get(reverse("people:race-list"))


@pytest.mark.parametrize("rows", [1, 30])
def test_search_page_query_count_does_not_grow(client, django_assert_num_queries, rows):
    for n in range(rows):
        BylineFactory(article__headline=f"Runoff story {n}")
        PersonFactory(name=f"Runoff Person {n}")
        RaceFactory(name=f"Runoff race {n}")

    # SQLite: count, page of stories (their bylines in their rows), people, races
    # with results. PostgreSQL: the newest matches among the newest stories and,
    # as this small archive cannot hold enough of them there, in the whole archive
    # (see `articles.search.newest_matches`), then the same three.
    expected = 5 if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(expected):
        client.get(reverse("articles:search"), {"q": "runoff"})


def test_people_index_filters_by_kind(client):
    PersonFactory(name="Jon Ossoff", kind="candidate")
    PersonFactory(name="Jane Fonda", kind="celebrity")

    page = client.get(reverse("people:list"), {"kind": "candidate"}).content.decode()

    assert "Jon Ossoff" in page
    assert "Jane Fonda" not in page


def test_people_index_ignores_an_unknown_kind(client):
    PersonFactory(name="Jane Fonda", kind="celebrity")

    response = client.get(reverse("people:list"), {"kind": "<script>"})

    assert response.status_code == 200
    assert "Jane Fonda" in response.content.decode()


def test_races_index_shows_the_winner_and_share(client):
    election = ElectionFactory(race__name="GA-06 special")
    CandidacyFactory(
        election=election, person__name="Karen Handel", votes=134_799, is_winner=True
    )
    CandidacyFactory(election=election, votes=125_517)

    page = client.get(reverse("people:race-list")).content.decode()

    assert "Karen Handel" in page
    assert "51.8%" in page


def test_races_index_gives_the_next_round_while_no_one_has_won(client):
    ElectionFactory(race__name="GA-06 special", kind="runoff", date=date(2017, 6, 20))

    page = client.get(reverse("people:race-list")).content.decode()

    assert "GA-06 special</a>" in page
    assert "runoff June 20, 2017" in page


def test_race_page_draws_a_bar_chart_and_marks_the_winner(client):
    election = ElectionFactory()
    CandidacyFactory(
        election=election, person__name="Karen Handel", votes=134_799, is_winner=True
    )
    CandidacyFactory(election=election, person__name="Jon Ossoff", votes=125_517)

    page = client.get(election.race.get_absolute_url()).content.decode()

    assert page.count("<svg") == 1
    assert page.count("<rect") == 2
    assert 'class="winner"' in page and "Winner</span>" in page
    assert "134,799" in page


def test_race_page_links_between_rounds(client):
    race = RaceFactory()
    first = ElectionFactory(race=race, date=date(2017, 4, 18))
    ElectionFactory(race=race, date=date(2017, 6, 20), kind="runoff")

    page = client.get(race.get_absolute_url()).content.decode()

    assert 'href="#round-2017-06-20"' in page
    assert 'href="#round-2017-04-18"' in page
    assert first.get_kind_display() in page


def test_race_page_before_results_shows_no_chart(client):
    CandidacyFactory(votes=None)
    race = ElectionFactory._meta.model.objects.get().race

    response = client.get(race.get_absolute_url())

    assert response.status_code == 200
    assert "<svg" not in response.content.decode()


def test_story_page_shows_related_stories_sharing_a_person(client):
    person = PersonFactory()
    story = MentionFactory(person=person).article
    MentionFactory(person=person, article__headline="Shares the person")
    MentionFactory(
        person=person, article__headline="Draft sharing", article__status="draft"
    )
    ArticleFactory(headline="Shares nothing")

    page = client.get(story.get_absolute_url()).content.decode()

    assert "Shares the person" in page
    assert "Draft sharing" not in page
    assert "Shares nothing" not in page


def test_story_page_shows_related_stories_sharing_a_tag(client):
    story = ArticleFactory()
    story.tags.add("Hollywood")
    other = ArticleFactory(headline="Also Hollywood")
    other.tags.add("Hollywood")

    page = client.get(story.get_absolute_url()).content.decode()

    assert "Also Hollywood" in page


def test_related_stories_are_the_newest_five_once_each_without_the_story(client):
    person = PersonFactory()
    story = MentionFactory(person=person).article
    story.tags.add("Georgia")
    now = timezone.now()
    for n in range(4):  # sharing the person, the tag, or both
        shared = MentionFactory(
            person=person,
            article__headline=f"Both {n}",
            article__published_at=now - timedelta(minutes=n + 1),
        ).article
        shared.tags.add("Georgia")
    for n in range(3):
        ArticleFactory(
            headline=f"Tag {n}", published_at=now - timedelta(hours=n + 1)
        ).tags.add("Georgia")

    related = client.get(story.get_absolute_url()).context["related"]

    assert [s.headline for s in related] == ["Both 0", "Both 1", "Both 2", "Both 3",
                                             "Tag 0"]  # fmt: skip


def test_only_the_newest_few_linked_stories_of_all_are_candidates():
    """Each person and tag gives its newest few stories; of those, only the newest
    few of all are read as stories (every key's few were read, and sorted)."""
    from articles.querysets import newest_linked_stories

    people = PersonFactory.create_batch(3)
    now = timezone.now()
    for n in range(12):
        story = ArticleFactory(published_at=now - timedelta(hours=n))
        MentionFactory(article=story, person=people[n % 3])
        story.tags.add("Georgia")
    newest = [
        s.pk for s in Article.objects.published().newest_first()[:6]
    ]  # fmt: skip

    candidates = Article.objects.filter(
        pk__in=newest_linked_stories(
            [p.pk for p in people], [Tag.objects.get(name="Georgia").pk], 6
        )
    )

    assert sorted(candidates.values_list("pk", flat=True)) == sorted(newest)


def test_related_stories_are_one_statement_whatever_the_number_of_links():
    """On PostgreSQL the people and tags go as arrays: the same SQL for any story,
    so the server plans it once and keeps it prepared."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no arrays: one UNION branch per person and tag")
    few = ArticleFactory()
    MentionFactory(article=few)
    few.tags.add("Runoff")
    many = ArticleFactory()
    for _ in range(4):
        MentionFactory(article=many)
    many.tags.add("Georgia", "Runoff", "Hollywood")

    def related_sql(story):
        story = Article.objects.for_detail().get(pk=story.pk)
        related = Article.objects.published().related_to(story)
        return related.query.sql_with_params()[0]

    assert related_sql(few) == related_sql(many)


def test_related_stories_match_a_brute_force_search_whatever_the_links():
    """Each person and tag contributes only its newest few stories: check the
    result against comparing every story with every other, on a tangle of shared
    people and tags, tied publish times, drafts and scheduled stories."""
    import random

    from articles.models import Mention

    rng = random.Random(6)
    people = [PersonFactory() for _ in range(5)]
    tags = ["Georgia", "Runoff", "Hollywood"]
    now = timezone.now()
    for _ in range(40):
        roll = rng.random()
        story = ArticleFactory(
            status="draft" if roll < 0.1 else "published",
            published_at=now + timedelta(hours=2 if roll > 0.9 else -rng.randint(1, 9)),
        )
        # people[0] is the headliner: in most stories, crowding out nobody
        for person in {people[0] if rng.random() < 0.7 else people[1]} | set(
            rng.sample(people[1:], rng.randint(0, 2))
        ):
            MentionFactory(article=story, person=person)
        story.tags.add(*rng.sample(tags, rng.randint(0, 2)))

    def links(story):
        return set(
            Mention.objects.filter(article=story).values_list("person", flat=True)
        ), set(story.tags.values_list("name", flat=True))

    published = list(Article.objects.published())
    for story in Article.objects.published().for_detail():
        people_of, tags_of = links(story)
        expected = sorted(
            (
                other
                for other in published
                if other.pk != story.pk
                and (people_of & links(other)[0] or tags_of & links(other)[1])
            ),
            key=lambda other: (other.published_at, other.pk),
            reverse=True,
        )[:5]

        assert list(Article.objects.published().related_to(story)) == expected


def test_story_page_shows_the_race_result(client):
    story = ArticleFactory()
    election = ElectionFactory(race__name="GA-06 special")
    CandidacyFactory(
        election=election, person__name="Karen Handel", votes=3, is_winner=True
    )
    CandidacyFactory(election=election, votes=1)
    story.races.add(election.race)

    page = client.get(story.get_absolute_url()).content.decode()

    assert "Karen Handel</strong>" in page and "75.0%" in page


def test_changed_slug_redirects_permanently_from_the_old_url(client):
    story = ArticleFactory(slug="old-slug")
    old_url = story.get_absolute_url()
    story.slug = "new-slug"
    story.save()

    response = client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()
    assert response["Location"].endswith("/new-slug/")


def test_slug_changed_twice_still_redirects_from_the_first(client):
    story = ArticleFactory(slug="first")
    first_url = story.get_absolute_url()
    story.slug = "second"
    story.save()
    story = Article.objects.get(pk=story.pk)
    story.slug = "third"
    story.save()

    assert client.get(first_url)["Location"].endswith("/third/")


def test_changing_a_slug_back_reclaims_it(client):
    story = ArticleFactory(slug="one")
    story.slug = "two"
    story.save()
    story.slug = "one"
    story.save()

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200


def test_old_slug_of_an_unpublished_story_is_404(client):
    story = ArticleFactory(slug="old-slug")
    old_url = story.get_absolute_url()
    story.slug = "new-slug"
    story.status = Article.Status.UNPUBLISHED
    story.save()

    assert client.get(old_url).status_code == 404


def test_not_found_page_is_the_styled_one(client):
    response = client.get("/people/nobody/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'class="skip-link"' in response.content.decode()


def test_server_error_page_renders_without_a_database_or_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")

    assert "Something went wrong" in html


def test_robots_txt_points_to_the_sitemaps(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/", "/people/", "/races/", "/search/?q=x", "/tags/none/", "/nope/"]
)
def test_every_page_has_one_h1_a_skip_link_and_landmarks(client, url):
    ArticleFactory()

    page = client.get(url).content.decode()

    assert page.count("<h1") == 1
    assert 'href="#main"' in page
    assert "<main" in page and "<header" in page and "<footer" in page


def test_older_and_newer_pages_follow_each_other_by_keyset(client):
    for n in range(45):
        ArticleFactory(
            headline=f"Story {n:02d}", published_at=timezone.now() - timedelta(hours=n)
        )

    first = client.get("/")
    second = client.get("/?before=" + first.context["page_obj"].older)
    third = client.get("/?before=" + second.context["page_obj"].older)
    back = client.get("/?after=" + second.context["page_obj"].newer)

    def headlines(response):
        return [a.headline for a in response.context["articles"]]

    assert headlines(first)[:2] == ["Story 00", "Story 01"]
    assert headlines(second)[0] == "Story 20"
    assert headlines(third) == [f"Story {n}" for n in range(40, 45)]
    assert third.context["page_obj"].older is None
    assert headlines(back) == headlines(first)
    assert 'rel="next"' in first.content.decode()


def test_a_deep_page_costs_what_the_first_does(client, django_assert_num_queries):
    for n in range(25):
        ArticleFactory(published_at=timezone.now() - timedelta(hours=n))
    deep = client.get("/").context["page_obj"].older

    with django_assert_num_queries(3):  # as the first: see its test above
        client.get("/?before=" + deep)


BAD_CURSORS = [
    "x",
    "1.2.3",
    "99999999999999999999999.1",
    "-5",
    "1.9223372036854775808",  # an id past 64 bits
    "1.-99999999999999999999",
]


@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_a_bad_page_cursor_is_404_not_500(client, cursor):
    assert client.get("/?before=" + cursor).status_code == 404
    assert client.get("/?after=" + cursor).status_code == 404


@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_a_bad_page_cursor_on_tag_and_person_pages_is_404(client, cursor):
    story = ArticleFactory()
    story.tags.add("Runoff")
    person = MentionFactory(article=story).person

    for page in ("/tags/runoff/", person.get_absolute_url()):
        assert client.get(f"{page}?before={cursor}").status_code == 404
        assert client.get(f"{page}?after={cursor}").status_code == 404


def test_tag_page_counts_its_stories(client):
    for _ in range(3):
        ArticleFactory().tags.add("Hollywood")
    for hidden in HIDDEN:  # drafts, unpublished and scheduled stories do not count
        ArticleFactory(**hidden).tags.add("Hollywood")

    response = client.get(reverse("articles:tag", args=["hollywood"]))

    assert "3 stories" in response.content.decode()


def test_a_tag_on_very_many_stories_stops_counting_at_the_cap(client, monkeypatch):
    from articles.views import TagView

    monkeypatch.setattr(TagView, "COUNT_CAP", 2)
    for _ in range(3):
        ArticleFactory().tags.add("Hollywood")

    response = client.get(reverse("articles:tag", args=["hollywood"]))

    assert "More than 2 stories" in response.content.decode()
