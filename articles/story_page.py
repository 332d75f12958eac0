"""A published story with what its page shows, read by compiled statements.

The same rows as `Article.objects.published().for_detail()` and `related_to()`,
in the same number of queries, without building and compiling five querysets on
every page view (see `newsroom.statements`): at 100,000 stories that was 4.6 of the
6 ms a story page spent getting its story, people, bylines and tags.
"""

import datetime

from django.utils import timezone

from articles.models import (
    Article,
    Section,
    attach_credits,
    attach_people_mentions,
    attach_tag_links,
    covers_races,
    story_in_section,
)
from newsroom.statements import Statement, columns, instances, related_columns

# Everything but the search vector, which no page shows.
STORY_COLUMNS = columns(Article, exclude={"search_vector"})

STORY = Statement(
    lambda slug, now: (
        Article.objects.published(now=now)
        .filter(slug=slug)
        .annotate(has_races=covers_races())
        .values_list(*STORY_COLUMNS, *related_columns("section", Section), "has_races")
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
    values = rows[0]
    story = story_in_section(STORY_COLUMNS, values, rows.db)
    story.has_races = values[-1]
    for attach in (attach_credits, attach_tag_links, attach_people_mentions):
        attach([story])
    return story


def related_stories(story: Article) -> list[Article]:
    """`Article.objects.published().related_to(story)`: headline, slug and dates
    of the newest published stories sharing a person or a tag with `story`."""
    people = sorted({mention.person_id for mention in story.people_mentions})
    tags = sorted({tag.pk for tag in story.tag_links})
    rows = RELATED.rows(story=story.pk, people=people, tags=tags, now=timezone.now())
    return instances(Article, RELATED_COLUMNS, rows)
