"""The race chart stays legible on a phone."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_chart_labels_are_legible_on_a_390_px_phone(browser, live_server):
    call_command("load_demo", "--force", stdout=None)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/races/2017-ga-06-special/")

    heights = page.eval_on_selector_all(
        "svg.chart text", "texts => texts.map(t => t.getBoundingClientRect().height)"
    )
    context.close()

    assert heights
    assert min(heights) >= 11  # a 13 px label drawn at half size was 7 px
