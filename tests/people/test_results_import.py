"""Results as they came in: the importer (`people.results_import`) and its command.

Each bad row is refused with its line (CSV) or record (JSON), and the snapshot it
belongs to is not written at all."""

import http.server
import json
import threading
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from core import cache_keys
from people.models import Candidacy, Election, ReportingUnit, ResultRow, ResultSnapshot
from people.results_import import (
    ResultsSourceError,
    parse_results,
    results_import,
)
from tests.factories import CandidacyFactory, ElectionFactory, RaceFactory

pytestmark = pytest.mark.django_db

EASTERN = ZoneInfo("America/New_York")
HEADER = "race,round,candidate,unit,votes,status,as_of,source\n"


@pytest.fixture
def runoff():
    race = RaceFactory(slug="ga-06")
    election = ElectionFactory(race=race, date="2017-06-20", kind="runoff")
    for name in ("Karen Handel", "Jon Ossoff"):
        CandidacyFactory(election=election, person__name=name, votes=None)
    for county in ("Cobb", "DeKalb", "Fulton"):
        ReportingUnit.objects.create(race=race, kind="county", name=county)
    return election


def csv_rows(*rows, as_of="2017-06-20T22:30:00-04:00", status="election-night"):
    lines = [
        f"ga-06,2017-06-20,{name},{unit},{votes},{status},{as_of},AP\n"
        for name, unit, votes in rows
    ]
    return HEADER + "".join(lines)


def ap_feed(*units, last_updated="2017-06-21T02:30:00Z"):
    """An AP-shaped feed: `units` are (level, name, [(first, last, votes)])."""
    return json.dumps(
        {
            "races": [
                {
                    "raceID": "10",
                    "reportingUnits": [
                        {
                            "level": level,
                            "reportingunitName": name,
                            "precinctsReporting": 100,
                            "precinctsTotal": 200,
                            "lastUpdated": last_updated,
                            "candidates": [
                                {"first": first, "last": last, "voteCount": votes}
                                for first, last, votes in candidates
                            ],
                        }
                        for level, name, candidates in units
                    ],
                }
            ]
        }
    )


def imported(text, **given):
    return results_import(text=text, **given)


def problems_of(text, **given) -> list[str]:
    return [p for result in imported(text, **given) for p in result.problems]


# --- What is stored ------------------------------------------------------------


def test_a_csv_snapshot_is_stored_with_county_rows_and_computed_totals(runoff):
    text = csv_rows(
        ("Karen Handel", "Cobb", 100),
        ("Karen Handel", "Fulton", 50),
        ("Jon Ossoff", "Cobb", 90),
    )

    (result,) = imported(text)

    snapshot = result.snapshot
    assert snapshot.status == ResultSnapshot.Status.ELECTION_NIGHT
    assert snapshot.as_of == datetime(2017, 6, 20, 22, 30, tzinfo=EASTERN)
    totals = dict(
        snapshot.rows.filter(unit__kind="total").values_list(
            "candidacy__person__name", "votes"
        )
    )
    assert totals == {"Karen Handel": 150, "Jon Ossoff": 90}
    assert snapshot.rows.filter(unit__kind="county").count() == 3


def test_an_import_sets_the_rounds_candidacy_votes_from_the_latest_snapshot(runoff):
    imported(csv_rows(("Karen Handel", "Total", 100), ("Jon Ossoff", "Total", 90)))
    imported(
        csv_rows(("Karen Handel", "Total", 300), as_of="2017-06-20T23:00:00-04:00")
    )

    votes = dict(runoff.candidacies.values_list("person__name", "votes"))
    assert votes == {"Karen Handel": 300, "Jon Ossoff": None}


def test_an_import_never_sets_a_winner(runoff):
    imported(csv_rows(("Karen Handel", "Total", 100), ("Jon Ossoff", "Total", 90)))

    assert not runoff.candidacies.filter(is_winner=True).exists()


def test_the_same_snapshot_imported_again_is_skipped(runoff):
    text = csv_rows(("Karen Handel", "Total", 100))
    imported(text)

    (again,) = imported(text)

    assert again.snapshot is None and again.skipped and not again.problems
    assert ResultSnapshot.objects.count() == 1


