"""The desk's admin for results: snapshots read, units listed, rounds called."""

import pytest
from django.urls import reverse

from people.models import RaceCall, ReportingUnit
from people.results_import import RowIn, SnapshotIn, snapshot_import
from tests.factories import CandidacyFactory, ElectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def election():
    election = ElectionFactory(kind="runoff")
    for name in ("Karen Handel", "Jon Ossoff"):
        CandidacyFactory(election=election, person__name=name, votes=None)
    ReportingUnit.objects.create(race=election.race, kind="county", name="Cobb")
    return election


@pytest.fixture
def snapshot(election):
    return snapshot_import(
        snapshot_in=SnapshotIn(
            where="test",
            race=election.race.slug,
            round="runoff",
            status="election-night",
            as_of="2017-06-20T22:30-04:00",
            source="AP",
            rows=[RowIn("1", "Karen Handel", "county", "Cobb", 10)],
        )
    ).snapshot


@pytest.mark.parametrize(
    "name",
    [
        "admin:people_resultsnapshot_changelist",
        "admin:people_reportingunit_changelist",
        "admin:people_reportingunit_add",
        "admin:people_racecall_changelist",
        "admin:people_racecall_add",
    ],
)
def test_results_admin_pages_render(admin_client, snapshot, name):
    assert admin_client.get(reverse(name)).status_code == 200


def test_a_snapshot_page_shows_its_rows(admin_client, snapshot):
    url = reverse("admin:people_resultsnapshot_change", args=[snapshot.pk])

    page = admin_client.get(url).content.decode()

    assert "Karen Handel" in page and "Cobb" in page


def test_the_round_page_links_to_calling_it(admin_client, election):
    url = reverse("admin:people_election_change", args=[election.pk])

    page = admin_client.get(url).content.decode()

    assert f"/admin/people/racecall/add/?election={election.pk}" in page


def test_the_call_form_offers_only_the_rounds_candidates(admin_client, election):
    other = CandidacyFactory(person__name="Someone Else")

    page = admin_client.get(
        reverse("admin:people_racecall_add"), {"election": election.pk}
    ).content.decode()

    assert "Karen Handel" in page
    assert other.person.name not in page


def test_the_desk_calls_a_round_in_the_admin(admin_client, admin_user, election):
    handel = election.candidacies.get(person__name="Karen Handel")

    response = admin_client.post(
        reverse("admin:people_racecall_add"),
        {
            "election": election.pk,
            "winner": handel.pk,
            "called_by": "the Newsroom desk",
            "called_at_0": "2017-06-20",
            "called_at_1": "22:25",
            "basis": "All precincts in; a 9,282-vote margin.",
        },
    )

    assert response.status_code == 302
    call = RaceCall.objects.get(election=election)
    assert call.recorded_by == admin_user
    assert list(election.candidacies.filter(is_winner=True)) == [handel]


def test_a_winner_from_another_round_is_refused(admin_client, election):
    other = CandidacyFactory()

    response = admin_client.post(
        reverse("admin:people_racecall_add"),
        {
            "election": election.pk,
            "winner": other.pk,
            "called_by": "the Newsroom desk",
            "called_at_0": "2017-06-20",
            "called_at_1": "22:25",
            "basis": "x",
        },
    )

    assert response.status_code == 200
    assert not RaceCall.objects.exists()
    assert not other.__class__.objects.filter(is_winner=True).exists()


def test_withdrawing_a_call_leaves_an_uncertified_round_without_a_winner(
    admin_client, election
):
    handel = election.candidacies.get(person__name="Karen Handel")
    from people.results_import import round_call

    call = round_call(election=election, winner=handel, basis="x")

    response = admin_client.post(
        reverse("admin:people_racecall_delete", args=[call.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not election.candidacies.filter(is_winner=True).exists()
