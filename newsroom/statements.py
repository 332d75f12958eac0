"""Reader queries compiled to SQL once per connection, then run with new values.

Django builds and compiles a query's SQL afresh on every evaluation: resolving
lookups and joins, then writing the SQL, for every story page. Measured at 100,000
stories, that was three quarters of the time a story page spent fetching its story,
people, bylines and tags (4.6 ms of 6; the database took the rest). The shape of a
reader query never changes between requests, only its values (a slug, "now"); a
`Statement` is such a query, written as an ordinary queryset, compiled the first
time it runs on a connection, then only executed, with the values put in place of
stand-ins. On PostgreSQL the unchanging SQL text also lets psycopg keep the
statement prepared.

    STORY = Statement(
        lambda slug, now: Article.objects.filter(slug=slug, published_at__lte=now)
        .values_list("pk", "headline"),
        slug=str, now=datetime,
    )
    STORY.rows(slug="ossoff-wins", now=timezone.now())

Each value must be of its declared kind, never None (`filter(x=None)` compiles to
`IS NULL`, a different shape); a list value (kind `list`, of ints) is compiled once
per length. The queryset must end in `values_list()`: rows come back as tuples,
converted as Django's own would be; `instance()` turns columns into a model.
"""

import datetime
import functools
import itertools
import uuid
import weakref

from django.core.exceptions import EmptyResultSet
from django.db import connections, router

# A compiled shape that matches nothing (see `_compile`).
NOTHING = object()

# The stand-ins: values no caller can send (a year-1234 time, a negative id, a
# random marker), each different, so that each is found only where it was put.
_sequence = itertools.count(1)


def _stand_in(kind, length=None):
    number = next(_sequence)
    if kind is str:
        return f"~statement-value-{uuid.uuid4().hex}~"
    if kind is int:
        return -1_000_000_000 - number
    if kind is datetime.datetime:
        return datetime.datetime(1234, 5, 6, 7, 8, 9, number, tzinfo=datetime.UTC)
    if kind is list:
        return [_stand_in(int) for _ in range(length)]
    raise TypeError(f"A statement value is str, int, datetime or list, not {kind}")


