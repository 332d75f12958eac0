import json
import logging

import pytest

from core.request_log import JsonFormatter, RequestIdFilter


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client):
    first, second = client.get("/"), client.get("/")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_and_a_bogus_one_replaced(client):
    assert (
        client.get("/", HTTP_X_REQUEST_ID="lb-1234abcd")["X-Request-ID"]
        == "lb-1234abcd"
    )
    assert client.get("/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


@pytest.mark.django_db
def test_log_lines_are_json_with_the_request_id(client, monkeypatch):
    lines = []

    class Capture(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Capture()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/no-such-page/")
    finally:
        logger.removeHandler(handler)

    entry = json.loads(lines[-1])
    assert entry["level"] == "WARNING"
    assert entry["request_id"] == response["X-Request-ID"]
    assert "Not Found" in entry["message"]
