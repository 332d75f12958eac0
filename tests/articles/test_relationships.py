"""Relationships with provenance: the rules the database keeps, the services that
write them, the pages each write purges, and the admin that edits them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services
from articles.models import Article, RelationshipSource
from core import cache_keys
from people.models import Relationship
from people.services import person_merge, relationship_find_or_create
from tests.articles.test_workflow import story_form
from tests.factories import (
    ArticleFactory,
    PersonFactory,
    RaceFactory,
    RelationshipFactory,
    RelationshipSourceFactory,
)

pytestmark = pytest.mark.django_db

Kind = Relationship.Kind


# --- What the database keeps ------------------------------------------------------


def test_a_relationship_with_neither_a_person_nor_a_race_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        RelationshipFactory(object_person=None, object_race=None)


def test_a_relationship_with_both_a_person_and_a_race_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        RelationshipFactory(object_race=RaceFactory())


def test_a_relationship_with_oneself_is_refused():
    person = PersonFactory()

    with pytest.raises(ValidationError):
        relationship_find_or_create(
            subject=person, kind=Kind.ENDORSED, object_person=person
        )


def test_a_negative_amount_is_refused():
    with pytest.raises(ValidationError):
        relationship_find_or_create(
            subject=PersonFactory(),
            kind=Kind.DONATED_TO,
            object_person=PersonFactory(),
            amount=Decimal("-5"),
        )


def test_two_primary_sources_of_one_relationship_are_refused_by_the_database():
    source = RelationshipSourceFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        RelationshipSourceFactory(relationship=source.relationship, is_primary=True)


def test_a_story_is_a_source_of_a_relationship_once():
    source = RelationshipSourceFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        RelationshipSourceFactory(
            relationship=source.relationship, article=source.article, is_primary=False
        )


# --- Services ----------------------------------------------------------------------


def report(article=None, **values):
    values = {
        "subject": values.pop("subject", None) or PersonFactory(),
        "kind": values.pop("kind", Kind.ENDORSED),
        "quote": values.pop("quote", "X endorsed Y."),
        **values,
    }
    if "object_person" not in values and "object_race" not in values:
        values["object_person"] = PersonFactory()
    return services.relationship_report(article=article or ArticleFactory(), **values)


def test_reporting_makes_the_relationship_and_its_primary_source():
    jackson, ossoff = PersonFactory(), PersonFactory()
    story = ArticleFactory()

    source = services.relationship_report(
        article=story,
        subject=jackson,
        kind=Kind.DONATED_TO,
        object_person=ossoff,
        amount=Decimal("2700"),
        quote="Jackson donated $2,700 to Ossoff's campaign.",
    )

    relationship = source.relationship
    assert (relationship.subject, relationship.kind) == (jackson, Kind.DONATED_TO)
    assert (relationship.object_person, relationship.amount) == (ossoff, 2700)
    assert source.article == story and source.is_primary


def test_a_second_story_reporting_the_same_relationship_shares_it():
    first = report()
    relationship = first.relationship

    second = report(
        subject=relationship.subject, object_person=relationship.object_person
    )

    assert second.relationship == relationship
    assert Relationship.objects.count() == 1
    assert not second.is_primary


def test_a_source_marked_primary_takes_it_from_the_other():
    first = report()
    relationship = first.relationship

    second = report(
        subject=relationship.subject,
        object_person=relationship.object_person,
        is_primary=True,
    )

    first.refresh_from_db()
    assert second.is_primary and not first.is_primary


def test_removing_the_primary_source_makes_the_other_primary():
    first = report()
    relationship = first.relationship
    second = report(
        subject=relationship.subject, object_person=relationship.object_person
    )

    services.relationship_source_remove(source=first)

    second.refresh_from_db()
    assert second.is_primary


def test_removing_the_last_source_removes_the_relationship():
    source = report()

    services.relationship_source_remove(source=source)

    assert not Relationship.objects.exists()


def test_changing_a_report_moves_it_and_removes_the_relationship_it_left():
    source = report(kind=Kind.ENDORSED)
    relationship = source.relationship

    services.relationship_source_update(
        source=source,
        subject=relationship.subject,
        kind=Kind.CAMPAIGNED_FOR,
        object_person=relationship.object_person,
        quote=source.quote,
    )

    assert list(Relationship.objects.values_list("kind", flat=True)) == [
        Kind.CAMPAIGNED_FOR
    ]
    source.refresh_from_db()
    assert source.is_primary


def test_a_person_merge_moves_their_relationships():
    source = report()
    duplicate = source.relationship.subject
    into = PersonFactory()

    person_merge(duplicate=duplicate, into=into)

    assert Relationship.objects.get().subject == into


# --- Cache keys ----------------------------------------------------------------------


class Purged:
    def __init__(self):
        self.keys = set()

    def __call__(self, keys, *, hard):
        self.keys |= set(keys)


@pytest.fixture
def purged(monkeypatch, django_capture_on_commit_callbacks):
    recorder = Purged()
    monkeypatch.setattr(cache_keys, "purge_backends", lambda: [recorder])

    def run(change):
        transaction.get_connection().__dict__.pop("newsroom_cache_keys", None)
        recorder.keys.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        return recorder.keys

    return run


def test_reporting_purges_the_subjects_the_objects_and_the_storys_pages(purged):
    jackson, ossoff, story = PersonFactory(), PersonFactory(), ArticleFactory()

    keys = purged(
        lambda: services.relationship_report(
            article=story,
            subject=jackson,
            kind=Kind.ENDORSED,
            object_person=ossoff,
            quote="Jackson endorsed Ossoff.",
        )
    )

    assert {f"person-{jackson.pk}", f"person-{ossoff.pk}", f"story-{story.pk}"} <= keys


def test_reporting_about_a_race_purges_the_race_page(purged):
    race = RaceFactory()

    keys = purged(lambda: report(object_race=race))

    assert f"race-{race.pk}" in keys


def test_removing_a_report_purges_the_pages_it_showed_on(purged):
    source = report()
    relationship = source.relationship

    keys = purged(lambda: services.relationship_source_remove(source=source))

    assert {
        f"person-{relationship.subject_id}",
        f"person-{relationship.object_person_id}",
        f"story-{source.article_id}",
    } <= keys


def test_moving_a_report_to_someone_else_purges_both_their_pages(purged):
    source = report()
    before = source.relationship.object_person
    after = PersonFactory()

    keys = purged(
        lambda: services.relationship_source_update(
            source=source,
            subject=source.relationship.subject,
            kind=Kind.ENDORSED,
            object_person=after,
            quote=source.quote,
        )
    )

    assert {f"person-{before.pk}", f"person-{after.pk}"} <= keys


def test_editing_a_relationship_purges_the_page_it_leaves(purged):
    relationship = RelationshipFactory()
    before = relationship.object_person
    relationship.object_person = PersonFactory()

    keys = purged(relationship.save)

    assert {f"person-{before.pk}", f"person-{relationship.object_person_id}"} <= keys


def test_publishing_a_story_purges_the_pages_of_what_it_reports(purged):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    source = report(article=draft)
    draft.status, draft.published_at = Article.Status.PUBLISHED, draft.created_at

    keys = purged(draft.save)

    assert {
        f"person-{source.relationship.subject_id}",
        f"person-{source.relationship.object_person_id}",
    } <= keys


# --- Admin -----------------------------------------------------------------------


def inline_rows(*rows, initial=0) -> dict:
    data = {
        "relationship_sources-TOTAL_FORMS": str(len(rows)),
        "relationship_sources-INITIAL_FORMS": str(initial),
        "relationship_sources-MIN_NUM_FORMS": "0",
        "relationship_sources-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows):
        values = {
            "id": "",
            "subject": "",
            "kind": "",
            "object_person": "",
            "object_race": "",
            "amount": "",
            "date": "",
            "quote": "",
            **row,
        }
        data |= {f"relationship_sources-{number}-{k}": v for k, v in values.items()}
    return data


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def test_the_story_page_has_the_relationships_inline(admin_client):
    source = RelationshipSourceFactory(quote="Jackson endorsed Ossoff.")

    page = admin_client.get(change_url(source.article)).content.decode()

    assert "Relationships this story reports" in page
    assert source.relationship.subject.name in page
    assert "Jackson endorsed Ossoff." in page


def test_adding_a_row_creates_the_relationship_and_its_source(admin_client):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    jackson, ossoff = PersonFactory(), PersonFactory()
    row = {
        "subject": str(jackson.pk),
        "kind": Kind.DONATED_TO,
        "object_person": str(ossoff.pk),
        "amount": "2700",
        "date": "2017-04-11",
        "quote": "Jackson donated $2,700 to Ossoff.",
    }

    response = admin_client.post(
        change_url(story), story_form(story) | inline_rows(row)
    )

    assert response.status_code == 302
    source = RelationshipSource.objects.get()
    assert source.article == story and source.is_primary
    assert source.relationship.subject == jackson
    assert source.relationship.amount == 2700
    assert str(source.relationship.date) == "2017-04-11"


def test_adding_a_row_identical_to_a_recorded_relationship_reuses_it(admin_client):
    recorded = RelationshipSourceFactory().relationship
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    row = {
        "subject": str(recorded.subject_id),
        "kind": recorded.kind,
        "object_person": str(recorded.object_person_id),
        "quote": "Said again.",
    }

    admin_client.post(change_url(story), story_form(story) | inline_rows(row))

    assert Relationship.objects.get() == recorded
    assert recorded.sources.count() == 2


def test_a_row_with_a_person_and_a_race_is_a_form_error(admin_client):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    row = {
        "subject": str(PersonFactory().pk),
        "kind": Kind.ENDORSED,
        "object_person": str(PersonFactory().pk),
        "object_race": str(RaceFactory().pk),
        "quote": "Both.",
    }

    response = admin_client.post(
        change_url(story), story_form(story) | inline_rows(row)
    )

    assert response.status_code == 200
    assert "not both" in response.content.decode()
    assert not Relationship.objects.exists()


def test_a_row_with_a_malformed_person_is_a_form_error(admin_client):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    row = {"subject": "abc", "kind": Kind.ENDORSED, "object_person": "x", "quote": "?"}

    response = admin_client.post(
        change_url(story), story_form(story) | inline_rows(row)
    )

    assert response.status_code == 200
    assert not Relationship.objects.exists()


def test_the_same_relationship_twice_in_one_story_is_a_form_error(admin_client):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    row = {
        "subject": str(PersonFactory().pk),
        "kind": Kind.ENDORSED,
        "object_person": str(PersonFactory().pk),
        "quote": "Twice.",
    }

    response = admin_client.post(
        change_url(story), story_form(story) | inline_rows(row, row)
    )

    assert response.status_code == 200
    assert "in two rows" in response.content.decode()
    assert not Relationship.objects.exists()


def test_deleting_a_row_removes_the_source_and_its_lone_relationship(admin_client):
    source = RelationshipSourceFactory(
        article=ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    )
    relationship = source.relationship
    row = {
        "id": str(source.pk),
        "subject": str(relationship.subject_id),
        "kind": relationship.kind,
        "object_person": str(relationship.object_person_id),
        "quote": source.quote,
        "is_primary": "on",
        "DELETE": "on",
    }

    response = admin_client.post(
        change_url(source.article),
        story_form(source.article) | inline_rows(row, initial=1),
    )

    assert response.status_code == 302
    assert not Relationship.objects.exists()


def test_a_story_form_posted_without_the_inline_keeps_its_reports(admin_client):
    source = RelationshipSourceFactory(
        article=ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    )

    response = admin_client.post(change_url(source.article), story_form(source.article))

    assert response.status_code == 302
    assert RelationshipSource.objects.filter(pk=source.pk).exists()


def test_the_relationship_list_searches_and_filters(admin_client):
    RelationshipSourceFactory(relationship__subject__name="Samuel L. Jackson")
    url = reverse("admin:people_relationship_changelist")

    found = admin_client.get(url, {"q": "Jackson", "kind": Kind.ENDORSED})

    assert found.status_code == 200
    assert "Samuel L. Jackson" in found.content.decode()


def test_the_relationship_page_shows_its_sources(admin_client):
    source = RelationshipSourceFactory(quote="The sentence that says so.")
    url = reverse("admin:people_relationship_change", args=[source.relationship_id])

    page = admin_client.get(url).content.decode()

    assert "The sentence that says so." in page


def test_a_relationship_recorded_already_cannot_be_added_again(admin_client):
    recorded = RelationshipFactory()
    data = {
        "subject": str(recorded.subject_id),
        "kind": recorded.kind,
        "object_person": str(recorded.object_person_id),
        "object_race": "",
        "amount": "",
        "date": "",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
    }

    response = admin_client.post(reverse("admin:people_relationship_add"), data)

    assert response.status_code == 200
    assert "recorded already" in response.content.decode()
    assert Relationship.objects.count() == 1


def test_a_source_added_on_the_relationship_page_keeps_one_primary(admin_client):
    source = RelationshipSourceFactory()
    relationship = source.relationship
    other = ArticleFactory()
    data = {
        "subject": str(relationship.subject_id),
        "kind": relationship.kind,
        "object_person": str(relationship.object_person_id),
        "object_race": "",
        "amount": "",
        "date": "",
        "sources-TOTAL_FORMS": "2",
        "sources-INITIAL_FORMS": "1",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
        "sources-0-id": str(source.pk),
        "sources-0-relationship": str(relationship.pk),
        "sources-0-article": str(source.article_id),
        "sources-0-quote": source.quote,
        "sources-0-is_primary": "on",
        "sources-1-id": "",
        "sources-1-relationship": str(relationship.pk),
        "sources-1-article": str(other.pk),
        "sources-1-quote": "Also said here.",
        "sources-1-is_primary": "on",
    }

    response = admin_client.post(
        reverse("admin:people_relationship_change", args=[relationship.pk]), data
    )

    assert response.status_code == 302
    assert list(relationship.sources.filter(is_primary=True)) == [
        RelationshipSource.objects.get(article=other)
    ]


# --- The "People found" panel's proposals --------------------------------------------

PEOPLE_FOUND = reverse("admin:articles_article_people_found")
AD_TEXT = {
    "headline": "Stars back Ossoff",
    "dek": "",
    "body": "<p>Samuel L. Jackson cut a radio ad endorsing Jon Ossoff.</p>",
}


@pytest.fixture
def jackson_and_ossoff():
    return (
        PersonFactory(name="Samuel L. Jackson"),
        PersonFactory(name="Jon Ossoff", kind="candidate"),
    )


def test_the_panel_proposes_what_the_text_states(admin_client, jackson_and_ossoff):
    jackson, ossoff = jackson_and_ossoff

    answer = admin_client.post(PEOPLE_FOUND, AD_TEXT).json()

    assert {
        (r["subject"]["id"], r["kind"], r["object"]["id"])
        for r in answer["relationships"]
    } == {
        (jackson.pk, Kind.RECORDED_AD_FOR, ossoff.pk),
        (jackson.pk, Kind.ENDORSED, ossoff.pk),
    }
    assert answer["relationships"][0]["quote"] == (
        "Samuel L. Jackson cut a radio ad endorsing Jon Ossoff."
    )
    assert 'class="button add-relationship"' in answer["html"]


def test_the_panel_leaves_out_what_the_story_reports_already(
    admin_client, jackson_and_ossoff
):
    jackson, ossoff = jackson_and_ossoff
    story = ArticleFactory(body=AD_TEXT["body"])
    report(article=story, subject=jackson, object_person=ossoff, kind=Kind.ENDORSED)

    answer = admin_client.post(PEOPLE_FOUND, {**AD_TEXT, "article": story.pk}).json()

    assert [r["kind"] for r in answer["relationships"]] == [Kind.RECORDED_AD_FOR]


def test_a_saved_storys_page_carries_the_proposals(admin_client, jackson_and_ossoff):
    story = ArticleFactory(body=AD_TEXT["body"])

    page = admin_client.get(change_url(story)).content.decode()

    assert "Relationships this story states" in page
    assert 'data-kind="recorded-ad-for"' in page


def queries_for(client, url) -> int:
    client.get(url)  # warm up the session and content types
    with CaptureQueriesContext(connection) as done:
        assert client.get(url).status_code == 200
    return len(done)


def test_the_relationship_list_costs_the_same_for_one_row_or_many(admin_client):
    url = reverse("admin:people_relationship_changelist")
    RelationshipSourceFactory()
    one = queries_for(admin_client, url)
    for _ in range(9):
        RelationshipSourceFactory()

    assert queries_for(admin_client, url) == one


def test_a_storys_page_costs_the_same_for_one_relationship_or_many(admin_client):
    story = ArticleFactory()
    url = change_url(story)
    RelationshipSourceFactory(article=story)
    one = queries_for(admin_client, url)
    for _ in range(9):
        RelationshipSourceFactory(article=story)

    assert queries_for(admin_client, url) == one