def test_an_ap_feed_is_stored_with_its_reporting_figures(runoff):
    text = ap_feed(
        ("state", "Georgia", [("Karen", "Handel", 150), ("Jon", "Ossoff", 140)]),
        ("county", "Cobb", [("Karen", "Handel", 150), ("Jon", "Ossoff", 140)]),
    )

    (result,) = imported(text, race="ga-06", round="runoff")

    snapshot = result.snapshot
    assert (snapshot.precincts_reporting, snapshot.precincts_total) == (100, 200)
    assert snapshot.source == "AP"
    assert snapshot.as_of == datetime(2017, 6, 20, 22, 30, tzinfo=EASTERN)
    assert dict(runoff.candidacies.values_list("person__name", "votes")) == {
        "Karen Handel": 150,
        "Jon Ossoff": 140,
    }


def test_an_openelections_precinct_file_adds_its_precincts(runoff):
    text = (
        "county,precinct,office,district,party,candidate,votes\n"
        "Cobb,Acworth 1A,U.S. House,6,REP,Karen Handel,10\n"
        "Cobb,Acworth 1A,U.S. House,6,DEM,Jon Ossoff,7\n"
        "Cobb,Acworth 1A,U.S. House,6,,Ballots Cast,17\n"
        "Cobb,Kemp 01,U.S. House,6,REP,Karen Handel,5\n"
        "Cobb,,U.S. House,6,REP,Karen Handel,15\n"
        "Cobb,,U.S. House,6,DEM,Jon Ossoff,7\n"
    )

    (result,) = imported(
        text,
        race="ga-06",
        round="2017-06-20",
        status="certified",
        as_of="2017-06-30T12:00",
        source="OpenElections",
    )

    assert result.problems == []
    precincts = ReportingUnit.objects.filter(kind="precinct")
    assert sorted(precincts.values_list("county", "name")) == [
        ("Cobb", "Acworth 1A"),
        ("Cobb", "Kemp 01"),
    ]
    assert dict(runoff.candidacies.values_list("person__name", "votes")) == {
        "Karen Handel": 15,
        "Jon Ossoff": 7,
    }


# --- Bad rows, in both formats ------------------------------------------------


BAD_CSV = {
    "unknown candidate": (("Stacey Evans", "Cobb", 10), "line 3: unknown candidate"),
    "unknown unit": (("Jon Ossoff", "Gwinnett", 10), "line 3: unknown unit"),
    "negative votes": (("Jon Ossoff", "Cobb", -5), "line 3: votes negative"),
    "non-numeric votes": (("Jon Ossoff", "Cobb", "many"), "line 3: votes not a whole"),
    "missing votes": (("Jon Ossoff", "Cobb", ""), "line 3: votes missing"),
    "duplicate row": (("Karen Handel", "Cobb", 10), "line 3: duplicate row"),
}


@pytest.mark.parametrize("case", BAD_CSV)
def test_a_bad_csv_row_is_refused_with_its_line_and_nothing_is_written(runoff, case):
    row, message = BAD_CSV[case]
    text = csv_rows(("Karen Handel", "Cobb", 10), row)

    problems = problems_of(text)

    assert any(problem.startswith(message) for problem in problems), problems
    assert not ResultSnapshot.objects.exists()
    assert not ResultRow.objects.exists()
    assert set(runoff.candidacies.values_list("votes", flat=True)) == {None}


BAD_AP = {
    "unknown candidate": (("Stacey", "Evans", 10), "unknown candidate"),
    "negative votes": (("Jon", "Ossoff", -5), "votes negative"),
    "non-numeric votes": (("Jon", "Ossoff", "many"), "votes not a whole"),
    "missing votes": (("Jon", "Ossoff", None), "votes missing"),
    "duplicate row": (("Karen", "Handel", 10), "duplicate row"),
}


@pytest.mark.parametrize("case", BAD_AP)
def test_a_bad_ap_record_is_refused_with_its_path_and_nothing_is_written(runoff, case):
    candidate, message = BAD_AP[case]
    text = ap_feed(("county", "Cobb", [("Karen", "Handel", 10), candidate]))

    problems = problems_of(text, race="ga-06", round="runoff")

    expected = f"races[0].reportingUnits[0].candidates[1]: {message}"
    assert any(problem.startswith(expected) for problem in problems), problems
    assert not ResultSnapshot.objects.exists()


def test_an_ap_unit_of_an_unknown_county_is_refused(runoff):
    text = ap_feed(("county", "Gwinnett", [("Karen", "Handel", 10)]))

    problems = problems_of(text, race="ga-06", round="runoff")

    assert problems[0].startswith(
        "races[0].reportingUnits[0].candidates[0]: unknown unit 'Gwinnett'"
    )


