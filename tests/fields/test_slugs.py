"""Slugs: readable ASCII for any script, bounded, unique even under concurrent saves."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from articles.models import Article, Section
from articles.services import story_import
from people.models import Person
from tests.articles.test_workflow import story_form
from tests.factories import ArticleFactory, PersonFactory, SectionFactory, UserFactory


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


EDITORS = 8  # saving at the same moment, each on a connection of its own
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrency"
)


def at_once(work, count=EDITORS):
    """Run `work(i)` in `count` threads released together, each on its own
    database connection; the results, and the errors raised."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(i):
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001  (reported by the test)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_people_saved_with_the_same_name_at_once_all_get_slugs():
    _, errors = at_once(lambda i: Person.objects.create(name="John Smith"))

    slugs = Person.objects.values_list("slug", flat=True)
    assert errors == []
    assert len(set(slugs)) == EDITORS
    assert all(slug.startswith("john-smith") for slug in slugs)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_stories_saved_with_the_same_headline_at_once_all_get_slugs():
    section = SectionFactory()

    _, errors = at_once(
        lambda i: Article.objects.create(headline="Same headline", section=section)
    )

    slugs = Article.objects.values_list("slug", flat=True)
    assert errors == []
    assert len(set(slugs)) == EDITORS
    assert all(slug.startswith("same-headline") for slug in slugs)


def editors_clients(count=EDITORS):
    user = UserFactory(is_superuser=True)
    clients = [Client(raise_request_exception=False) for _ in range(count)]
    for client in clients:
        client.force_login(user)
    return clients


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_editors_adding_the_same_headline_at_once_all_get_stories():
    section = SectionFactory()
    clients = editors_clients()
    data = story_form(section=section, headline="Same headline", slug="")

    responses, errors = at_once(
        lambda i: clients[i].post(reverse("admin:articles_article_add"), data)
    )

    assert errors == []
    assert [response.status_code for response in responses] == [302] * EDITORS
    assert len(set(Article.objects.values_list("slug", flat=True))) == EDITORS


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_editors_giving_the_same_slug_at_once_get_a_form_error_not_a_500():
    section = SectionFactory()
    clients = editors_clients()
    data = story_form(section=section, headline="Same headline", slug="same")

    responses, errors = at_once(
        lambda i: clients[i].post(reverse("admin:articles_article_add"), data)
    )

    statuses = sorted(response.status_code for response in responses)
    assert errors == []
    assert statuses == [302] + [409] * (EDITORS - 1)
    refused = [r.content.decode() for r in responses if r.status_code == 409]
    assert all("Article with this Slug already exists." in page for page in refused)
    assert Article.objects.get().slug == "same"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_stories_imported_with_the_same_headline_at_once_all_get_slugs():
    text = "Same headline\n\nThe story's only paragraph."

    def import_one(i):
        with transaction.atomic():  # as `import_story` runs it
            return story_import(text=text, section="Politics")

    _, errors = at_once(import_one)

    assert errors == []
    assert len(set(Article.objects.values_list("slug", flat=True))) == EDITORS
    assert Section.objects.count() == 1
