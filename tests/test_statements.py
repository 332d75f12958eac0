"""Compiled statements (`newsroom.statements`): a queryset compiled once, then run
with new values, gives what the queryset itself gives."""

from datetime import date, datetime, timedelta

import pytest
from django.db.models import Prefetch
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Mention
from articles.story_page import published_story, related_stories
from articles.views import FRONT_PAGE, TAG_STORIES
from newsroom.statements import Statement, columns, instance
from people.models import Candidacy, Election, Race
from people.views import PERSON_STORIES, race_rounds
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CandidacyFactory,
    ElectionFactory,
    MentionFactory,
    PersonFactory,
    RaceFactory,
)

pytestmark = pytest.mark.django_db


def headlines_by_slug():
    return Statement(
        lambda slug, now: (
            Article.objects.published(now=now)
            .filter(slug=slug)
            .values_list("headline", "published_at")
        ),
        slug=str,
        now=datetime,
    )


def test_rows_are_the_querysets_rows_for_each_new_value():
    first = ArticleFactory(slug="first", headline="First")
    second = ArticleFactory(slug="second", headline="Second")
    statement = headlines_by_slug()
    now = timezone.now()

    for story in (first, second, first):
        expected = list(
            Article.objects.published()
            .filter(slug=story.slug)
            .values_list("headline", "published_at")
        )
        assert statement.rows(slug=story.slug, now=now) == expected


def test_a_datetime_value_takes_effect_converted_as_the_orm_converts_it():
    story = ArticleFactory(
        slug="soon", published_at=timezone.now() + timedelta(hours=1)
    )
    statement = headlines_by_slug()

    assert statement.rows(slug="soon", now=timezone.now()) == []
    later = timezone.now() + timedelta(hours=2)
    [(headline, published_at)] = statement.rows(slug="soon", now=later)
    assert (headline, published_at) == (story.headline, story.published_at)


def test_the_queryset_is_built_once_per_connection_and_list_length():
    stories = ArticleFactory.create_batch(3)
    builds = []

    def build(ids):
        builds.append(len(ids))
        return Article.objects.filter(pk__in=ids).order_by("pk").values_list("pk")

    statement = Statement(build, ids=list)
    assert statement.model is Article  # found by building it once
    builds.clear()
    for ids in ([stories[0].pk], [stories[1].pk], [stories[0].pk, stories[2].pk]):
        assert statement.rows(ids=ids) == [(pk,) for pk in sorted(ids)]
    statement.rows(ids=[stories[2].pk, stories[1].pk])

    assert builds == [1, 2]


def test_lists_of_other_lengths_find_their_own_shape_whatever_the_keyword_order():
    stories = ArticleFactory.create_batch(5)
    ids = [story.pk for story in stories]
    statement = Statement(
        lambda first, second: (
            Article.objects.filter(pk__in=first)
            .exclude(pk__in=second)
            .order_by("pk")
            .values_list("pk")
        ),
        first=list,
        second=list,
    )

    assert statement.rows(first=ids[:3], second=ids[:1]) == [(ids[1],), (ids[2],)]
    assert statement.rows(second=ids[:3], first=ids[:1]) == []
    assert statement.rows(second=ids[3:4], first=ids) == [
        (pk,) for pk in ids if pk != ids[3]
    ]


def test_an_empty_list_matches_nothing_without_a_query(django_assert_num_queries):
    statement = Statement(
        lambda ids: Article.objects.filter(pk__in=ids).values_list("pk"), ids=list
    )
    ArticleFactory()

    with django_assert_num_queries(0):
        assert statement.rows(ids=[]) == []


def test_each_run_is_one_query(django_assert_num_queries):
    ArticleFactory(slug="counted")
    statement = headlines_by_slug()
    statement.rows(slug="counted", now=timezone.now())

    with django_assert_num_queries(1):
        statement.rows(slug="counted", now=timezone.now())