class Statement:
    """A queryset shape (`build(**values)`) compiled once per database connection."""

    # Lists longer than this compile every time: one compiled shape per length is
    # kept, and a page's lists (20 stories, a story's few people) are short.
    LONGEST_LIST_KEPT = 100

    def __init__(self, build, **kinds):
        self.build = build
        self.kinds = kinds
        # Per connection (a connection belongs to one thread), per list length.
        self._compiled = weakref.WeakKeyDictionary()
        self._model = None

    def rows(self, *, using=None, **values) -> "Rows":
        """The rows for these values, read from `using` (else where the router
        sends reads of the statement's model)."""
        if values.keys() != self.kinds.keys():
            raise TypeError(f"Statement values are {sorted(self.kinds)}")
        for name, value in values.items():
            if not isinstance(value, self.kinds[name]):
                raise TypeError(f"{name}={value!r} is not a {self.kinds[name]}")
            if isinstance(value, int) and not -(2**63) <= value < 2**63:
                # Django's lookups turn such a value into "matches nothing" (or
                # everything); sent as it is, it fails in the driver.
                raise ValueError(f"{name}={value} is past 64 bits")
        # In the declared order, whatever the order of the caller's keywords.
        lengths = tuple(
            len(values[name]) for name, kind in self.kinds.items() if kind is list
        )
        if using is None:
            using = router.db_for_read(self.model)
        connection = connections[using]
        compiled = self._compiled.setdefault(connection, {})
        shape = compiled.get(lengths)
        if shape is None:
            shape = self._compile(using, values)
            if max(lengths, default=0) <= self.LONGEST_LIST_KEPT:
                compiled[lengths] = shape
        if shape is NOTHING:
            return Rows((), using, connection.vendor)
        sql, params, slots, converters, apply_converters = shape
        params = list(params)
        for name, positions in slots.items():
            value = values[name]
            for position, index, wrap in positions:
                adapted = _adapt(connection, value if index is None else value[index])
                params[position] = adapted if wrap is None else wrap(adapted)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        if converters:
            fetched = map(tuple, apply_converters(fetched, converters))
        return Rows(fetched, using, connection.vendor)

    @property
    def model(self):
        if self._model is None:
            self._model = self.build(**self._stand_ins({})).model
        return self._model

    def _stand_ins(self, values):
        return {
            name: _stand_in(kind, len(values.get(name, [0])) if kind is list else None)
            for name, kind in self.kinds.items()
        }

    def _compile(self, using, values):
        """(SQL, parameters, {value name: [(parameter position, list index or
        None, type to wrap the value in or None)]}, converters, the compiler's
        way of applying them): the queryset built with stand-ins and compiled,
        where each stand-in went, and the converters Django applies to its
        columns, worked out once too."""
        connection = connections[using]
        stand_ins = self._stand_ins(values)
        queryset = self.build(**stand_ins)
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return NOTHING  # an empty `__in` list: Django asks nothing either
        params = list(params)
        slots = {}
        for name, stand_in in stand_ins.items():
            whole = [
                p
                for p, param in enumerate(params)
                if isinstance(stand_in, list)
                and type(param) is list
                # Unique items, so only this list's copies are equal; an empty
                # list's value is the empty list wherever it is found.
                and param == stand_in
            ]
            if whole:
                # A list passed as one value (a PostgreSQL array in raw SQL).
                slots[name] = [(p, None, None) for p in whole]
                continue
            items = stand_in if isinstance(stand_in, list) else [stand_in]
            found = []
            for index, item in enumerate(items):
                adapted = _adapt(connection, item)
                positions = [
                    (p, _wrapper(param, adapted))
                    for p, param in enumerate(params)
                    if _same_value(param, adapted)
                ]
                if not positions:
                    raise ValueError(
                        f"The statement's {name} changed on its way into the SQL "
                        f"(a lookup that rewrites it?): {sql}"
                    )
                index = index if isinstance(stand_in, list) else None
                found += [(p, index, wrap) for p, wrap in positions]
            slots[name] = found
        selected = [select[0] for select in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(selected)
        return sql, tuple(params), slots, converters, compiler.apply_converters


class Rows(list):
    """A statement's rows (tuples), `db`: the database they were read from, and
    its `vendor` ("postgresql", "sqlite")."""

    def __init__(self, rows, db, vendor):
        super().__init__(rows)
        self.db = db
        self.vendor = vendor


def _same_value(param, adapted) -> bool:
    """Whether a compiled parameter is the stand-in `adapted`: of its type, or an
    integer in the type Django sends an integer field's value as (psycopg's Int8
    for a BigIntegerField in an expression)."""
    if type(param) is type(adapted):
        return param == adapted
    return type(adapted) is int and isinstance(param, int) and param == adapted


def _wrapper(param, adapted):
    """The type to send a new value as, where the compiled parameter's differs."""
    return None if type(param) is type(adapted) else type(param)


def _adapt(connection, value):
    """A value as Django's DateTimeField, IntegerField or CharField would send it."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, list):
        return [_adapt(connection, item) for item in value]
    return value


def columns(model, *, exclude=()) -> list[str]:
    """The names of `model`'s stored columns (attnames, `section_id`), for a
    `values_list()` whose rows `instance()` turns back into the model."""
    return [f.attname for f in model._meta.concrete_fields if f.name not in exclude]


def related_columns(relation: str, model, *, exclude=()) -> list[str]:
    """`columns()` of a model reached through `relation` (`section__name`)."""
    return [f"{relation}__{name}" for name in columns(model, exclude=exclude)]


def instance(model, names, values, using):
    """A model instance from stored values, as the ORM loads one (`from_db`);
    columns not in `names` are deferred. `names` must be in the model's field
    order, as `columns()` gives them: `from_db` assigns the values in that order."""
    if len(names) != len(model._meta.concrete_fields):
        _check_field_order(model, tuple(names))
    return model.from_db(using, names, values)


@functools.cache
def _check_field_order(model, names: tuple[str, ...]) -> None:
    ordered = [name for name in columns(model) if name in names]
    if list(names) != ordered:
        raise ValueError(f"{model.__name__} columns {names} are not in field order")


def instances(model, names, rows: Rows) -> list:
    """`instance()` of each of a statement's rows, all of them `names` columns."""
    return [instance(model, names, values, rows.db) for values in rows]
