"""How PostgreSQL plans the project's statements: afresh for each search
(`planned_afresh`), once for the pages whose plan never depends on their values
(`Opaque`)."""

from contextlib import contextmanager

from django.db import connections
from django.db.models import Expression, Value


@contextmanager
def planned_afresh(alias="default"):
    """Within this block, queries on `alias` are not run from prepared statements.

    PostgreSQL may run a prepared statement with one generic plan for every
    parameter. That suits a page's queries, whose plans are the same whatever the
    story, but not a search: a rare word is best found through the full-text
    index, a common one by walking the newest stories, and a generic plan made
    searches up to twice as slow. No round trip: psycopg simply does not prepare
    (or reuse a prepared statement) while its threshold is unset.
    """
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    driver = connection.connection
    kept = driver.prepare_threshold
    driver.prepare_threshold = None
    try:
        yield
    finally:
        driver.prepare_threshold = kept


class Opaque(Expression):
    """A value PostgreSQL's planner does not look at: `(SELECT %s::type)`, an
    InitPlan, worked out when the statement runs (elsewhere plain `%s`).

    PostgreSQL plans a prepared statement for its values five times, then keeps
    one generic plan only if that looks no dearer than those. For the front page's
    stories it never did: the generic plan guesses a third of the stories
    published by `now` where the real value says nearly all, so every front page
    was planned again, costing the database more than running it (0.4-0.5 ms
    against 0.3 at 100,000 stories). With every value of a statement opaque, the
    plans for its values and the generic one are the same plan, and PostgreSQL
    keeps the generic one. Only for values whose exact value never changes the best
    plan (a page of the newest stories is one range of one index, whatever `now`).
    """

    def __init__(self, value, output_field):
        super().__init__(output_field=output_field)
        self.value = Value(value, output_field=output_field)

    def get_source_expressions(self):
        return [self.value]

    def set_source_expressions(self, expressions):
        (self.value,) = expressions

    def as_sql(self, compiler, connection):
        return compiler.compile(self.value)

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.value)
        return f"(SELECT {sql}::{self.output_field.db_type(connection)})", params
