"""A published story with what its page shows, read by compiled statements.

The same rows as `Article.objects.published().for_detail()` and `related_to()`,
without building and compiling five querysets on every page view (see
`newsroom.statements`): at 100,000 stories that was 4.6 of the 6 ms a story page
spent getting its story, people, bylines and tags. The story's tags and people
come in its own query, as JSON (`newsroom.json_rows`), and on PostgreSQL
its related stories too (a LATERAL join on its own links): one query for the page
(two on SQLite) where the ORM asks six.
"""

import datetime
import json

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import DateTimeField, ExpressionWrapper, OuterRef
from django.db.models.functions import TruncDate
from django.utils import timezone

from articles.models import (
    Article,
    Mention,
    Section,
    TaggedArticle,
    TagLink,
    covers_races,
    newest_stories_linked_to_story_at,
    story_in_section,
)
from newsroom.json_rows import decoded, json_instance, json_row, json_rows
from newsroom.statements import (
    Statement,
    columns,
    instance,
    instances,
    related_columns,
)
from people.models import Person, Race, races_with_result, role_held_on

# Everything but the search vector, which no page shows.
STORY_COLUMNS = columns(Article, exclude={"search_vector"})
# What the page shows of a story's people: the people box, the linked body and
# the JSON-LD (other columns are deferred), in the models' field order.
MENTION_COLUMNS = ["id", "person_id", "role", "note"]
PERSON_COLUMNS = ["id", "name", "slug", "kind", "photo"]
MENTION_WITH_STORY = ["id", "article_id", *MENTION_COLUMNS[1:]]

MENTION_PERSON = Mention._meta.get_field("person")

RELATED_COLUMNS = ["id", "headline", "slug", "published_at", "created_at"]
RELATED_LIMIT = 5


def related_json(slug: str, now):
    """PostgreSQL: the related stories of the story at `slug` (see
    `related_stories()`), one more than shown as the story may be among them, each
    a JSON array of `RELATED_COLUMNS`, newest first: read in the story's own
    statement, a round trip fewer for every story page."""
    return ArraySubquery(
        Article.objects.published(now=now)
        .filter(
            pk__in=newest_stories_linked_to_story_at(slug, RELATED_LIMIT + 1, now=now)
        )
        .newest_first()
        .values(row=json_row(*RELATED_COLUMNS))[: RELATED_LIMIT + 1]
    )


RACE_COLUMNS = columns(Race)


def races_json():
    """PostgreSQL: the races the story covers, each with its result (see
    `Race.objects.with_result()`), in the races' order, each a JSON array of
    `RACE_COLUMNS` then its last round and winner: read in the story's own
    statement, a query fewer for the stories that cover races."""
    return ArraySubquery(
        races_with_result()
        .filter(articles=OuterRef("pk"))
        .values(row=json_row(*RACE_COLUMNS, "last_round_json", "winner_json"))
    )


def role_then():
    """In a mention's row: the title of the role its person held on the day the
    story (the row the mention is read for) was published; NULL when none."""
    published = ExpressionWrapper(
        OuterRef(OuterRef("published_at")), output_field=DateTimeField()
    )
    return role_held_on(OuterRef("person_id"), TruncDate(published))


def story_queryset(slug, now):
    """The story page's statement (`STORY`) as a queryset."""
    story = (
        Article.objects.published(now=now)
        .filter(slug=slug)
        .annotate(
            has_races=covers_races(),
            tags_json=json_rows(
                TaggedArticle.objects,
                "content_object",
                "tag_id",
                "tag__name",
                "tag__slug",
                order_by=["tag__name", "tag_id"],
            ),
            people_json=json_rows(
                Mention.objects,
                "article",
                *MENTION_COLUMNS,
                *(f"person__{column}" for column in PERSON_COLUMNS),
                role_then(),
                order_by=["person__name", "role"],
            ),
        )
    )
    postgresql_only = []
    if connection.vendor == "postgresql":
        # SQLite has no LATERAL join to find related stories by, nor arrays to
        # carry the races in order: statements of their own.
        story = story.annotate(
            related_json=related_json(slug, now), races_json=races_json()
        )
        postgresql_only = ["related_json", "races_json"]
    return story.values_list(
        *STORY_COLUMNS,
        *related_columns("section", Section),
        "has_races",
        "tags_json",
        "people_json",
        *postgresql_only,
    )


