"""A race's count as it came in, for its page and its JSON (`race_results`).

Every figure comes from one named snapshot (`people.models.ResultSnapshot`): a
round's latest figures and its county leaders from its latest snapshot, its
history from each snapshot's whole-race rows. Two queries whatever the number
of rounds, candidates, units and snapshots.
"""

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from people.models import Election, ReportingUnit, ResultRow, ResultSnapshot

TOTAL = ReportingUnit.Kind.TOTAL
COUNTY = ReportingUnit.Kind.COUNTY
STATUS_LABELS = dict(ResultSnapshot.Status.choices)
ROUND_LABELS = dict(Election.Kind.choices)


def round_values(election) -> dict:
    """The values `race_results()` reads of a round, from an `Election` loaded
    with its call (`select_related("call")`): no query."""
    call = getattr(election, "call", None)
    return {
        "id": election.pk,
        "kind": election.kind,
        "date": election.date,
        "is_certified": election.is_certified,
        "call__called_by": call.called_by if call else None,
        "call__called_at": call.called_at if call else None,
        "call__basis": call.basis if call else None,
        "call__winner_id": call.winner_id if call else None,
    }


def race_results(race_pk: int, *, rounds=None) -> dict:
    """The count of each round of the race `race_pk`, oldest round first:

    ``{"rounds": [{"id", "kind", "kind_label", "date", "is_certified", "live",
    "call": {"called_by", "called_at", "basis", "winner_id"} or None,
    "winner_id", "latest": snapshot or None, "history": [snapshot, …]}]}``

    where a snapshot is ``{"id", "name", "status", "status_label", "as_of",
    "source", "source_url", "precincts_reporting", "precincts_total",
    "expected_vote_percent", "total_votes", "candidates": [{"candidacy_id",
    "person_id", "name", "party", "votes", "share"}]}`` (most votes first); the
    latest adds ``"counties": [{"name", "total_votes", "leader": candidate or
    None}]``. `winner_id` is a candidacy's, set only once the round is called
    (or certified with a winner): before that no winner is shown, whoever
    leads. `live`: the round is not certified, so its page polls."""
    # The race page has its rounds already (`round_values()`); the JSON asks.
    rounds = (
        [round_values(election) for election in rounds]
        if rounds
        else list(
            Election.objects.filter(race_id=race_pk)
            .order_by("date", "id")
            .values(
                "id",
                "kind",
                "date",
                "is_certified",
                "call__called_by",
                "call__called_at",
                "call__basis",
                "call__winner_id",
            )
        )
    )
    latest = (
        ResultSnapshot.objects.filter(election=OuterRef("snapshot__election"))
        .order_by("-as_of", "-id")
        .values("pk")[:1]
    )
    rows = (
        ResultRow.objects.filter(snapshot__election__race_id=race_pk)
        .filter(
            Q(unit__kind=TOTAL) | Q(unit__kind=COUNTY, snapshot_id=Subquery(latest))
        )
        .order_by("snapshot__as_of", "snapshot_id", "-votes", "candidacy_id")
        .values_list(
            "snapshot_id",
            "snapshot__election_id",
            "snapshot__status",
            "snapshot__as_of",
            "snapshot__source",
            "snapshot__source_url",
            "snapshot__precincts_reporting",
            "snapshot__precincts_total",
            "snapshot__expected_vote_percent",
            "unit__kind",
            "unit__name",
            "candidacy_id",
            "candidacy__person_id",
            "candidacy__person__name",
            "candidacy__party",
            "candidacy__is_winner",
            "votes",
        )
    )
    snapshots: dict[int, dict] = {}
    counties: dict[int, dict[str, list]] = {}
    winners: dict[int, int] = {}
    for (
        snapshot_id,
        election_id,
        status,
        as_of,
        source,
        source_url,
        reporting,
        precincts,
        expected,
        unit_kind,
        unit_name,
        candidacy_id,
        person_id,
        name,
        party,
        is_winner,
        votes,
    ) in rows:
        snapshot = snapshots.get(snapshot_id)
        if snapshot is None:
            snapshot = snapshots[snapshot_id] = {
                "id": snapshot_id,
                "election_id": election_id,
                "status": status,
                "status_label": STATUS_LABELS.get(status, status),
                "as_of": as_of,
                "source": source,
                "source_url": source_url,
                "precincts_reporting": reporting,
                "precincts_total": precincts,
                "expected_vote_percent": expected,
                "candidates": [],
            }
        candidate = {
            "candidacy_id": candidacy_id,
            "person_id": person_id,
            "name": name,
            "party": party,
            "votes": votes,
        }
        if is_winner:
            winners[election_id] = candidacy_id
        if unit_kind == TOTAL:
            snapshot["candidates"].append(candidate)
        else:
            counties.setdefault(snapshot_id, {}).setdefault(unit_name, []).append(
                candidate
            )
    for snapshot in snapshots.values():
        snapshot["name"] = snapshot_name(snapshot)
        snapshot["total_votes"] = _with_shares(snapshot["candidates"])
    by_round: dict[int, list] = {}
    for snapshot in snapshots.values():
        by_round.setdefault(snapshot.pop("election_id"), []).append(snapshot)
    for election in rounds:
        history = by_round.get(election["id"], [])
        latest_snapshot = history[-1] if history else None
        if latest_snapshot is not None:
            # The history's columns: the latest count's three leading candidates.
            election["history_columns"] = [
                {"candidacy_id": c["candidacy_id"], "name": c["name"]}
                for c in latest_snapshot["candidates"][:3]
            ]
            for snapshot in history:
                snapshot["votes_by_candidacy"] = {
                    str(c["candidacy_id"]): c["votes"] for c in snapshot["candidates"]
                }
            latest_snapshot["counties"] = [
                _county(name, candidates)
                for name, candidates in sorted(
                    counties.get(latest_snapshot["id"], {}).items()
                )
            ]
        call = None
        if election["call__called_at"] is not None:
            call = {
                "called_by": election["call__called_by"],
                "called_at": election["call__called_at"],
                "basis": election["call__basis"],
                "winner_id": election["call__winner_id"],
            }
        # The call's winner; else the candidacy marked as winner, as the
        # results table and the race lists show it (only a call or a certified
        # count sets one: the importer never does).
        winner_id = call["winner_id"] if call else winners.get(election["id"])
        election.setdefault("history_columns", [])
        election.update(
            kind_label=ROUND_LABELS.get(election["kind"], election["kind"]),
            live=not election["is_certified"],
            call=call,
            winner_id=winner_id,
            latest=latest_snapshot,
            history=history,
        )
        for name in ("call__called_by", "call__called_at", "call__basis"):
            del election[name]
        del election["call__winner_id"]
    return {
        "rounds": rounds,
        "by_round": {election["id"]: election for election in rounds},
        "poll_seconds": getattr(settings, "NEWSROOM_RESULTS_POLL_SECONDS", 30),
    }


