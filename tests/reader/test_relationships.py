"""Who backed whom on reader pages: a candidate's "Backed by", a supporter's
"Backed", a race's backers; only what a published story reports."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services
from articles.models import Article
from articles.relationships import Report, Source
from people.models import Race, Relationship
from tests.factories import (
    ArticleFactory,
    CandidacyFactory,
    ElectionFactory,
    PersonFactory,
    RaceFactory,
    RelationshipFactory,
    RelationshipSourceFactory,
    editor,
)
from tests.reader.test_garbage import alive, collector_off, served  # noqa: F401

pytestmark = pytest.mark.django_db


def page_of(client, person_or_race) -> str:
    return client.get(person_or_race.get_absolute_url()).content.decode()


def test_a_candidate_page_shows_who_backed_them_linked_to_the_source(client):
    source = RelationshipSourceFactory(quote="Jackson cut a radio ad for Ossoff.")
    relationship = source.relationship

    page = page_of(client, relationship.object_person)

    assert 'id="backed-by-heading">Backed by</h2>' in page
    assert "<h3>Endorsed by</h3>" in page
    assert relationship.subject.get_absolute_url() in page
    assert f'href="{source.article.get_absolute_url()}"' in page
    assert "Jackson cut a radio ad for Ossoff." in page


def test_the_backers_are_grouped_by_kind(client):
    candidate = PersonFactory()
    for kind in (Relationship.Kind.DONATED_TO, Relationship.Kind.ENDORSED):
        RelationshipSourceFactory(
            relationship=RelationshipFactory(kind=kind, object_person=candidate)
        )

    page = page_of(client, candidate)

    # In the kinds' order, whatever the order they were recorded in.
    assert page.index("<h3>Endorsed by</h3>") < page.index("<h3>Donations from</h3>")


def test_a_donation_shows_its_amount(client):
    relationship = RelationshipFactory(kind=Relationship.Kind.DONATED_TO, amount=2700)
    RelationshipSourceFactory(relationship=relationship)

    page = page_of(client, relationship.object_person)

    assert "$2,700" in page


def test_a_supporter_page_shows_whom_they_backed(client):
    source = RelationshipSourceFactory()
    relationship = source.relationship

    page = page_of(client, relationship.subject)

    assert 'id="backed-heading">Backed</h2>' in page
    assert "<h3>Endorsed</h3>" in page
    assert relationship.object_person.get_absolute_url() in page
    assert source.article.get_absolute_url() in page
    assert 'id="backed-by-heading"' not in page


def test_an_attack_is_not_backing(client):
    relationship = RelationshipFactory(kind=Relationship.Kind.ATTACKED)
    RelationshipSourceFactory(relationship=relationship)

    page = page_of(client, relationship.object_person)

    assert 'id="backed-by-heading"' not in page
    assert 'id="opposed-by-heading">Opposed by</h2>' in page
    assert "<h3>Attacked by</h3>" in page


def test_a_relationship_reported_only_in_a_draft_is_not_shown(client):
    source = RelationshipSourceFactory(
        article=ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    )

    page = page_of(client, source.relationship.object_person)

    assert source.relationship.subject.name not in page


def test_a_relationship_reported_in_a_scheduled_story_waits_for_it(client):
    later = timezone.now() + timedelta(days=1)
    source = RelationshipSourceFactory(article=ArticleFactory(published_at=later))

    page = page_of(client, source.relationship.object_person)

    assert source.relationship.subject.name not in page


def test_unpublishing_the_source_story_hides_the_relationship(client):
    source = RelationshipSourceFactory()
    candidate = source.relationship.object_person
    assert source.relationship.subject.name in page_of(client, candidate)

    services.article_unpublish(article=source.article, user=editor())

    assert source.relationship.subject.name not in page_of(client, candidate)


def test_only_the_published_sources_are_linked(client):
    source = RelationshipSourceFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    RelationshipSourceFactory(
        relationship=source.relationship, article=draft, is_primary=False
    )

    page = page_of(client, source.relationship.object_person)

    assert source.article.get_absolute_url() in page
    assert draft.headline not in page


def test_a_backer_readers_may_not_see_is_named_without_a_link(client):
    hidden = PersonFactory(show_without_stories=False, name="Hidden Donor")
    source = RelationshipSourceFactory(relationship__subject=hidden)

    page = page_of(client, source.relationship.object_person)

    assert "Hidden Donor" in page
    assert hidden.get_absolute_url() not in page


def test_a_race_page_shows_each_candidates_backers(client):
    election = ElectionFactory()
    first, second = (
        CandidacyFactory(election=election),
        CandidacyFactory(election=election),
    )
    for candidacy in (first, second):
        RelationshipSourceFactory(relationship__object_person=candidacy.person)

    page = page_of(client, election.race)

    assert 'id="backers-heading"' in page
    for candidacy in (first, second):
        backer = candidacy.person.relationships_as_object.get().subject
        assert backer.get_absolute_url() in page
        assert f"{candidacy.person.name}</a>: backed by" in page


def test_a_race_page_shows_what_was_said_for_the_race_itself(client):
    race = RaceFactory()
    relationship = RelationshipFactory(object_person=None, object_race=race)
    RelationshipSourceFactory(relationship=relationship)

    page = page_of(client, race)

    assert "This race: endorsed by" in page
    assert relationship.subject.get_absolute_url() in page


def test_a_race_page_without_backers_has_no_section(client):
    election = ElectionFactory()
    CandidacyFactory(election=election)

    assert 'id="backers-heading"' not in page_of(client, election.race)


def test_the_person_page_declares_the_keys_of_what_the_section_shows(client):
    source = RelationshipSourceFactory()
    relationship = source.relationship

    response = client.get(relationship.object_person.get_absolute_url())

    shown = response["xkey"].split()
    assert f"story-{source.article_id}" in shown
    assert f"person-{relationship.subject_id}" in shown


@pytest.mark.parametrize("rows", [1, 12])
def test_person_page_relationships_cost_one_query_whatever_their_number(
    client, django_assert_num_queries, rows
):
    candidate = PersonFactory()
    for _ in range(rows):
        source = RelationshipSourceFactory(relationship__object_person=candidate)
        RelationshipSourceFactory(relationship=source.relationship, is_primary=False)
        RelationshipSourceFactory(relationship__subject=candidate)

    # person; candidacies; a page of their stories (none: no roles to read);
    # their relationships; their dated roles
    with django_assert_num_queries(5):
        response = client.get(candidate.get_absolute_url())

    received = response.context["relationships"].sections[0].groups[0].reports
    assert len(received) == rows
    assert all(len(report.sources) == 2 for report in received)


@pytest.mark.parametrize("rows", [1, 12])
def test_race_page_backers_cost_one_query_whatever_their_number(
    client, django_assert_num_queries, rows
):
    election = ElectionFactory()
    for _ in range(rows):
        candidacy = CandidacyFactory(election=election)
        RelationshipSourceFactory(relationship__object_person=candidacy.person)

    # race; rounds with their calls; results; coverage; the candidates' backers;
    # the snapshots' rows
    with django_assert_num_queries(6):
        response = client.get(election.race.get_absolute_url())

    assert len(response.context["backers"].candidates) == rows


@pytest.mark.parametrize("page", ["candidate", "supporter", "race"])
def test_a_pages_relationships_leave_nothing_to_the_collector(
    collector_off,  # noqa: F811
    page,
):
    election = ElectionFactory()
    candidacy = CandidacyFactory(election=election)
    source = RelationshipSourceFactory(relationship__object_person=candidacy.person)
    url = {
        "candidate": candidacy.person.get_absolute_url(),
        "supporter": source.relationship.subject.get_absolute_url(),
        "race": election.race.get_absolute_url(),
    }[page]
    served(url)  # statements compiled
    del election, candidacy, source
    before = [alive(kind) for kind in (Report, Source, Article, Race)]

    assert served(url) == 200

    assert [alive(kind) for kind in (Report, Source, Article, Race)] == before
