"""Round results (chart and table) are the `round_results` macro
(`templates/jinja2/includes/_results.html`); they say what the Django template they
replaced said, escaped by Jinja2's autoescaping, but for a long name's label."""

from datetime import date

import pytest
from django.template import Context

from people.models import Election
from people.views import race_rounds, results_chart
from tests.factories import (
    CandidacyFactory,
    ElectionFactory,
    PersonFactory,
    RaceFactory,
)
from tests.reference_templates import REFERENCE, macro, same_markup

pytestmark = pytest.mark.django_db

# The race page's markup before, kept here as the reference.
# A long name's chart label is shortened on a narrow screen, its full name its title.
TEMPLATE_RESULTS = REFERENCE.from_string(
    """{% load humanize newsroom %}{% if election.chart.bars %}
  <svg class="chart" role="img" aria-labelledby="chart-{{ election.pk }}-title" viewBox="0 0 {{ election.chart.width }} {{ election.chart.height }}" width="100%" preserveAspectRatio="xMinYMin meet">
    <title id="chart-{{ election.pk }}-title">Vote share by candidate, {{ election.get_kind_display|lower }}, {{ election.date|date:"N j, Y" }}</title>
    {% for bar in election.chart.bars %}
    <g class="bar party-{{ bar.candidacy.party|default:'none' }}{% if bar.candidacy.is_winner %} winner{% endif %}">
      <text x="{{ election.chart.label_width|add:'-8' }}" y="{{ bar.text_y }}" text-anchor="end">{% with name=bar.candidacy.person.name short=bar.candidacy.person.name|short_name %}{% if short != name %}<title>{{ name }}</title><tspan class="name-full">{{ name }}</tspan><tspan class="name-short" aria-hidden="true">{{ short }}</tspan>{% else %}{{ name }}{% endif %}{% endwith %}</text>
      <rect x="{{ election.chart.label_width }}" y="{{ bar.y|add:'4' }}" width="{{ bar.width }}" height="{{ election.chart.bar_height }}"></rect>
      <text x="{{ bar.value_x }}" y="{{ bar.text_y }}">{{ bar.candidacy.vote_share|floatformat:1 }}%</text>
    </g>
    {% endfor %}
  </svg>
  <ul class="chart-legend" aria-label="Bar colours">{% for key, label in election.chart.legend %}<li class="key party-{{ key }}">{{ label }}</li>{% endfor %}</ul>
  {% endif %}
  <table class="results">
    <caption>Results{% if election.is_certified %} (certified){% endif %}</caption>
    <thead><tr><th scope="col">Candidate</th><th scope="col">Party</th><th scope="col" class="num">Votes</th><th scope="col" class="num">Share</th></tr></thead>
    <tbody>
    {% for candidacy in election.results %}
      <tr{% if candidacy.is_winner %} class="winner"{% endif %}>
        <th scope="row">{% if candidacy.person.is_public %}<a href="{{ candidacy.person.get_absolute_url }}">{{ candidacy.person.name }}</a>{% else %}{{ candidacy.person.name }}{% endif %}{% if candidacy.is_incumbent %} <span class="quiet">(incumbent)</span>{% endif %}{% if candidacy.is_winner %} <span class="badge">Winner</span>{% elif candidacy.advanced %} <span class="badge quiet">Advanced</span>{% endif %}</th>
        <td>{{ candidacy.get_party_display|default:"—" }}</td>
        <td class="num">{% if candidacy.votes is not None %}{{ candidacy.votes|intcomma }}{% else %}—{% endif %}</td>
        <td class="num">{% if candidacy.vote_share is not None %}{{ candidacy.vote_share|floatformat:1 }}%{% else %}—{% endif %}</td>
      </tr>
    {% endfor %}
    </tbody>
  </table>"""  # noqa: E501
)


def rounds_of(race):
    rounds = race_rounds(race)
    for election in rounds:
        election.chart = results_chart(election.results)
    return rounds


def render_round_results(election):
    return macro("includes/_results.html", "round_results", election)


def assert_as_the_template(race):
    for election in rounds_of(race):
        expected = TEMPLATE_RESULTS.render(Context({"election": election}))
        assert same_markup(render_round_results(election), expected)


