"""One tag for every name readers take for one: the folded key of each tag.

Each of taggit's tags has a `TagKey` holding `core.tags.tag_key` of its name,
unique: finding the tag a typed name belongs to is one exact, indexed look-up, and
the database refuses a second tag that reads the same.
"""

from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, router, transaction
from django.utils.text import slugify
from taggit.models import Tag

from core.tags import (
    MAX_KEY_LENGTH,
    MAX_TAG_LENGTH,
    is_address_slug,
    normalise_tag,
    tag_key,
)


class TagKey(models.Model):
    tag = models.OneToOneField(
        Tag, on_delete=models.CASCADE, primary_key=True, related_name="folded"
    )
    key = models.CharField(max_length=MAX_KEY_LENGTH, unique=True)

    class Meta:
        verbose_name = "tag key"

    def __str__(self):
        return self.key


def unique_tag_slug(name: str, *, instance_pk=None, using=None) -> str:
    """An address slug for a tag named `name` ("Путин" → "putin"), with -2, -3…
    until no other tag has it. taggit's own slugs keep non-ASCII letters, which
    the tag page's address does not take."""
    base = slugify(anyascii(name))[:90].strip("-") or "tag"
    others = Tag._default_manager.db_manager(using).exclude(pk=instance_pk)
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, counter = base, 2
    while candidate in taken:
        candidate, counter = f"{base}-{counter}", counter + 1
    return candidate


def tag_cleaned(sender, instance, raw=False, using=None, **kwargs):
    """Before a tag is written: its name cleaned, its slug one an address takes,
    and no other tag that reads the same (that one is refused)."""
    instance.name = normalise_tag(instance.name or "")
    if not instance.name:
        raise ValidationError("A tag needs a name.", code="empty_tag")
    if len(instance.name) > MAX_TAG_LENGTH:
        # PostgreSQL would refuse it with a DataError.
        raise ValidationError(
            "A tag can be at most %(limit)s characters.",
            params={"limit": MAX_TAG_LENGTH},
            code="tag_too_long",
        )
    clash = (
        TagKey.objects.using(using)
        .filter(key=tag_key(instance.name))
        .exclude(tag_id=instance.pk)
        .select_related("tag")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            "“%(name)s” is the existing tag “%(existing)s”.",
            params={"name": instance.name, "existing": clash.tag.name},
            code="folded_tag",
        )
    if not is_address_slug(instance.slug):
        instance.slug = unique_tag_slug(
            instance.name, instance_pk=instance.pk, using=using
        )


def tag_key_saved(sender, instance, created, raw=False, using=None, **kwargs):
    key = tag_key(instance.name)
    if created:
        TagKey.objects.using(using).create(tag=instance, key=key)
    else:
        TagKey.objects.using(using).update_or_create(
            tag=instance, defaults={"key": key}
        )


def existing_tags(names, *, using=None) -> dict[str, Tag]:
    """{typed name: the tag it is filed under} for those of `names` that read as
    an existing tag; one query."""
    keys = {name: tag_key(name) for name in names}
    found = {
        folded.key: folded.tag
        for folded in TagKey.objects.using(using)
        .filter(key__in=set(keys.values()))
        .select_related("tag")
    }
    return {name: found[key] for name, key in keys.items() if key in found}


def tags_for_names(names, *, using=None) -> dict[str, Tag]:
    """{typed name: its tag} for each of `names` with a name left once cleaned:
    the existing tag it reads as, or a new one."""
    tags = existing_tags(names, using=using)
    for name in names:
        if name in tags or not normalise_tag(name):
            continue
        key = tag_key(name)
        made = next((t for n, t in tags.items() if tag_key(n) == key), None)
        tags[name] = made or _new_tag(name, using=using)
    return tags


def _new_tag(name: str, *, using=None) -> Tag:
    db = using or router.db_for_write(Tag)
    try:
        with transaction.atomic(using=db):
            return Tag._default_manager.using(db).create(name=name)
    except (IntegrityError, ValidationError):
        # Another save made it first: file the name under that one.
        found = existing_tags([name], using=db).get(name)
        if found is None:
            raise
        return found


def folded_names(names, *, using=None) -> list[tuple[str, Tag]]:
    """(typed name, tag) for each of `names` filed under a tag of another name."""
    return [
        (name, tag)
        for name, tag in existing_tags(names, using=using).items()
        if tag.name != normalise_tag(name)
    ]
