"""Project-wide views: error pages, the health check, the benchmark's yardsticks."""

import functools
import json
import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.http import require_safe

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

    def head(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)


def server_error(request):
    """500, or a clean 503 when the database is down: a reader sees a page, not a
    traceback, and load balancers see a retryable status."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError) and _is_outage(error):
        logger.error("Database unavailable: %s", error)
        response = HttpResponseServerError(loader.get_template("503.html").render())
        response.status_code = 503
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


def _is_outage(error) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


@require_safe
def healthz(request):
    """For load balancers: 200 when the database and the cache answer, else 503."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as error:
        logger.error("Health check: database unavailable: %s", error)
        checks["database"] = "unavailable"
    try:
        cache.set("healthz", "ok", 10)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "unavailable"
    except Exception as error:  # any backend error means "unavailable"
        logger.error("Health check: cache unavailable: %s", error)
        checks["cache"] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse(checks, status=200 if healthy else 503)
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
