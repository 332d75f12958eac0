"""Project-wide views: error pages, the health check, the benchmark's yardsticks."""

import functools
import json
import logging
import sys
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connection,
    connections,
)
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.http import require_safe

from core import purge

logger = logging.getLogger("newsroom")


class ReaderView:
    """A mixin for the reader pages' class-based views.

    Their templates are looked up in the Jinja2 engine alone (`templates/jinja2/`).
    Django's engine, listed first for the admin, was asked first on every page
    view, and its cached loader answers a name it did not find by raising a copy
    of that `TemplateDoesNotExist`: two exceptions a page.

    HEAD is answered as GET by a method of the class: Django's `View.setup()`
    otherwise stores `self.get` as `self.head` on every view it makes, a bound
    method pointing back at its view, so each view, and the story or stories it
    holds, was left to the garbage collector rather than freed with the request.
    """

    template_engine = "jinja2"
    # Readers' pages are read, nothing else: OPTIONS is refused as the feeds and
    # sitemaps refuse it (405 with Allow), rather than answered by Django's View.
    http_method_names = ["get", "head"]

    def head(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)


RETRY_AFTER_SECONDS = "30"


def server_error(request):
    """500, or a clean 503 when the database is down or timed out: a reader sees a
    page, not a traceback, and load balancers see a retryable status. The page
    cache may answer a stale copy instead (`database_outage` marks the 503)."""
    error = sys.exc_info()[1]
    if isinstance(error, purge.PurgeNotDelivered):
        # After the commit: the change is saved, its purge kept for redelivery.
        return service_unavailable(
            loader.get_template("purge_not_delivered.html").render()
        )
    if isinstance(error, DatabaseError) and _is_outage(error):
        logger.error("Database unavailable: %s", error)
        response = service_unavailable(loader.get_template("503.html").render())
        response.database_outage = True
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


def service_unavailable(content, **kwargs) -> HttpResponse:
    """A 503 that tells clients when to come back."""
    response = HttpResponse(content, status=503, **kwargs)
    response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def _is_outage(error) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


def _database_state() -> str:
    # A connection of its own, closed after: the check runs in a thread of its own.
    database = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with database.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        database.close()
    return "ok"


def _cache_state() -> str:
    cache.set("healthz", "ok", 10)
    return "ok" if cache.get("healthz") == "ok" else "down"


def _purge_state() -> str:
    """The cache tier: "off" without one; else "ok" once every purge has been
    acknowledged (those some node missed are delivered again here)."""
    if not purge.purge_urls():
        return "off"
    return "ok" if purge.deliver_pending() else "down"


HEALTH_CHECKS = {
    "database": _database_state,
    "cache": _cache_state,
    "purge": _purge_state,
}
_running: dict[str, threading.Thread] = {}  # checks that have not answered yet


def _state_of(error) -> str:
    text = str(error).lower()
    return "timeout" if "timeout" in text or "timed out" in text else "down"


def _start_check(name) -> dict:
    """Runs one check in a thread of its own; its answer lands in the dict."""
    answer = {}

    def run():
        try:
            answer["state"] = HEALTH_CHECKS[name]()
        except Exception as error:  # noqa: BLE001  (any failure: the state says which)
            logger.error("Health check: %s unavailable: %s", name, error)
            answer["state"] = _state_of(error)

    thread = threading.Thread(target=run, name=f"healthz-{name}", daemon=True)
    _running[name] = thread
    thread.start()
    return answer


@require_safe
def healthz(request):
    """For load balancers: each dependency's state ("ok", "down" or "timeout";
    "off" for a cache tier not configured) and `purges_failed`, the purges this
    process could not deliver to the tier (`core.purge`),
    200 when the required ones (NEWSROOM_HEALTH_REQUIRED) are ok, else 503 with
    Retry-After. The checks run side by side in threads, waited on for
    NEWSROOM_HEALTH_TIMEOUT at most, so a hung dependency makes the answer
    "timeout", not a stalled health check (nor a pile of them: while a check still
    hangs, the next reports "timeout")."""
    answers = {}
    for name in HEALTH_CHECKS:
        running = _running.get(name)
        answers[name] = {} if running and running.is_alive() else _start_check(name)
    deadline = time.monotonic() + settings.NEWSROOM_HEALTH_TIMEOUT
    for name, answer in answers.items():
        _running[name].join(max(0.0, deadline - time.monotonic()))
        if "state" not in answer:
            logger.error("Health check: %s did not answer in time", name)
    checks = {name: answer.get("state", "timeout") for name, answer in answers.items()}
    healthy = all(checks[name] == "ok" for name in settings.NEWSROOM_HEALTH_REQUIRED)
    checks["purges_failed"] = purge.failures()
    response = JsonResponse(checks, status=200 if healthy else 503)
    if not healthy:
        response["Retry-After"] = RETRY_AFTER_SECONDS
    response["Cache-Control"] = "no-store"
    return response


HELLO = b"<!doctype html><html lang=en><title>Hello</title><p>Hello, world.</p></html>"


@require_safe
def hello(request):
    """The benchmark's yardstick: a fixed page, no database, no template.

    Routed only when NEWSROOM_BENCHMARK_VIEWS is set, so `make bench` can compare
    real pages with the cheapest possible Django response on the same server.
    """
    return HttpResponse(HELLO)


@functools.cache
def _recorded_page_sql() -> dict[str, list[str]]:
    with open(settings.NEWSROOM_BENCHMARK_SQL_FILE, encoding="utf-8") as file:
        recorded = json.load(file)
    for statements in recorded.values():
        for sql in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                raise ValueError(f"Only reads may be replayed: {sql[:60]!r}")
    return recorded


@require_safe
def page_sql(request, page):
    """The benchmark's second yardstick: the SQL one request of a real page ran
    (recorded by `make bench`), replayed as it was sent, rows fetched, and hello's
    fixed page. Between hello and the real page, it shows how much of a page's cost
    the database and its driver take, and so how fast any code could serve that
    page with these queries; the rest is Python (the ORM, templates).

    Routed only with NEWSROOM_BENCHMARK_VIEWS; reads only (SELECT) are replayed.
    """
    statements = _recorded_page_sql().get(page)
    if statements is None:
        raise Http404("No SQL recorded for this page")
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()
    return HttpResponse(HELLO)
