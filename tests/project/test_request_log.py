"""Request ids (django-guid) on every response and log line; log lines as JSON
objects (python-json-logger), as production writes them."""

import json
import logging

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/"), client.get("/")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_proxys_request_id_is_kept(client):
    given = "0f6c2a43b8e94d2c9a1f5e7d3b2c4a18"  # nginx's $request_id: a UUID

    assert client.get("/", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given


def test_a_bogus_request_id_is_replaced(client):
    response = client.get("/", HTTP_X_REQUEST_ID="<script>")

    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 32


def configured(entry):
    """What `dictConfig` makes of a `{"()": factory, **options}` entry."""
    options = dict(entry)
    return import_string(options.pop("()"))(**options)


@pytest.fixture
def json_lines():
    """What the production logging configuration writes, line by line."""
    lines = []

    class Capture(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Capture()
    handler.setFormatter(configured(settings.LOGGING["formatters"]["json"]))
    handler.addFilter(configured(settings.LOGGING["filters"]["request_id"]))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def test_log_lines_are_json_with_the_request_id(client, json_lines):
    response = client.get("/no-such-page/")

    entry = json.loads(json_lines[-1])
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "django.request"
    assert entry["request_id"] == response["X-Request-ID"]
    assert "Not Found" in entry["message"]
