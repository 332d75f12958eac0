"""How PostgreSQL plans the project's queries: afresh for each search
(`planned_afresh`); a page's other queries run from prepared statements."""

from contextlib import contextmanager

from django.db import connections


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
