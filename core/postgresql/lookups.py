"""Lookups that only PostgreSQL has."""

from django.db.models import Lookup


class AnyOf(Lookup):
    """`column = ANY(%s)`: membership in a list sent as one array parameter.

    `pk__in=ids` with a thousand ids builds and sends a thousand placeholders,
    which Django compiles and psycopg re-parses on every run (a quarter of a
    common word's search time in Python); one array costs the same for any count.
    Used as an expression: `queryset.filter(AnyOf(F("pk"), ids))`.
    """

    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]
