"""Round results (chart and table) are rendered in Python for speed; they must say
exactly what the template they replaced said, escaped the same way."""

from datetime import date

import pytest
from django.template import Context, Template

from people.models import Election
from people.results_html import render_round_results
from people.views import race_rounds, results_chart
from tests.factories import (
    CandidacyFactory,
    ElectionFactory,
    PersonFactory,
    RaceFactory,
)

pytestmark = pytest.mark.django_db

# The race page's markup before, kept here as the reference.
TEMPLATE_RESULTS = Template(
    """{% load humanize %}{% if election.chart.bars %}
  <svg class="chart" role="img" aria-labelledby="chart-{{ election.pk }}-title" viewBox="0 0 {{ election.chart.width }} {{ election.chart.height }}" width="100%" preserveAspectRatio="xMinYMin meet">
    <title id="chart-{{ election.pk }}-title">Vote share by candidate, {{ election.get_kind_display|lower }}, {{ election.date|date:"N j, Y" }}</title>
    {% for bar in election.chart.bars %}
    <g class="bar party-{{ bar.candidacy.party|default:'none' }}{% if bar.candidacy.is_winner %} winner{% endif %}">
      <text x="{{ election.chart.label_width|add:'-8' }}" y="{{ bar.text_y }}" text-anchor="end">{{ bar.candidacy.person.name }}</text>
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


def assert_as_the_template(race):
    for election in rounds_of(race):
        expected = TEMPLATE_RESULTS.render(Context({"election": election}))
        day = Template('{{ d|date:"N j, Y" }}').render(Context({"d": election.date}))
        assert render_round_results(election, day) == expected


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
    html = render_round_results(rounds[0], "Nov. 3, 2026")

    assert "<svg" not in html
    assert_as_the_template(race)


def test_names_and_shares_are_escaped_and_rounded_as_the_template_does():
    election = ElectionFactory()
    for name, votes in [('<script>alert("x")</script>', 1), ("O'Brien & Sons", 7)]:
        CandidacyFactory(
            election=election, person=PersonFactory(name=name), votes=votes
        )

    assert_as_the_template(election.race)
    html = render_round_results(rounds_of(election.race)[0], "")
    assert "<script>alert" not in html
    assert "O&#x27;Brien &amp; Sons" in html
    assert "12.5%" in html and "87.5%" in html


def test_the_race_page_shows_each_rounds_chart_and_table(client):
    runoff = ElectionFactory(kind=Election.Kind.RUNOFF, date=date(2017, 6, 20))
    CandidacyFactory(election=runoff, votes=134_799, is_winner=True)

    page = client.get(runoff.race.get_absolute_url()).content.decode()

    assert "Vote share by candidate, runoff, June 20, 2017" in page
    assert '<td class="num">134,799</td>' in page
    assert '<span class="badge">Winner</span>' in page