def test_an_ap_unit_of_an_unknown_level_is_refused(runoff):
    text = ap_feed(("subunit", "Acworth", [("Karen", "Handel", 10)]))

    problems = problems_of(text, race="ga-06", round="runoff")

    assert "unknown unit 'Acworth'" in problems[0]


@pytest.mark.parametrize("layout", ["csv", "ap"])
def test_a_snapshot_older_than_the_stored_one_is_refused(runoff, layout):
    imported(csv_rows(("Karen Handel", "Cobb", 10), as_of="2017-06-20T23:00-04:00"))
    if layout == "csv":
        text = csv_rows(("Karen Handel", "Cobb", 5), as_of="2017-06-20T22:00-04:00")
        given = {}
    else:
        text = ap_feed(
            ("county", "Cobb", [("Karen", "Handel", 5)]),
            last_updated="2017-06-21T02:00:00Z",
        )
        given = {"race": "ga-06", "round": "runoff"}

    problems = problems_of(text, **given)

    assert "is older than the stored one" in problems[0]
    assert ResultSnapshot.objects.count() == 1


@pytest.mark.parametrize("layout", ["csv", "ap"])
def test_a_certified_total_that_goes_down_is_refused(runoff, layout):
    imported(
        csv_rows(
            ("Karen Handel", "Cobb", 100),
            ("Jon Ossoff", "Cobb", 90),
            status="certified",
            as_of="2017-06-30T12:00-04:00",
        )
    )
    if layout == "csv":
        text = csv_rows(
            ("Karen Handel", "Cobb", 99),
            ("Jon Ossoff", "Cobb", 95),
            status="certified",
            as_of="2017-07-05T12:00-04:00",
        )
        given = {}
    else:
        text = ap_feed(
            ("county", "Cobb", [("Karen", "Handel", 99), ("Jon", "Ossoff", 95)]),
            last_updated="2017-07-05T16:00:00Z",
        )
        given = {"race": "ga-06", "round": "runoff", "status": "certified"}

    problems = problems_of(text, **given)

    assert len(problems) == 1
    assert "Karen Handel's total goes down from the certified 100" in problems[0]
    assert runoff.candidacies.get(person__name="Karen Handel").votes == 100


def test_a_total_row_that_disagrees_with_its_counties_is_refused(runoff):
    text = csv_rows(("Karen Handel", "Cobb", 10), ("Karen Handel", "Total", 11))

    problems = problems_of(text)

    assert "total row says 11, the county rows add up to 10" in problems[0]


def test_a_csv_without_a_required_column_is_refused_whole(runoff):
    with pytest.raises(ResultsSourceError, match="line 1: missing columns: votes"):
        parse_results("race,round,candidate,unit,status,as_of,source\n")


def test_an_unknown_round_or_status_or_time_is_reported(runoff):
    text = HEADER + "ga-06,primary,Jon Ossoff,Cobb,1,election-night,x,AP\n"
    assert "unknown round 'primary'" in problems_of(text)[0]

    text = HEADER + "ga-06,runoff,Jon Ossoff,Cobb,1,final,soon,AP\n"
    problems = problems_of(text)
    assert any("unknown status 'final'" in p for p in problems)
    assert any("as-of time not ISO 8601: 'soon'" in p for p in problems)


def test_one_bad_snapshot_leaves_the_other_snapshots_of_the_file_imported(runoff):
    good = csv_rows(("Karen Handel", "Cobb", 10), as_of="2017-06-20T22:00-04:00")
    bad = csv_rows(("Jon Ossoff", "Cobb", -1), as_of="2017-06-20T23:00-04:00")
    text = good + bad.removeprefix(HEADER)

    results = imported(text)

    assert [r.snapshot is not None for r in results] == [True, False]
    assert ResultSnapshot.objects.count() == 1


def test_an_alias_names_a_candidate(runoff):
    ossoff = runoff.candidacies.get(person__name="Jon Ossoff").person
    ossoff.aliases.create(name="Thomas Jonathan Ossoff")

    problems = problems_of(csv_rows(("Thomas Jonathan Ossoff", "Cobb", 10)))

    assert problems == []


# --- Cache keys ---------------------------------------------------------------


class Purged:
    def __init__(self):
        self.keys = set()

    def __call__(self, keys, *, hard):
        assert not hard
        self.keys |= set(keys)


