from datetime import timedelta

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.search import clean_query, highlight
from tests.factories import (
    AliasFactory,
    ArticleFactory,
    CandidacyFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"
)


def found(client, query):
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200
    return [a.headline for a in response.context["articles"]]


def test_search_finds_stories_by_headline_dek_and_body(client):
    ArticleFactory(headline="Handel wins the runoff")
    ArticleFactory(dek="Ossoff concedes in Georgia")
    ArticleFactory(
        body="<p>Turnout reached fifty-eight percent</p>", headline="Turnout"
    )
    ArticleFactory(headline="Unrelated")

    assert found(client, "Handel") == ["Handel wins the runoff"]
    assert len(found(client, "Ossoff")) == 1
    assert found(client, "turnout") == ["Turnout"]


def test_every_word_must_match(client):
    ArticleFactory(headline="Handel wins Georgia")
    ArticleFactory(headline="Handel speaks in Ohio")

    assert found(client, "Handel Georgia") == ["Handel wins Georgia"]


def test_search_leaves_out_unpublished_stories(client):
    ArticleFactory(headline="Handel draft", status=Article.Status.DRAFT)

    assert found(client, "Handel") == []


def test_search_finds_people_by_name_and_alias(client):
    AliasFactory(person__name="Samuel L. Jackson", name="Sam Jackson")
    PersonFactory(name="Jon Ossoff")

    response = client.get(reverse("articles:search"), {"q": "Sam Jackson"})

    assert [p.name for p in response.context["people"]] == ["Samuel L. Jackson"]


def test_search_lists_a_person_once_however_many_of_their_names_match(client):
    person = PersonFactory(name="Samuel L. Jackson")
    AliasFactory(person=person, name="Sam Jackson")
    AliasFactory(person=person, name="S. L. Jackson")

    response = client.get(reverse("articles:search"), {"q": "Jackson"})

    assert [p.name for p in response.context["people"]] == ["Samuel L. Jackson"]


def test_search_finds_a_person_whose_name_and_alias_hold_the_words_between_them(
    client,
):
    AliasFactory(person__name="Hillary Clinton", name="HRC")

    response = client.get(reverse("articles:search"), {"q": "HRC Clinton"})

    assert [p.name for p in response.context["people"]] == ["Hillary Clinton"]


@pytest.mark.parametrize("query", ["jon ab", "ab jon", "ab"])
def test_search_finds_people_by_words_too_short_for_a_trigram(client, query):
    PersonFactory(name="Jon Abbott")
    PersonFactory(name="Jon Smith")
    AliasFactory(person__name="Karen Handel", name="Jon Doe")

    response = client.get(reverse("articles:search"), {"q": query})

    assert [p.name for p in response.context["people"]] == ["Jon Abbott"]


def test_search_lists_only_people_named_with_every_word(client):
    PersonFactory(name="Jon Ossoff")
    PersonFactory(name="Jon Smith")
    AliasFactory(person__name="Karen Handel", name="Karen Jon")

    response = client.get(reverse("articles:search"), {"q": "jon ossoff"})

    assert [p.name for p in response.context["people"]] == ["Jon Ossoff"]


def test_search_finds_races_with_their_result(client):
    CandidacyFactory(
        election__race__name="Georgia 6th District special",
        person__name="Karen Handel",
        is_winner=True,
    )

    response = client.get(reverse("articles:search"), {"q": "6th district"})

    assert "Karen Handel" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "a" * 5000,
        "\x00",
        "Ossoff\x00Handel",
        "'\"",
        "!!!",
        "& | ! :*",
        "<script>alert(1)</script>",
        "(((",
        "-",
        "OR",
        '"unclosed',
        "100%",
        "_",
        "Ossoff’s",
        "日本語",
        "😀",
    ],
)
def test_odd_queries_give_a_normal_page(client, query):
    ArticleFactory(headline="Ossoff’s campaign")

    response = client.get(reverse("articles:search"), {"q": query})

    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_a_word_no_story_has_says_so(client):
    ArticleFactory(headline="Handel wins")

    response = client.get(reverse("articles:search"), {"q": "filibuster"})

    assert response.status_code == 200
    assert list(response.context["articles"]) == []
    assert "No stories match “filibuster”." in response.content.decode()


def test_missing_query_gives_the_search_form(client):
    response = client.get(reverse("articles:search"))

    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_query_is_bounded_and_cleaned():
    assert clean_query("a\x00b  c\n") == "ab c"
    assert len(clean_query("x" * 5000)) == 200


def test_highlight_marks_words_and_escapes_the_rest():
    html = highlight("<b>Ossoff</b> & Handel", "ossoff")

    assert html == "<mark>Ossoff</mark> &amp; Handel"


