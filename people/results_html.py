"""A round's results, bar chart and table, rendered in Python.

A race page draws every round's chart and table: some thirty template variables and
tags a candidate (escaping, `floatformat`, `intcomma`, a choice label each), about
half the page's render time. This writes the same markup in string joins;
`tests/people/test_results_html.py` holds it to the template it replaced, for
winners, runoffs, uncounted votes, parties and names that need escaping.
"""

from functools import lru_cache

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from newsroom.escaping import escape
from newsroom.reversing import cached_reverse
from people.models import Candidacy, Election, Party

PARTY_LABELS = dict(Party.choices)
ROUND_LABELS = dict(Election.Kind.choices)


def render_round_results(
    election, day: str, *, language=None, reverse=cached_reverse
) -> SafeString:
    """The chart (when any votes are counted) and the results table of a round
    from `people.views.race_rounds()` with its `chart`; `day`: its date as the
    page prints it ("June 20, 2017"). `language` and `reverse`: the page's, read
    once for all its numbers and links (`newsroom.jinja2.listing`)."""
    language = language or get_language()
    chart = election.chart
    parts = []
    if chart["bars"]:
        pk = election.pk
        kind = escape(str(ROUND_LABELS.get(election.kind, election.kind)).lower())
        parts.append(
            f'\n  <svg class="chart" role="img" aria-labelledby="chart-{pk}-title" '
            f'viewBox="0 0 {chart["width"]} {chart["height"]}" width="100%" '
            'preserveAspectRatio="xMinYMin meet">\n'
            f'    <title id="chart-{pk}-title">Vote share by candidate, {kind}, '
            f"{day}</title>\n    "
        )
        label_x = chart["label_width"] - 8
        for bar in chart["bars"]:
            candidacy = bar["candidacy"]
            winner = " winner" if candidacy.is_winner else ""
            parts.append(
                f'\n    <g class="bar party-{escape(candidacy.party or "none")}'
                f'{winner}">\n'
                f'      <text x="{label_x}" y="{bar["text_y"]}" text-anchor="end">'
                f"{escape(candidacy.person.name)}</text>\n"
                f'      <rect x="{chart["label_width"]}" y="{bar["y"] + 4}" '
                f'width="{bar["width"]}" height="{chart["bar_height"]}"></rect>\n'
                f'      <text x="{bar["value_x"]}" y="{bar["text_y"]}">'
                f"{share(candidacy.vote_share, language)}%</text>\n    </g>\n    "
            )
        parts.append("\n  </svg>\n  ")
        keys = "".join(
            f'<li class="key party-{escape(key)}">{escape(label)}</li>'
            for key, label in chart["legend"]
        )
        parts.append(
            f'<ul class="chart-legend" aria-label="Bar colours">{keys}</ul>\n  '
        )
    certified = " (certified)" if election.is_certified else ""
    parts.append(
        f'\n  <table class="results">\n    <caption>Results{certified}</caption>\n'
        '    <thead><tr><th scope="col">Candidate</th><th scope="col">Party</th>'
        '<th scope="col" class="num">Votes</th><th scope="col" class="num">Share'
        "</th></tr></thead>\n    <tbody>\n    "
    )
    for candidacy in election.results:
        parts.append(_row(candidacy, language, reverse))
    parts.append("\n    </tbody>\n  </table>")
    return SafeString("".join(parts))


def _row(candidacy: Candidacy, language: str, reverse) -> str:
    person = candidacy.person
    badges = ' <span class="quiet">(incumbent)</span>' if candidacy.is_incumbent else ""
    if candidacy.is_winner:
        badges += ' <span class="badge">Winner</span>'
    elif candidacy.advanced:
        badges += ' <span class="badge quiet">Advanced</span>'
    party = PARTY_LABELS.get(candidacy.party, candidacy.party) or "—"
    votes = (
        "—"
        if candidacy.votes is None
        else _remembered(intcomma, candidacy.votes, language=language)
    )
    vote_share = candidacy.vote_share
    shown_share = "—" if vote_share is None else f"{share(vote_share, language)}%"
    winner = ' class="winner"' if candidacy.is_winner else ""
    name = escape(person.name)
    # Only a person readers may see is linked (`people.models.person_is_public`).
    if person.is_public:
        url = person.get_absolute_url(reverse=reverse)
        name = f'<a href="{escape(url)}">{name}</a>'
    return (
        f"\n      <tr{winner}>\n"
        f'        <th scope="row">{name}{badges}</th>\n'
        f"        <td>{escape(party)}</td>\n"
        f'        <td class="num">{votes}</td>\n'
        f'        <td class="num">{shown_share}</td>\n'
        "      </tr>\n    "
    )


def share(value, language=None) -> str:
    """`floatformat:1` of a vote share, remembered: "48.2"."""
    return _remembered(floatformat, value, 1, language=language)


def _remembered(template_filter, value, *args, language=None) -> str:
    language = language or get_language()
    return escape(filtered(template_filter, value, args, language))


@lru_cache(maxsize=20_000)
def filtered(template_filter, value, args, language) -> str:
    """`template_filter(value, *args)` in `language`, remembered."""
    return str(template_filter(value, *args))
