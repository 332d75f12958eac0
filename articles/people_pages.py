"""A person's and a race's pages: what `people` knows of them, and the published
stories about them.

They live here because they list stories: `articles` may import `people`, never
the reverse. Their URL names are the people app's (`people:detail`,
`people:race-detail`: see `newsroom.urls`). Each section of a page is one
function or queryset method, so a new section is one more line in
`get_context_data()`.
"""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.views.generic import DetailView

from articles.models import Mention, RaceCoverage, RelationshipSource
from articles.views import ArticleListView, find_lead_renditions, stories_of_links
from core import cache_keys as keys
from core.views import ReaderView
from people.models import Person, PersonSlug
from people.results import race_results
from people.views import (
    candidacies_of,
    person_for_page,
    person_jsonld,
    race_for_page,
    race_rounds,
    results_chart,
    roles_of,
)


def roles_in_stories(person, stories) -> None:
    """Set each story's `roles_of_person`: the labels of the roles `person` plays
    in it ("Candidate", "Quoted"), from one query for the whole page."""
    roles = {}
    mentions = (
        Mention.objects.filter(person=person, article_id__in=[s.pk for s in stories])
        .order_by("role")
        .values_list("article_id", "role")
    )
    labels = dict(Mention.Role.choices)
    for story_id, role in mentions:
        roles.setdefault(story_id, []).append(labels.get(role, role))
    for story in stories:
        story.roles_of_person = roles.get(story.pk, [])


class PersonDetailView(ArticleListView):
    """A person, and the published stories that mention them, newest first, in
    pages found by keyset (`core.keyset`).

    Paged through the person's mentions, each carrying its story's publish time
    (see `Mention.published_at`): a page is one range of an index, so the page of a
    candidate in a third of the archive costs what a page of a bit player does."""

    template_name = "people/person_detail.html"
    link_id_field = "article_id"

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
        """A page of the person's mentions, one row per story: 404 for someone
        readers may not see yet (`person_is_public`), but for staff."""
        self.now = timezone.now()
        self.person = person_for_page(self.kwargs["slug"], now=self.now)
        if self.person is None or not (
            self.person.is_public or self.request.user.is_staff
        ):
            raise Http404("No person here.")
        self.candidacies = candidacies_of(self.person, now=self.now)
        pk = self.person.pk
        keys.declare(
            self.request,
            keys.person(pk),
            keys.list_person(pk),
            *(keys.race(c.election.race.pk) for c in self.candidacies),
        )
        return (
            Mention.objects.filter(person=self.person)
            .published_by_now(now=self.now)
            .story_ids()
        )

    def links_to_stories(self, links, *, newest_first):
        return stories_of_links(links, newest_first=newest_first, now=self.now)

    def pictures(self):
        return [self.person.photo]  # the portrait, found with the thumbnails

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            person=self.person,
            candidacies=self.candidacies,
            roles=roles_of(self.person),
            jsonld=person_jsonld(self.request, self.person),
            **kwargs,
        )
        roles_in_stories(self.person, context["articles"])
        relationships = RelationshipSource.objects.for_person_page(self.person.pk)
        keys.declare(self.request, *relationships.keys)
        context["relationships"] = relationships
        return context


# How many stories a race's page shows.
RACE_COVERAGE_SHOWN = 20


def race_coverage(race, *, now=None) -> list:
    """The newest published stories covering `race`, as a listing shows them,
    read from the race's links' (race, publish time, story) index."""
    links = (
        RaceCoverage.objects.filter(race=race)
        .published_by_now(now=now)
        .newest_first()
        .values_list("article_id", flat=True)[:RACE_COVERAGE_SHOWN]
    )
    stories = list(stories_of_links(links, now=now))
    find_lead_renditions(stories)
    return stories


class RaceDetailView(ReaderView, DetailView):
    """A race: each round's results (table and chart), and the newest coverage."""

    template_name = "people/race_detail.html"
    context_object_name = "race"
    query_parameters = frozenset()

    def get_object(self, queryset=None):
        """404 for a race readers may not see yet (`race_is_public`), but for
        staff."""
        self.now = timezone.now()
        race = race_for_page(self.kwargs["slug"], now=self.now)
        if race is None or not (race.is_public or self.request.user.is_staff):
            raise Http404("No race here.")
        return race

    def get_context_data(self, **kwargs):
        rounds = race_rounds(self.object, now=self.now)
        for election in rounds:
            election.chart = results_chart(election.results)
        coverage = race_coverage(self.object, now=self.now)
        pk = self.object.pk
        keys.declare(
            self.request,
            keys.race(pk),
            keys.list_race(pk),
            *(keys.person(c.person_id) for e in rounds for c in e.results),
            *(keys.story(story.pk) for story in coverage),
            *(keys.section(story.section_id) for story in coverage),
        )
        backers = RelationshipSource.objects.for_race_page(pk)
        keys.declare(self.request, *backers.keys)
        return super().get_context_data(
            rounds=rounds,
            coverage=coverage,
            backers=backers,
            # The count as it came in (`people.results`), from the rounds read.
            race_count=race_results(pk, rounds=rounds),
            **kwargs,
        )


# In the people app's namespace (`newsroom.urls`), beside its lists.
urlpatterns = [
    path("people/<slug:slug>/", PersonDetailView.as_view(), name="detail"),
    path("races/<slug:slug>/", RaceDetailView.as_view(), name="race-detail"),
]
