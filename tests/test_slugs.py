"""Slugs: readable ASCII for any script, bounded, unique even under concurrent saves."""

import threading

import pytest
from django.db import connection

from articles.models import Article
from people.models import Person
from tests.factories import ArticleFactory, PersonFactory, SectionFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Путин", "putin"),
        ("习近平", "xijinping"),
        ("Beyoncé", "beyonce"),
        ("O’Donnell", "odonnell"),
    ],
)
def test_non_latin_names_get_readable_ascii_slugs(name, slug):
    assert PersonFactory(name=name).slug == slug


@pytest.mark.django_db
def test_a_story_without_a_slug_gets_one_from_its_headline():
    story = ArticleFactory(headline="Путин и Трамп", slug="")

    assert story.slug == "putin-i-tramp"


@pytest.mark.django_db
def test_a_long_headline_fits_the_slug_field():
    story = ArticleFactory(headline="word " * 40, slug="")

    assert 0 < len(story.slug) <= 200


@pytest.mark.django_db
def test_duplicate_headlines_get_a_suffix():
    first = ArticleFactory(headline="Runoff results", slug="")
    second = ArticleFactory(headline="Runoff results", slug="")

    assert (first.slug, second.slug) == ("runoff-results", "runoff-results-2")


@pytest.mark.django_db
def test_a_name_that_slugifies_to_nothing_still_gets_a_slug():
    assert PersonFactory(name="!!!").slug == "item"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrency")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_of_the_same_name_get_different_slugs():
    barrier = threading.Barrier(2)
    errors = []
    section = SectionFactory()

    def save(model, **fields):
        try:
            barrier.wait(timeout=10)
            model.objects.create(**fields)
        except Exception as error:  # reported below
            errors.append(error)
            raise
        finally:
            connection.close()

    for model, fields in [
        (Person, {"name": "John Smith"}),
        (Article, {"headline": "Same headline", "section": section}),
    ]:
        threads = [
            threading.Thread(target=save, args=(model,), kwargs=fields)
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    assert sorted(Person.objects.values_list("slug", flat=True)) == [
        "john-smith",
        "john-smith-2",
    ]
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "same-headline",
        "same-headline-2",
    ]
