"""A reader, in a real browser, goes from a story to a person to a race."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_newsroom():
    call_command("load_demo", "--force", stdout=None)


def test_reader_goes_from_the_front_page_to_the_runoff_result(
    page, live_server, demo_newsroom
):
    page.goto(live_server.url + "/")
    page.get_by_role(
        "link", name="Hollywood vs. Georgia: celebrity-backed Ossoff"
    ).click()
    page.wait_for_selector("h1:has-text('Hollywood vs. Georgia')")

    page.locator(".people-box").get_by_role("link", name="Jon Ossoff").click()
    page.wait_for_selector("h1:has-text('Jon Ossoff')")
    assert page.locator(".teaser", has_text="Hollywood vs. Georgia").count() == 1

    page.get_by_role(
        "link", name="Georgia's 6th District special election"
    ).first.click()
    page.wait_for_selector('h1:has-text("Georgia\'s 6th District special election")')
    runoff = page.locator("section.round", has_text="Runoff, June 20, 2017")
    winner = runoff.locator("tr.winner")
    assert "Karen Handel" in winner.inner_text()
    assert "winner" in winner.inner_text().lower()
    assert "51.8%" in winner.inner_text()
