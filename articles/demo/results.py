"""The demo race's count as it came in: GA-06 2017, both rounds, from
`shared/facts/ga06-2017-special-election.md` only.

Each round has the election-night figures that were later superseded and the
certified count (Georgia Secretary of State, via OpenElections), by county
(Cobb, DeKalb, Fulton) where the facts give counties: every candidate of the
runoff, the top five of the April ballot (the other thirteen have whole-race
totals only). The facts give no times of day and no certification dates: the
as-of times below are placeholders (the night of each vote for election-night
figures, a later day for the certified count), kept only to order the history.

Imported through the importer's own service (`people.results_import`), so the
demo is checked as any feed is.
"""

from datetime import datetime

from articles.demo import data
from people.models import Race, ReportingUnit, ResultSnapshot
from people.results_import import RowIn, SnapshotIn, snapshot_import

COUNTIES = ["Cobb", "DeKalb", "Fulton"]
APRIL, RUNOFF = "2017-04-18", "2017-06-20"

# April 18: county breakdown of the top five (SOS export).
APRIL_COUNTIES = {
    "Jon Ossoff": (25_288, 25_952, 41_433),
    "Karen Handel": (11_306, 7_359, 19_406),
    "Bob Gray": (7_286, 3_003, 10_513),
    "Dan Moody": (4_410, 4_153, 8_465),
    "Judson Hill": (10_979, 2_316, 3_575),
}
# June 20: both candidates by county (SOS export; matches the precinct files).
RUNOFF_COUNTIES = {
    "Karen Handel": (45_688, 24_117, 64_994),
    "Jon Ossoff": (33_114, 33_928, 58_475),
}


def _at(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=data.EASTERN)


def _totals(figures: dict) -> list[RowIn]:
    return [
        RowIn(f"total {name}", name, ReportingUnit.Kind.TOTAL, "Total", votes)
        for name, votes in figures.items()
    ]


def _counties(figures: dict) -> list[RowIn]:
    return [
        RowIn(f"{county} {name}", name, ReportingUnit.Kind.COUNTY, county, votes)
        for name, by_county in figures.items()
        for county, votes in zip(COUNTIES, by_county, strict=True)
    ]


def demo_snapshots(race: Race) -> list[SnapshotIn]:
    """The four snapshots, oldest first."""
    certified_april_rest = {
        name: votes
        for name, _party, votes in data.APRIL_CANDIDATES
        if name not in APRIL_COUNTIES
    }

    def snapshot(round_, status, as_of, source, rows, source_url=""):
        return SnapshotIn(
            where=f"demo {round_} {status}",
            race=race.slug,
            round=round_,
            status=status,
            as_of=as_of.isoformat(),
            source=source,
            source_url=source_url,
            rows=rows,
        )

    night = ResultSnapshot.Status.ELECTION_NIGHT
    certified = ResultSnapshot.Status.CERTIFIED
    return [
        snapshot(
            APRIL,
            night,
            _at(APRIL, "23:30"),
            "AP election-night figures (as cited by celebrityinsider.org)",
            _totals({"Jon Ossoff": 92_390, "Karen Handel": 37_993}),
        ),
        snapshot(
            APRIL,
            certified,
            _at("2017-04-28", "12:00"),
            "Georgia Secretary of State, certified export",
            _counties(APRIL_COUNTIES) + _totals(certified_april_rest),
            data.SOURCE_URL,
        ),
        snapshot(
            RUNOFF,
            night,
            _at(RUNOFF, "22:30"),
            "Marietta Daily Journal, partial unofficial count",
            _totals({"Karen Handel": 128_093, "Jon Ossoff": 115_014}),
        ),
        snapshot(
            RUNOFF,
            night,
            _at(RUNOFF, "23:45"),
            "Decision Desk HQ, election night",
            _totals({"Karen Handel": 134_595, "Jon Ossoff": 124_893}),
        ),
        snapshot(
            RUNOFF,
            certified,
            _at("2017-06-30", "12:00"),
            "Georgia Secretary of State, certified export",
            _counties(RUNOFF_COUNTIES),
            data.SOURCE_URL,
        ),
    ]


def demo_results_load(race: Race) -> int:
    """The race's counties and snapshots, where missing; the number of snapshots
    made. A snapshot the importer refuses is a bug in this data: it raises."""
    for county in COUNTIES:
        ReportingUnit.objects.get_or_create(
            race=race, kind=ReportingUnit.Kind.COUNTY, county="", name=county
        )
    made = 0
    for snapshot_in in demo_snapshots(race):
        result = snapshot_import(snapshot_in=snapshot_in)
        if result.problems:
            raise ValueError("; ".join(result.problems))
        made += result.snapshot is not None
    return made
