"""Results as they come in: reading a results file or feed into snapshots, and
the writes that go with them (importing a snapshot, calling a round).

Three layouts are read (`parse_results`):

* **Newsroom CSV**, one row per candidate and reporting unit, with a header:

  ``race``
      the race's slug (``2017-ga-06-special``)
  ``round``
      the round's date (``2017-06-20``) or its type (``runoff``)
  ``candidate``
      the candidate's name as the newsroom has it, or one of their aliases
  ``unit`` (or ``reporting_unit``)
      a county's name; ``Total`` (or empty) for the whole race; a precinct's
      name when the ``county`` column names its county
  ``votes``
      a whole number
  ``status``
      ``election-night``, ``unofficial`` or ``certified``
  ``as_of`` (or ``as_of_time``)
      ISO 8601 time (``2017-06-20T23:40:00-04:00``; without an offset, the
      newsroom's time zone)
  ``source``
      who gave the figures (``Georgia Secretary of State``)

  and optional ``unit_kind`` (``total``, ``county``, ``precinct``), ``county``,
  ``source_url``, ``precincts_reporting``, ``precincts_total`` and
  ``expected_vote_percent``. The race, round, status, as-of time and source may
  instead be given on the command line for the whole file. Rows with the same
  race, round and as-of time are one snapshot; a file may hold several.

* **OpenElections precinct CSV** (``county,precinct,office,district,party,
  candidate,votes`` and any vote-method columns, which are ignored): a row with
  an empty precinct or a precinct ``Total`` is the county's own row; rows whose
  candidate is a tally (``Registered Voters``, ``Ballots Cast``, ``Total``,
  over- and under-votes) are skipped. The race, round, status, as-of time and
  source come from the command line; ``office`` keeps only that office's rows.

* **AP Elections API JSON**, this subset of it::

    {"races": [{"raceID": "…",
                "reportingUnits": [{"level": "state" | "district" | "county",
                                    "reportingunitName": "Cobb",
                                    "precinctsReporting": 120, "precinctsTotal": 203,
                                    "eevp": 58.5,
                                    "lastUpdated": "2017-06-21T03:12:00Z",
                                    "candidates": [{"first": "Karen", "last": "Handel",
                                                    "voteCount": 134799}]}]}]}

  A ``state`` or ``district`` unit is the whole race; a ``county`` unit a county
  (other levels are refused as unknown units). The as-of time is the whole-race
  unit's ``lastUpdated`` (else the latest unit's); its precincts reporting and
  ``eevp`` are the snapshot's reporting figures. The race and round come from
  the command line (``--ap-race-id`` picks one race of a feed of several); the
  status from ``--status`` (default ``election-night``), the source ``AP``.

Every snapshot keeps one whole-race ("total") row per candidacy: the source's
own where it gives one, else the sum of the candidacy's county rows (else of its
precinct rows). A source's total that differs from the sum of its county rows is
refused. Pages read only the total rows for a round's figures and the county
rows for its map of leaders.

Each snapshot is checked whole, and written whole in one transaction or not at
all (`snapshot_import`). Refused, each with its line or record: an unknown race,
round, candidate or unit; missing, negative or non-numeric votes; the same
candidate and unit twice; a candidate's total below the round's certified one;
a snapshot older than the round's latest stored one. A snapshot at the time of
one already stored is skipped (a feed polled again unchanged). An import sets
`Candidacy.votes` of the round from its totals, so every page that reads them
shows the latest snapshot, and purges the race's pages and listings and its
candidates' pages (`snapshot_import_keys`).
"""

import csv
import datetime
import io
import json
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import cache_keys as keys
from core.cache_keys import invalidate
from people.models import (
    Alias,
    Candidacy,
    Election,
    Race,
    RaceCall,
    ReportingUnit,
    ResultRow,
    ResultSnapshot,
)

TOTAL = ReportingUnit.Kind.TOTAL
COUNTY = ReportingUnit.Kind.COUNTY
PRECINCT = ReportingUnit.Kind.PRECINCT
# The name of a race's whole-race unit.
TOTAL_UNIT_NAME = "Total"
TOTAL_WORDS = {"", "total", "all", "whole race"}
# OpenElections rows that are tallies, not candidates.
TALLY_CANDIDATES = {
    "registered voters",
    "ballots cast",
    "total",
    "total votes",
    "over votes",
    "overvotes",
    "under votes",
    "undervotes",
    "times cast",
}
AP_TOTAL_LEVELS = {"state", "district", "national"}
FETCH_TIMEOUT_SECONDS = 30


