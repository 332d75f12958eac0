"""Writes across several rows for people."""

from django.db import transaction

from people.models import Alias, Person, PersonSlug


@transaction.atomic
def person_merge(*, duplicate: Person, into: Person) -> Person:
    """Move everything of `duplicate` (mentions, candidacies, bylines, aliases,
    decisions, tags) to `into`, keep its name as an alias and its address as a
    redirect, then delete it. Where both have the same link, `into`'s is kept."""
    if duplicate.pk == into.pk:
        raise ValueError("A person cannot be merged into themselves.")
    for mention in duplicate.mentions.all():
        if into.mentions.filter(
            article_id=mention.article_id, role=mention.role
        ).exists():
            mention.delete()
        else:
            mention.person = into
            mention.save(update_fields=["person"])
    for byline in duplicate.bylines.all():
        if into.bylines.filter(article_id=byline.article_id).exists():
            byline.delete()
        else:
            byline.person = into
            byline.save(update_fields=["person"])
    for candidacy in duplicate.candidacies.all():
        if into.candidacies.filter(election_id=candidacy.election_id).exists():
            candidacy.delete()
        else:
            candidacy.person = into
            candidacy.save(update_fields=["person"])
    for decision in duplicate.mention_decisions.all():
        if into.mention_decisions.filter(article_id=decision.article_id).exists():
            decision.delete()
        else:
            decision.person = into
            decision.save(update_fields=["person"])
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
    duplicate.delete()
    PersonSlug.objects.update_or_create(slug=old_slug, defaults={"person": into})
    into.save()  # a new updated_at: the mention finder rebuilds
    return into
