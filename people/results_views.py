"""The public JSON of a race's count (`people.results.race_results`), which the
race page polls on election night (`static/people/race_results.js`)."""

from django.http import Http404, JsonResponse
from django.views import View

from core import cache_keys as keys
from core.views import ReaderView
from people.models import Race, race_is_public
from people.results import race_results_json


class RaceResultsJSONView(ReaderView, View):
    """Rounds, candidates, latest snapshot and history of a race, read-only;
    cached and purged with the race's keys, as its page is. 404 for a race
    readers may not see yet, but for staff."""

    query_parameters = frozenset()

    def get(self, request, slug):
        race = (
            Race.objects.filter(slug=slug)
            .annotate(is_public=race_is_public())
            .values("pk", "slug", "name", "is_public")
            .first()
        )
        if race is None or not (race["is_public"] or request.user.is_staff):
            raise Http404("No race here.")
        data = race_results_json(race["pk"])
        people = {
            candidate["person_id"]
            for election in data["rounds"]
            for snapshot in election["history"]
            for candidate in snapshot["candidates"]
        }
        keys.declare(
            request,
            keys.race(race["pk"]),
            keys.list_race(race["pk"]),
            *(keys.person(pk) for pk in sorted(people)),
        )
        return JsonResponse(
            {"race": {"slug": race["slug"], "name": race["name"]}, **data},
            json_dumps_params={"ensure_ascii": False},
        )
