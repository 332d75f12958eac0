"""Tags: one tag however it is typed, bounded names, merging."""

import importlib
import io
import threading
import types
import unicodedata

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from articles.models import TaggedArticle
from articles.services import tag_merge
from core.tags import parse_tags, tag_key
from people.models import TaggedPerson
from tagging.models import TagKey
from tests.articles.test_workflow import story_form
from tests.factories import ArticleFactory, PersonFactory, RaceFactory, person_form

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


@pytest.mark.parametrize(
    "typed",
    [
        "hillary-clinton",
        "HILLARY_CLINTON",
        "Hillary  Clinton",
        "hillary – clinton",
        "hillary_-_clinton",
    ],
)
def test_case_and_separators_fold_onto_the_existing_tag(typed):
    ArticleFactory().tags.add("Hillary Clinton")
    story = ArticleFactory()

    story.tags.add(typed)

    assert list(Tag.objects.values_list("name", "slug")) == [
        ("Hillary Clinton", "hillary-clinton")
    ]
    assert list(story.tags.names()) == ["Hillary Clinton"]


@pytest.mark.parametrize(
    "typed",
    [
        "\u0422rump",  # Cyrillic capital Te
        "\u0442rump",  # Cyrillic small te
        "Trum\u0440",  # Cyrillic er
        "\U0001d413rump",  # mathematical bold capital T
        "\uff34\uff32\uff35\uff2d\uff30",  # full-width TRUMP
        "Trump\u00ad",  # a soft hyphen
    ],
)
def test_look_alike_letters_fold_onto_the_existing_tag(typed):
    ArticleFactory().tags.add("Trump")

    ArticleFactory().tags.add(typed)

    assert list(Tag.objects.values_list("name", flat=True)) == ["Trump"]


def test_a_name_wholly_in_another_script_is_its_own_tag():
    ArticleFactory().tags.add("Putin", "\u041f\u0443\u0442\u0438\u043d")

    assert Tag.objects.count() == 2


def test_letters_that_look_alike_within_one_script_stay_apart():
    ArticleFactory().tags.add("AI", "Al")

    assert sorted(Tag.objects.values_list("name", flat=True)) == ["AI", "Al"]


def test_people_and_races_fold_their_tags_too():
    ArticleFactory().tags.add("Georgia 6th")
    person, race = PersonFactory(), RaceFactory()

    person.tags.set(["georgia-6th"])
    race.tags.add("GEORGIA_6TH")

    assert Tag.objects.count() == 1
    assert list(person.tags.names()) == list(race.tags.names()) == ["Georgia 6th"]


def test_a_tag_is_removed_by_any_spelling_of_it():
    story = ArticleFactory()
    story.tags.add("Hillary Clinton")

    story.tags.remove("hillary-clinton")

    assert not story.tags.exists()


def test_two_spellings_in_one_add_make_one_tag():
    story = ArticleFactory()

    story.tags.add("Hillary Clinton", "hillary-clinton")

    assert list(story.tags.names()) == ["Hillary Clinton"]


def test_the_database_refuses_two_tags_of_one_key():
    Tag.objects.create(name="Hillary Clinton")
    other = Tag.objects.bulk_create([Tag(name="hillary-clinton", slug="other")])[0]

    with pytest.raises(IntegrityError):
        TagKey.objects.create(tag=other, key=tag_key("hillary-clinton"))


def test_creating_a_tag_that_reads_as_an_existing_one_is_refused():
    Tag.objects.create(name="Hillary Clinton")

    with pytest.raises(ValidationError, match="existing tag “Hillary Clinton”"):
        Tag.objects.create(name="hillary-clinton")
    assert Tag.objects.count() == 1


def test_a_renamed_tag_is_found_by_its_new_name():
    tag = Tag.objects.create(name="Hillary Rodham")
    tag.name = "Hillary Clinton"
    tag.save()

    ArticleFactory().tags.add("hillary-clinton")

    assert list(Tag.objects.all()) == [tag]


def test_a_tag_of_non_latin_letters_gets_an_address_slug(client):
    ArticleFactory().tags.add("Café politics", "\u4e60\u8fd1\u5e73")

    assert sorted(Tag.objects.values_list("slug", flat=True)) == [
        "cafe-politics",
        "xijinping",
    ]
    assert (
        client.get(reverse("articles:tag", args=["cafe-politics"])).status_code == 200
    )


def test_the_story_admin_says_which_existing_tag_a_typed_one_was_filed_under(
    admin_client,
):
    ArticleFactory().tags.add("Hillary Clinton")
    story = ArticleFactory()

    response = admin_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        story_form(story, tags="hillary-clinton, Brand new"),
        follow=True,
    )

    assert [str(m) for m in get_messages(response.wsgi_request)][:1] == [
        "“hillary-clinton” was filed under the existing tag “Hillary Clinton”."
    ]
    assert sorted(story.tags.names()) == ["Brand new", "Hillary Clinton"]


