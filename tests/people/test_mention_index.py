"""The finder's people from the database: aliases, party, clues and coverage."""

import pytest

from people.mention_index import known_people
from people.models import Person, Race
from tests.factories import (
    AliasFactory,
    CandidacyFactory,
    MentionFactory,
    PersonFactory,
    RaceFactory,
)

pytestmark = pytest.mark.django_db


def known(name):
    return next(p for p in known_people() if p.name == name)


def test_a_person_carries_party_aliases_and_coverage():
    person = PersonFactory(name="Jane Roe", party="R")
    AliasFactory(person=person, name="Janie Roe")
    MentionFactory.create_batch(3, person=person)

    found = known("Jane Roe")

    assert (found.party, found.aliases, found.coverage) == ("R", ("Janie Roe",), 3)


def test_a_candidate_carries_the_office_and_state_they_ran_for_as_clues():
    race = RaceFactory(office=Race.Office.US_SENATE, state="TX")
    CandidacyFactory(
        election__race=race,
        person=PersonFactory(name="Jane Roe", kind=Person.Kind.CANDIDATE),
    )

    assert set(known("Jane Roe").clues) == {"senator", "sen.", "texas"}


@pytest.mark.parametrize("count", [1, 5])
def test_loading_the_people_takes_three_queries(django_assert_num_queries, count):
    for person in PersonFactory.create_batch(count):
        AliasFactory(person=person)
        MentionFactory(person=person)
        CandidacyFactory(person=person)

    with django_assert_num_queries(3):
        assert len(known_people()) == count
