import datetime

import pytest
from django.db import IntegrityError

from people.models import Candidacy, Election, Person, Race
from tests.factories import (
    CandidacyFactory,
    ElectionFactory,
    PersonFactory,
    RaceFactory,
)

pytestmark = pytest.mark.django_db


def test_slug_is_made_from_the_name():
    assert PersonFactory(name="Samuel L. Jackson").slug == "samuel-l-jackson"


def test_slug_made_from_a_shared_name_is_unique():
    first = PersonFactory(name="John Smith")
    second = PersonFactory(name="John Smith")

    assert (first.slug, second.slug) == ("john-smith", "john-smith-2")


def test_slug_given_by_an_editor_is_kept():
    assert PersonFactory(name="Jon Ossoff", slug="ossoff").slug == "ossoff"


def test_vote_share_is_computed_from_the_round():
    election = ElectionFactory()
    CandidacyFactory(election=election, votes=134_799)
    CandidacyFactory(election=election, votes=125_517)

    shares = [round(c.vote_share, 2) for c in election.candidacies.with_share()]

    assert shares == [51.78, 48.22]


def test_vote_share_stays_right_when_filtered_to_one_person():
    election = ElectionFactory()
    winner = CandidacyFactory(election=election, votes=3)
    CandidacyFactory(election=election, votes=1)

    share = Candidacy.objects.with_share().get(person=winner.person).vote_share

    assert share == 75.0


def test_vote_share_ignores_other_rounds():
    CandidacyFactory(votes=900)
    only = CandidacyFactory(votes=10)

    assert Candidacy.objects.with_share().get(pk=only.pk).vote_share == 100.0


def test_vote_share_is_empty_before_results():
    candidacy = CandidacyFactory(votes=None)

    assert Candidacy.objects.with_share().get(pk=candidacy.pk).vote_share is None
    assert candidacy.share is None


def test_vote_share_is_empty_when_no_votes_were_cast():
    candidacy = CandidacyFactory(votes=0)

    assert Candidacy.objects.with_share().get(pk=candidacy.pk).vote_share is None


def test_share_property_computes_without_the_annotation():
    election = ElectionFactory()
    first = CandidacyFactory(election=election, votes=1)
    CandidacyFactory(election=election, votes=3)

    assert first.share == 25.0


def race_with_result(race):
    return Race.objects.with_result().get(pk=race.pk)


def test_result_names_the_winner_of_the_latest_decided_round():
    race = RaceFactory()
    primary = ElectionFactory(race=race, date=datetime.date(2017, 4, 18))
    CandidacyFactory(election=primary, person__name="Jon Ossoff", advanced=True)
    runoff = ElectionFactory(race=race, date=datetime.date(2017, 6, 20))
    CandidacyFactory(
        election=runoff, person__name="Karen Handel", party="R", votes=3, is_winner=True
    )
    CandidacyFactory(election=runoff, votes=1)

    winner = race_with_result(race).winner

    assert (winner.name, winner.slug, winner.party) == (
        "Karen Handel",
        "karen-handel",
        "R",
    )
    assert winner.share == 75.0


def test_result_has_no_share_before_the_count():
    winner = CandidacyFactory(votes=None, is_winner=True)

    assert race_with_result(winner.election.race).winner.share is None


def test_result_gives_the_last_round_while_no_one_has_won():
    race = RaceFactory()
    ElectionFactory(race=race, date=datetime.date(2017, 4, 18))
    ElectionFactory(
        race=race, date=datetime.date(2017, 6, 20), kind=Election.Kind.RUNOFF
    )

    found = race_with_result(race)

    assert found.winner is None
    assert found.last_round.date == datetime.date(2017, 6, 20)
    assert found.last_round.kind_label == "Runoff"


def test_result_of_a_race_with_no_rounds_is_empty():
    found = race_with_result(RaceFactory())

    assert (found.last_round, found.winner) == (None, None)


def test_result_is_one_query_for_a_list_of_races(django_assert_num_queries):
    for _ in range(3):
        CandidacyFactory(is_winner=True)

    with django_assert_num_queries(1):
        winners = [race.winner.name for race in Race.objects.with_result()]

    assert len(winners) == 3


def test_result_without_the_annotation_says_what_is_missing():
    with pytest.raises(AttributeError, match="with_result"):
        _ = RaceFactory().winner


def test_a_person_runs_once_per_round():
    candidacy = CandidacyFactory()

    with pytest.raises(IntegrityError):
        CandidacyFactory(election=candidacy.election, person=candidacy.person)


def test_a_winner_cannot_also_advance():
    with pytest.raises(IntegrityError):
        CandidacyFactory(is_winner=True, advanced=True)


def test_seat_label_for_a_house_district():
    assert RaceFactory(state="GA", district="6").seat == "GA-06"


@pytest.mark.parametrize("district", ["²", "①", "٣"])
def test_a_district_of_other_scripts_digits_is_shown_as_written(district):
    """`int("²")` fails though `"²".isdigit()`: every page with the seat did."""
    assert RaceFactory(state="GA", district=district).seat == f"GA {district}"


def test_person_deletion_is_refused_while_a_candidacy_links_them():
    from django.db.models import ProtectedError

    candidacy = CandidacyFactory()

    with pytest.raises(ProtectedError):
        Person.objects.filter(pk=candidacy.person_id).delete()
