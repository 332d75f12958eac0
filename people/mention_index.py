"""The mention finder for the people in the database, built once per process and
rebuilt when people or aliases change (checked with one cheap query)."""

import threading

from django.db.models import Count, Max

from people.mentions import KnownPerson, MentionFinder
from people.models import Alias, Person

_lock = threading.Lock()
_built: dict = {"version": None, "finder": None}


def known_people() -> list[KnownPerson]:
    aliases: dict[int, list[str]] = {}
    for person_id, name in Alias.objects.values_list("person_id", "name").iterator():
        aliases.setdefault(person_id, []).append(name)
    return [
        KnownPerson(pk, name, kind, tuple(aliases.get(pk, ())))
        for pk, name, kind in Person.objects.values_list(
            "pk", "name", "kind"
        ).iterator()
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
