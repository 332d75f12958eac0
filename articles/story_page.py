"""A published story with what its page shows, read by compiled statements.

The same rows as `Article.objects.published().for_detail()` and `related_to()`,
without building and compiling five querysets on every page view (see
`newsroom.statements`): at 100,000 stories that was 4.6 of the 6 ms a story page
spent getting its story, people, bylines and tags. The story's bylines, tags and
people come in its own query, as JSON (`newsroom.json_rows`): two queries for the
page where the ORM asks five.
"""

import datetime

from django.utils import timezone

from articles.models import (
    Article,
    Mention,
    Section,
    TaggedArticle,
    TagLink,
    covers_races,
    credits_from,
    credits_json,
    story_in_section,
)
from newsroom.json_rows import decoded, json_rows
from newsroom.statements import (
    Statement,
    columns,
    instance,
    instances,
    related_columns,
)
from people.models import Person

# Everything but the search vector, which no page shows.
STORY_COLUMNS = columns(Article, exclude={"search_vector"})
# What the page shows of a story's people: the people box, the linked body and
# the JSON-LD (other columns are deferred), in the models' field order.
MENTION_COLUMNS = ["id", "person_id", "role", "note"]
PERSON_COLUMNS = ["id", "name", "slug", "kind", "photo"]
MENTION_WITH_STORY = ["id", "article_id", *MENTION_COLUMNS[1:]]

STORY = Statement(
    lambda slug, now: (
        Article.objects.published(now=now)
        .filter(slug=slug)
        .annotate(
            has_races=covers_races(),
            credits_json=credits_json(),
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
                order_by=["person__name", "role"],
            ),
        )
        .values_list(
            *STORY_COLUMNS,
            *related_columns("section", Section),
            "has_races",
            "credits_json",
            "tags_json",
            "people_json",
        )
    ),
    slug=str,
    now=datetime.datetime,
)

RELATED_COLUMNS = ["id", "headline", "slug", "published_at", "created_at"]

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
    (`tag_links`), people (`people_mentions`) and `has_races`; None if there is no
    such story or readers may not see it."""
    rows = STORY.rows(slug=slug, now=timezone.now())
    if not rows:
        return None
    *values, has_races, credits, tags, people = rows[0]
    story = story_in_section(STORY_COLUMNS, values, rows.db)
    story.has_races = has_races

    story.credits = credits_from(credits, rows.vendor)
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
    loaded.person = instance(Person, PERSON_COLUMNS, row[len(MENTION_COLUMNS) :], db)
    return loaded


def related_stories(story: Article) -> list[Article]:
    """`Article.objects.published().related_to(story)`: headline, slug and dates
    of the newest published stories sharing a person or a tag with `story`."""
    people = sorted({mention.person_id for mention in story.people_mentions})
    tags = sorted({tag.pk for tag in story.tag_links})
    rows = RELATED.rows(story=story.pk, people=people, tags=tags, now=timezone.now())
    return instances(Article, RELATED_COLUMNS, rows)
