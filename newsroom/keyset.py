"""Keyset pagination for newest-first lists of stories (anything with
`published_at` and a primary key): "older" and "newer" pages are
found by where the last story stood, not by counting past thousands of rows, so
the 2,000th page costs what the first does (an index range scan, no COUNT)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from django.db.models import Q
from django.http import Http404

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def cursor_of(article, id_field="pk") -> str:
    micros = (article.published_at - EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{getattr(article, id_field)}"


def parse_cursor(value: str) -> tuple[datetime, int]:
    try:
        micros, pk = (int(part) for part in value.split("."))
        return EPOCH + timedelta(microseconds=micros), pk
    except (ValueError, OverflowError):
        raise Http404("That page does not exist.") from None


@dataclass
class KeysetPage:
    object_list: list
    older: str | None  # cursor for ?before=
    newer: str | None  # cursor for ?after=

    @property
    def has_previous(self):
        return self.newer is not None

    @property
    def has_next(self):
        return self.older is not None

    @property
    def is_first(self):
        return self.newer is None


def keyset_page(stories, params, per_page: int, id_field="pk") -> KeysetPage:
    """One page of `stories` (ordered newest first by publish time, then id).

    `id_field` names the story's id on the rows when they are not stories (a tag's
    links to its stories: `content_object_id`); cursors always hold the story's id.
    """
    cursor = partial(cursor_of, id_field=id_field)
    if after := params.get("after"):
        moment, pk = parse_cursor(after)
        newer_first = stories.filter(
            Q(published_at__gt=moment)
            | Q(published_at=moment, **{f"{id_field}__gt": pk})
        ).reverse()
        rows = list(newer_first[: per_page + 1])
        more_newer = len(rows) > per_page
        rows = rows[:per_page][::-1]
        return KeysetPage(
            rows,
            older=cursor(rows[-1]) if rows else None,
            newer=cursor(rows[0]) if rows and more_newer else None,
        )
    before = params.get("before")
    if before:
        moment, pk = parse_cursor(before)
        stories = stories.filter(
            Q(published_at__lt=moment)
            | Q(published_at=moment, **{f"{id_field}__lt": pk}),
            published_at__lte=moment,
        )
    rows = list(stories[: per_page + 1])
    more_older = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        rows,
        older=cursor(rows[-1]) if rows and more_older else None,
        newer=cursor(rows[0]) if rows and before else None,
    )


def linked_stories_page(links, params, per_page: int, *, id_field, stories):
    """A keyset page of `links` (rows that carry their story's publish time and id:
    a tag's links, a person's mentions), turned into the stories themselves.

    The stories are read by `stories(ids)`, which gives the published ones in the
    order of `ids` (`Article.objects.published_teasers`): a link whose copy of the
    publish state were ever stale could hide a story, never show one."""
    page = keyset_page(links, params, per_page, id_field=id_field)
    page.object_list = stories([getattr(link, id_field) for link in page.object_list])
    return page


def in_id_order(queryset, ids) -> list:
    """The rows of `queryset` with these ids, in the order of `ids`; an id it does
    not find (filtered out, or deleted since) is left out. The database is not asked
    to sort them (a third of the query's compile time, and a sort, for nothing)."""
    found = queryset.order_by().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
