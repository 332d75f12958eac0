"""A story's `byline_credits`: the bylines readers see, kept in step with the
bylines and the journalists in them, however they change."""

import importlib
import threading
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Byline
from people.services import person_merge
from tests.articles.test_admin import article_form, inline_management
from tests.factories import ArticleFactory, BylineFactory, JournalistFactory

pytestmark = pytest.mark.django_db


def credits_of(story) -> list:
    return Article.objects.get(pk=story.pk).byline_credits


def test_a_new_byline_is_in_its_storys_credits_in_the_order_bylines_read():
    story = ArticleFactory()
    BylineFactory(article=story, person__name="Zed Last", position=2)
    BylineFactory(article=story, person__name="Amy First", position=1)

    assert credits_of(story) == [["Amy First", "amy-first"], ["Zed Last", "zed-last"]]


def test_moving_a_byline_reorders_the_credits():
    story = ArticleFactory()
    first = BylineFactory(article=story, person__name="Amy First", position=1)
    BylineFactory(article=story, person__name="Zed Last", position=2)

    first.position = 3
    first.save()

    assert [name for name, slug in credits_of(story)] == ["Zed Last", "Amy First"]


def test_a_deleted_byline_leaves_the_credits():
    story = ArticleFactory()
    byline = BylineFactory(article=story, person__name="Greg Bluestein")
    BylineFactory(article=story, person__name="Tia Mitchell")

    byline.delete()

    assert credits_of(story) == [["Tia Mitchell", "tia-mitchell"]]


def test_a_renamed_journalist_is_renamed_on_every_story_they_wrote():
    journalist = JournalistFactory(name="Greg Bluestein")
    stories = [BylineFactory(person=journalist).article for _ in range(3)]

    journalist.name, journalist.slug = "Greg Bluestein Jr.", "greg-bluestein-jr"
    journalist.save()

    assert [credits_of(story) for story in stories] == [
        [["Greg Bluestein Jr.", "greg-bluestein-jr"]]
    ] * 3


def test_the_front_page_shows_a_renamed_journalists_new_name(client):
    journalist = JournalistFactory(name="Greg Bluestein")
    BylineFactory(person=journalist)
    assert "By Greg Bluestein" in client.get("/").content.decode()

    journalist.name = "Gregory Bluestein"
    journalist.save()

    assert "By Gregory Bluestein" in client.get("/").content.decode()


def test_saving_a_story_loaded_before_a_byline_was_added_keeps_the_byline():
    story = ArticleFactory()
    loaded_earlier = Article.objects.get(pk=story.pk)
    BylineFactory(article=story, person__name="Tia Mitchell")

    loaded_earlier.headline = "A new headline"
    loaded_earlier.save()

    assert credits_of(story) == [["Tia Mitchell", "tia-mitchell"]]


def test_a_merged_journalists_stories_credit_the_one_kept():
    kept = JournalistFactory(name="Greg Bluestein")
    duplicate = JournalistFactory(name="G. Bluestein")
    story = BylineFactory(person=duplicate).article

    person_merge(duplicate=duplicate, into=kept)

    assert credits_of(story) == [["Greg Bluestein", "greg-bluestein"]]


def test_bylines_added_in_the_story_form_are_the_credits(admin_client):
    reporter = JournalistFactory(name="Jerome Hudson")
    data = article_form(
        ArticleFactory().section,
        **inline_management("bylines", total=1),
        **{"bylines-0-person": str(reporter.pk), "bylines-0-position": "0"},
    )

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302
    story = Article.objects.get(slug="handel-wins-the-runoff")
    assert story.byline_credits == [["Jerome Hudson", "jerome-hudson"]]
    assert [credit.name for credit in story.credits] == ["Jerome Hudson"]


def delete_queries(stories: int) -> int:
    """Queries that deleting `stories` stories with a byline each takes."""
    for _ in range(stories):
        BylineFactory()
    with CaptureQueriesContext(connection) as queries:
        Article.objects.all().delete()
    assert not Byline.objects.exists()
    return len(queries)


def test_deleting_many_stories_takes_as_many_queries_as_deleting_few():
    """Their bylines go with them: no story's credits are written on the way."""
    assert delete_queries(20) == delete_queries(2)


def test_the_migration_gives_every_existing_story_its_credits():
    migration = importlib.import_module(
        "articles.migrations.0017_article_byline_credits"
    )
    story = ArticleFactory()
    BylineFactory(article=story, person__name="Amy First", position=1)
    BylineFactory(article=story, person__name="Zed Last", position=2)
    unbylined = ArticleFactory()
    Article.objects.update(byline_credits=[])  # as the new column starts

    migration.fill_byline_credits(apps, SimpleNamespace(connection=connection))

    assert credits_of(story) == [["Amy First", "amy-first"], ["Zed Last", "zed-last"]]
    assert credits_of(unbylined) == []


@pytest.mark.django_db(transaction=True)
def test_two_editors_adding_bylines_to_one_story_at_once_leave_both():
    """The second waits for the first to commit, then reads both bylines."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time")
    story = ArticleFactory()
    first_writer = JournalistFactory(name="Amy First")
    second_writer = JournalistFactory(name="Zed Last")
    first_added, second_started = threading.Event(), threading.Event()
    failures = []

    def first_editor():
        try:
            with transaction.atomic():
                Byline.objects.create(article=story, person=first_writer, position=1)
                first_added.set()
                second_started.wait(10)
                # The second editor is now waiting on the story's row, or would
                # have written its credits without this byline.
                threading.Event().wait(0.5)
        except Exception as error:  # noqa: BLE001 (reported by the test)
            failures.append(error)
        finally:
            first_added.set()
            connections.close_all()

    def second_editor():
        try:
            first_added.wait(10)
            with transaction.atomic():
                second_started.set()
                Byline.objects.create(article=story, person=second_writer, position=2)
        except Exception as error:  # noqa: BLE001
            failures.append(error)
        finally:
            second_started.set()
            connections.close_all()

    editors = [
        threading.Thread(target=first_editor),
        threading.Thread(target=second_editor),
    ]
    for editor in editors:
        editor.start()
    for editor in editors:
        editor.join(30)

    assert failures == []
    assert credits_of(story) == [["Amy First", "amy-first"], ["Zed Last", "zed-last"]]


def test_refresh_story_links_mends_bylines_changed_in_bulk():
    story = ArticleFactory()
    byline = BylineFactory(article=story, person__name="Greg Bluestein")
    other = JournalistFactory(name="Tia Mitchell")
    Byline.objects.filter(pk=byline.pk).update(person=other)  # no signal

    call_command("refresh_story_links", stdout=StringIO())

    assert credits_of(story) == [["Tia Mitchell", "tia-mitchell"]]
