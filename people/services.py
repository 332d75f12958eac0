"""Writes across several rows for people."""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from core import cache_keys as keys
from core.cache_keys import invalidate
from people.cache_keys import person_keys
from people.models import Alias, Person, PersonSlug, Race, Relationship

IDENTIFIER_FIELDS = [
    "wikidata_id", "fec_candidate_id", "ballotpedia_slug", "ap_candidate_id"
]  # fmt: skip


@transaction.atomic
def person_merge(*, duplicate: Person, into: Person) -> Person:
    """Move everything of `duplicate` (mentions, candidacies, bylines, aliases,
    decisions, tags, roles, the identifiers `into` lacks) to `into`, keep its
    name as an alias and its address as a redirect, then delete it. Where both
    have the same link, `into`'s is kept."""
    if duplicate.pk == into.pk:
        raise ValueError("A person cannot be merged into themselves.")
    # The links move in bulk, past their signals: the stories and races that
    # showed the duplicate show `into`.
    invalidate(
        {
            keys.story(pk)
            for pk in duplicate.mentions.values_list("article_id", flat=True)
        }
        | {
            keys.story(pk)
            for pk in duplicate.bylines.values_list("article_id", flat=True)
        }
        | {
            keys.race(pk)
            for pk in duplicate.candidacies.values_list("election__race_id", flat=True)
        }
        | person_keys(duplicate.pk)
        | person_keys(into.pk),
        hard=False,  # its own page goes hard with its delete below
    )
    # Where both have the same link, `into`'s is kept.
    move_links(duplicate.mentions, into.mentions, ["article", "role"], person=into)
    move_links(duplicate.bylines, into.bylines, ["article"], person=into)
    move_links(duplicate.candidacies, into.candidacies, ["election"], person=into)
    move_links(
        duplicate.mention_decisions, into.mention_decisions, ["article"], person=into
    )
    # Their relationships become `into`'s (saved one by one: their pages are
    # purged); one between the two would be with oneself, and goes.
    for relationship in Relationship.objects.filter(
        Q(subject=duplicate, object_person=into)
        | Q(subject=into, object_person=duplicate)
    ):
        relationship.delete()
    for relationship in duplicate.relationships.all():
        relationship.subject = into
        relationship.save(update_fields=["subject"])
    for relationship in duplicate.relationships_as_object.all():
        relationship.object_person = into
        relationship.save(update_fields=["object_person"])
    move_links(duplicate.roles, into.roles, ["title", "start_date"], person=into)
    names = {into.name, *into.aliases.values_list("name", flat=True)}
    for alias in duplicate.aliases.all():
        if alias.name in names:
            alias.delete()
        else:
            alias.person = into
            alias.save(update_fields=["person"])
            names.add(alias.name)
    if duplicate.name not in names:
        Alias.objects.create(person=into, name=duplicate.name)
    into.tags.add(*duplicate.tags.all())
    duplicate.old_slugs.update(person=into)
    old_slug = duplicate.slug
    # The identifiers `into` lacks, once the duplicate no longer holds them.
    identifiers = {
        name: getattr(duplicate, name)
        for name in IDENTIFIER_FIELDS
        if getattr(duplicate, name) and not getattr(into, name)
    }
    duplicate.delete()
    for name, value in identifiers.items():
        setattr(into, name, value)
    PersonSlug.objects.update_or_create(slug=old_slug, defaults={"person": into})
    # A new updated_at: the mention finder rebuilds; and the stories of the
    # bylines moved here show `into` (`articles.receivers.journalist_saved_credits`).
    into.save()
    return into


def move_links(duplicate_links, kept_links, same_fields, **owner):
    """Hand a merged duplicate's links (a queryset or reverse relation) to their
    new `owner`, but for those the kept one already has alike (equal
    `same_fields`), which go. A few statements however many links: one by one, a
    headliner's 30,000 mentions took 46 s, past any request's time limit."""
    alike = kept_links.filter(**{name: OuterRef(name) for name in same_fields})
    duplicate_links.filter(Exists(alike)).delete()
    duplicate_links.update(**owner)


@transaction.atomic
def relationship_find_or_create(
    *,
    subject: Person,
    kind: str,
    object_person: Person | None = None,
    object_race: Race | None = None,
    amount=None,
    date=None,
) -> tuple[Relationship, bool]:
    """The relationship with exactly these values, made when there is none:
    (relationship, created). Reports of one fact in several stories share it.
    Checked with `full_clean()` (one object, person or race; no negative
    amount), and made under a lock on the subject's row, so that two editors
    adding the same one at once make it once."""
    relationship = Relationship(
        subject=subject,
        kind=kind,
        object_person=object_person,
        object_race=object_race,
        amount=amount,
        date=date,
    )
    relationship.full_clean()
    list(Person.objects.select_for_update().filter(pk=subject.pk).values_list("pk"))
    same = Relationship.objects.filter(
        subject=subject,
        kind=kind,
        object_person=object_person,
        object_race=object_race,
        amount=amount,
        date=date,
    ).first()
    if same is not None:
        return same, False
    relationship.save()
    return relationship, True
