"""People through time: dated roles (a story shows the one held on its date, the
person page the timeline) and external identifiers (validated, unique, shown to
tell namesakes apart, and emitted as sameAs)."""

import json
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from people.models import Person, PersonRole
from people.services import person_merge
from tests.articles.test_admin import REVISION_BLOCK
from tests.factories import (
    ArticleFactory,
    MentionFactory,
    PersonFactory,
    PersonRoleFactory,
    RaceFactory,
    person_form,
)
from tests.reader.test_pages import STORY_QUERIES

pytestmark = pytest.mark.django_db

EASTERN = ZoneInfo("America/New_York")


@pytest.fixture
def ossoff():
    person = PersonFactory(name="Jon Ossoff")
    PersonRoleFactory(
        person=person,
        title="Candidate, Georgia's 6th District",
        race=RaceFactory(),
        start_date=date(2017, 2, 13),
        end_date=date(2017, 6, 20),
    )
    PersonRoleFactory(
        person=person, title="U.S. senator from Georgia", start_date=date(2021, 1, 20)
    )
    return person


# --- Roles ---


def test_a_role_cannot_end_before_it_starts():
    role = PersonRole(
        person=PersonFactory(),
        title="Candidate",
        start_date=date(2017, 6, 20),
        end_date=date(2017, 2, 13),
    )

    with pytest.raises(ValidationError, match="cannot end before it starts"):
        role.full_clean()


@pytest.mark.parametrize(
    ("day", "title"),
    [
        (date(2017, 5, 1), "Candidate, Georgia's 6th District"),
        (date(2017, 6, 20), "Candidate, Georgia's 6th District"),  # its last day
        (date(2019, 1, 1), None),
        (date(2024, 1, 1), "U.S. senator from Georgia"),
    ],
)
def test_the_role_held_on_a_day(ossoff, day, title):
    held = ossoff.roles.held_on(day).values_list("title", flat=True).first()

    assert held == title


def test_a_story_lists_the_role_its_person_held_on_its_publish_date(client, ossoff):
    story = MentionFactory(
        person=ossoff,
        article=ArticleFactory(published_at=datetime(2017, 6, 1, 9, tzinfo=EASTERN)),
    ).article

    page = client.get(story.get_absolute_url()).content.decode()

    assert '<span class="role-then">Candidate, Georgia&#39;s 6th District</span>' in (
        page
    )
    assert "U.S. senator from Georgia" not in page


def test_a_person_without_a_role_on_that_day_shows_none(client, ossoff):
    story = MentionFactory(
        person=ossoff,
        article=ArticleFactory(published_at=datetime(2019, 3, 1, 9, tzinfo=EASTERN)),
    ).article

    page = client.get(story.get_absolute_url()).content.decode()

    assert 'class="role-then"' not in page


@pytest.mark.parametrize("rows", [1, 30])
def test_roles_cost_the_story_page_no_query(client, django_assert_num_queries, rows):
    story = ArticleFactory()
    for _ in range(rows):
        person = MentionFactory(article=story).person
        PersonRoleFactory(person=person, start_date=date(2000, 1, 1))
        PersonRoleFactory(person=person, start_date=date(2001, 1, 1))

    with django_assert_num_queries(STORY_QUERIES):
        response = client.get(story.get_absolute_url())

    assert response.content.decode().count('class="role-then"') == rows


def test_the_person_page_shows_the_timeline_oldest_first(client, ossoff):
    page = client.get(ossoff.get_absolute_url()).content.decode()

    timeline = page[page.index('id="timeline-heading"') :]
    assert timeline.index("Candidate, Georgia") < timeline.index("U.S. senator")
    assert "since" in timeline  # the Senate term has no end