def test_the_person_admin_says_which_existing_tag_a_typed_one_was_filed_under(
    admin_client,
):
    ArticleFactory().tags.add("Trump")

    response = admin_client.post(
        reverse("admin:people_person_add"),
        person_form(name="A Candidate", tags="\u0422rump"),
    )

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)][:1] == [
        "“\u0422rump” was filed under the existing tag “Trump”."
    ]


def test_the_tag_admin_refuses_a_new_tag_that_reads_as_an_existing_one(
    admin_client,
):
    Tag.objects.create(name="Hillary Clinton")

    response = admin_client.post(
        reverse("admin:taggit_tag_add"),
        {"name": "hillary-clinton", "slug": "hillary-clinton-2", **INLINE},
    )

    assert response.status_code == 200
    assert "existing tag “Hillary Clinton”" in response.content.decode()
    assert Tag.objects.count() == 1


INLINE = {
    "taggit-taggeditem-tag-TOTAL_FORMS": "0",
    "taggit-taggeditem-tag-INITIAL_FORMS": "0",
    "taggit-taggeditem-tag-MIN_NUM_FORMS": "0",
    "taggit-taggeditem-tag-MAX_NUM_FORMS": "1000",
}


def test_the_migration_merges_tags_that_read_as_one():
    """Tags stored before folding: the oldest of each group is kept (a name in one
    script before one mixing scripts), the links of the others moved to it (once
    per story), and every tag gets its key."""
    kept, other, cyrillic, lone = Tag.objects.bulk_create(
        [
            Tag(name="Hillary Clinton", slug="hillary-clinton"),
            Tag(name="hillary-clinton", slug="hillary-clinton_1"),
            Tag(name="\u0422rump\x07", slug="\u0442rump"),
            Tag(name="Trump", slug="trump"),
        ]
    )
    both, one = ArticleFactory(), ArticleFactory()
    person = PersonFactory()
    TaggedArticle.objects.create(content_object=both, tag=kept)
    TaggedArticle.objects.create(content_object=both, tag=other)
    TaggedArticle.objects.create(content_object=one, tag=other)
    TaggedPerson.objects.create(content_object=person, tag=cyrillic)
    migration = importlib.import_module("tagging.migrations.0002_fold_existing_tags")

    migration.fold_tags(apps, types.SimpleNamespace(connection=connection))

    assert sorted(Tag.objects.values_list("name", "slug")) == [
        ("Hillary Clinton", "hillary-clinton"),
        ("Trump", "trump"),
    ]
    assert sorted(TagKey.objects.values_list("key", flat=True)) == [
        "hillary clinton",
        "trump",
    ]
    assert list(both.tags.names()) == ["Hillary Clinton"]
    assert list(one.tags.names()) == ["Hillary Clinton"]
    assert list(person.tags.names()) == ["Trump"]
    assert not TaggedItem.objects.exists()


def test_an_over_long_tag_added_in_code_is_refused_before_the_database():
    with pytest.raises(ValidationError, match="at most 100 characters"):
        ArticleFactory().tags.add("x" * 150)
    assert not Tag.objects.exists()


def test_the_fold_tags_command_merges_tags_written_past_save():
    kept, duplicate = Tag.objects.bulk_create(
        [
            Tag(name="Hillary Clinton", slug="hillary-clinton"),
            Tag(name="hillary-clinton", slug="hillary-clinton_1"),
        ]
    )
    story = ArticleFactory()
    TaggedArticle.objects.create(content_object=story, tag=duplicate)
    out = io.StringIO()

    call_command("fold_tags", stdout=out)

    assert "Merged 1 tags" in out.getvalue()
    assert list(Tag.objects.all()) == [kept]
    assert list(story.tags.names()) == ["Hillary Clinton"]
    assert TagKey.objects.get().key == "hillary clinton"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrency")
@pytest.mark.django_db(transaction=True)
def test_two_spellings_added_at_once_make_one_tag():
    stories = [ArticleFactory(), ArticleFactory()]
    barrier = threading.Barrier(2)
    errors = []

    def add(story, name):
        try:
            barrier.wait(timeout=10)
            story.tags.add(name)
        except Exception as error:  # reported below
            errors.append(error)
            raise
        finally:
            connection.close()

    threads = [
        threading.Thread(target=add, args=(story, name))
        for story, name in zip(
            stories, ["Hillary Clinton", "hillary-clinton"], strict=True
        )
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Tag.objects.count() == 1
    assert [list(story.tags.names()) for story in stories] == [
        [Tag.objects.get().name]
    ] * 2