class ResultsSourceError(Exception):
    """A file or feed that cannot be read at all (not a problem of one row)."""


@dataclass
class RowIn:
    where: str  # "line 12", "races[0].reportingUnits[1].candidates[0]"
    candidate: str
    unit_kind: str
    unit: str
    votes: object  # as read: str from CSV, anything from JSON
    county: str = ""


@dataclass
class SnapshotIn:
    where: str
    race: str
    round: str
    status: str
    as_of: str
    source: str
    source_url: str = ""
    precincts_reporting: object = None
    precincts_total: object = None
    expected_vote_percent: object = None
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # found while reading


@dataclass
class SnapshotResult:
    where: str
    snapshot: ResultSnapshot | None = None
    skipped: str = ""
    problems: list = field(default_factory=list)


# --- Reading -----------------------------------------------------------------


def read_location(location: str) -> str:
    """The text of a file path or an http(s) URL."""
    scheme = urllib.parse.urlsplit(location).scheme
    try:
        if scheme in ("http", "https"):
            with urllib.request.urlopen(  # noqa: S310 (http(s) only)
                location, timeout=FETCH_TIMEOUT_SECONDS
            ) as response:
                return response.read().decode("utf-8-sig")
        with open(location, encoding="utf-8-sig") as source:
            return source.read()
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ResultsSourceError(f"{location}: cannot be read ({error})") from error


def parse_results(text: str, **given) -> list[SnapshotIn]:
    """The snapshots of `text` in any of the three layouts; `given`: race, round,
    status, as_of, source, source_url, office, ap_race_id from the command line."""
    if text.lstrip().startswith(("{", "[")):
        return parse_ap_json(text, **given)
    reader = csv.reader(io.StringIO(text))
    try:
        header = [_column(name) for name in next(reader)]
    except StopIteration:
        raise ResultsSourceError("The file is empty.") from None
    if {"precinct", "office"} <= set(header):
        return parse_openelections_csv(header, reader, **given)
    return parse_newsroom_csv(header, reader, **given)


