"""A story's related rows read inside the story's own query (`newsroom.json_rows`):
the same rows, in the same order, as their own query gives."""

from datetime import date, timedelta

import pytest
from django.db import connection

from articles.models import Article, Byline, Mention, Section, TaggedArticle
from newsroom.json_rows import decoded, json_instance, json_rows
from newsroom.statements import columns
from people.models import Election, Race
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CandidacyFactory,
    ElectionFactory,
    JournalistFactory,
    MentionFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

# Case, accents and a shared prefix: where a database's collation and a naive sort
# could part ways (tags are case-insensitive: "alpha" is "Alpha").
NAMES = ["zeta", "Alpha", "alpha", "Émile", "Beta", "beta two", "Zed", "éclair"]


def read_back(story, subquery):
    text = Article.objects.filter(pk=story.pk).annotate(rows=subquery).get().rows
    return decoded(text, vendor=connection.vendor)


def test_rows_come_in_the_order_the_database_sorts_them():
    story = ArticleFactory()
    story.tags.add(*NAMES)

    rows = read_back(
        story,
        json_rows(
            TaggedArticle.objects,
            "content_object",
            "tag__name",
            order_by=["tag__name", "tag_id"],
        ),
    )

    expected = TaggedArticle.objects.filter(content_object=story).order_by(
        "tag__name", "tag_id"
    )
    assert [name for (name,) in rows] == [link.tag.name for link in expected]


def test_ties_are_broken_by_the_next_ordering_value():
    story = ArticleFactory()
    journalists = [JournalistFactory(name=f"Reporter {n}") for n in range(4)]
    for journalist in reversed(journalists):
        BylineFactory(article=story, person=journalist, position=0)
    BylineFactory(article=story, person=PersonFactory(name="First"), position=-0)
    Byline.objects.filter(person__name="Reporter 2").update(position=1)

    rows = read_back(
        story,
        json_rows(
            Byline.objects,
            "article",
            "person__name",
            "id",
            order_by=["position", "id"],
        ),
    )

    expected = Byline.objects.filter(article=story).order_by("position", "id")
    assert rows == [[b.person.name, b.pk] for b in expected]


def test_values_keep_their_types():
    story = ArticleFactory()
    mention = MentionFactory(article=story, note='said "no"', role="quoted")

    rows = read_back(
        story,
        json_rows(
            Mention.objects,
            "article",
            "id",
            "person_id",
            "role",
            "note",
            order_by=["person__name", "role"],
        ),
    )

    assert rows == [[mention.pk, mention.person_id, "quoted", 'said "no"']]


def test_a_story_without_rows_reads_as_an_empty_list():
    story = ArticleFactory()

    rows = read_back(
        story,
        json_rows(Byline.objects, "article", "id", order_by=["position", "id"]),
    )

    assert rows == []


def test_the_subquery_is_one_query_whatever_the_rows(django_assert_num_queries):
    story = ArticleFactory()
    story.tags.add(*NAMES)
    subquery = json_rows(
        TaggedArticle.objects,
        "content_object",
        "tag_id",
        order_by=["tag__name", "tag_id"],
    )

    with django_assert_num_queries(1):
        rows = read_back(story, subquery)

    assert len(rows) == story.tags.count() > 5


def test_on_sqlite_the_order_values_are_dropped_after_sorting():
    assert decoded('[[["b"], [2, 1]], [["a"], [1, 5]]]', vendor="sqlite") == [
        ["a"],
        ["b"],
    ]


def test_json_instances_get_the_types_their_fields_hold():
    election = ElectionFactory(date=date(2017, 6, 20), is_certified=True)
    CandidacyFactory(election=election, votes=None, is_winner=False)
    text = (
        Race.objects.filter(pk=election.race_id)
        .annotate(
            rows=json_rows(
                Election.objects, "race", *columns(Election), order_by=["id"]
            )
        )
        .get()
        .rows
    )

    (values,) = decoded(text, vendor=connection.vendor)
    loaded = json_instance(Election, columns(Election), values, "default")

    assert loaded.date == date(2017, 6, 20)
    assert type(loaded.date) is date
    assert loaded.is_certified is True
    assert loaded.race_id == election.race_id


def test_json_instances_times_are_aware_on_both_databases():
    story = ArticleFactory()
    text = (
        Section.objects.filter(pk=story.section_id)
        .annotate(
            rows=json_rows(
                Article.objects, "section", "id", "published_at", order_by=["id"]
            )
        )
        .get()
        .rows
    )

    (values,) = decoded(text, vendor=connection.vendor)
    loaded = json_instance(Article, ["id", "published_at"], values, "default")

    assert loaded.published_at == story.published_at
    assert loaded.published_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "texts",
    [[], [None], ['[["Ossoff", "jon-ossoff"]]', None, "[]", '[["a", 1], ["b", 2]]']],
)
def test_many_values_decode_as_each_does_alone(texts):
    from newsroom.json_rows import decoded_many

    assert decoded_many(texts, vendor="postgresql") == [
        decoded(text, vendor="postgresql") for text in texts
    ]