@pytest.mark.parametrize(
    "values",
    [
        {"slug": None, "now": timezone.now()},  # None would compile to IS NULL
        {"slug": "x", "now": "2017-06-20"},
        {"slug": "x"},
        {"slug": "x", "now": timezone.now(), "extra": 1},
    ],
)
def test_values_of_the_wrong_kind_or_names_are_refused(values):
    with pytest.raises(TypeError):
        headlines_by_slug().rows(**values)


def test_a_lookup_that_rewrites_its_value_is_refused_when_first_compiled():
    statement = Statement(
        lambda word: Article.objects.filter(headline__icontains=word).values_list("pk"),
        word=str,
    )

    with pytest.raises(ValueError, match="changed on its way into the SQL"):
        statement.rows(word="runoff")


def test_instance_refuses_columns_out_of_the_models_field_order():
    # from_db assigns values in field order: role and note would swap silently.
    with pytest.raises(ValueError, match="not in field order"):
        instance(Mention, ["id", "note", "role"], [1, "a note", "quoted"], "default")


def test_instance_loads_a_model_from_its_columns_deferring_the_rest():
    mention = MentionFactory(note="recorded a radio ad")
    names = columns(Mention, exclude={"note"})
    values = Mention.objects.filter(pk=mention.pk).values_list(*names).get()

    loaded = instance(Mention, names, values, "default")

    assert (loaded.pk, loaded.person_id, loaded.role) == (
        mention.pk,
        mention.person_id,
        mention.role,
    )
    assert loaded.get_deferred_fields() == {"note"}
    assert not loaded._state.adding


def test_the_story_page_story_is_what_for_detail_gives():
    story = ArticleFactory(slug="ossoff-handel")
    ossoff = PersonFactory(name="Jon Ossoff", kind="candidate")
    for name in ("Karen Handel", "émile Zola", "alan Abramowitz"):
        MentionFactory(article=story, person=PersonFactory(name=name), note="a note")
    MentionFactory(article=story, person=ossoff, role="quoted")
    MentionFactory(article=story, person=ossoff, role="candidate")
    for position, name in [(1, "Greg Bluestein"), (0, "Tia Mitchell")]:
        BylineFactory(article=story, position=position, person__name=name)
    story.tags.add("Georgia", "runoff", "Élection", "Ballot")

    compiled = published_story("ossoff-handel")
    expected = Article.objects.published().for_detail().get(slug="ossoff-handel")

    def people(story):
        return [
            (m.pk, m.article_id, m.role, m.note, m.person_id)
            + (m.person.name, m.person.slug, m.person.kind, m.person.photo.name)
            for m in story.people_mentions
        ]

    assert people(compiled) == people(expected)
    assert compiled.credits == expected.credits
    assert [c.name for c in compiled.credits] == ["Tia Mitchell", "Greg Bluestein"]
    assert compiled.tag_links == expected.tag_links
    assert compiled.section == expected.section
    assert compiled.has_races is expected.has_races is False
    assert compiled.body == expected.body
    assert compiled.get_deferred_fields() == {"search_vector"}


def test_the_story_page_races_are_what_with_result_gives_in_the_races_order():
    story = ArticleFactory(slug="runoff-night")
    runoff = ElectionFactory(race__name="GA-06", race__year=2017, is_certified=True)
    CandidacyFactory(election=runoff, votes=134_799, is_winner=True)
    CandidacyFactory(election=runoff, votes=125_517)
    uncounted = ElectionFactory(race__name="Senate", race__year=2018)
    older = RaceFactory(name="Mayor", year=2013)
    story.races.add(runoff.race, uncounted.race, older)

    def shown(races):
        return [
            (r.pk, r.name, r.year, r.is_special, r.created_at, r.last_round, r.winner)
            for r in races
        ]

    compiled = published_story("runoff-night").races_covered()
    expected = Race.objects.with_result().filter(articles=story)

    assert shown(compiled) == shown(expected)
    assert [r.name for r in compiled] == ["Senate", "GA-06", "Mayor"]
    assert compiled[1].winner.share == pytest.approx(51.78, abs=0.01)


