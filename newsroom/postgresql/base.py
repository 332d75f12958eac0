"""Django's PostgreSQL backend, with server-side binding kept within the protocol.

With `server_side_binding` (see settings: it lets PostgreSQL keep each query's plan
as a prepared statement, which halves the database's CPU per reader page), the
parameters travel apart from the SQL, and the protocol allows at most 65,535 a
statement. Django 5.2 does not know that limit for PostgreSQL: deleting 70,000 stories
or tags at once, which collects their related rows one statement per relation, or a
large bulk_update, would fail. Here those batches are cut to fit, as Django does for
SQLite's limit.
"""

import select

from django.db.backends.postgresql import base, features, operations
from django.utils.functional import cached_property
from psycopg.pq import TransactionStatus

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

    def is_usable(self):
        """Whether a kept connection still works, mostly without a round trip.

        Django's health check sends "SELECT 1" before a request's first query: a
        tenth of a millisecond, and a statement for PostgreSQL, on every page. An
        idle connection the server has dropped (a restart, an idle timeout, a
        terminated backend) has something to read: the server's last words or the
        end of the stream. So an idle connection with nothing to read is usable;
        anything else, including one inside a transaction, gets the round trip.
        """
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if (
            connection.info.transaction_status == TransactionStatus.IDLE
            and not _has_unread_input(connection)
        ):
            return True
        return super().is_usable()


def _has_unread_input(connection) -> bool:
    try:
        readable, _, _ = select.select([connection.fileno()], [], [], 0)
    except (OSError, ValueError):
        return True  # let the round trip tell
    return bool(readable)
