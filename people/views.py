"""Reader pages for people and races: the lists, and what a person's or race's
page shows of them (candidacies, rounds and results, the chart, the JSON-LD).

The person and race pages also list published stories, so their views live in
`articles.people_pages` (`people` does not import `articles`); their URL names
stay `people:detail` and `people:race-detail` (see `newsroom.urls`).
"""

import functools

from django.db.models import F
from django.views.generic import ListView

from core import cache_keys as keys
from core.reversing import request_origin
from core.views import ReaderView
from people.models import (
    Candidacy,
    Election,
    Person,
    Race,
    person_is_public,
    race_is_public,
    races_with_result,
)

PEOPLE_PER_PAGE = 50


# The people filter's links: each kind in the plural, as a reader says it.
KIND_FILTERS = [
    (Person.Kind.CANDIDATE, "Candidates"),
    (Person.Kind.CELEBRITY, "Celebrities"),
    (Person.Kind.OFFICIAL, "Officials"),
    (Person.Kind.JOURNALIST, "Journalists"),
    (Person.Kind.OTHER, "Others"),
]


class PersonListView(ReaderView, ListView):
    """Everyone the newsroom covers, A to Z, optionally of one kind (`?kind=`)."""

    template_name = "people/person_list.html"
    context_object_name = "people"
    paginate_by = PEOPLE_PER_PAGE
    query_parameters = frozenset({"kind", ListView.page_kwarg})

    def get_queryset(self):
        people = Person.objects.visible_to_readers().only(
            "name", "slug", "kind", "party", "photo"
        )
        self.kind = self.request.GET.get("kind", "")
        if self.kind in Person.Kind.values:
            people = people.filter(kind=self.kind)
        else:
            self.kind = ""
        return people.order_by("name", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(kind=self.kind, kinds=KIND_FILTERS, **kwargs)
        keys.declare(
            self.request,
            keys.LIST_PEOPLE,
            *(keys.person(person.pk) for person in context["people"]),
        )
        return context


def person_for_page(slug: str, *, now=None):
    """The person at `slug` with `is_public` (whether readers may see them by
    `now`), or None."""
    return (
        Person.objects.filter(slug=slug)
        .annotate(is_public=person_is_public(now=now))
        .first()
    )


def roles_of(person) -> list:
    """`person`'s dated roles, oldest first: their page's timeline. One query."""
    return list(person.roles.order_by("start_date", "id"))


@functools.cache
def _built_candidacies_with_race():
    """A person page's candidacies before their person and `now` are known,
    built once per process and cloned per page (see `races_with_result`): the
    vote share's subquery and the joins to round and race cost 4-5 ms to build
    on every page otherwise."""
    return (
        Candidacy.objects.with_share()
        .select_related("election__race")
        .order_by("-election__date", "id")
    )


def candidacies_of(person, *, now=None) -> list:
    """`person`'s candidacies as their page lists them, latest round first, each
    with `vote_share`, its round and race, and whether readers may see the race
    (`election.race.is_public`): one query."""
    candidacies = list(
        _built_candidacies_with_race()
        .filter(person=person)
        .annotate(race_is_public=race_is_public("election__race__", now=now))
    )
    for candidacy in candidacies:
        candidacy.election.race.is_public = candidacy.race_is_public
        candidacy.person = person
    return candidacies


def person_jsonld(request, person):
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person.name,
        "url": request_origin(request) + person.get_absolute_url(),
    }
    if person.bio:
        data["description"] = person.bio
    if same_as := person.same_as_urls():
        data["sameAs"] = same_as
    if person.party:
        data["affiliation"] = {
            "@type": "Organization",
            "name": f"{person.get_party_display()} Party",
        }
    return data


class RaceListView(ReaderView, ListView):
    template_name = "people/race_list.html"
    context_object_name = "races"
    paginate_by = PEOPLE_PER_PAGE
    query_parameters = frozenset({ListView.page_kwarg})

    def get_queryset(self):
        return races_with_result().visible_to_readers()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        keys.declare(
            self.request,
            keys.LIST_RACES,
            *(keys.race(race.pk) for race in context["races"]),
        )
        return context


# What a results table and chart show of a candidacy and its person.
RESULT_FIELDS = [
    "election",
    "party",
    "votes",
    "is_incumbent",
    "is_winner",
    "advanced",
    "person",
    "person__name",
    "person__slug",
]


def race_for_page(slug: str, *, now=None):
    """The race at `slug` with `is_public` (whether readers may see it by `now`),
    or None."""
    return (
        Race.objects.filter(slug=slug)
        .annotate(is_public=race_is_public(now=now))
        .first()
    )


@functools.cache
def _built_results():
    """A race page's results before the race and `now` are known, built once per
    process and cloned per page (see `_built_candidacies_with_race`)."""
    return (
        Candidacy.objects.with_share()
        .select_related("person")
        .only(*RESULT_FIELDS)
        .order_by(F("votes").desc(nulls_last=True), "person__name", "id")
    )


def race_rounds(race, *, now=None) -> list:
    """`race`'s rounds, oldest first, each with its `results`: candidacies with
    their person and `vote_share`, most votes first, each person with
    `is_public` (whether readers may see them by `now`). Two queries. Nothing
    links back up (a round to its race, a result to its round): each link would
    make a reference cycle, and the page's race, rounds and results would wait
    for the garbage collector instead of going with the request."""
    rounds = list(
        Election.objects.filter(race_id=race.pk)
        .select_related("call")  # the desk's call, if any (`people.results`)
        .order_by("date", "id")
    )
    by_id = {election.pk: election for election in rounds}
    for election in rounds:
        election.results = []
    results = (
        _built_results()
        .filter(election__race_id=race.pk)
        .annotate(person_is_public=person_is_public("person__", now=now))
    )
    for candidacy in results:
        candidacy.person.is_public = candidacy.person_is_public
        by_id[candidacy.election_id].results.append(candidacy)
    return rounds


CHART_BAR_HEIGHT = 28
CHART_LABEL_WIDTH = 190
CHART_WIDTH = 640
# Parties whose bars have a colour of their own (static/css/site.css); the rest
# are grey.
CHART_PARTY_COLOURS = {"D", "R"}
CHART_LEGEND = {"D": "Democratic", "R": "Republican", "": "Other or no party"}


def results_chart(candidacies):
    """Geometry of a horizontal bar chart of vote shares, drawn as inline SVG."""
    bars = []
    counted = [c for c in candidacies if c.vote_share is not None]
    top = max((c.vote_share for c in counted), default=0) or 1
    plot_width = CHART_WIDTH - CHART_LABEL_WIDTH - 70
    for row, candidacy in enumerate(counted):
        bars.append(
            {
                "candidacy": candidacy,
                "y": row * CHART_BAR_HEIGHT,
                "text_y": row * CHART_BAR_HEIGHT + CHART_BAR_HEIGHT * 0.65,
                "width": round(plot_width * candidacy.vote_share / top, 1),
                "value_x": CHART_LABEL_WIDTH
                + round(plot_width * candidacy.vote_share / top, 1)
                + 6,
            }
        )
    colours = {c.party if c.party in CHART_PARTY_COLOURS else "" for c in counted}
    return {
        "bars": bars,
        # The bars' colours that the chart shows, named (in the order of the keys).
        "legend": [
            (key or "other", label)
            for key, label in CHART_LEGEND.items()
            if key in colours
        ],
        "width": CHART_WIDTH,
        "height": max(1, len(bars)) * CHART_BAR_HEIGHT,
        "label_width": CHART_LABEL_WIDTH,
        "bar_height": CHART_BAR_HEIGHT - 8,
    }
