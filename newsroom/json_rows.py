"""A story's few related rows (bylines, tags, people) inside the story's own query.

Each extra query a page asks costs a round trip to the database and the driver's
work on both ends, more than its rows: a story page asked four for its story,
bylines, tags and people (0.7 ms at 100,000 stories), where one with three JSON
subqueries takes 0.25. `json_rows()` is such a subquery, written with the ORM;
`decoded()` reads it back in the order asked.

    Article.objects.annotate(
        credits_json=json_rows(
            Byline.objects, "article", "person__name", order_by=["position", "id"]
        )
    )
"""

import datetime
import functools
import json

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db import NotSupportedError, connection, models
from django.db.models import Aggregate, Func, OuterRef, Subquery, TextField
from django.db.models.functions import Cast

from newsroom.statements import instance


class JSONRows(Aggregate):
    """A group's rows as JSON text: an array of arrays, each the `fields` of a row.

    PostgreSQL orders the rows inside the aggregate, by `order_by` and its
    collation. SQLite (before 3.44) cannot order inside an aggregate: each row
    comes as [fields, order_by values] and `decoded()` sorts by the second, which
    is SQLite's own order (its default BINARY collation compares strings as Python
    does)."""

    output_field = TextField()
    # A group with no rows reads as none.
    empty_result_set_value = None

    def __init__(self, *fields, order_by):
        if not fields or not order_by:
            raise TypeError("JSONRows needs fields and an order_by")
        self.field_count = len(fields)
        super().__init__(*fields, *order_by)

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        # Func's own list: Aggregate's adds its (unused) filter.
        for expression in super(Aggregate, self).get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        fields, order = parts[: self.field_count], parts[self.field_count :]
        if connection.vendor == "postgresql":
            sql = (
                f"json_agg(json_build_array({', '.join(fields)}) "
                f"ORDER BY {', '.join(order)})::text"
            )
        elif connection.vendor == "sqlite":
            sql = (
                f"json_group_array(json_array(json_array({', '.join(fields)}), "
                f"json_array({', '.join(order)})))"
            )
        else:
            raise NotSupportedError(f"JSONRows on {connection.vendor}")
        return sql, params


def json_rows(queryset, story_field: str, *fields: str, order_by: list[str]):
    """A subquery: the rows of `queryset` whose `story_field` is the outer row,
    as `JSONRows` of `fields` (NULL when there are none)."""
    return Subquery(
        queryset.filter(**{story_field: OuterRef("pk")})
        .order_by()
        .values(story_field)
        .annotate(rows=JSONRows(*fields, order_by=order_by))
        .values("rows")
    )


class _TextArray(Func):
    """ARRAY[a, b, …]: text columns as one array (the row of `text_rows()`)."""

    template = "ARRAY[%(expressions)s]"
    output_field = ArrayField(TextField())


def text_rows(queryset, story_field: str, *fields: str, order_by: list[str]):
    """`json_rows()` of text columns (a person's roles in each listed story).
    On PostgreSQL an array of text arrays, ordered in the subquery: the driver
    reads it as lists, where JSON rows were built, aggregated, cast and parsed
    again for every story of a listing (a third of its statement's time).
    `text_rows_of()` reads either."""
    if connection.vendor != "postgresql":
        return json_rows(queryset, story_field, *fields, order_by=order_by)
    return ArraySubquery(
        queryset.filter(**{story_field: OuterRef("pk")})
        .order_by(*order_by)
        .values(row=_TextArray(*fields))
    )


def text_rows_of(values, *, vendor: str) -> list[list[list]]:
    """The rows of each of a listing's `text_rows()` values, in the order asked."""
    if vendor == "postgresql":
        return list(values)
    return decoded_many(values, vendor=vendor)


def json_row(*fields):
    """PostgreSQL: a row's `fields` as one JSON array, in text: the element of an
    `ArraySubquery` of rows kept in the subquery's order (SQLite, with no arrays,
    has `json_rows()`); `json.loads` reads each back."""
    return Cast(Func(*fields, function="json_build_array"), TextField())


def decoded(text: str | None, *, vendor: str) -> list[list]:
    """The rows of a `json_rows()` value (read from a database of this `vendor`:
    a statement's `Rows.vendor`), each its fields, in the order asked."""
    if text is None:
        return []
    rows = json.loads(text)
    if vendor == "postgresql":
        return rows
    rows.sort(key=lambda row: row[1])  # SQLite: [fields, order_by values]
    return [fields for fields, _order in rows]


def decoded_many(texts, *, vendor: str) -> list[list[list]]:
    """`decoded()` of each of `texts` (a listing's roles, twenty of them), in one
    `json.loads` on PostgreSQL (`loads_many()`)."""
    if vendor != "postgresql":
        return [decoded(text, vendor=vendor) for text in texts]
    return loads_many("[]" if text is None else text for text in texts)


def loads_many(texts) -> list:
    """`json.loads` of each of `texts` (JSON documents), in one call: each call's
    own set-up was most of a small value's cost (a listing's twenty bylines)."""
    return json.loads("[" + ",".join(texts) + "]")


def json_instance(model, names, values, db):
    """`newsroom.statements.instance()` of a row of JSON values: dates and times
    (JSON has none) and booleans (SQLite's JSON gives 0 and 1) made what the
    model's fields hold, as a query's converters would."""
    converted = [
        value if value is None or convert is None else convert(value)
        for convert, value in zip(_converters(model, tuple(names)), values, strict=True)
    ]
    return instance(model, names, converted, db)


@functools.cache
def _converters(model, names: tuple[str, ...]) -> list:
    fields = {field.attname: field for field in model._meta.concrete_fields}
    return [_converter(fields[name]) for name in names]


def _converter(field):
    if isinstance(field, models.DateTimeField):
        return _aware_datetime
    if isinstance(field, models.DateField):
        return datetime.date.fromisoformat
    if isinstance(field, models.BooleanField):
        return bool
    return None


def _aware_datetime(text: str) -> datetime.datetime:
    """PostgreSQL writes a time with its offset; SQLite stores UTC without one."""
    moment = datetime.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
