"""Tags: one tag however it is typed, bounded names, merging."""

import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from articles.models import TaggedArticle
from articles.services import tag_merge
from newsroom.tags import parse_tags
from tests.articles.test_workflow import story_form
from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_case_does_not_make_a_new_tag():
    ArticleFactory().tags.add("Trump")
    ArticleFactory().tags.add("trump")

    assert Tag.objects.count() == 1


def test_nfc_and_nfd_spellings_are_one_tag(admin_client):
    nfd = unicodedata.normalize("NFD", "Café politics")
    first, second = ArticleFactory(), ArticleFactory()

    for story, name in [(first, "Café politics"), (second, nfd)]:
        admin_client.post(
            reverse("admin:articles_article_change", args=[story.pk]),
            story_form(story, tags=f"{name},"),
        )

    assert list(Tag.objects.values_list("name", flat=True)) == ["Café politics"]


def test_parser_folds_spaces_and_drops_empty_names():
    assert parse_tags('Georgia  6th,  "Hollywood, CA" ,,') == [
        "Georgia 6th",
        "Hollywood, CA",
    ]


def test_an_over_long_tag_is_a_form_error_not_a_500(admin_client):
    story = ArticleFactory()

    response = admin_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        story_form(story, tags="x" * 150),
    )

    assert response.status_code == 200
    assert "A tag can be at most 100 characters" in response.content.decode()
    assert not Tag.objects.exists()


def test_merge_tags_action_retags_everything(admin_client):
    story, other = ArticleFactory(), ArticleFactory()
    person = PersonFactory()
    story.tags.add("GA-06")
    other.tags.add("Georgia 6th", "GA-06")
    person.tags.add("GA-06")
    keep = Tag.objects.get(name="Georgia 6th")
    url = reverse("admin:taggit_tag_changelist")
    selection = {
        "action": "merge_tags",
        "_selected_action": list(Tag.objects.values_list("pk", flat=True)),
    }

    assert (
        "Choose the tag to keep" in admin_client.post(url, selection).content.decode()
    )
    admin_client.post(url, {**selection, "into": str(keep.pk)})

    assert list(Tag.objects.all()) == [keep]
    assert list(story.tags.names()) == ["Georgia 6th"]
    assert list(other.tags.names()) == ["Georgia 6th"]
    assert list(person.tags.names()) == ["Georgia 6th"]


def tag_merge_queries(stories: int) -> int:
    """Queries merging a tag on `stories` stories (every other one also carrying
    the kept tag) takes."""
    for n in range(stories):
        story = ArticleFactory()
        story.tags.add(f"Duplicate {stories}", *([f"Kept {stories}"] if n % 2 else []))
    duplicate = Tag.objects.get(name=f"Duplicate {stories}")
    kept = Tag.objects.get_or_create(name=f"Kept {stories}")[0]
    with CaptureQueriesContext(connection) as queries:
        tag_merge(duplicate=duplicate, into=kept)
    assert TaggedArticle.objects.filter(tag=kept).count() == stories
    return len(queries)


def test_a_tag_merge_takes_as_many_queries_for_many_stories_as_for_few():
    assert tag_merge_queries(20) == tag_merge_queries(2)