def test_search_page_highlights_the_match(client):
    ArticleFactory(headline="Runoff", dek="Karen Handel wins the seat")

    page = client.get(reverse("articles:search"), {"q": "Handel"}).content.decode()

    assert "<mark>Handel</mark>" in page


@postgres_only
def test_headline_match_ranks_above_body_match(client):
    ArticleFactory(headline="A story", body="<p>Handel won.</p>")
    ArticleFactory(headline="Handel wins")

    assert found(client, "Handel") == ["Handel wins", "A story"]


@postgres_only
def test_stemming_finds_other_forms_of_a_word(client):
    ArticleFactory(headline="Celebrities campaigned for Ossoff")

    assert found(client, "campaigning celebrity") == [
        "Celebrities campaigned for Ossoff"
    ]


@postgres_only
def test_edited_story_is_found_by_its_new_words(client):
    story = ArticleFactory(headline="Old words")
    story.headline = "Fresh headline about turnout"
    story.save()

    assert found(client, "turnout") == ["Fresh headline about turnout"]
    assert found(client, "old words") == []


@postgres_only
def test_full_text_match_is_served_by_the_gin_index():
    """The stories matching a search can be found from the GIN index. (Which way
    `newest_matches` takes is the planner's choice at scale: the index for a rare
    word, a walk of the newest stories for a common one.)"""
    ArticleFactory.create_batch(3)
    search = SearchQuery("Handel", search_type="websearch", config="english")
    query = Article.objects.filter(search_vector=search).order_by().values("pk")
    with connection.cursor() as cursor:
        # Three stories: any scan is cheap, so leave the planner only bitmaps.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = query.query.sql_with_params()
        # Planned for its words, as a search is (see `planned_afresh`).
        cursor.execute("EXPLAIN " + connection.ops.compose_sql(sql, params))
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "article_search_vector_idx" in plan


@postgres_only
def test_only_the_newest_matches_are_ranked(client, monkeypatch):
    """A common word must not mean ranking half the archive: the best-ranked old
    story drops out once newer matches fill the ranked set."""
    from articles import search

    monkeypatch.setattr(search, "RANKED_MATCHES", 2)
    now = timezone.now()
    ArticleFactory(headline="Handel Handel", published_at=now - timedelta(days=9))
    ArticleFactory(
        headline="Debate", body="<p>Handel spoke.</p>", published_at=now - timedelta(1)
    )
    ArticleFactory(headline="Handel wins", published_at=now - timedelta(hours=1))

    assert found(client, "Handel") == ["Handel wins", "Debate"]


def test_results_run_over_pages_that_add_up_to_every_match(client):
    for n in range(25):
        ArticleFactory(headline=f"Runoff story {n}")
    ArticleFactory(headline="Budget vote")

    first = client.get(reverse("articles:search"), {"q": "runoff"})
    second = client.get(reverse("articles:search"), {"q": "runoff", "page": 2})

    assert first.context["paginator"].count == 25
    shown = [a.headline for page in (first, second) for a in page.context["articles"]]
    assert sorted(shown) == sorted(f"Runoff story {n}" for n in range(25))


@postgres_only
def test_a_common_words_newest_matches_are_found_among_the_newest_stories(
    client, monkeypatch
):
    """When the newest stories hold enough matches, those are the ones ranked."""
    from articles import search

    monkeypatch.setattr(search, "RANKED_MATCHES", 2)
    monkeypatch.setattr(search, "NEWEST_WINDOW", 3)
    now = timezone.now()
    ArticleFactory(headline="Handel Handel Handel", published_at=now - timedelta(9))
    ArticleFactory(headline="Handel speaks", published_at=now - timedelta(2))
    ArticleFactory(headline="Budget", published_at=now - timedelta(1))
    ArticleFactory(headline="Handel wins", published_at=now - timedelta(hours=1))

    assert sorted(found(client, "Handel")) == ["Handel speaks", "Handel wins"]


@postgres_only
def test_a_rare_words_matches_are_found_beyond_the_newest_stories(client, monkeypatch):
    from articles import search

    monkeypatch.setattr(search, "NEWEST_WINDOW", 2)
    now = timezone.now()
    ArticleFactory(headline="Handel wins", published_at=now - timedelta(days=30))
    for day in range(1, 5):
        ArticleFactory(headline=f"Budget {day}", published_at=now - timedelta(day))

    assert found(client, "Handel") == ["Handel wins"]


@postgres_only
def test_the_ranked_stories_are_read_with_their_ids_as_one_array(client):
    """A thousand ids are one parameter, not a thousand placeholders to build."""
    for n in range(3):
        ArticleFactory(headline=f"Runoff story {n}")

    with CaptureQueriesContext(connection) as queries:
        assert len(found(client, "runoff")) == 3

    ranking = next(q["sql"] for q in queries if "ts_rank" in q["sql"])
    assert '"articles_article"."id" = ANY(' in ranking
