"""Election night: the race page refreshes its count from the race's JSON, in
place, when a newer snapshot is imported."""

from datetime import date

import pytest

from people.models import ReportingUnit
from people.results_import import RowIn, SnapshotIn, snapshot_import
from tests.factories import CandidacyFactory, ElectionFactory, RaceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot(election, as_of, handel, ossoff):
    result = snapshot_import(
        snapshot_in=SnapshotIn(
            where="test",
            race=election.race.slug,
            round="runoff",
            status="election-night",
            as_of=as_of,
            source="AP",
            rows=[
                RowIn("1", "Karen Handel", "county", "Cobb", handel),
                RowIn("2", "Jon Ossoff", "county", "Cobb", ossoff),
            ],
        )
    )
    assert result.problems == []


def test_a_newer_snapshot_updates_the_open_race_page_without_a_reload(
    page, live_server, settings
):
    settings.NEWSROOM_RESULTS_POLL_SECONDS = 1
    race = RaceFactory(slug="ga-06")
    election = ElectionFactory(race=race, date=date(2017, 6, 20), kind="runoff")
    for name in ("Karen Handel", "Jon Ossoff"):
        CandidacyFactory(election=election, person__name=name, votes=None)
    ReportingUnit.objects.create(race=race, kind="county", name="Cobb")
    snapshot(election, "2017-06-20T22:30-04:00", 1_000, 900)
    page.goto(live_server.url + race.get_absolute_url())
    page.evaluate("window.loadedOnce = true")  # gone if the page reloads
    updated = page.locator("[data-part=updated]")
    updated.wait_for(state="attached")
    page.wait_for_function(
        "!document.querySelector('[data-part=updated]').classList.contains('pending')"
    )
    counties = page.locator(".count-counties").bounding_box()

    snapshot(election, "2017-06-20T23:10-04:00", 2_500, 2_100)

    latest = page.locator("[data-part=latest]")
    latest.get_by_text("2,500").wait_for()
    assert page.evaluate("window.loadedOnce") is True
    assert "2,100" in latest.inner_text()
    assert "1,000" in page.locator("[data-part=history]").inner_text()
    assert "Updated" in updated.inner_text()
    # No layout shift: the tables below the refreshed figures keep their place.
    assert page.locator(".count-counties").bounding_box()["y"] == counties["y"]