def _with_shares(candidates) -> int:
    total = sum(candidate["votes"] for candidate in candidates)
    for candidate in candidates:
        # Unrounded: rounded once where shown, as the results table rounds it.
        candidate["share"] = candidate["votes"] * 100.0 / total if total else None
    return total


def _county(name, candidates) -> dict:
    total = _with_shares(candidates)
    top = max((c["votes"] for c in candidates), default=0)
    leaders = [c for c in candidates if c["votes"] == top]
    # A tie, or a county with no votes yet, has no leader.
    leader = leaders[0] if len(leaders) == 1 and top > 0 else None
    return {"name": name, "total_votes": total, "leader": leader}


def snapshot_name(snapshot) -> str:
    """How a page names the snapshot its figures come from: "Certified, Georgia
    Secretary of State, as of Jun 30, 2017 17:00"."""
    as_of = timezone.localtime(snapshot["as_of"])
    return (
        f"{snapshot['status_label']}, {snapshot['source']}, "
        f"as of {as_of:%b %-d, %Y %H:%M}"
    )


def race_results_json(race_pk: int) -> dict:
    """`race_results` as JSON-ready values (times and decimals as strings)."""
    data = race_results(race_pk)
    del data["by_round"]
    data["time_zone"] = settings.TIME_ZONE
    for election in data["rounds"]:
        election["date"] = election["date"].isoformat()
        if election["call"]:
            election["call"]["called_at"] = _time(election["call"]["called_at"])
        for snapshot in election["history"]:
            snapshot["as_of"] = _time(snapshot["as_of"])
            if snapshot["expected_vote_percent"] is not None:
                snapshot["expected_vote_percent"] = str(
                    snapshot["expected_vote_percent"]
                )
    return data


def _time(value) -> str:
    return timezone.localtime(value).isoformat()
