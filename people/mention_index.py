"""The mention finder for the people in the database, built once per process and
rebuilt when people or aliases change (checked with one cheap query)."""

import threading

from django.db.models import Count, Max, OuterRef, Subquery

from people.mentions import KnownPerson, MentionFinder
from people.models import Alias, Candidacy, Person, PersonRole, Race, State

_lock = threading.Lock()
_built: dict = {"version": None, "finder": None}


# Words a story uses for someone who ran for an office: they tell two people of the
# same name apart ("Senator James Baker of Texas").
OFFICE_CLUES = {
    Race.Office.PRESIDENT: ("president",),
    Race.Office.US_SENATE: ("senator", "sen."),
    Race.Office.US_HOUSE: ("representative", "rep.", "congressman", "congresswoman"),
    Race.Office.GOVERNOR: ("governor", "gov."),
    Race.Office.STATE_SENATE: ("state senator",),
    Race.Office.STATE_HOUSE: ("state representative",),
    Race.Office.MAYOR: ("mayor",),
}


def known_people() -> list[KnownPerson]:
    """Every person, with aliases, party, clues from the races they ran in, and
    how many stories link them (who a lone surname most likely is)."""
    aliases: dict[int, list[str]] = {}
    for person_id, name in Alias.objects.values_list("person_id", "name").iterator():
        aliases.setdefault(person_id, []).append(name)
    clues: dict[int, set[str]] = {}
    races = Candidacy.objects.values_list(
        "person_id", "election__race__office", "election__race__state"
    ).distinct()
    for person_id, office, state in races.iterator():
        words = clues.setdefault(person_id, set())
        words.update(OFFICE_CLUES.get(office, ()))
        words.add(State(state).label.lower())
    latest_role = PersonRole.objects.filter(person=OuterRef("pk")).order_by(
        "-start_date", "-id"
    )
    people = Person.objects.annotate(
        coverage=Count("mentions"),
        latest_role=Subquery(latest_role.values("title")[:1]),
    ).values_list(
        "pk", "name", "kind", "party", "coverage", "wikidata_id", "latest_role"
    )
    return [
        KnownPerson(
            pk,
            name,
            kind,
            tuple(aliases.get(pk, ())),
            party,
            tuple(sorted(clues.get(pk, ()))),
            coverage,
            wikidata_id or latest_role or "",
        )
        for pk, name, kind, party, coverage, wikidata_id, latest_role in (
            people.iterator()
        )
    ]


def people_version() -> tuple:
    """Changes whenever a person or alias is added, edited or deleted."""
    people = Person.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    aliases = Alias.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    return (people["n"], people["changed"], aliases["n"], aliases["changed"])


def current_finder() -> MentionFinder:
    version = people_version()
    with _lock:
        if _built["version"] != version:
            _built["finder"] = MentionFinder(known_people())
            _built["version"] = version
        return _built["finder"]
