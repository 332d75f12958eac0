"""The race page's count as it came in, its JSON, and calling a round."""

import json
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from people.models import RaceCall, ReportingUnit, ResultRow, ResultSnapshot
from people.results import race_results
from people.results_import import RowIn, SnapshotIn, round_call, snapshot_import
from tests.factories import CandidacyFactory, ElectionFactory, RaceFactory

pytestmark = pytest.mark.django_db

EASTERN = ZoneInfo("America/New_York")
# The race; its rounds with their calls; their results; coverage; the candidates'
# backers (`articles.people_pages`); the snapshots' rows (`people.results`).
RACE_PAGE_QUERIES = 6


def count(election, as_of, rows, status="election-night", source="AP"):
    """Import a snapshot of `rows`: (candidate name, county or "Total", votes)."""
    result = snapshot_import(
        snapshot_in=SnapshotIn(
            where="test",
            race=election.race.slug,
            round=election.date.isoformat(),
            status=status,
            as_of=as_of,
            source=source,
            rows=[
                RowIn(
                    f"row {n}",
                    name,
                    "total" if unit == "Total" else "county",
                    unit,
                    votes,
                )
                for n, (name, unit, votes) in enumerate(rows)
            ],
        )
    )
    assert result.problems == []
    return result.snapshot


@pytest.fixture
def runoff():
    race = RaceFactory(slug="ga-06", name="Georgia 6th")
    election = ElectionFactory(race=race, date=date(2017, 6, 20), kind="runoff")
    for name in ("Karen Handel", "Jon Ossoff"):
        CandidacyFactory(election=election, person__name=name, votes=None)
    for county in ("Cobb", "DeKalb"):
        ReportingUnit.objects.create(race=race, kind="county", name=county)
    return election


@pytest.fixture
def counted(runoff):
    count(
        runoff,
        "2017-06-20T22:30-04:00",
        [("Karen Handel", "Total", 128_093), ("Jon Ossoff", "Total", 115_014)],
    )
    count(
        runoff,
        "2017-06-20T23:45-04:00",
        [
            ("Karen Handel", "Cobb", 45_688),
            ("Jon Ossoff", "Cobb", 33_114),
            ("Karen Handel", "DeKalb", 24_117),
            ("Jon Ossoff", "DeKalb", 33_928),
        ],
        status="unofficial",
        source="Secretary of State",
    )
    return runoff


def page_of(client, election) -> str:
    return client.get(election.race.get_absolute_url()).content.decode()


def test_the_latest_count_is_read_from_the_latest_snapshot(counted):
    (round_,) = race_results(counted.race_id)["rounds"]

    latest = round_["latest"]
    assert latest["status"] == "unofficial"
    assert latest["as_of"] == datetime(2017, 6, 20, 23, 45, tzinfo=EASTERN)
    assert [(c["name"], c["votes"]) for c in latest["candidates"]] == [
        ("Karen Handel", 69_805),
        ("Jon Ossoff", 67_042),
    ]
    assert [(s["status"], s["total_votes"]) for s in round_["history"]] == [
        ("election-night", 243_107),
        ("unofficial", 136_847),
    ]


def test_the_race_page_names_the_snapshot_of_its_latest_figures(client, counted):
    page = page_of(client, counted)

    assert (
        "Latest count: Unofficial, Secretary of State, as of Jun 20, 2017 23:45" in page
    )
    assert "69,805" in page


def test_the_race_page_shows_the_leader_of_each_county(client, counted):
    page = page_of(client, counted)

    table = page.split("Leader by county")[1].split("</table>")[0]
    assert '<th scope="row">Cobb</th><td>Karen Handel</td>' in table
    assert '<th scope="row">DeKalb</th><td>Jon Ossoff</td>' in table


def test_the_race_page_shows_how_the_count_moved(client, counted):
    page = page_of(client, counted)

    history = page.split("How the count moved")[1].split("</table>")[0]
    assert history.index("128,093") < history.index("69,805")
    assert "Election night" in history and "Unofficial" in history


def test_before_a_call_no_winner_is_shown_whoever_leads(client, counted):
    page = page_of(client, counted)

    assert "Not called" in page
    assert 'class="badge">Winner' not in page


def test_a_call_shows_who_called_it_when_and_the_winner(client, counted):
    handel = counted.candidacies.get(person__name="Karen Handel")
    round_call(
        election=counted,
        winner=handel,
        basis="All precincts reporting; a 9,282-vote margin.",
        called_at=datetime(2017, 6, 20, 22, 25, tzinfo=EASTERN),
    )

    page = page_of(client, counted)

    assert "Called by the Newsroom desk at" in page
    assert "All precincts reporting; a 9,282-vote margin." in page
    assert 'class="badge">Winner' in page
    handel.refresh_from_db()
    assert handel.is_winner


def test_a_new_call_moves_the_winner(counted):
    ossoff, handel = (
        counted.candidacies.get(person__name="Jon Ossoff"),
        counted.candidacies.get(person__name="Karen Handel"),
    )
    round_call(election=counted, winner=ossoff, basis="first")

    round_call(election=counted, winner=handel, basis="corrected")

    winners = list(counted.candidacies.filter(is_winner=True))
    assert winners == [handel]
    assert RaceCall.objects.get(election=counted).basis == "corrected"


def test_a_round_not_yet_certified_polls_and_a_certified_one_does_not(client, counted):
    assert "data-live" in page_of(client, counted)
    assert "race_results.js" in page_of(client, counted)

    counted.is_certified = True
    counted.save()

    page = page_of(client, counted)
    assert "data-live" not in page
    assert "race_results.js" not in page


