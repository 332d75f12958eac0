"""An editor types a figure that disagrees with the stored results and the
story's "Numbers check" panel flags it, without a save."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from articles.models import Article
from people.models import Election
from tests.factories import (
    ArticleFactory,
    CandidacyFactory,
    ElectionFactory,
    PersonFactory,
    RaceFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

EDITOR = ".prose-editor .ProseMirror[contenteditable=true]"


def test_the_numbers_check_flags_a_figure_as_it_is_typed(logged_in_page, live_server):
    page = logged_in_page
    runoff = ElectionFactory(
        race=RaceFactory(name="Georgia's 6th District special election"),
        date=date(2017, 6, 20),
        kind=Election.Kind.RUNOFF,
        is_certified=True,
    )
    handel = PersonFactory(name="Karen Handel", party="R")
    CandidacyFactory(election=runoff, person=handel, party="R", votes=134_799)
    CandidacyFactory(election=runoff, votes=125_517)
    story = ArticleFactory(
        status=Article.Status.DRAFT,
        published_at=datetime(2017, 6, 21, 9, tzinfo=ZoneInfo("America/New_York")),
        body="<p>Karen Handel (R-Ga.) won the runoff.</p>",
    )
    story.races.add(runoff.race)

    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    assert page.locator("#numbers-check tr.numbers-claim").count() == 0
    page.locator(f"{EDITOR} > p").click()
    page.keyboard.press("End")
    page.keyboard.type(" Handel won 60 percent of the vote.")

    row = page.locator("#numbers-check tr.disagrees")
    row.wait_for()
    assert "60 percent" in row.inner_text()
    assert "51.78%" in row.inner_text()
    assert "certified" in row.inner_text()