@pytest.mark.parametrize("rows", [1, 30])
def test_the_timeline_costs_the_person_page_one_query_whatever_its_length(
    client, django_assert_num_queries, rows
):
    person = MentionFactory().person
    for _ in range(rows):
        PersonRoleFactory(person=person)

    # person; candidacies; a page of their stories; their roles in those stories;
    # relationships; the dated roles (one query, whatever their number)
    with django_assert_num_queries(6):
        response = client.get(person.get_absolute_url())

    assert len(response.context["roles"]) == rows


# --- Identifiers ---


def test_identifiers_are_written_the_registers_way():
    person = PersonFactory.build(
        name="Jon Ossoff",
        wikidata_id=" q123 ",
        fec_candidate_id="h7ga06123",
        ballotpedia_slug="https://ballotpedia.org/Jon_Ossoff",
        ap_candidate_id="12345",
    )

    person.full_clean()

    assert (person.wikidata_id, person.fec_candidate_id, person.ballotpedia_slug) == (
        "Q123",
        "H7GA06123",
        "Jon_Ossoff",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("wikidata_id", "123"),
        ("wikidata_id", "Q0"),
        ("fec_candidate_id", "GA06"),
        ("fec_candidate_id", "X7GA06123"),
        ("ap_candidate_id", "A-12"),
        ("ballotpedia_slug", "https://ballotpedia.org/a/b"),
    ],
)
def test_a_malformed_identifier_is_refused(field, value):
    person = PersonFactory.build(name="Someone", **{field: value})

    with pytest.raises(ValidationError) as error:
        person.full_clean(exclude=["slug"])

    assert field in error.value.message_dict


def test_two_people_cannot_share_a_wikidata_id():
    PersonFactory(wikidata_id="Q123")
    namesake = PersonFactory.build(name="Jon Ossoff", wikidata_id="Q123")

    with pytest.raises(ValidationError, match="Another person has this Wikidata ID"):
        namesake.full_clean(exclude=["slug"])


def test_people_without_identifiers_do_not_clash():
    PersonFactory()
    PersonFactory()

    PersonFactory.build(name="A third").full_clean(exclude=["slug"])


def test_same_as_lists_the_persons_pages_elsewhere():
    person = PersonFactory.build(
        website="https://example.org/",
        wikidata_id="Q123",
        fec_candidate_id="H7GA06123",
        ballotpedia_slug="Jon_Ossoff",
        ap_candidate_id="12345",
    )

    assert person.same_as_urls() == [
        "https://example.org/",
        "https://www.wikidata.org/wiki/Q123",
        "https://www.fec.gov/data/candidate/H7GA06123/",
        "https://ballotpedia.org/Jon_Ossoff",
    ]


def test_the_person_page_jsonld_carries_same_as(client):
    person = PersonFactory(wikidata_id="Q123", ballotpedia_slug="Jon_Ossoff")

    page = client.get(person.get_absolute_url()).content.decode()

    (block,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page, re.S
    )
    assert json.loads(block)["sameAs"] == [
        "https://www.wikidata.org/wiki/Q123",
        "https://ballotpedia.org/Jon_Ossoff",
    ]


# --- The admin ---


def test_the_person_form_has_identifiers_and_a_roles_inline(admin_client, ossoff):
    page = admin_client.get(
        reverse("admin:people_person_change", args=[ossoff.pk])
    ).content.decode()

    assert 'name="wikidata_id"' in page
    assert 'name="roles-0-title"' in page
    assert 'name="roles-1-start_date"' in page


@pytest.mark.parametrize("rows", [1, 20])
def test_the_roles_inline_does_not_grow_the_person_page_queries(
    admin_client, django_assert_num_queries, rows
):
    person = PersonFactory()
    for _ in range(rows):
        PersonRoleFactory(person=person, race=RaceFactory())
    url = reverse("admin:people_person_change", args=[person.pk])
    admin_client.get(url)

    # session, user, person, aliases, roles, their races' labels (one query), tags,
    # the person's mentions (none: no stories to read)
    with django_assert_num_queries(8 + REVISION_BLOCK):
        response = admin_client.get(url)

    assert response.content.decode().count('name="roles-') >= rows


