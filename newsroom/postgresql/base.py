"""Django's PostgreSQL backend, with server-side binding kept within the protocol.

With `server_side_binding` (see settings: it lets PostgreSQL keep each query's plan
as a prepared statement, which halves the database's CPU per reader page), the
parameters travel apart from the SQL, and the protocol allows at most 65,535 a
statement. Django 5.2 does not know that limit for PostgreSQL: deleting 70,000 stories
or tags at once, which collects their related rows one statement per relation, or a
large bulk_update, would fail. Here those batches are cut to fit, as Django does for
SQLite's limit.
"""

from django.db.backends.postgresql import base, features, operations
from django.utils.functional import cached_property

PROTOCOL_MAX_PARAMS = 2**16 - 1


class DatabaseFeatures(features.DatabaseFeatures):
    @cached_property
    def max_query_params(self):
        return PROTOCOL_MAX_PARAMS if self.uses_server_side_binding else None


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        """Rows per statement for bulk_create, bulk_update and deletion batches."""
        limit = self.connection.features.max_query_params
        if limit is None or not fields:
            return super().bulk_batch_size(fields, objs)
        return max(limit // len(fields), 1)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
