"""What readers sort and filter on is served by indexes (PostgreSQL EXPLAIN)."""

import re

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article, Mention, RaceCoverage, TaggedArticle
from articles.sitemaps import month_range, stories_of_month, story_months
from articles.views import races_in_the_news
from people.models import Alias, Person
from tests.factories import (
    AliasFactory,
    ArticleFactory,
    MentionFactory,
    RaceFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="EXPLAIN on PostgreSQL"
    ),
]


def plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_latest_published_is_read_in_index_order_with_no_sort():
    ArticleFactory.create_batch(5)

    explained = plan(Article.objects.published().for_listing().newest_first()[:20])

    assert "article_status_pub_idx" in explained
    assert "Sort" not in explained


def test_a_persons_stories_are_found_through_the_mention_index():
    mention = MentionFactory()

    explained = plan(
        Article.objects.filter(mentions__person=mention.person).values("pk")
    )

    # Whichever index the planner picks (ours on person+article, or the foreign
    # key's own), the person's mentions are found by index, not by a scan.
    assert "Index Cond: (person_id = " in explained
    assert "Seq Scan on articles_mention" not in explained


def test_related_stories_read_each_person_and_tag_from_its_link_index():
    mention = MentionFactory()
    story = mention.article
    story.tags.add("Georgia")
    story = Article.objects.for_detail().get(pk=story.pk)

    # A few test rows: a bitmap, or another index and a sort, would be cheaper
    # (which one the planner picks depended on the tests run before).
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    explained = plan(Article.objects.published().related_to(story))

    assert "mention_person_pub_idx" in explained
    assert "taggedarticle_tag_pub_idx" in explained


@pytest.mark.parametrize("page", ["tag", "person"])
def test_a_page_of_links_is_read_from_their_index_in_its_order(page):
    """A tag's or person's page: its newest links, one range of the (key, publish
    time, story) index in the index's order, whatever the number of links (the
    statement then reads those stories by id: see the benchmark)."""
    mention = MentionFactory()
    mention.article.tags.add("Georgia")
    now = timezone.now()
    with connection.cursor() as cursor:  # as in the tests above
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    if page == "tag":
        tag = mention.article.tags.get()
        links = TaggedArticle.objects.filter(tag=tag).published_by_now(now=now)
        links = links.newest_first().values_list("content_object_id", flat=True)
        index = "taggedarticle_tag_pub_idx"
    else:
        links = Mention.objects.filter(person_id=mention.person_id)
        links = links.published_by_now(now=now).story_ids()
        index = "mention_person_pub_idx"

    explained = plan(links[:21])

    assert f"using {index}" in explained
    assert "Sort" not in explained


def test_a_races_coverage_reads_its_links_from_their_index():
    """A race's newest stories: one range of the (race, publish time, story)
    index, however many stories the race was ever in."""
    story = ArticleFactory()
    race = RaceFactory()
    story.races.add(race)
    with connection.cursor() as cursor:  # as in the tests above
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")

    links = RaceCoverage.objects.filter(race=race).published_by_now().newest_first()

    explained = plan(links.values_list("article_id", flat=True)[:20])

    assert "using racecoverage_race_pub_idx" in explained


def test_people_are_found_by_any_part_of_their_name_through_a_trigram_index():
    AliasFactory(person__name="Samuel L. Jackson", name="Sam Jackson")

    explained = plan(Person.objects.named(["jackson"]))

    assert "person_name_trgm_idx" in explained


def test_aliases_are_found_by_any_part_through_a_trigram_index():
    AliasFactory(person__name="Samuel L. Jackson", name="Sam Jackson")
    with connection.cursor() as cursor:  # only a bitmap can read a trigram index
        cursor.execute("SET LOCAL enable_indexscan = off")

    explained = plan(Alias.objects.filter(name__icontains="jackson"))

    assert "alias_name_trgm_idx" in explained


def test_a_months_sitemap_is_one_range_of_the_publish_time_index():
    ArticleFactory.create_batch(3)

    explained = plan(stories_of_month(*month_range("2017", "06")))

    # Either publish-time index (with status first, or alone with status
    # filtered), read in its own order between the month's bounds.
    assert "Index Cond: " in explained
    assert "published_at >= " in explained.split("Index Cond: ")[1]
    assert "Sort" not in explained


def test_the_sitemap_index_counts_months_from_the_publish_time_index_alone():
    ArticleFactory.create_batch(3)

    explained = plan(story_months())

    assert "Index Only Scan using article_status_pub_idx" in explained


def test_the_story_list_sorted_by_headline_reads_the_headline_index():
    ArticleFactory.create_batch(3)

    explained = plan(Article.objects.order_by("headline", "-id")[:100])

    assert "article_headline_idx" in explained
    assert "Sort" not in explained


def test_the_front_pages_races_in_the_news_read_only_the_races_they_show():
    """The sidebar's races come straight off the newest stories' race links and
    the races' primary key: no pass over every race to find its five again."""
    story = ArticleFactory()
    story.races.add(*RaceFactory.create_batch(3))

    explained = plan(races_in_the_news())

    assert explained.count("on people_race") == 1
    assert "people_race_pkey on people_race" in explained


def test_the_story_page_joins_a_storys_tags_by_key_not_by_reading_every_tag():
    """With the newsroom's tags in the hundreds, a random read priced as a spinning
    disk's (PostgreSQL's default) had the story page hash every tag to join a
    story's few: the database's time for the page went from 0.23 ms to 0.64."""
    from taggit.models import Tag

    tags = Tag.objects.bulk_create(
        Tag(name=f"Topic {number}", slug=f"topic-{number}") for number in range(600)
    )
    stories = ArticleFactory.create_batch(100)
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=story, tag=tags[(number * 4 + k) % 600])
        for number, story in enumerate(stories)
        for k in range(4)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE taggit_tag")
        cursor.execute("ANALYZE articles_taggedarticle")
        # What `Article.tag_links` asks.
        story = Article.objects.published().for_detail().get(pk=stories[0].pk)
        links = TaggedArticle.objects.filter(content_object_id=story.pk)
        query = links.order_by("tag__name", "tag_id").values("tag__name").query
        sql, params = query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        explained = "\n".join(row[0] for row in cursor.fetchall())

    # Each of the story's tags looked up by its key.
    assert re.search(
        r"taggit_tag_pkey on taggit_tag(?: \S+)? +\(cost[^\n]*\n +Index Cond: \(id = ",
        explained,
    ), explained