def test_roles_are_added_in_the_person_form(admin_client):
    data = person_form(
        name="Jon Ossoff",
        wikidata_id="q123",
        **{
            "roles-TOTAL_FORMS": "1",
            "roles-0-title": "U.S. senator from Georgia",
            "roles-0-race": "",
            "roles-0-start_date": "2021-01-20",
            "roles-0-end_date": "",
        },
    )

    response = admin_client.post(reverse("admin:people_person_add"), data)

    assert response.status_code == 302
    person = Person.objects.get(name="Jon Ossoff")
    assert person.wikidata_id == "Q123"
    assert list(person.roles.values_list("title", "start_date")) == [
        ("U.S. senator from Georgia", date(2021, 1, 20))
    ]


def test_a_taken_identifier_is_a_form_error_not_a_crash(admin_client):
    PersonFactory(wikidata_id="Q123")

    response = admin_client.post(
        reverse("admin:people_person_add"),
        person_form(name="Jon Ossoff", wikidata_id="Q123"),
    )

    assert response.status_code == 200
    assert "Another person has this Wikidata ID." in response.content.decode()
    assert not Person.objects.filter(name="Jon Ossoff").exists()


def autocomplete(admin_client, term):
    return admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "mention",
            "field_name": "person",
            "term": term,
        },
    ).json()["results"]


def test_the_people_autocomplete_tells_namesakes_apart(admin_client, ossoff):
    PersonFactory(name="Jon Ossoff", wikidata_id="Q999")

    labels = sorted(result["text"] for result in autocomplete(admin_client, "Ossoff"))

    assert labels == ["Jon Ossoff (Q999)", "Jon Ossoff (U.S. senator from Georgia)"]


def test_an_identifier_finds_its_person_in_the_autocomplete(admin_client):
    PersonFactory(name="Jon Ossoff", wikidata_id="Q999")

    labels = [result["text"] for result in autocomplete(admin_client, "q999")]

    assert labels == ["Jon Ossoff (Q999)"]


def test_the_people_found_panel_labels_namesakes(admin_client):
    PersonFactory(name="Jon Smith", wikidata_id="Q1")
    PersonFactory(name="Jon Smith", wikidata_id="Q2")

    answer = admin_client.post(
        reverse("admin:articles_article_people_found"),
        {"headline": "", "dek": "", "body": "<p>Jon Smith spoke.</p>"},
    ).json()

    assert answer["ambiguous"] == ["Jon Smith"]
    assert "Jon Smith (Q1, celebrity)" in answer["html"]
    assert "Jon Smith (Q2, celebrity)" in answer["html"]


def test_a_merge_moves_roles_and_the_identifiers_kept_lacks(ossoff):
    duplicate = PersonFactory(name="Jonathan Ossoff", wikidata_id="Q123")
    PersonRoleFactory(person=duplicate, title="Documentary filmmaker")

    person_merge(duplicate=duplicate, into=ossoff)

    ossoff.refresh_from_db()
    assert ossoff.wikidata_id == "Q123"
    assert ossoff.roles.filter(title="Documentary filmmaker").exists()


def test_the_demo_dates_the_roles_the_facts_give_and_no_identifier(settings):
    settings.DEBUG = True
    call_command("load_demo")

    ossoff = Person.objects.get(name="Jon Ossoff")
    assert list(ossoff.roles.values_list("title", "start_date", "end_date")) == [
        ("Candidate, Georgia's 6th District", date(2017, 2, 13), date(2017, 6, 20)),
        ("U.S. senator from Georgia", date(2021, 1, 20), None),
    ]
    gray = Person.objects.get(name="Bob Gray").roles.get()
    assert gray.end_date == date(2017, 4, 18)  # out after the first round
    no_identifiers = {
        "wikidata_id": "",
        "fec_candidate_id": "",
        "ballotpedia_slug": "",
        "ap_candidate_id": "",
    }
    assert not Person.objects.exclude(**no_identifiers).exists()
