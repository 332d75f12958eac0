"""Existing tags cleaned and folded: names without control characters, slugs an
address takes, and the tags that read as one merged into the oldest of them (their
links moved; a name in one script is kept before one mixing scripts), before
every tag gets its key."""

from collections import defaultdict

from django.db import migrations
from django.utils.text import slugify

from anyascii import anyascii
from confusable_homoglyphs.confusables import is_mixed_script

from core.tags import is_address_slug, normalise_tag, tag_key

THROUGHS = [
    ("articles", "TaggedArticle", ["content_object_id"]),
    ("people", "TaggedPerson", ["content_object_id"]),
    ("people", "TaggedRace", ["content_object_id"]),
    ("taggit", "TaggedItem", ["content_type_id", "object_id"]),
]


def move_links(through, same, duplicate, keep, db):
    links = through.objects.using(db).filter(tag=duplicate)
    kept = set(through.objects.using(db).filter(tag=keep).values_list(*same))
    doubled = [
        pk for pk, *item in links.values_list("pk", *same) if tuple(item) in kept
    ]
    through.objects.using(db).filter(pk__in=doubled).delete()
    links.update(tag=keep)


def fold_tags(apps, schema_editor):
    db = schema_editor.connection.alias
    Tag = apps.get_model("taggit", "Tag")
    TagKey = apps.get_model("tagging", "TagKey")
    throughs = [(apps.get_model(app, name), same) for app, name, same in THROUGHS]

    groups = defaultdict(list)
    for tag in Tag.objects.using(db).order_by("pk"):
        name = normalise_tag(tag.name) or f"Tag {tag.pk}"
        groups[tag_key(name)].append((tag, name))
    slugs = set(Tag.objects.using(db).values_list("slug", flat=True))
    keys = []
    for key, group in groups.items():
        group.sort(key=lambda tag_name: (is_mixed_script(tag_name[1]), tag_name[0].pk))
        [(keep, name), *duplicates] = group
        for duplicate, _name in duplicates:
            for through, same in throughs:
                move_links(through, same, duplicate, keep, db)
            slugs.discard(duplicate.slug)
            duplicate.delete()
        slug = keep.slug
        if not is_address_slug(slug):
            slugs.discard(slug)
            base = slugify(anyascii(name))[:90].strip("-") or "tag"
            slug, counter = base, 2
            while slug in slugs:
                slug, counter = f"{base}-{counter}", counter + 1
            slugs.add(slug)
        if (name, slug) != (keep.name, keep.slug):
            Tag.objects.using(db).filter(pk=keep.pk).update(name=name, slug=slug)
        keys.append(TagKey(tag_id=keep.pk, key=key))
    TagKey.objects.using(db).bulk_create(keys, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("tagging", "0001_tag_key"),
        ("articles", "0017_article_byline_credits"),
        ("people", "0005_name_trigram_indexes"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(fold_tags, migrations.RunPython.noop)]