def _column(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _given(given, name):
    return (given.get(name) or "").strip() if isinstance(given.get(name), str) else ""


def parse_newsroom_csv(header, reader, **given) -> list[SnapshotIn]:
    aliases = {"reporting_unit": "unit", "as_of_time": "as_of"}
    header = [aliases.get(name, name) for name in header]
    required = ["candidate", "unit", "votes"]
    for name in ("race", "round", "status", "as_of", "source"):
        if not _given(given, name):
            required.append(name)
    missing = [name for name in required if name not in header]
    if missing:
        raise ResultsSourceError(f"line 1: missing columns: {', '.join(missing)}")
    snapshots: dict[tuple, SnapshotIn] = {}
    for number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        row = dict(zip(header, (value.strip() for value in values), strict=False))

        def value(name, row=row):
            return row.get(name) or _given(given, name)

        key = (value("race"), value("round"), value("as_of"))
        snapshot = snapshots.get(key)
        if snapshot is None:
            snapshot = snapshots[key] = SnapshotIn(
                where=f"line {number}",
                race=key[0],
                round=key[1],
                as_of=key[2],
                status=value("status"),
                source=value("source"),
                source_url=value("source_url"),
                precincts_reporting=row.get("precincts_reporting") or None,
                precincts_total=row.get("precincts_total") or None,
                expected_vote_percent=row.get("expected_vote_percent") or None,
            )
        elif (value("status"), value("source")) != (snapshot.status, snapshot.source):
            snapshot.problems.append(
                f"line {number}: status or source differs from {snapshot.where}'s "
                "for the same race, round and time"
            )
        unit, county = row.get("unit", ""), row.get("county", "")
        kind = _column(row.get("unit_kind", ""))
        if not kind:
            if unit.lower() in TOTAL_WORDS:
                kind = TOTAL
            elif county:
                kind = PRECINCT
            else:
                kind = COUNTY
        snapshot.rows.append(
            RowIn(
                where=f"line {number}",
                candidate=row.get("candidate", ""),
                unit_kind=kind,
                unit=unit,
                county=county,
                votes=row.get("votes", ""),
            )
        )
    return list(snapshots.values())


def parse_openelections_csv(header, reader, **given) -> list[SnapshotIn]:
    snapshot = _snapshot_from_options("line 1", given)
    office = _given(given, "office").lower()
    for number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        row = dict(zip(header, (value.strip() for value in values), strict=False))
        if office and row.get("office", "").lower() != office:
            continue
        if row.get("candidate", "").lower() in TALLY_CANDIDATES:
            continue
        precinct = row.get("precinct", "")
        county = row.get("county", "")
        is_county = precinct.lower() in TOTAL_WORDS
        snapshot.rows.append(
            RowIn(
                where=f"line {number}",
                candidate=row.get("candidate", ""),
                unit_kind=COUNTY if is_county else PRECINCT,
                unit=county if is_county else precinct,
                county="" if is_county else county,
                votes=row.get("votes", ""),
            )
        )
    return [snapshot]


def _snapshot_from_options(where, given) -> SnapshotIn:
    snapshot = SnapshotIn(
        where=where,
        race=_given(given, "race"),
        round=_given(given, "round"),
        status=_given(given, "status"),
        as_of=_given(given, "as_of"),
        source=_given(given, "source"),
        source_url=_given(given, "source_url"),
    )
    for name in ("race", "round", "status", "as_of", "source"):
        if not getattr(snapshot, name):
            snapshot.problems.append(f"{where}: give --{name.replace('_', '-')}")
    return snapshot


def parse_ap_json(text: str, **given) -> list[SnapshotIn]:
    try:
        feed = json.loads(text)
    except ValueError as error:
        raise ResultsSourceError(f"Not JSON: {error}") from error
    races = feed.get("races") if isinstance(feed, dict) else None
    if not isinstance(races, list) or not races:
        raise ResultsSourceError("The feed has no races[].")
    wanted = _given(given, "ap_race_id")
    if wanted:
        picked = [
            (i, race)
            for i, race in enumerate(races)
            if isinstance(race, dict) and str(race.get("raceID", "")) == wanted
        ]
        if not picked:
            raise ResultsSourceError(f"The feed has no race with raceID {wanted}.")
    elif len(races) > 1:
        raise ResultsSourceError(
            "The feed holds several races: pick one with --ap-race-id."
        )
    else:
        picked = [(0, races[0])]
    index, race = picked[0]
    given = {"status": ResultSnapshot.Status.ELECTION_NIGHT, "source": "AP", **given}
    given = {k: v for k, v in given.items() if v}
    snapshot = _snapshot_from_options(f"races[{index}]", {**given, "as_of": "-"})
    snapshot.as_of = ""
    units = race.get("reportingUnits") if isinstance(race, dict) else None
    if not isinstance(units, list):
        snapshot.problems.append(f"races[{index}]: no reportingUnits[]")
        return [snapshot]
    whole, times = None, []
    for u, unit in enumerate(units):
        where = f"races[{index}].reportingUnits[{u}]"
        if not isinstance(unit, dict):
            snapshot.problems.append(f"{where}: not an object")
            continue
        level = str(unit.get("level", "")).lower()
        name = str(unit.get("reportingunitName", "") or "")
        if level in AP_TOTAL_LEVELS:
            kind, name, whole = TOTAL, TOTAL_UNIT_NAME, unit
        elif level == "county":
            kind = COUNTY
        else:
            kind = f"level {level or 'missing'}"
        if unit.get("lastUpdated"):
            times.append(str(unit["lastUpdated"]))
        candidates = unit.get("candidates")
        if not isinstance(candidates, list):
            snapshot.problems.append(f"{where}: no candidates[]")
            continue
        for c, candidate in enumerate(candidates):
            if not isinstance(candidate, dict):
                snapshot.problems.append(f"{where}.candidates[{c}]: not an object")
                continue
            full_name = " ".join(
                str(candidate.get(part) or "").strip() for part in ("first", "last")
            ).strip()
            snapshot.rows.append(
                RowIn(
                    where=f"{where}.candidates[{c}]",
                    candidate=full_name,
                    unit_kind=kind,
                    unit=name,
                    votes=candidate.get("voteCount"),
                )
            )
    if whole is not None:
        snapshot.precincts_reporting = whole.get("precinctsReporting")
        snapshot.precincts_total = whole.get("precinctsTotal")
        snapshot.expected_vote_percent = whole.get("eevp")
    if whole is not None and whole.get("lastUpdated"):
        snapshot.as_of = str(whole["lastUpdated"])
    elif times:
        snapshot.as_of = max(times, key=lambda t: _parse_time(t) or _EPOCH)
    elif _given(given, "as_of"):
        snapshot.as_of = _given(given, "as_of")
    return [snapshot]


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _parse_time(value) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        parsed = value
    else:
        try:
            parsed = datetime.datetime.fromisoformat(str(value).strip())
        except ValueError:
            return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


# --- Checking and writing ------------------------------------------------------


def _count(value, where, what) -> tuple[int | None, str | None]:
    """A vote count or other whole number ≥ 0 as read, or a problem."""
    if isinstance(value, bool) or value is None or value == "":
        return None, f"{where}: {what} missing"
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        number = int(value.strip())
    else:
        return None, f"{where}: {what} not a whole number: {value!r}"
    if number < 0:
        return None, f"{where}: {what} negative: {number}"
    return number, None


def _normal(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _status(value: str) -> str | None:
    normal = "-".join(str(value).strip().lower().replace("_", " ").split())
    return normal if normal in ResultSnapshot.Status.values else None


def _round(race: Race, value: str) -> Election | None:
    rounds = race.elections.all()
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        matching = [e for e in rounds if e.kind == value.strip().lower()]
    else:
        matching = [e for e in rounds if e.date == day]
    return matching[0] if len(matching) == 1 else None


def snapshot_import(*, snapshot_in: SnapshotIn) -> SnapshotResult:
    """Check `snapshot_in` whole and, if nothing is wrong, store it with its rows,
    set the round's `Candidacy.votes` from its totals and purge the race's keys,
    in one transaction. Problems come back, each with its line or record; then
    nothing is written."""
    result = SnapshotResult(where=snapshot_in.where)
    try:
        with transaction.atomic():
            plan = _checked(snapshot_in, result)
            if plan is None or result.problems or result.skipped:
                return result
            result.snapshot = _write(plan)
    except ValidationError as error:  # a field too long, say: nothing is kept
        result.snapshot = None
        result.problems.extend(
            f"{snapshot_in.where}: {message}" for message in error.messages
        )
    return result


def _checked(snapshot_in: SnapshotIn, result: SnapshotResult):
    problems = result.problems
    problems.extend(snapshot_in.problems)
    where = snapshot_in.where
    race = Race.objects.filter(slug=snapshot_in.race).first()
    if race is None:
        problems.append(f"{where}: unknown race {snapshot_in.race!r}")
        return None
    election = _round(race, snapshot_in.round)
    if election is None:
        problems.append(f"{where}: unknown round {snapshot_in.round!r} of {race.slug}")
        return None
    # One import of a round at a time: the checks against the stored snapshots
    # hold until this one is written.
    election = Election.objects.select_for_update().get(pk=election.pk)
    if not snapshot_in.source.strip():
        problems.append(f"{where}: source missing")
    status = _status(snapshot_in.status)
    if status is None:
        problems.append(f"{where}: unknown status {snapshot_in.status!r}")
    as_of = _parse_time(snapshot_in.as_of)
    if as_of is None:
        problems.append(f"{where}: as-of time not ISO 8601: {snapshot_in.as_of!r}")
    reporting = {}
    for name in ("precincts_reporting", "precincts_total"):
        raw = getattr(snapshot_in, name)
        if raw is not None and raw != "":
            reporting[name], problem = _count(raw, where, name.replace("_", " "))
            if problem:
                problems.append(problem)
    if snapshot_in.expected_vote_percent not in (None, ""):
        try:
            percent = Decimal(str(snapshot_in.expected_vote_percent)).quantize(
                Decimal("0.01")
            )
        except InvalidOperation:
            percent = None
        if percent is None or not 0 <= percent <= 100:
            problems.append(
                f"{where}: expected vote percent not between 0 and 100: "
                f"{snapshot_in.expected_vote_percent!r}"
            )
        else:
            reporting["expected_vote_percent"] = percent

    candidacies = {}
    for candidacy in election.candidacies.select_related("person"):
        candidacies[_normal(candidacy.person.name)] = candidacy
    for person_id, name in Alias.objects.filter(
        person__candidacies__election=election
    ).values_list("person_id", "name"):
        for candidacy in list(candidacies.values()):
            if candidacy.person_id == person_id:
                candidacies.setdefault(_normal(name), candidacy)
    units = {
        (unit.kind, _normal(unit.county), _normal(unit.name)): unit
        for unit in race.reporting_units.all()
    }
    counties = {county for kind, _, county in units if kind == COUNTY}

    seen = {}
    rows = []  # (candidacy, kind, county, name, votes)
    for row in snapshot_in.rows:
        candidacy = candidacies.get(_normal(row.candidate))
        if candidacy is None:
            problems.append(
                f"{row.where}: unknown candidate {row.candidate!r} in this round"
            )
        kind = row.unit_kind
        county, name = _normal(row.county), _normal(row.unit)
        if kind == TOTAL:
            county, name = "", _normal(TOTAL_UNIT_NAME)
        elif kind == COUNTY:
            county = ""
            if name not in counties:
                problems.append(f"{row.where}: unknown unit {row.unit!r} (county)")
        elif kind == PRECINCT:
            if county not in counties:
                problems.append(
                    f"{row.where}: unknown unit {row.unit!r} (precinct of county "
                    f"{row.county!r})"
                )
        else:
            problems.append(f"{row.where}: unknown unit {row.unit!r} ({kind})")
        votes, problem = _count(row.votes, row.where, "votes")
        if problem:
            problems.append(problem)
        if candidacy is None:
            continue
        key = (candidacy.pk, kind, county, name)
        if key in seen:
            problems.append(
                f"{row.where}: duplicate row: {row.candidate} in {row.unit or 'Total'} "
                f"already on {seen[key]}"
            )
            continue
        seen[key] = row.where
        if votes is not None:
            rows.append((candidacy, kind, row.county, row.unit, votes))
    if not snapshot_in.rows:
        problems.append(f"{where}: no result rows")
    if problems:
        return None

    totals = _totals(rows, where, problems)
    if election.snapshots.filter(as_of=as_of).exists():
        result.skipped = f"{where}: a snapshot as of {as_of.isoformat()} is stored"
        return None
    latest = election.snapshots.order_by("-as_of").first()
    if latest is not None and as_of < latest.as_of:
        problems.append(
            f"{where}: snapshot as of {as_of.isoformat()} is older than the stored "
            f"one ({latest})"
        )
    certified = (
        election.snapshots.filter(status=ResultSnapshot.Status.CERTIFIED)
        .order_by("-as_of")
        .first()
    )
    if certified is not None:
        before = dict(
            certified.rows.filter(unit__kind=TOTAL).values_list("candidacy_id", "votes")
        )
        by_pk = {c.pk: c for c in candidacies.values()}
        for pk, votes in sorted(before.items()):
            if totals.get(pk, 0) < votes:
                problems.append(
                    f"{where}: {by_pk[pk].person.name}'s total goes down from the "
                    f"certified {votes} ({certified}) to {totals.get(pk, 0)}"
                )
    if problems:
        return None
    return {
        "race": race,
        "election": election,
        "status": status,
        "as_of": as_of,
        "source": snapshot_in.source,
        "source_url": snapshot_in.source_url,
        "reporting": reporting,
        "rows": rows,
        "totals": totals,
        "units": units,
        "candidacies": list({c.pk: c for c in candidacies.values()}.values()),
    }


def _totals(rows, where, problems) -> dict[int, int]:
    """Each candidacy's whole-race votes: its total row, else the sum of its
    county rows, else of its precinct rows; a total row must match its counties."""
    by_kind: dict[int, dict[str, int]] = {}
    for candidacy, kind, _county, _name, votes in rows:
        sums = by_kind.setdefault(candidacy.pk, {})
        sums[kind] = sums.get(kind, 0) + votes
    names = {candidacy.pk: candidacy.person.name for candidacy, *_ in rows}
    totals = {}
    for pk, sums in by_kind.items():
        if TOTAL in sums and COUNTY in sums and sums[TOTAL] != sums[COUNTY]:
            problems.append(
                f"{where}: {names[pk]}'s total row says {sums[TOTAL]}, the county "
                f"rows add up to {sums[COUNTY]}"
            )
        totals[pk] = sums.get(TOTAL, sums.get(COUNTY, sums.get(PRECINCT, 0)))
    return totals


def _write(plan) -> ResultSnapshot:
    race, election = plan["race"], plan["election"]
    snapshot = ResultSnapshot(
        election=election,
        status=plan["status"],
        as_of=plan["as_of"],
        source=plan["source"],
        source_url=plan["source_url"],
        **plan["reporting"],
    )
    snapshot.full_clean()
    snapshot.save()
    units = plan["units"]

    def unit_for(kind, county, name):
        key = (kind, _normal(county), _normal(name))
        if kind == TOTAL:
            key = (TOTAL, "", _normal(TOTAL_UNIT_NAME))
            county, name = "", TOTAL_UNIT_NAME
        if kind == COUNTY:
            key = (COUNTY, "", _normal(name))
            county = ""
        if key not in units:
            if kind == PRECINCT:
                # The county's own spelling, as the desk entered it.
                county = next(
                    unit.name
                    for (k, _, n), unit in units.items()
                    if k == COUNTY and n == key[1]
                )
            units[key] = ReportingUnit.objects.create(
                race=race, kind=kind, county=county, name=name
            )
        return units[key]

    stored = []
    for candidacy, kind, county, name, votes in plan["rows"]:
        if kind == TOTAL:
            continue
        stored.append(
            ResultRow(
                snapshot=snapshot,
                candidacy=candidacy,
                unit=unit_for(kind, county, name),
                votes=votes,
            )
        )
    total_unit = unit_for(TOTAL, "", TOTAL_UNIT_NAME)
    for pk, votes in plan["totals"].items():
        stored.append(
            ResultRow(snapshot=snapshot, candidacy_id=pk, unit=total_unit, votes=votes)
        )
    ResultRow.objects.bulk_create(stored)
    # The round's figures everywhere else are the latest snapshot's.
    candidacies = plan["candidacies"]
    for candidacy in candidacies:
        candidacy.votes = plan["totals"].get(candidacy.pk)
    Candidacy.objects.bulk_update(candidacies, ["votes"])
    invalidate(
        snapshot_import_keys(race.pk, [c.person_id for c in candidacies]), hard=False
    )
    return snapshot


def snapshot_import_keys(race_pk, people) -> set[str]:
    """What an import changes: the race's page (and its JSON) and listings, and
    the pages of the round's candidates, which show their votes. Rows are
    written in bulk, past their signals: this is the whole purge."""
    return {
        keys.race(race_pk),
        keys.list_race(race_pk),
        keys.LIST_RACES,
        *(keys.person(pk) for pk in people),
    }


def results_import(*, text: str, **given) -> list[SnapshotResult]:
    """Every snapshot of `text` (`parse_results`), each imported on its own, oldest
    first."""
    snapshots = parse_results(text, **given)
    snapshots.sort(key=lambda s: _parse_time(s.as_of) or _EPOCH)
    return [snapshot_import(snapshot_in=snapshot) for snapshot in snapshots]


# --- Calling a round -----------------------------------------------------------


@transaction.atomic
def round_call(
    *,
    election: Election,
    winner: Candidacy,
    basis: str,
    called_by: str = "the Newsroom desk",
    called_at: datetime.datetime | None = None,
    user=None,
) -> RaceCall:
    """Record the desk's call of `election` for `winner`, who becomes the round's
    only winner (and no longer "advanced"): until a call, no winner is shown."""
    call = RaceCall.objects.filter(election=election).first() or RaceCall(
        election=election
    )
    call.winner = winner
    call.basis = basis
    call.called_by = called_by
    call.called_at = called_at or timezone.now()
    if user is not None:
        call.recorded_by = user
    call.full_clean()
    call.save()
    round_winner_set(call)
    return call


def round_winner_set(call: RaceCall) -> None:
    """Make the call's winner the round's only winner, and purge what shows it."""
    election = call.election
    others = election.candidacies.filter(is_winner=True).exclude(pk=call.winner_id)
    people = set(others.values_list("person_id", flat=True)) | {call.winner.person_id}
    others.update(is_winner=False)
    election.candidacies.filter(pk=call.winner_id).update(
        is_winner=True, advanced=False
    )
    invalidate(snapshot_import_keys(election.race_id, people), hard=False)


def round_call_withdrawn(call: RaceCall) -> None:
    """A call deleted: an uncertified round shows no winner again."""
    election = call.election
    if not election.is_certified:
        people = set(
            election.candidacies.filter(is_winner=True).values_list(
                "person_id", flat=True
            )
        )
        election.candidacies.filter(is_winner=True).update(is_winner=False)
        invalidate(snapshot_import_keys(election.race_id, people), hard=False)
