"""Project-wide error pages."""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.template import loader

logger = logging.getLogger("newsroom")


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
