"""The minimal reader site: front page, story, section, person and race pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CandidacyFactory,
    ElectionFactory,
    MentionFactory,
    PersonFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

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


def test_unknown_person_and_race_are_404(client):
    assert client.get("/people/nobody/").status_code == 404
    assert client.get("/races/nothing/").status_code == 404


@pytest.mark.parametrize("rows", [1, 30])
def test_front_page_query_count_does_not_grow(client, django_assert_num_queries, rows):
    section = SectionFactory()
    for _ in range(rows):
        BylineFactory(article__section=section)

    # count, page of stories with sections, bylines of the page, sections, races
    with django_assert_num_queries(5):
        client.get("/")


@pytest.mark.parametrize("rows", [1, 30])
def test_story_page_query_count_does_not_grow(client, django_assert_num_queries, rows):
    story = ArticleFactory()
    for _ in range(rows):
        MentionFactory(article=story)
        BylineFactory(article=story)
    story.tags.add(*[f"tag {n}" for n in range(rows)])

    # story with section, bylines, mentions with people, races with results, tags,
    # related stories
    with django_assert_num_queries(6):
        client.get(story.get_absolute_url())


@pytest.mark.parametrize("rows", [1, 30])
def test_person_page_query_count_does_not_grow(client, django_assert_num_queries, rows):
    person = PersonFactory()
    for _ in range(rows):
        MentionFactory(person=person)
        CandidacyFactory(person=person)

    # person, count, page of stories, bylines, roles, candidacies with races
    with django_assert_num_queries(6):
        client.get(person.get_absolute_url())


@pytest.mark.parametrize("rows", [1, 30])
def test_race_page_query_count_does_not_grow(client, django_assert_num_queries, rows):
    election = ElectionFactory()
    for _ in range(rows):
        CandidacyFactory(election=election)
        ArticleFactory().races.add(election.race)

    # race, elections, candidacies with people, coverage, bylines of the coverage
    with django_assert_num_queries(5):
        client.get(election.race.get_absolute_url())
