"""Read replicas: anonymous readers' queries go to DATABASE_REPLICA_URL.

Only reads made while serving a reader's GET go to the replica, and only once the
replica has replayed the latest editorial commit. Everything an editor does (the
admin, any POST, any logged-in user) and every read inside a transaction stays on
the primary, so nobody reads back an older copy of what they just wrote.
Installed by settings only when DATABASE_REPLICA_URL is set.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections

REPLICA = "replica"
LAST_WRITE_KEY = "replica:primary-position"
_reader_request: ContextVar[bool] = ContextVar("reader_request", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _postgresql(alias) -> bool:
    return connections[alias].vendor == "postgresql"


def lsn(text: str) -> int:
    """A PostgreSQL WAL position ("16/B374D848") as a number."""
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def remember_primary_position() -> None:
    """After an editorial commit: where the primary's WAL stands. Readers use the
    replica only once it has replayed that far, so a lagging replica never shows a
    story after its unpublish has returned (nor refills the page cache with it)."""
    if not replica_configured() or not _postgresql("default"):
        return
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        cache.set(LAST_WRITE_KEY, cursor.fetchone()[0], None)


def replica_replay_position() -> str | None:
    """How far the replica has replayed (None when it is not a standby)."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn()::text")
        return cursor.fetchone()[0]


def replica_caught_up() -> bool:
    if not replica_configured() or not _postgresql(REPLICA):
        return True
    try:
        needed = cache.get(LAST_WRITE_KEY)
    except Exception:  # noqa: BLE001  (without the cache, the replica's lag is unknown)
        return False
    if not needed:
        return True
    try:
        replayed = replica_replay_position()
    except DatabaseError:
        return False  # replica unreachable: read from the primary
    return replayed is None or lsn(replayed) >= lsn(needed)


class ReaderRequestMiddleware:
    """Marks a request as a reader's: a GET or HEAD, anonymous, outside the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reader_request.set(
            request.method in ("GET", "HEAD")
            and not request.path.startswith("/admin/")
            and not request.user.is_authenticated
            and replica_caught_up()
        )
        try:
            return self.get_response(request)
        finally:
            _reader_request.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reader_request.get() and not connections["default"].in_atomic_block:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
