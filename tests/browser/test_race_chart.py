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


def test_a_long_name_in_the_chart_is_shortened_whole_on_a_360_px_phone(
    browser, live_server
):
    from people.models import Race
    from tests.factories import CandidacyFactory

    call_command("load_demo", "--force", stdout=None)
    race = Race.objects.get(slug="2017-ga-06-special")
    election = race.elections.order_by("date").last()
    CandidacyFactory(
        election=election, person__name="Marjorie Taylor Greene", votes=1_000
    )
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/races/2017-ga-06-special/")

    labels = page.eval_on_selector_all(
        "svg.chart",
        """charts => charts.flatMap(chart => {
            const box = chart.getBoundingClientRect();
            return [...chart.querySelectorAll('text[text-anchor="end"]')].map(t => {
                const drawn = t.getBoundingClientRect();
                return {
                    shown: [...t.childNodes]
                        .filter(n => n.nodeType === 3 || (n.tagName === 'tspan'
                            && getComputedStyle(n).display !== 'none'))
                        .map(n => n.textContent).join(''),
                    title: t.querySelector('title')?.textContent || '',
                    inside: drawn.left >= box.left - 0.5 && drawn.width > 0,
                };
            });
        })""",
    )
    context.close()

    greene = [label for label in labels if label["title"] == "Marjorie Taylor Greene"]
    assert greene and greene[0]["shown"] == "M. T. Greene"
    assert all(label["inside"] for label in labels), labels
