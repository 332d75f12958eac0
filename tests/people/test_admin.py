import pytest
from django.urls import reverse

from people.models import Election, Person, Race
from tests.factories import (
    AliasFactory,
    ArticleFactory,
    CandidacyFactory,
    ElectionFactory,
    MentionFactory,
    PersonFactory,
    RaceFactory,
)

pytestmark = pytest.mark.django_db

# The savepoint and its release around each admin view's revision block.
REVISION_BLOCK = 2


def test_person_change_page_lists_the_stories_that_mention_them(admin_client):
    person = PersonFactory(name="Jane Fonda")
    mention = MentionFactory(
        person=person, role="donor", article__headline="Stars give"
    )
    MentionFactory(person=person, role="quoted", article=mention.article)
    MentionFactory(article__headline="Unrelated story")

    response = admin_client.get(reverse("admin:people_person_change", args=[person.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Stars give" in page
    assert "donor, quoted" in page
    assert reverse("admin:articles_article_change", args=[mention.article.pk]) in page
    assert "Unrelated story" not in page


def test_person_change_page_lists_unpublished_stories_then_the_newest(admin_client):
    from datetime import timedelta

    from django.utils import timezone

    person = PersonFactory()
    now = timezone.now()
    for headline, days in [("Older runoff story", 3), ("Newer runoff story", 1)]:
        MentionFactory(
            person=person,
            article__headline=headline,
            article__published_at=now - timedelta(days=days),
        )
    MentionFactory(
        person=person,
        article__headline="Runoff draft in progress",
        article__status="draft",
        article__published_at=None,
    )

    page = admin_client.get(
        reverse("admin:people_person_change", args=[person.pk])
    ).content.decode()

    assert (
        page.index("Runoff draft in progress")
        < page.index("Newer runoff story")
        < page.index("Older runoff story")
    )


def test_person_change_page_links_to_all_stories_when_there_are_many(admin_client):
    person = PersonFactory()
    for _ in range(51):
        MentionFactory(person=person)

    response = admin_client.get(reverse("admin:people_person_change", args=[person.pk]))

    assert "All stories…" in response.content.decode()


@pytest.mark.parametrize("stories", [1, 30])
def test_person_change_page_query_count_does_not_grow_with_stories(
    admin_client, django_assert_num_queries, stories
):
    person = PersonFactory()
    for _ in range(stories):
        MentionFactory(person=person)
    url = reverse("admin:people_person_change", args=[person.pk])
    admin_client.get(url)

    # session, user, person, aliases inline, dated roles inline, tags, the
    # person's mentions in index order, those stories, roles in those stories
    with django_assert_num_queries(9 + REVISION_BLOCK):
        admin_client.get(url)


def test_person_search_finds_aliases(admin_client):
    AliasFactory(person__name="Samuel L. Jackson", name="Sam Jackson")
    PersonFactory(name="Someone Else")

    response = admin_client.get(
        reverse("admin:people_person_changelist"), {"q": "Sam Jack"}
    )

    assert [p.name for p in response.context["cl"].result_list] == ["Samuel L. Jackson"]


def autocomplete_people(client, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": term,
            "app_label": "articles",
            "model_name": "mention",
            "field_name": "person",
        },
    )
    assert response.status_code == 200
    return [r["text"] for r in response.json()["results"]]


def test_person_autocomplete_finds_aliases(admin_client):
    AliasFactory(person__name="Samuel L. Jackson", name="Sam Jackson")

    assert autocomplete_people(admin_client, "Sam Jackson") == ["Samuel L. Jackson"]


def test_person_autocomplete_offers_a_person_once_however_many_names_match(
    admin_client,
):
    person = PersonFactory(name="Samuel L. Jackson")
    AliasFactory(person=person, name="Sam Jackson")
    AliasFactory(person=person, name="S. L. Jackson")

    assert autocomplete_people(admin_client, "Jackson") == ["Samuel L. Jackson"]


def test_person_search_keeps_a_quoted_phrase_whole(admin_client):
    AliasFactory(person__name="Samuel L. Jackson", name="Sam Jackson")
    PersonFactory(name="Sam Smith Jackson")

    assert autocomplete_people(admin_client, '"Sam Jackson"') == ["Samuel L. Jackson"]
    assert autocomplete_people(admin_client, "Sam Jackson") == [
        "Sam Smith Jackson",
        "Samuel L. Jackson",
    ]


@pytest.mark.parametrize("matching", [1, 30])
def test_person_autocomplete_query_count_does_not_grow(
    admin_client, django_assert_num_queries, matching
):
    for n in range(matching):
        AliasFactory(person__name=f"Jackson {n}", name=f"J. {n}")

    # session, user, the count of matches, the page of them
    with django_assert_num_queries(4):
        found = autocomplete_people(admin_client, "jackson")

    assert len(found) == min(matching, 20)


@pytest.mark.parametrize("term", ['"', "' '", "%", "_", "   "])
def test_person_search_takes_any_term(admin_client, term):
    PersonFactory(name="Jon Ossoff")

    assert isinstance(autocomplete_people(admin_client, term), list)


def test_byline_autocomplete_offers_journalists_only(admin_client):
    PersonFactory(name="Jerome Hudson", kind=Person.Kind.JOURNALIST)
    PersonFactory(name="Jerome Celebrity", kind=Person.Kind.CELEBRITY)

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Jerome",
            "app_label": "articles",
            "model_name": "byline",
            "field_name": "person",
        },
    )

    assert [r["text"] for r in response.json()["results"]] == ["Jerome Hudson"]