def test_the_story_page_story_without_people_tags_or_bylines_has_empty_lists():
    ArticleFactory(slug="bare")

    compiled = published_story("bare")

    assert (compiled.credits, compiled.tag_links, compiled.people_mentions) == (
        [],
        [],
        [],
    )
    assert related_stories(compiled) == []


def test_the_story_page_story_is_one_query(django_assert_num_queries):
    story = ArticleFactory(slug="one-query")
    MentionFactory.create_batch(3, article=story)
    BylineFactory.create_batch(2, article=story)
    story.tags.add("Georgia", "Runoff")

    with django_assert_num_queries(1):
        compiled = published_story("one-query")
        people = [
            (m.get_role_display(), m.person.name) for m in compiled.people_mentions
        ]

    assert len(people) == 3


@pytest.mark.parametrize("status", ["draft", "review", "unpublished"])
def test_the_story_page_story_is_none_unless_published(status):
    ArticleFactory(slug="hidden", status=status)

    assert published_story("hidden") is None


def test_related_stories_are_what_related_to_gives():
    person = PersonFactory()
    story = ArticleFactory()
    MentionFactory(article=story, person=person)
    story.tags.add("Runoff")
    others = ArticleFactory.create_batch(7)
    for index, other in enumerate(others):
        if index % 2:
            MentionFactory(article=other, person=person)
        else:
            other.tags.add("Runoff")
    story = Article.objects.for_detail().get(pk=story.pk)

    expected = list(Article.objects.published().related_to(story))

    assert len(expected) == 5
    assert [s.pk for s in related_stories(story)] == [s.pk for s in expected]
    assert [s.get_absolute_url() for s in related_stories(story)] == [
        s.get_absolute_url() for s in expected
    ]


def first_page(keyset, **values):
    """The rows of a `CompiledKeyset`'s first page, as `keyset_page()` asks."""
    return keyset.bind(**values)(None, None, keyset.per_page + 1)


def test_a_persons_stories_are_their_published_ones_newest_first_once_each():
    person = PersonFactory()
    now = timezone.now()
    shown = [ArticleFactory(published_at=now - timedelta(hours=n)) for n in (3, 1, 2)]
    draft = ArticleFactory(status=Article.Status.DRAFT)
    scheduled = ArticleFactory(published_at=now + timedelta(hours=1))
    for story in [*shown, draft, scheduled]:
        MentionFactory(article=story, person=person, role=Mention.Role.QUOTED)
    MentionFactory(article=shown[1], person=person, role=Mention.Role.CANDIDATE)

    stories = first_page(PERSON_STORIES, person=person.pk, now=now)

    assert [story.pk for story in stories] == [shown[1].pk, shown[2].pk, shown[0].pk]
    assert stories[0].section.name == shown[1].section.name
    assert {"body", "search_vector"} <= stories[0].get_deferred_fields()


def test_a_persons_stories_give_every_role_of_the_person_and_only_theirs():
    person, other = PersonFactory(), PersonFactory()
    story = ArticleFactory()
    for role in (Mention.Role.QUOTED, Mention.Role.CANDIDATE):
        MentionFactory(article=story, person=person, role=role)
    MentionFactory(article=story, person=other, role=Mention.Role.DONOR)

    (teaser,) = first_page(PERSON_STORIES, person=person.pk, now=timezone.now())

    assert teaser.roles_of_person == ["Candidate", "Quoted"]


def test_a_tags_stories_are_its_published_ones_newest_first():
    now = timezone.now()
    tagged = [ArticleFactory(published_at=now - timedelta(hours=n)) for n in (2, 1)]
    hidden = ArticleFactory(status=Article.Status.DRAFT)
    for story in [*tagged, hidden]:
        story.tags.add("Runoff")
    ArticleFactory().tags.add("Georgia")
    tag = Tag.objects.get(name="Runoff")

    stories = first_page(TAG_STORIES, tag=tag.pk, now=now)

    assert [story.pk for story in stories] == [tagged[1].pk, tagged[0].pk]
    assert stories[0].credits == []


