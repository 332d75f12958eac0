"""A person's page reads their mentions, each carrying its story's publish time: the
mentions must follow every change of the story, and can never show a story readers
may not see."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article, Mention
from articles.story_copies import refresh_story_links
from people.services import person_merge
from tests.factories import ArticleFactory, MentionFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return PersonFactory(name="Karen Handel")


def mentioning(person, role="mentioned", **kwargs):
    story = ArticleFactory(**kwargs)
    MentionFactory(article=story, person=person, role=role)
    return story


def headlines(response):
    return [story.headline for story in response.context["articles"]]


def test_a_mention_records_its_storys_publish_time_only_while_published(person):
    story = mentioning(person, status=Article.Status.DRAFT, published_at=None)
    mention = Mention.objects.get(article=story)
    assert mention.published_at is None

    story.status, story.published_at = Article.Status.PUBLISHED, timezone.now()
    story.save()
    mention.refresh_from_db()
    assert mention.published_at == story.published_at

    story.status = Article.Status.UNPUBLISHED
    story.save()
    mention.refresh_from_db()
    assert mention.published_at is None


def test_publishing_a_draft_puts_it_on_the_persons_page(client, person):
    story = mentioning(
        person, headline="Runoff", status=Article.Status.DRAFT, published_at=None
    )
    assert headlines(client.get(person.get_absolute_url())) == []

    story.status, story.published_at = Article.Status.PUBLISHED, timezone.now()
    story.save()

    assert headlines(client.get(person.get_absolute_url())) == ["Runoff"]


def test_unpublishing_takes_a_story_off_the_persons_page(client, person):
    story = mentioning(person, headline="Soon gone")
    story.status = Article.Status.UNPUBLISHED
    story.save()

    assert headlines(client.get(person.get_absolute_url())) == []


def test_a_scheduled_story_joins_the_persons_page_when_due(client, person):
    story = mentioning(
        person, headline="Later", published_at=timezone.now() + timedelta(hours=1)
    )
    assert headlines(client.get(person.get_absolute_url())) == []

    story.published_at = timezone.now() - timedelta(minutes=1)
    story.save()

    assert headlines(client.get(person.get_absolute_url())) == ["Later"]


def test_a_mention_left_stale_by_a_bulk_update_leaks_nothing(client, person):
    """update() bypasses save(): the story's own rule still decides what shows."""
    story = mentioning(person, headline="Pulled")
    Article.objects.filter(pk=story.pk).update(status=Article.Status.UNPUBLISHED)

    assert Mention.objects.get(article=story).published_at is not None
    assert headlines(client.get(person.get_absolute_url())) == []