def test_person_list_filters_by_kind_and_party(admin_client):
    PersonFactory(name="Karen Handel", kind="candidate", party="R")
    PersonFactory(name="Jon Ossoff", kind="candidate", party="D")

    response = admin_client.get(
        reverse("admin:people_person_changelist"),
        {"kind__exact": "candidate", "party__exact": "R"},
    )

    assert [p.name for p in response.context["cl"].result_list] == ["Karen Handel"]


@pytest.mark.parametrize("rows", [1, 30])
def test_person_changelist_query_count_does_not_grow(
    admin_client, django_assert_num_queries, rows
):
    for _ in range(rows):
        MentionFactory()
    url = reverse("admin:people_person_changelist")
    admin_client.get(url)

    # session, user, count, count of all, page with story counts
    with django_assert_num_queries(5 + REVISION_BLOCK):
        admin_client.get(url)


def test_race_admin_shows_rounds_with_their_candidates_and_shares(admin_client):
    election = ElectionFactory(race__name="Georgia's 6th District special election")
    CandidacyFactory(election=election, person__name="Karen Handel", votes=134_799)
    CandidacyFactory(election=election, person__name="Jon Ossoff", votes=125_517)

    response = admin_client.get(
        reverse("admin:people_race_change", args=[election.race.pk])
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Karen Handel" in page and "51.78%" in page
    assert "Jon Ossoff" in page and "48.22%" in page


@pytest.mark.parametrize("candidates", [1, 30])
def test_race_change_page_query_count_does_not_grow(
    admin_client, django_assert_num_queries, candidates
):
    election = ElectionFactory()
    for _ in range(candidates):
        CandidacyFactory(election=election)
    url = reverse("admin:people_race_change", args=[election.race.pk])
    admin_client.get(url)

    # session, user, race, tags, elections, candidacies with shares, and the
    # people of the autocomplete widgets, all at once
    with django_assert_num_queries(7 + REVISION_BLOCK):
        admin_client.get(url)


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_editor_adds_a_race_its_round_and_candidates_in_one_form(admin_client):
    handel = PersonFactory(name="Karen Handel", kind="candidate")
    ossoff = PersonFactory(name="Jon Ossoff", kind="candidate")
    data = {
        "name": "Georgia's 6th District special election",
        "slug": "2017-ga-06-special",
        "office": "us-house",
        "state": "GA",
        "district": "6",
        "year": "2017",
        "is_special": "on",
        "description": "",
        "tags": "",
        **management("elections", 1),
        "elections-0-date": "2017-06-20",
        "elections-0-kind": "runoff",
        "elections-0-is_certified": "on",
        "elections-0-source": "Georgia Secretary of State",
        "elections-0-source_url": "sos.ga.gov",
        **management("elections-0-candidacies", 2),
        "elections-0-candidacies-0-person": str(handel.pk),
        "elections-0-candidacies-0-party": "R",
        "elections-0-candidacies-0-votes": "134799",
        "elections-0-candidacies-0-is_winner": "on",
        "elections-0-candidacies-1-person": str(ossoff.pk),
        "elections-0-candidacies-1-party": "D",
        "elections-0-candidacies-1-votes": "125517",
        **management("elections-empty-candidacies", 0),
    }

    response = admin_client.post(reverse("admin:people_race_add"), data)

    assert response.status_code == 302, response.context["errors"]
    race = Race.objects.get(slug="2017-ga-06-special")
    runoff = race.elections.get()
    assert runoff.source_url == "https://sos.ga.gov"
    assert sorted(
        runoff.candidacies.values_list("person__name", "votes", "is_winner")
    ) == [
        ("Jon Ossoff", 125_517, False),
        ("Karen Handel", 134_799, True),
    ]


def test_race_with_a_negative_vote_count_is_refused_whole(admin_client):
    person = PersonFactory(kind="candidate")
    data = {
        "name": "Bad race",
        "slug": "bad-race",
        "office": "us-house",
        "state": "GA",
        "district": "6",
        "year": "2017",
        "description": "",
        "tags": "",
        **management("elections", 1),
        "elections-0-date": "2017-06-20",
        "elections-0-kind": "runoff",
        "elections-0-source": "",
        "elections-0-source_url": "",
        **management("elections-0-candidacies", 1),
        "elections-0-candidacies-0-person": str(person.pk),
        "elections-0-candidacies-0-votes": "-5",
        **management("elections-empty-candidacies", 0),
    }

    response = admin_client.post(reverse("admin:people_race_add"), data)

    assert response.status_code == 200
    assert not Race.objects.exists()


def test_election_admin_shows_candidates_with_computed_share(admin_client):
    election = ElectionFactory()
    CandidacyFactory(election=election, person__name="Karen Handel", votes=134_799)
    CandidacyFactory(election=election, person__name="Jon Ossoff", votes=125_517)

    response = admin_client.get(
        reverse("admin:people_election_change", args=[election.pk])
    )

    page = response.content.decode()
    assert "Karen Handel" in page
    assert "51.78%" in page
    assert "48.22%" in page


def test_editor_enters_results_with_the_candidacy_inline(admin_client):
    election = ElectionFactory()
    person = PersonFactory(kind="candidate")
    data = {
        "race": str(election.race.pk),
        "date": election.date.isoformat(),
        "kind": election.kind,
        "source": "County returns",
        "source_url": "",
        "candidacies-TOTAL_FORMS": "1",
        "candidacies-INITIAL_FORMS": "0",
        "candidacies-MIN_NUM_FORMS": "0",
        "candidacies-MAX_NUM_FORMS": "1000",
        "candidacies-0-person": str(person.pk),
        "candidacies-0-party": "D",
        "candidacies-0-votes": "1234",
        "candidacies-0-is_winner": "on",
    }

    response = admin_client.post(
        reverse("admin:people_election_change", args=[election.pk]), data
    )

    assert response.status_code == 302
    assert election.candidacies.get().votes == 1234


def test_race_autocomplete_searches_by_name(admin_client):
    RaceFactory(name="Georgia's 6th District special election")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "6th",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "races",
        },
    )

    assert len(response.json()["results"]) == 1