def test_race_rounds_and_results_are_what_the_orm_gives():
    race = RaceFactory()
    runoff = ElectionFactory(race=race, date=date(2017, 6, 20), kind="runoff")
    first = ElectionFactory(race=race, date=date(2017, 4, 18), kind="all-party")
    for votes, name in ((92_673, "Jon Ossoff"), (None, "Not Counted"), (10, "Ann Z")):
        CandidacyFactory(election=first, votes=votes, person__name=name)
    CandidacyFactory(election=runoff, votes=134_799, person__name="Karen Handel")
    CandidacyFactory(election=runoff, votes=125_517, person__name="Jon Ossoff 2")
    ElectionFactory()  # another race's round

    def shown(rounds, results):
        # Shares to 12 significant digits: SQLite's JSON writes floats with 15.
        return [
            (
                e.pk,
                e.date,
                e.is_certified,
                [
                    (c.pk, c.person.name, c.votes, c.is_winner, share(c.vote_share))
                    for c in results(e)
                ],
            )
            for e in rounds
        ]

    def share(value):
        return None if value is None else float(f"{value:.12g}")

    expected = Election.objects.filter(race=race).prefetch_related(
        Prefetch(
            "candidacies",
            queryset=Candidacy.objects.with_share().select_related("person"),
        )
    )
    assert shown(race_rounds(race), lambda e: e.results) == shown(
        expected, lambda e: e.candidacies.all()
    )
    assert [e.pk for e in race_rounds(race)] == [first.pk, runoff.pk]


def test_race_coverage_is_the_newest_twenty_published_stories_of_the_race():
    race = RaceFactory()
    stories = [
        ArticleFactory(published_at=timezone.now() - timedelta(hours=n))
        for n in range(1, 24)
    ]
    hidden = ArticleFactory(status=Article.Status.DRAFT)
    for story in [*stories, hidden]:
        story.races.add(race)
    ArticleFactory().races.add(RaceFactory())

    coverage = Article.objects.race_coverage(race.pk)

    assert [story.pk for story in coverage] == [story.pk for story in stories[:20]]
    assert coverage[0].credits == []
    assert coverage[0].section.pk == stories[0].section_id


def test_a_listings_stories_share_one_instance_of_each_section():
    from tests.factories import SectionFactory

    politics, opinion = SectionFactory(name="Politics"), SectionFactory(name="Opinion")
    now = timezone.now()
    for hours, section in enumerate((politics, opinion, politics)):
        ArticleFactory(section=section, published_at=now - timedelta(hours=hours))

    listed = first_page(FRONT_PAGE, now=now)

    assert [s.section.name for s in listed] == ["Politics", "Opinion", "Politics"]
    assert listed[0].section is listed[2].section
    assert listed[0].section is not listed[1].section


def test_a_value_sent_in_an_expressions_own_type_takes_effect_each_run():
    """Django sends an integer field's value in an expression as psycopg's Int8 on
    PostgreSQL (`Opaque` is such an expression): found, and sent so again."""
    from django.db.models import BigIntegerField

    from newsroom.postgresql.plans import Opaque

    first, second, third = ArticleFactory.create_batch(3)
    below = Statement(
        lambda key: (
            Article.objects.filter(pk__lt=Opaque(key, BigIntegerField()))
            .order_by("pk")
            .values_list("pk", flat=False)
        ),
        key=int,
    )

    assert below.rows(key=third.pk) == [(first.pk,), (second.pk,)]
    assert below.rows(key=second.pk) == [(first.pk,)]


def test_a_listings_stories_carry_their_bylines_in_order():
    now = timezone.now()
    bylined = ArticleFactory(published_at=now - timedelta(hours=1))
    for position, name in [(1, "Greg Bluestein"), (0, "Tia Mitchell")]:
        BylineFactory(article=bylined, position=position, person__name=name)
    ArticleFactory(published_at=now - timedelta(hours=2))  # no byline

    listed = first_page(FRONT_PAGE, now=now)

    assert [[c.name for c in story.credits] for story in listed] == [
        ["Tia Mitchell", "Greg Bluestein"],
        [],
    ]
    assert listed[0].credits[0].get_absolute_url() == "/people/tia-mitchell/"