def test_a_runoff_with_a_winner_reads_as_the_template():
    runoff = ElectionFactory(
        kind=Election.Kind.RUNOFF, date=date(2017, 6, 20), is_certified=True
    )
    CandidacyFactory(election=runoff, party="R", votes=134_799, is_winner=True)
    CandidacyFactory(election=runoff, party="D", votes=125_517)

    assert_as_the_template(runoff.race)


def test_a_crowded_primary_reads_as_the_template():
    race = RaceFactory()
    primary = ElectionFactory(race=race, kind=Election.Kind.PRIMARY)
    for votes, party, advanced, incumbent in [
        (92_673, "D", True, False),
        (38_071, "R", True, True),
        (17_802, "", False, False),
        (1, "L", False, False),
        (0, "I", False, False),
    ]:
        CandidacyFactory(
            election=primary,
            votes=votes,
            party=party,
            advanced=advanced,
            is_incumbent=incumbent,
        )

    assert_as_the_template(race)


def test_a_round_without_counted_votes_has_no_chart_and_reads_as_the_template():
    race = RaceFactory()
    uncounted = ElectionFactory(race=race, date=date(2026, 11, 3))
    CandidacyFactory.create_batch(2, election=uncounted, votes=None)
    partly = ElectionFactory(race=race, kind=Election.Kind.RUNOFF)
    CandidacyFactory(election=partly, votes=None)
    CandidacyFactory(election=partly, votes=1_234_567)

    rounds = rounds_of(race)
    html = render_round_results(rounds[0])

    assert "<svg" not in html
    assert_as_the_template(race)


def test_names_and_shares_are_escaped_and_rounded_as_the_template_does():
    election = ElectionFactory()
    for name, votes in [('<script>alert("x")</script>', 1), ("O'Brien & Sons", 7)]:
        CandidacyFactory(
            election=election, person=PersonFactory(name=name), votes=votes
        )

    assert_as_the_template(election.race)
    html = render_round_results(rounds_of(election.race)[0])
    assert "<script>alert" not in html
    assert "O&#39;Brien &amp; Sons" in html
    assert "12.5%" in html and "87.5%" in html


def test_the_race_page_shows_each_rounds_chart_and_table(client):
    runoff = ElectionFactory(kind=Election.Kind.RUNOFF, date=date(2017, 6, 20))
    CandidacyFactory(election=runoff, votes=134_799, is_winner=True)

    page = client.get(runoff.race.get_absolute_url()).content.decode()

    assert "Vote share by candidate, runoff, June 20, 2017" in page
    assert '<td class="num">134,799</td>' in page
    assert '<span class="badge">Winner</span>' in page


def test_a_long_name_has_a_short_chart_label_and_its_full_name_as_title():
    election = ElectionFactory()
    CandidacyFactory(
        election=election, person=PersonFactory(name="Marjorie Taylor Greene"), votes=9
    )

    html = render_round_results(rounds_of(election.race)[0])

    assert "<title>Marjorie Taylor Greene</title>" in html
    assert '<tspan class="name-full">Marjorie Taylor Greene</tspan>' in html
    assert '<tspan class="name-short" aria-hidden="true">M. T. Greene</tspan>' in html


def test_a_name_that_fits_is_its_own_chart_label():
    election = ElectionFactory()
    CandidacyFactory(
        election=election, person=PersonFactory(name="Jon Ossoff"), votes=9
    )

    html = render_round_results(rounds_of(election.race)[0])

    assert 'text-anchor="end">Jon Ossoff</text>' in html
    assert "name-short" not in html


@pytest.mark.parametrize(
    "name, label",
    [
        ("Karen Handel", "Karen Handel"),
        ("Marjorie Taylor Greene", "M. T. Greene"),
        ("Alexandria Ocasio-Cortez", "A. Ocasio-Cort…"),
        ("Bartholomewsonington", "Bartholomewson…"),
    ],
)
def test_a_chart_label_shortens_given_names_to_initials_then_cuts(name, label):
    from newsroom.jinja2 import short_name

    assert short_name(name) == label
    assert len(short_name(name)) <= 15