@pytest.mark.parametrize(
    "name",
    [
        "admin:people_person_changelist",
        "admin:people_person_add",
        "admin:people_race_changelist",
        "admin:people_race_add",
        "admin:people_election_changelist",
        "admin:people_election_add",
    ],
)
def test_people_admin_pages_render(admin_client, name):
    ArticleFactory()
    assert admin_client.get(reverse(name)).status_code == 200


def test_person_list_counts_each_persons_stories_and_decisions(admin_client):
    from articles.models import MentionDecision

    handel = PersonFactory(name="Karen Handel")
    story = MentionFactory(person=handel, role="candidate").article
    MentionFactory(person=handel, article=story, role="quoted")  # same story
    MentionFactory(person=handel)
    MentionDecision.objects.create(article=story, person=handel, decision="accepted")
    PersonFactory(name="Jon Ossoff")

    response = admin_client.get(reverse("admin:people_person_changelist"))

    counts = {
        p.name: (p.story_count, p.accepted_count, p.rejected_count)
        for p in response.context["cl"].result_list
    }
    assert counts == {"Karen Handel": (2, 1, 0), "Jon Ossoff": (0, 0, 0)}


@pytest.mark.parametrize("column", ["-4", "4", "5", "6"])
def test_person_list_sorts_by_its_count_columns(admin_client, column):
    """Regression: sorting by a count column was a 500 (the counts were added
    after the list had ordered by them)."""
    busy = PersonFactory(name="Busy")
    for _ in range(3):
        MentionFactory(person=busy)
    PersonFactory(name="Idle")

    response = admin_client.get(
        reverse("admin:people_person_changelist"), {"o": column}
    )

    assert response.status_code == 200
    names = [p.name for p in response.context["cl"].result_list]
    if column == "-4":
        assert names == ["Busy", "Idle"]


