"""Which cache keys a change to people, races and their rounds touches (the
vocabulary and the mechanism: `core.cache_keys`; a person's stories are the
articles app's to know: `articles.cache_keys`)."""

from core import cache_keys as keys
from core.cache_keys import invalidate


def person_keys(pk) -> set[str]:
    return {
        keys.person(pk),
        keys.list_person(pk),
        keys.LIST_PEOPLE,
        keys.sitemap("people"),
        keys.SITEMAP_INDEX,
        keys.SEARCH,
    }


def race_keys(pk) -> set[str]:
    return {
        keys.race(pk),
        keys.list_race(pk),
        keys.LIST_RACES,
        keys.sitemap("races"),
        keys.SITEMAP_INDEX,
        keys.SEARCH,
    }


def switch_read(sender, instance, raw=False, **kwargs):
    """pre_save for `Person` and `Race`: whether the row was shown without stories
    before this save, so that switching it off purges hard (see `hidden_again`)."""
    if instance.pk is not None and not raw:
        instance.was_shown_without_stories = sender.objects.filter(
            pk=instance.pk, show_without_stories=True
        ).exists()


def hidden_again(instance) -> bool:
    """Whether this save switched off "show without stories": a person or race
    with no published story then leaves readers, and no tier may keep serving a
    copy of their pages (a hard purge, as for an unpublished story)."""
    was_shown = getattr(instance, "was_shown_without_stories", False)
    return was_shown and not instance.show_without_stories


def person_changed(sender, instance, **kwargs):
    """post_save for `Person`."""
    invalidate(person_keys(instance.pk), hard=hidden_again(instance))


def person_deleted(sender, instance, **kwargs):
    """post_delete for `Person`."""
    invalidate(person_keys(instance.pk), hard=True)


def race_changed(sender, instance, **kwargs):
    """post_save for `Race`."""
    invalidate(race_keys(instance.pk), hard=hidden_again(instance))


def race_deleted(sender, instance, **kwargs):
    """post_delete for `Race`."""
    invalidate(race_keys(instance.pk), hard=True)


def person_part_changed(sender, instance, **kwargs):
    """post_save and post_delete for what belongs to a person (aliases, old
    addresses, tags, dated roles): their page, and the story pages that show
    them (which carry the person's key)."""
    person = getattr(instance, "person_id", None)
    if person is None:
        person = instance.content_object_id  # TaggedPerson
    invalidate({keys.person(person)}, hard=False)


def race_tag_changed(sender, instance, **kwargs):
    """post_save and post_delete for a race's tags."""
    invalidate({keys.race(instance.content_object_id)}, hard=False)


def election_changed(sender, instance, **kwargs):
    """post_save and post_delete for rounds: their race's page and results, and
    the candidates' pages, which list their candidacies."""
    from people.models import Candidacy

    people = Candidacy.objects.filter(election_id=instance.pk).values_list(
        "person_id", flat=True
    )
    found = {keys.race(instance.race_id), keys.LIST_RACES}
    invalidate(found | {keys.person(pk) for pk in people}, hard=False)


def candidacy_changed(sender, instance, **kwargs):
    """post_save and post_delete for candidacies (results)."""
    from people.models import Election

    race = (
        Election.objects.filter(pk=instance.election_id)
        .values_list("race_id", flat=True)
        .first()
    )
    found = {keys.person(instance.person_id), keys.LIST_RACES}
    if race is not None:
        found.add(keys.race(race))
    invalidate(found, hard=False)


def relationship_keys(subject_id, object_person_id, object_race_id) -> set[str]:
    """The pages a relationship shows on: its subject's and its object's (a
    race page shows its candidates' backers and declares their keys)."""
    found = {keys.person(subject_id)}
    if object_person_id is not None:
        found.add(keys.person(object_person_id))
    if object_race_id is not None:
        found.add(keys.race(object_race_id))
    return found


def relationship_before_save(sender, instance, raw=False, **kwargs):
    """pre_save for `Relationship`: the pages of the relationship as stored (an
    edit may move it to another person: the page it leaves is purged too)."""
    before = set()
    if instance.pk is not None and not raw:
        stored = (
            sender.objects.filter(pk=instance.pk)
            .values_list("subject_id", "object_person_id", "object_race_id")
            .first()
        )
        if stored is not None:
            before = relationship_keys(*stored)
    instance.keys_before_save = before


def relationship_changed(sender, instance, **kwargs):
    """post_save and post_delete for `Relationship`."""
    found = relationship_keys(
        instance.subject_id, instance.object_person_id, instance.object_race_id
    )
    invalidate(found | getattr(instance, "keys_before_save", set()), hard=False)