def test_refreshing_after_a_bulk_update_brings_mentions_back_in_line(client, person):
    story = mentioning(
        person, headline="Back", status=Article.Status.DRAFT, published_at=None
    )
    Article.objects.filter(pk=story.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    assert headlines(client.get(person.get_absolute_url())) == []

    refresh_story_links([story.pk])

    assert headlines(client.get(person.get_absolute_url())) == ["Back"]


def test_a_story_with_several_roles_is_listed_once_with_all_of_them(client, person):
    story = mentioning(person, role="candidate", headline="Debate night")
    MentionFactory(article=story, person=person, role="quoted")

    response = client.get(person.get_absolute_url())

    assert headlines(response) == ["Debate night"]
    assert "Role in this story: candidate, quoted" in response.content.decode()


def test_only_the_persons_own_roles_are_named(client, person):
    story = mentioning(person, role="quoted", headline="Debate night")
    MentionFactory(article=story, role="donor")  # someone else in the story

    response = client.get(person.get_absolute_url())

    assert "Role in this story: quoted</p>" in response.content.decode()


def test_a_persons_older_and_newer_pages_follow_each_other(client, person):
    moment = timezone.now() - timedelta(minutes=5)
    for n in range(45):  # pairs share a publish time: the id breaks the tie
        story = mentioning(
            person,
            headline=f"Story {n:02d}",
            published_at=moment - timedelta(hours=n // 2),
        )
        if n % 3 == 0:  # a second role must not take a second place on a page
            MentionFactory(article=story, person=person, role="quoted")
    url = person.get_absolute_url()

    first = client.get(url)
    second = client.get(url, {"before": first.context["page_obj"].older})
    third = client.get(url, {"before": second.context["page_obj"].older})
    back = client.get(url, {"after": second.context["page_obj"].newer})

    seen = headlines(first) + headlines(second) + headlines(third)
    assert sorted(seen) == [f"Story {n:02d}" for n in range(45)]  # each once
    assert len(headlines(first)) == len(headlines(second)) == 20
    assert third.context["page_obj"].older is None
    assert headlines(back) == headlines(first)


def test_other_peoples_stories_stay_off_the_page(client, person):
    mentioning(person, headline="Ours")
    mentioning(PersonFactory(), headline="Theirs")

    assert headlines(client.get(person.get_absolute_url())) == ["Ours"]


def test_merging_people_keeps_the_moved_mentions_on_the_page(client, person):
    duplicate = PersonFactory(name="Karen C. Handel")
    mentioning(duplicate, headline="Moved over")

    person_merge(duplicate=duplicate, into=person)

    assert headlines(client.get(person.get_absolute_url())) == ["Moved over"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN on PostgreSQL")
def test_a_persons_page_is_one_range_of_the_mention_index(person):
    from tests.project.test_indexes import plan

    mentioning(person)
    links = (
        person.mentions.published_by_now()
        .values_list("published_at", "article_id")
        .distinct()
        .newest_first()[:21]
    )

    # A few test rows, and statistics left by earlier tests: a bitmap, or the other
    # person index plus a sort, can look cheaper. What must hold is that this index
    # gives the page's order with no sort at all.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    explained = plan(links)

    assert "mention_person_pub_idx" in explained
    assert "Sort" not in explained


@pytest.mark.parametrize("cursor", ["x", "1.2.3", "99999999999999999999999.1", "-5"])
def test_a_bad_cursor_on_a_persons_page_is_404_not_500(client, person, cursor):
    mentioning(person)

    assert client.get(person.get_absolute_url(), {"before": cursor}).status_code == 404
    assert client.get(person.get_absolute_url(), {"after": cursor}).status_code == 404


@pytest.mark.parametrize(
    "language, shown", [("en", "134,799 votes"), ("de", "134.799")]
)
def test_a_candidates_votes_are_grouped_in_the_pages_language(
    client, person, language, shown
):
    """`intcomma`, remembered per value and language (the same count in English
    and then in German reads each its own way)."""
    from django.utils import translation

    from tests.factories import CandidacyFactory

    CandidacyFactory(person=person, votes=134_799)
    client.get(person.get_absolute_url())  # remembered in English first

    with translation.override(language):
        page = client.get(person.get_absolute_url()).content.decode()

    assert shown in page


def test_each_persons_page_lists_only_their_own_candidacies(client):
    """The candidacies' query is built once per process and cloned per page: one
    page's person must not stay in it for the next."""
    from tests.factories import CandidacyFactory

    first, second = CandidacyFactory(), CandidacyFactory()

    for candidacy in (first, second, first):
        page = client.get(candidacy.person.get_absolute_url())
        assert [c.pk for c in page.context["candidacies"]] == [candidacy.pk]


def test_each_races_page_lists_only_its_own_results(client):
    """The results' query is built once per process and cloned per page."""
    from tests.factories import CandidacyFactory

    first, second = CandidacyFactory(), CandidacyFactory()

    for candidacy in (first, second, first):
        race = candidacy.election.race
        page = client.get(race.get_absolute_url())
        results = [c.pk for e in page.context["rounds"] for c in e.results]
        assert results == [candidacy.pk]