@pytest.mark.parametrize("column", ["99", "x", "-", "4.5"])
def test_person_list_ignores_an_ordering_it_does_not_know(admin_client, column):
    PersonFactory(name="Karen Handel")

    response = admin_client.get(
        reverse("admin:people_person_changelist"), {"o": column}
    )

    assert response.status_code == 200
    assert [p.name for p in response.context["cl"].result_list] == ["Karen Handel"]


@pytest.mark.parametrize("race", ["abc", "999999"])
def test_a_malformed_or_unknown_race_in_a_rounds_form_is_a_form_error(
    admin_client, race
):
    response = admin_client.post(
        reverse("admin:people_election_add"),
        {
            "race": race,
            "kind": "general",
            "date": "2017-06-20",
            "candidacies-TOTAL_FORMS": "0",
            "candidacies-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["race"]
    assert not Election.objects.exists()


def test_the_rounds_form_still_shows_its_chosen_race(admin_client):
    election = ElectionFactory(race__name="GA-06 special")

    page = admin_client.get(
        reverse("admin:people_election_change", args=[election.pk])
    ).content.decode()

    assert f'<option value="{election.race_id}" selected>GA-06 special' in page


@pytest.mark.parametrize(
    "model, factory", [("person", PersonFactory), ("race", RaceFactory)]
)
def test_the_admin_lists_whom_an_editor_shows_without_stories(
    admin_client, model, factory
):
    shown = factory(name="Shown ahead", show_without_stories=True)
    factory(name="Waiting for a story", show_without_stories=False)

    response = admin_client.get(
        reverse(f"admin:people_{model}_changelist"),
        {"show_without_stories__exact": "1"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert shown.name in page
    assert "Waiting for a story" not in page


def test_the_person_form_has_the_show_without_stories_switch(admin_client):
    response = admin_client.get(reverse("admin:people_person_add"))

    assert 'name="show_without_stories"' in response.content.decode()
