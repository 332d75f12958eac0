"""Read replicas: anonymous readers' queries go to DATABASE_REPLICA_URL.

Only reads made while serving a reader's GET go to the replica. Everything an editor
does (the admin, any POST, any logged-in user) and every read inside a transaction
stays on the primary, so nobody reads back an older copy of what they just wrote.
Installed by settings only when DATABASE_REPLICA_URL is set.
"""

from contextvars import ContextVar

from django.db import connections

REPLICA = "replica"
_reader_request: ContextVar[bool] = ContextVar("reader_request", default=False)


class ReaderRequestMiddleware:
    """Marks a request as a reader's: a GET or HEAD, anonymous, outside the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reader_request.set(
            request.method in ("GET", "HEAD")
            and not request.path.startswith("/admin/")
            and not request.user.is_authenticated
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
