"""Reader pages for people and races.

`people` does not import `articles`: a person's or race's stories are reached
through the reverse relation, whose manager is the articles' own queryset, so
`published()` still decides what a reader may see.
"""

import datetime
from functools import partial

from django.conf import settings
from django.db.models import Case, F, Min, When
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import DetailView, ListView

from newsroom import cache_keys as keys
from newsroom.json_rows import decoded, json_instance, json_rows
from newsroom.keyset import CURSOR_PARAMETERS, CompiledKeyset, keyset_page
from newsroom.reversing import request_origin
from newsroom.statements import (
    Statement,
    columns,
    instance,
)
from newsroom.views import ReaderView
from people.models import (
    Candidacy,
    Election,
    Person,
    PersonRole,
    PersonSlug,
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


PERSON_COLUMNS = columns(Person)
ELECTION_COLUMNS = columns(Election)
RACE_COLUMNS = columns(Race)
CANDIDACY_COLUMNS = columns(Candidacy)
# What a person's page shows of the race of each candidacy, in field order.
CANDIDACY_RACE_COLUMNS = ["id", "name", "slug"]
# What a person's page shows of their dated roles (the timeline).
TIMELINE_COLUMNS = ["title", "start_date", "end_date"]
# The person, whether readers may see them (`is_public`), with their candidacies
# (each with its share, round and race, and whether readers may see the race) as
# JSON.
PERSON = Statement(
    lambda slug, now: (
        Person.objects.filter(slug=slug)
        .annotate(
            is_public=person_is_public(now=now),
            candidacies_json=json_rows(
                Candidacy.objects.with_share().annotate(
                    race_is_public=race_is_public("election__race__", now=now)
                ),
                "person",
                *CANDIDACY_COLUMNS,
                "vote_share",
                *(f"election__{column}" for column in ELECTION_COLUMNS),
                *(f"election__race__{column}" for column in CANDIDACY_RACE_COLUMNS),
                "race_is_public",
                # Oldest round first, ties by id newest first: read backwards
                # (SQLite's rows are sorted in ascending order after decoding).
                order_by=["election__date", F("id") * -1],
            ),
            roles_json=json_rows(
                PersonRole.objects,
                "person",
                *TIMELINE_COLUMNS,
                order_by=["start_date", "id"],
            ),
        )
        .values_list(*PERSON_COLUMNS, "is_public", "candidacies_json", "roles_json")
    ),
    slug=str,
    now=datetime.datetime,
)
# The stories that mention a person, reached through the relation (`people` does
# not import `articles`).
Story = Person._meta.get_field("articles").related_model
Mention = Person._meta.get_field("mentions").related_model
# The person's stories, newest first: a page of their mentions, one row per story
# whatever the roles (grouped in the order of the (person, publish time, story)
# index), and those stories with the person's roles in each, in one statement.
PERSON_STORIES = CompiledKeyset(
    lambda person, now: (
        Mention.objects.filter(person_id=person)
        .published_by_now(now=now)
        .values("published_at", "article_id")
        .annotate(story=Min("article_id"))
        .newest_first()
        .values_list("story")
    ),
    stories=lambda links, newest_first, person, now: (
        Story.objects.published(now=now)
        .of_links_page(links, newest_first=newest_first)
        .teaser_rows_with_roles(person)
    ),
    per_page=settings.ARTICLES_PER_PAGE,
    load=Story.objects.teasers_with_roles,
    id_field="article_id",
    person=int,
    now=datetime.datetime,
)


def roles_from(text, vendor) -> list[PersonRole]:
    """The person's dated roles (`TIMELINE_COLUMNS`) from `PERSON`'s JSON,
    oldest first."""
    return [
        PersonRole(
            title=title,
            start_date=datetime.date.fromisoformat(start),
            end_date=datetime.date.fromisoformat(end) if end else None,
        )
        for title, start, end in decoded(text, vendor=vendor)
    ]


def candidacies_from(person, text, db, vendor) -> list:
    """`person`'s candidacies from `PERSON`'s JSON, latest round first, with
    `vote_share`, `election` and `election.race` (with `is_public`)."""
    share = len(CANDIDACY_COLUMNS)
    race = share + 1 + len(ELECTION_COLUMNS)
    race_end = race + len(CANDIDACY_RACE_COLUMNS)
    candidacies = []
    for values in reversed(decoded(text, vendor=vendor)):
        candidacy = json_instance(Candidacy, CANDIDACY_COLUMNS, values[:share], db)
        candidacy.vote_share = values[share]
        election = json_instance(
            Election, ELECTION_COLUMNS, values[share + 1 : race], db
        )
        election.race = instance(
            Race, CANDIDACY_RACE_COLUMNS, values[race:race_end], db
        )
        election.race.is_public = bool(values[race_end])
        candidacy.election = election
        candidacy.person = person
        candidacies.append(candidacy)
    return candidacies


class PersonDetailView(ReaderView, ListView):
    """A person, and the published stories that mention them, newest first, in
    pages found by keyset (`newsroom.keyset`).

    Paged through the person's mentions, each carrying its story's publish time
    (see `Mention.published_at`): a page is one range of an index, so the page of a
    candidate in a third of the archive costs what a page of a bit player does."""

    template_name = "people/person_detail.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE
    query_parameters = CURSOR_PARAMETERS

    def paginate_queryset(self, stories, page_size):
        page = keyset_page(stories, self.request.GET, page_size)
        for story in page.object_list:
            keys.declare(
                self.request, keys.story(story.pk), keys.section(story.section_id)
            )
        return None, page, page.object_list, page.has_previous or page.has_next

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A merged or renamed person's old address redirects, where readers
            # may see the person it leads to.
            old = PersonSlug.objects.filter(slug=kwargs["slug"])
            if not request.user.is_staff:
                old = old.filter(person__in=Person.objects.visible_to_readers())
            if old := old.select_related("person").first():
                return redirect(old.person, permanent=True)
            raise

    def get_queryset(self):
        """The person's stories (`PERSON_STORIES`), bound to the person: 404 for
        someone readers may not see yet (`person_is_public`), but for staff."""
        now = timezone.now()
        rows = PERSON.rows(slug=self.kwargs["slug"], now=now)
        if not rows:
            raise Http404("No person here.")
        *values, is_public, candidacies, roles = rows[0]
        if not is_public and not self.request.user.is_staff:
            raise Http404("No person here.")
        self.person = instance(Person, PERSON_COLUMNS, values, rows.db)
        self.person.is_public = bool(is_public)
        self.candidacies = candidacies_from(
            self.person, candidacies, rows.db, rows.vendor
        )
        self.roles = roles_from(roles, rows.vendor)
        pk = self.person.pk
        keys.declare(
            self.request,
            keys.person(pk),
            keys.list_person(pk),
            *(keys.race(c.election.race.pk) for c in self.candidacies),
        )
        return PERSON_STORIES.bind(
            person=self.person.pk,
            now=now,
            # The portrait's renditions, found with the thumbnails'.
            load=partial(
                Story.objects.teasers_with_roles, pictures=[self.person.photo]
            ),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person,
            candidacies=self.candidacies,
            roles=self.roles,
            jsonld=person_jsonld(self.request, self.person),
            **kwargs,
        )


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


CANDIDACY_PERSON = Candidacy._meta.get_field("person")
# What a results table and chart show of a candidate, in field order.
RESULT_PERSON_COLUMNS = ["id", "name", "slug"]

# A race, whether readers may see it (`is_public`), with its rounds and every
# round's results (each with whether readers may see the candidate), as JSON, in
# one query.
RACE = Statement(
    lambda slug, now: (
        Race.objects.filter(slug=slug)
        .annotate(
            is_public=race_is_public(now=now),
            rounds_json=json_rows(
                Election.objects, "race", *ELECTION_COLUMNS, order_by=["date", "id"]
            ),
            results_json=json_rows(
                Candidacy.objects.with_share().annotate(
                    person_is_public=person_is_public("person__", now=now)
                ),
                "election__race",
                *CANDIDACY_COLUMNS,
                "vote_share",
                *(f"person__{column}" for column in RESULT_PERSON_COLUMNS),
                "person_is_public",
                # The order a results table reads (Candidacy.Meta.ordering: most
                # votes first, the uncounted last), in ascending keys for SQLite's
                # rows, which are sorted after decoding.
                order_by=[
                    Case(When(votes__isnull=True, then=1), default=0),
                    F("votes") * -1,
                    "person__name",
                    "id",
                ],
            ),
        )
        .values_list(*RACE_COLUMNS, "is_public", "rounds_json", "results_json")
    ),
    slug=str,
    now=datetime.datetime,
)


class RaceDetailView(ReaderView, DetailView):
    """A race: each round's results (table and chart), and the newest coverage.
    Read by compiled statements (`newsroom.statements`): two queries."""

    template_name = "people/race_detail.html"
    context_object_name = "race"
    query_parameters = frozenset()

    def get_object(self, queryset=None):
        """404 for a race readers may not see yet (`race_is_public`), but for
        staff."""
        race = race_with_rounds(self.kwargs["slug"])
        if race is None or not (race.is_public or self.request.user.is_staff):
            raise Http404("No race here.")
        return race

    def get_context_data(self, **kwargs):
        rounds = self.object.rounds
        for election in rounds:
            election.chart = results_chart(election.results)
        coverage = self.object.articles.model.objects.race_coverage(self.object.pk)
        pk = self.object.pk
        keys.declare(
            self.request,
            keys.race(pk),
            keys.list_race(pk),
            *(keys.person(c.person_id) for e in rounds for c in e.results),
            *(keys.story(story.pk) for story in coverage),
            *(keys.section(story.section_id) for story in coverage),
        )
        return super().get_context_data(rounds=rounds, coverage=coverage, **kwargs)


def race_with_rounds(slug: str, *, now=None):
    """The race at `slug` with its `rounds`, oldest first, each with its `results`:
    candidacies with their person and `vote_share`, most votes first; None if
    there is no such race. The race and each result's person carry `is_public`:
    whether readers may see them by `now`. Nothing links back up (a round to its
    race, a result to its round): each link would make a reference cycle, and
    every race page left its race, rounds and results to the garbage collector."""
    rows = RACE.rows(slug=slug, now=now or timezone.now())
    if not rows:
        return None
    *values, is_public, rounds_json, results_json = rows[0]
    race = instance(Race, RACE_COLUMNS, values, rows.db)
    race.is_public = bool(is_public)
    race.rounds = [
        json_instance(Election, ELECTION_COLUMNS, values, rows.db)
        for values in decoded(rounds_json, vendor=rows.vendor)
    ]
    by_id = {election.pk: election for election in race.rounds}
    for election in race.rounds:
        election.results = []
    split = len(CANDIDACY_COLUMNS) + 1
    for values in decoded(results_json, vendor=rows.vendor):
        candidacy = json_instance(
            Candidacy, CANDIDACY_COLUMNS, values[: split - 1], rows.db
        )
        candidacy.vote_share = values[split - 1]
        *person_values, person_is_public = values[split:]
        person = instance(Person, RESULT_PERSON_COLUMNS, person_values, rows.db)
        person.is_public = bool(person_is_public)
        # What `candidacy.person = …` leaves, without its checks (the person the
        # row names, from the same database).
        CANDIDACY_PERSON.set_cached_value(candidacy, person)
        by_id[candidacy.election_id].results.append(candidacy)
    return race


def race_rounds(race) -> list:
    """`race_with_rounds()`'s rounds of `race`."""
    return race_with_rounds(race.slug).rounds


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