def test_a_round_without_a_count_shows_no_count_section_once_certified(client):
    election = ElectionFactory(is_certified=True)
    CandidacyFactory(election=election)

    assert 'class="count"' not in page_of(client, election)


@pytest.mark.parametrize("rows", [1, 12])
def test_race_page_query_count_does_not_grow_with_candidates_units_snapshots(
    client, django_assert_num_queries, rows
):
    election = ElectionFactory()
    names = [f"Candidate {n}" for n in range(rows)]
    for name in names:
        CandidacyFactory(election=election, person__name=name)
    counties = [f"County {n}" for n in range(rows)]
    for county in counties:
        ReportingUnit.objects.create(race=election.race, kind="county", name=county)
    for snapshot in range(rows):
        count(
            election,
            f"2017-06-20T{10 + snapshot % 12:02d}:{snapshot // 12:02d}-04:00",
            [(name, county, 1 + snapshot) for name in names for county in counties],
        )

    with django_assert_num_queries(RACE_PAGE_QUERIES):
        response = client.get(election.race.get_absolute_url())

    assert response.status_code == 200


# --- JSON -----------------------------------------------------------------------


def json_of(client, election):
    url = reverse("people:race-results", kwargs={"slug": election.race.slug})
    return client.get(url)


def test_the_json_carries_rounds_latest_snapshot_and_history(client, counted):
    response = json_of(client, counted)

    data = json.loads(response.content)
    (round_,) = data["rounds"]
    assert round_["kind"] == "runoff" and round_["live"] is True
    assert round_["latest"]["name"].startswith("Unofficial, Secretary of State")
    assert [s["status"] for s in round_["history"]] == ["election-night", "unofficial"]
    assert round_["latest"]["counties"][0]["leader"]["name"] == "Karen Handel"
    assert round_["winner_id"] is None


def test_the_json_declares_the_races_keys(client, counted):
    response = json_of(client, counted)

    race = counted.race_id
    assert {f"race-{race}", f"list-race-{race}"} <= set(response["xkey"].split())


def test_the_json_of_a_race_readers_may_not_see_is_404(client, counted):
    counted.race.show_without_stories = False
    counted.race.save()

    assert json_of(client, counted).status_code == 404


def test_an_import_purges_the_cached_json(client, counted, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    cache.clear()
    json_of(client, counted)
    ResultRow.objects.update(votes=1)  # past the importer: the cached copy stays
    stale = json.loads(json_of(client, counted).content)
    assert stale["rounds"][0]["latest"]["total_votes"] == 69_805 + 67_042

    count(
        counted,
        "2017-06-21T00:30-04:00",
        [("Karen Handel", "Total", 134_595), ("Jon Ossoff", "Total", 124_893)],
    )

    data = json.loads(json_of(client, counted).content)
    assert data["rounds"][0]["latest"]["total_votes"] == 134_595 + 124_893


@pytest.mark.parametrize("rows", [1, 12])
def test_json_query_count_does_not_grow(client, django_assert_num_queries, rows):
    election = ElectionFactory()
    names = [f"Candidate {n}" for n in range(rows)]
    for name in names:
        CandidacyFactory(election=election, person__name=name)
    for snapshot in range(rows):
        count(
            election,
            f"2017-06-20T10:{snapshot:02d}-04:00",
            [(name, "Total", 1 + snapshot) for name in names],
        )

    with django_assert_num_queries(3):  # the race, its rounds, the rows
        json_of(client, election)


# --- The demo ---------------------------------------------------------------------


def test_the_demo_race_page_shows_ga06_counted_and_certified(client, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    from people.models import Race

    race = Race.objects.get(slug="2017-ga-06-special")
    runoff, april = (
        race.elections.get(kind="runoff"),
        race.elections.get(kind="all-party"),
    )

    data = race_results(race.pk)["by_round"]
    history = [
        {c["name"]: c["votes"] for c in s["candidates"]}
        for s in data[runoff.pk]["history"]
    ]
    assert history == [
        {"Karen Handel": 128_093, "Jon Ossoff": 115_014},
        {"Karen Handel": 134_595, "Jon Ossoff": 124_893},
        {"Karen Handel": 134_799, "Jon Ossoff": 125_517},
    ]
    leaders = {
        county["name"]: county["leader"]["name"]
        for county in data[runoff.pk]["latest"]["counties"]
    }
    assert leaders == {
        "Cobb": "Karen Handel",
        "DeKalb": "Jon Ossoff",
        "Fulton": "Karen Handel",
    }
    april_latest = {
        c["name"]: c["votes"] for c in data[april.pk]["latest"]["candidates"]
    }
    assert april_latest["Jon Ossoff"] == 92_673
    assert sum(april_latest.values()) == 192_569
    night = ResultSnapshot.Status.ELECTION_NIGHT
    assert data[april.pk]["history"][0]["status"] == night
    assert data[runoff.pk]["winner_id"] == runoff.candidacies.get(is_winner=True).pk
    page = client.get(race.get_absolute_url()).content.decode()
    assert "92,390" in page and "92,673" in page
    assert "134,595" in page and "134,799" in page
    # Shares round once, as the results table rounds them (0.945% → 0.9%).
    assert (
        '<th scope="row">Kurt Wilson</th><td class="num">1,820</td>'
        '<td class="num">0.9%</td>'
    ) in page


def test_the_demo_loads_its_results_once(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    before = ResultSnapshot.objects.count()

    call_command("load_demo", stdout=StringIO())

    assert before == 5
    assert ResultSnapshot.objects.count() == before
