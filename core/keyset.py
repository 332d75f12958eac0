"""Keyset pagination for newest-first lists of stories (anything with
`published_at` and a primary key): "older" and "newer" pages are
found by where the last story stood, not by counting past thousands of rows, so
the 2,000th page costs what the first does (an index range scan, no COUNT)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from django.db.models import BigIntegerField, DateTimeField, Q
from django.http import Http404

from core.ids import LARGEST_ID
from newsroom.postgresql.plans import Opaque
from newsroom.statements import Statement

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def cursor_of(article, id_field="pk") -> str:
    micros = (article.published_at - EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{getattr(article, id_field)}"


def parse_cursor(value: str) -> tuple[datetime, int]:
    try:
        micros, pk = (int(part) for part in value.split("."))
        if not -LARGEST_ID <= pk <= LARGEST_ID:
            raise ValueError(pk)
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


def older_than(stories, moment, pk, id_field="pk", planned_once=False):
    """The rows of `stories` after the cursor (`moment`, `pk`) in newest-first
    order; the redundant `published_at <= moment` bounds the index range.
    `planned_once`: the cursor hidden from PostgreSQL's planner (see `Opaque`)."""
    if planned_once:
        moment, pk = _opaque_cursor(moment, pk)
    return stories.filter(
        Q(published_at__lt=moment) | Q(published_at=moment, **{f"{id_field}__lt": pk}),
        published_at__lte=moment,
    )


def newer_than(stories, moment, pk, id_field="pk", planned_once=False):
    """The rows of `stories` before the cursor, nearest first (oldest first)."""
    if planned_once:
        moment, pk = _opaque_cursor(moment, pk)
    return stories.filter(
        Q(published_at__gt=moment) | Q(published_at=moment, **{f"{id_field}__gt": pk})
    ).reverse()


def _opaque_cursor(moment, pk):
    return Opaque(moment, DateTimeField()), Opaque(pk, BigIntegerField())


class CompiledKeyset:
    """A keyset-paged list as compiled statements (`newsroom.statements`): the
    first page, the page older than a cursor and the page newer than one, each
    compiled once from `build(**values)`, the list's newest-first queryset ending
    in `values_list()`. `load(rows)` makes the rows into what the page lists
    (each with `published_at` and `id_field`, for the cursors).

        FRONT = CompiledKeyset(
            lambda now: Article.objects.published(now=now).newest_first()
            .values_list(...),
            per_page=20, load=teasers, now=datetime,
        )
        keyset_page(FRONT.bind(now=timezone.now()), request.GET, 20)

    With `stories`, `build` gives a list of links to stories instead (a tag's,
    a person's: rows carrying their story's publish time and id, `id_field`,
    selecting only that id), and `stories(page, newest_first, **values)` the
    stories whose ids are in the sliced `page` of links, in that order (oldest
    first when `newest_first` is false) and ending in `values_list()`: the page
    of links and its stories in one statement. The stories' own `pk` and
    `published_at` are then the cursors.

    `planned_once`: the cursors hidden from PostgreSQL's planner (`Opaque`), for a
    list whose `build` hides its own values too.
    """

    def __init__(
        self,
        build,
        *,
        per_page,
        load,
        id_field="pk",
        stories=None,
        planned_once=False,
        **kinds,
    ):
        self.build, self.per_page, self.load = build, per_page, load
        limit = per_page + 1
        older = partial(older_than, id_field=id_field, planned_once=planned_once)
        newer = partial(newer_than, id_field=id_field, planned_once=planned_once)

        def page_of(links, newest_first, values):
            if stories is None:
                return links[:limit]
            return stories(links[:limit], newest_first=newest_first, **values)

        self.statements = {
            None: Statement(
                lambda **values: page_of(build(**values), True, values), **kinds
            ),
            "older": Statement(
                lambda moment, key, **values: page_of(
                    older(build(**values), moment, key), True, values
                ),
                moment=datetime,
                key=int,
                **kinds,
            ),
            "newer": Statement(
                lambda moment, key, **values: page_of(
                    newer(build(**values), moment, key), False, values
                ),
                moment=datetime,
                key=int,
                **kinds,
            ),
        }

    def bind(self, *, load=None, **values):
        """The list for these values, as `keyset_page()` takes it; `load`: this
        request's own instead of the one given at first."""
        return partial(self._rows, values, load or self.load)

    def _rows(self, values, load, direction, cursor, limit) -> list:
        if limit != self.per_page + 1:
            raise ValueError(f"compiled for pages of {self.per_page}")
        if cursor is not None:
            moment, key = cursor
            values = {**values, "moment": moment, "key": key}
        return load(self.statements[direction].rows(**values))


# The query parameters a keyset page reads (for the page cache's keys).
CURSOR_PARAMETERS = frozenset({"after", "before"})


def keyset_page(stories, params, per_page: int, id_field="pk") -> KeysetPage:
    """One page of `stories`, a `CompiledKeyset` bound to its values (rows newest
    first by publish time, then id).

    `id_field` names the story's id on the rows when they are not stories (a tag's
    links to its stories: `content_object_id`); cursors always hold the story's id.
    """
    cursor = partial(cursor_of, id_field=id_field)
    if after := params.get("after"):
        rows = stories("newer", parse_cursor(after), per_page + 1)
        more_newer = len(rows) > per_page
        rows = rows[:per_page][::-1]
        return KeysetPage(
            rows,
            older=cursor(rows[-1]) if rows else None,
            newer=cursor(rows[0]) if rows and more_newer else None,
        )
    before = params.get("before")
    if before:
        rows = stories("older", parse_cursor(before), per_page + 1)
    else:
        rows = stories(None, None, per_page + 1)
    more_older = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        rows,
        older=cursor(rows[-1]) if rows and more_older else None,
        newer=cursor(rows[0]) if rows and before else None,
    )


def in_id_order(queryset, ids) -> list:
    """The rows of `queryset` with these ids, in the order of `ids`; an id it does
    not find (filtered out, or deleted since) is left out. The database is not asked
    to sort them (a third of the query's compile time, and a sort, for nothing)."""
    found = queryset.order_by().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
