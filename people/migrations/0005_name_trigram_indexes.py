"""Trigram indexes for finding people by any part of a name or alias (`icontains`,
as reader search does: `PersonQuerySet.named`). PostgreSQL only: the pg_trgm
extension (trusted: a database owner may add it) and two GIN indexes on the same
expression Django's `icontains` compares, UPPER(name). Nothing to do on SQLite."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from core.postgresql.operations import run_sql_on_postgresql

CREATE = """
CREATE INDEX person_name_trgm_idx ON people_person
    USING GIN (UPPER(name::text) gin_trgm_ops);
CREATE INDEX alias_name_trgm_idx ON people_alias
    USING GIN (UPPER(name::text) gin_trgm_ops);
"""

DROP = """
DROP INDEX IF EXISTS person_name_trgm_idx;
DROP INDEX IF EXISTS alias_name_trgm_idx;
"""


class Migration(migrations.Migration):
    dependencies = [("people", "0004_person_slugs")]

    operations = [TrigramExtension(), run_sql_on_postgresql(CREATE, DROP)]
