"""Login throttling, security headers, private staff responses, a clean 503."""

import re
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError

from tests.factories import ArticleFactory, editor

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def fail_login(client, username="ed", **headers):
    return client.post(LOGIN, {"username": username, "password": "wrong"}, **headers)


def test_five_wrong_passwords_lock_the_account_from_that_address(client):
    editor(username="ed")
    for _ in range(5):
        fail_login(client)

    response = client.post(
        LOGIN, {"username": "ed", "password": "a-long-test-password"}
    )

    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()


def test_a_forged_forwarded_for_header_does_not_bypass_the_lock(client):
    editor(username="ed")
    for n in range(5):
        fail_login(client, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    response = client.post(
        LOGIN,
        {"username": "ed", "password": "a-long-test-password"},
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )

    assert response.status_code == 429


def test_an_attacker_cannot_lock_the_editor_out_from_elsewhere(client):
    editor(username="ed")
    for _ in range(5):
        fail_login(client, REMOTE_ADDR="203.0.113.7")

    response = client.post(
        LOGIN,
        {"username": "ed", "password": "a-long-test-password"},
        REMOTE_ADDR="198.51.100.1",
    )

    assert response.status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    editor(username="ed")
    for _ in range(5):
        fail_login(client)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2
    )

    response = client.post(
        LOGIN, {"username": "ed", "password": "a-long-test-password"}
    )

    assert response.status_code == 302


def test_every_response_has_a_content_security_policy(client):
    response = client.get("/")

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_staff_responses_are_never_stored_in_a_shared_cache(admin_client):
    story = ArticleFactory()

    for url in ["/", story.get_absolute_url(), "/admin/"]:
        response = admin_client.get(url)
        assert "private" in response["Cache-Control"], url


def test_a_database_outage_gives_readers_a_clean_503(client):
    client.raise_request_exception = False
    # Where the front page reads the database (its sidebar's races).
    with mock.patch(
        "articles.views.races_in_the_news",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/")

    assert response.status_code == 503
    assert "Back in a minute" in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert response["Retry-After"] == "30"


def test_other_errors_give_the_styled_500(client):
    client.raise_request_exception = False
    with mock.patch(
        "articles.views.races_in_the_news", side_effect=RuntimeError("bug")
    ):
        response = client.get("/")

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?status=draft",
        "?published_at__gte=2000-01-01",
        "?_connector=OR",
        "?status__in=draft,review",
        "?q=&status=draft",
    ],
)
def test_query_strings_cannot_widen_what_readers_see(client, query):
    ArticleFactory(headline="Secret draft", status="draft", published_at=None)

    for path in ["/", "/search/", "/people/", "/races/", "/feeds/latest/"]:
        response = client.get(path + query)
        assert "Secret draft" not in response.content.decode(), path + query


@pytest.mark.parametrize(
    ("address", "kept"),
    [
        ("/admin/people/person/?party=%00", "/admin/people/person/?"),
        ("/admin/people/race/?office=x%00&year=2017", "/admin/people/race/?year=2017"),
        (
            "/admin/articles/article/?mentions__person__kind=%00&q=runoff",
            "/admin/articles/article/?q=runoff",
        ),
        ("/admin/articles/section/?%00=1", "/admin/articles/section/?"),
    ],
)
def test_a_nul_character_in_an_admin_filter_leaves_it_out_with_a_warning(
    admin_client, address, kept
):
    """PostgreSQL cannot compare a NUL: these filters reached it as sent, a 500."""
    ArticleFactory()

    response = admin_client.get(address, follow=True)

    assert response.redirect_chain == [(kept, 302)]
    assert response.status_code == 200
    assert "A filter in the address was not understood" in response.content.decode()


def test_a_request_for_another_host_is_a_bad_request(client):
    response = client.get("/", headers={"host": "evil.example"})

    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_no_template_has_an_inline_script_the_policy_would_block():
    """The policy allows scripts from the site alone (no nonce: cached pages are
    shared by every reader), so every <script> has a src, or is data (JSON-LD)."""
    templates = Path(__file__).resolve().parents[2] / "templates"
    inline = [
        f"{path.relative_to(templates)}: {tag}"
        for path in templates.rglob("*.html")
        for tag in re.findall(r"<script\b[^>]*>", path.read_text())
        if "src=" not in tag and "application/ld+json" not in tag
    ]

    assert inline == []
