"""Rows load without `Model.__init__` (`newsroom.loading`) into the instances
Django's own `from_db` would build."""

import pytest
from django.db import models
from django.db.models.base import DEFERRED
from django.db.models.signals import post_init

from articles.models import Article, Mention
from people.models import Person
from tests.factories import ArticleFactory, MentionFactory, PersonFactory

pytestmark = pytest.mark.django_db


def djangos_from_db(model, db, field_names, values):
    """What Django's own `from_db` builds (through `__init__`)."""
    return models.Model.from_db.__func__(model, db, field_names, values)


def stored_values(instance) -> dict:
    return {k: v for k, v in vars(instance).items() if k != "_state"}


def row_of(model, pk, names):
    return model.objects.filter(pk=pk).values_list(*names).get()


@pytest.mark.parametrize(
    "model, make",
    [
        (Article, lambda: ArticleFactory(lead_image="stories/lead.jpg")),
        (Person, lambda: PersonFactory(photo="people/photo.jpg", party="D")),
        (Mention, lambda: MentionFactory()),
    ],
)
def test_a_loaded_row_is_the_instance_django_would_build(model, make):
    pk = make().pk
    names = [field.attname for field in model._meta.concrete_fields]
    values = row_of(model, pk, names)

    loaded = model.from_db("default", names, values)
    expected = djangos_from_db(model, "default", names, values)

    assert type(loaded) is model
    assert stored_values(loaded) == {**stored_values(expected), **extras(loaded)}
    assert (loaded._state.adding, loaded._state.db) == (False, "default")
    assert loaded.get_deferred_fields() == expected.get_deferred_fields() == set()


def extras(instance) -> dict:
    # Article.from_db remembers the stored slug, and what readers read (to tell
    # a substantive edit), on top of Django's loading.
    if not isinstance(instance, Article):
        return {}
    return {
        "_stored_slug": instance.slug,
        "_stored_reading": (
            instance.status,
            instance.published_at,
            instance.headline,
            instance.dek,
            instance.body,
        ),
    }


def test_a_partly_loaded_row_defers_the_rest_as_django_does(django_assert_num_queries):
    story = ArticleFactory(body="<p>The runoff.</p>")
    names = ["id", "headline", "slug"]

    loaded = Article.from_db("default", names, row_of(Article, story.pk, names))

    assert loaded.get_deferred_fields() == (
        djangos_from_db(
            Article, "default", names, row_of(Article, story.pk, names)
        ).get_deferred_fields()
    )
    assert "body" in loaded.get_deferred_fields()
    with django_assert_num_queries(1):
        assert loaded.body == "<p>The runoff.</p>"


def test_a_deferred_marker_among_all_values_leaves_that_field_deferred():
    person = PersonFactory(bio="Filmmaker.")
    names = [field.attname for field in Person._meta.concrete_fields]
    values = [
        DEFERRED if name == "bio" else value
        for name, value in zip(names, row_of(Person, person.pk, names), strict=True)
    ]

    loaded = Person.from_db("default", names, values)

    assert loaded.get_deferred_fields() == {"bio"}
    assert loaded.bio == "Filmmaker."


def test_queries_and_saves_work_on_instances_loaded_this_way():
    story = ArticleFactory(headline="Ossoff leads")

    loaded = Article.objects.get(pk=story.pk)
    loaded.headline = "Handel wins"
    loaded.save()

    assert Article.objects.get(pk=story.pk).headline == "Handel wins"
    assert loaded.section.name == story.section.name
    assert loaded.lead_image.name == ""


def test_a_post_init_receiver_still_sees_every_loaded_row():
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.pk)

    story = ArticleFactory()
    post_init.connect(receiver, sender=Article)
    try:
        list(Article.objects.filter(pk=story.pk))
    finally:
        post_init.disconnect(receiver, sender=Article)

    assert seen == [story.pk]


def test_a_listing_row_loads_its_story_with_the_section_select_related_gives(
    django_assert_num_queries,
):
    from articles.models import LISTING_COLUMNS, SECTION_COLUMNS, story_in_section

    story = ArticleFactory(section__name="Politics")
    names = [*LISTING_COLUMNS, *(f"section__{name}" for name in SECTION_COLUMNS)]
    values = row_of(Article, story.pk, names)
    expected = Article.objects.select_related("section").get(pk=story.pk)

    with django_assert_num_queries(0):
        loaded = story_in_section(LISTING_COLUMNS, values, "default")
        section = loaded.section

    assert stored_values(section) == stored_values(expected.section)
    assert loaded.section_id == section.pk
    assert loaded._state.fields_cache.keys() == expected._state.fields_cache.keys()