STORY = Statement(story_queryset, slug=str, now=datetime.datetime)

RELATED = Statement(
    lambda story, people, tags, now: (
        Article.objects.published(now=now)
        .related_to_keys(story, people, tags, now=now)
        .values_list(*RELATED_COLUMNS)
    ),
    story=int,
    people=list,
    tags=list,
    now=datetime.datetime,
)


def published_story(slug: str) -> Article | None:
    """The published story at `slug`, with its section, bylines (`credits`), tags
    (`tag_links`), people (`people_mentions`) and `has_races`, and on PostgreSQL its
    `related_stories` and races (`races_covered()`); None if there is no such story
    or readers may not see it."""
    rows = STORY.rows(slug=slug, now=timezone.now())
    if not rows:
        return None
    row = list(rows[0])
    if rows.vendor == "postgresql":
        *row, related, races = row
    *values, has_races, tags, people = row
    story = story_in_section(STORY_COLUMNS, values, rows.db)
    story.has_races = has_races
    if rows.vendor == "postgresql":
        story.related_stories = related_from(related, story, rows.db)
        story.races_found = races_from(races, rows.db)

    story.tag_links = [TagLink(*row) for row in decoded(tags, vendor=rows.vendor)]
    story.people_mentions = [
        mention(story, row, rows.db) for row in decoded(people, vendor=rows.vendor)
    ]
    return story


def mention(story, row, db) -> Mention:
    """A mention of the story, with its person, from a row of `people_json`."""
    mention_id, *mention_values = row[: len(MENTION_COLUMNS)]
    loaded = instance(
        Mention, MENTION_WITH_STORY, [mention_id, story.pk, *mention_values], db
    )
    *person_values, role = row[len(MENTION_COLUMNS) :]
    person = instance(Person, PERSON_COLUMNS, person_values, db)
    person.role_then = role  # the role held on the story's date (`role_then`)
    # What `loaded.person = person` leaves, without its checks (the person the
    # row names, from the same database), as `story_in_section()` does.
    MENTION_PERSON.set_cached_value(loaded, person)
    return loaded


def related_from(texts, story, db) -> list[Article]:
    """The stories of `related_json()`, but `story` itself."""
    # One decode for all of them: each call's own set-up cost more than a row.
    rows = json.loads("[" + ",".join(texts) + "]")
    return [
        json_instance(Article, RELATED_COLUMNS, values, db)
        for values in rows
        if values[0] != story.pk
    ][:RELATED_LIMIT]


def races_from(texts, db) -> list[Race]:
    """The races of `races_json()`, with their results."""
    races = []
    for text in texts:
        *values, last_round, winner = json.loads(text)
        race = json_instance(Race, RACE_COLUMNS, values, db)
        race.last_round_json, race.winner_json = last_round, winner
        races.append(race)
    return races


def related_stories(story: Article) -> list[Article]:
    """`Article.objects.published().related_to(story)`: headline, slug and dates
    of the newest published stories sharing a person or a tag with `story` (read
    with the story on PostgreSQL)."""
    if hasattr(story, "related_stories"):
        return story.related_stories
    people = sorted({mention.person_id for mention in story.people_mentions})
    tags = sorted({tag.pk for tag in story.tag_links})
    rows = RELATED.rows(story=story.pk, people=people, tags=tags, now=timezone.now())
    return instances(Article, RELATED_COLUMNS, rows)