@pytest.fixture
def purged(monkeypatch):
    recorder = Purged()
    monkeypatch.setattr(cache_keys, "purge_backends", lambda: [recorder])
    return recorder


@pytest.fixture
def committed(purged, django_capture_on_commit_callbacks):
    """Run a change as its commit would: the set-up's keys, waiting for the test's
    own transaction (which never commits), are dropped first."""

    def block():
        transaction.get_connection().__dict__.pop("newsroom_cache_keys", None)
        purged.keys.clear()
        return django_capture_on_commit_callbacks(execute=True)

    return block


def test_an_import_purges_exactly_the_races_pages_listings_and_candidates(
    runoff, purged, committed
):
    other = CandidacyFactory(votes=5)  # another race's candidate
    people = runoff.candidacies.values_list("person_id", flat=True)

    with committed():
        imported(csv_rows(("Karen Handel", "Cobb", 10)))

    race = runoff.race_id
    assert purged.keys == {
        f"race-{race}",
        f"list-race-{race}",
        "list-races",
        *(f"person-{pk}" for pk in people),
    }
    assert f"person-{other.person_id}" not in purged.keys


def test_a_refused_import_purges_nothing(runoff, purged, committed):
    with committed():
        imported(csv_rows(("Nobody", "Cobb", 10)))

    assert purged.keys == set()


# --- The command ----------------------------------------------------------------


def test_the_command_imports_a_file(runoff, tmp_path):
    path = tmp_path / "results.csv"
    path.write_text(csv_rows(("Karen Handel", "Cobb", 10)))
    out = StringIO()

    call_command("import_results", str(path), stdout=out)

    assert "Imported Election night, AP" in out.getvalue()
    assert ResultSnapshot.objects.count() == 1


def test_the_command_reports_each_problem_and_fails(runoff, tmp_path):
    path = tmp_path / "results.csv"
    path.write_text(csv_rows(("Karen Handel", "Cobb", -1), ("Nobody", "Cobb", 1)))
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_results", str(path), stderr=err)

    assert "line 2: votes negative" in err.getvalue()
    assert "line 3: unknown candidate 'Nobody'" in err.getvalue()


def test_the_command_reports_an_unreadable_location(runoff, tmp_path):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_results", str(tmp_path / "missing.csv"), stderr=err)
    assert "cannot be read" in err.getvalue()


class Feed:
    """A local HTTP server answering each GET with the next of `bodies` (the last
    again once they run out)."""

    def __init__(self, bodies):
        self.bodies = list(bodies)
        self.gets = 0
        feed = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = feed.bodies[min(feed.gets, len(feed.bodies) - 1)].encode()
                feed.gets += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/feed.json"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_the_command_reads_a_url(runoff):
    body = ap_feed(("county", "Cobb", [("Karen", "Handel", 10)]))
    with Feed([body]) as feed:
        call_command(
            "import_results",
            feed.url,
            "--race",
            "ga-06",
            "--round",
            "runoff",
            stdout=StringIO(),
        )

    assert runoff.candidacies.get(person__name="Karen Handel").votes == 10


def test_watch_polls_the_url_and_imports_each_newer_snapshot(runoff, monkeypatch):
    from people.management.commands import import_results

    monkeypatch.setattr(import_results.time, "sleep", lambda seconds: None)
    first = ap_feed(("county", "Cobb", [("Karen", "Handel", 10)]))
    second = ap_feed(
        ("county", "Cobb", [("Karen", "Handel", 20)]),
        last_updated="2017-06-21T03:00:00Z",
    )
    out = StringIO()

    with Feed([first, second]) as feed:
        call_command(
            "import_results",
            feed.url,
            "--race",
            "ga-06",
            "--round",
            "runoff",
            "--watch",
            "5",
            "--max-polls",
            "3",
            stdout=out,
        )

    assert feed.gets == 3
    assert ResultSnapshot.objects.count() == 2
    assert "Skipped" in out.getvalue()  # the third read: nothing new
    assert runoff.candidacies.get(person__name="Karen Handel").votes == 20


def test_candidacy_and_election_are_untouched_by_a_refused_snapshot(runoff):
    before = list(Candidacy.objects.values_list("pk", "votes", "is_winner"))

    problems_of(csv_rows(("Jon Ossoff", "Cobb", "x")))

    assert list(Candidacy.objects.values_list("pk", "votes", "is_winner")) == before
    assert Election.objects.get(pk=runoff.pk).is_certified is False
