"""Playwright with Debian's Chromium; the suite skips these tests where it is absent."""

import os
from pathlib import Path

import pytest

from tests.factories import create_newsroom_groups

CHROMIUM = Path(os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium"))

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def newsroom_groups(transactional_db):
    """The Reporter and Editor groups, as the data migration makes them: a
    transactional test's flush removes them."""
    create_newsroom_groups()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # bypass_csp lets the tests inject axe-core; the pages keep their policy.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def editor(django_user_model):
    """A staff member who may do everything with stories, people and races."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        username="editor", password="a-long-test-password", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["articles", "people", "taggit"]
        )
    )
    return user


@pytest.fixture
def logged_in_page(page, live_server, editor, request):
    from django.db import connection

    if connection.vendor == "sqlite" and "numbers_check" not in request.node.nodeid:
        # SQLite's live server shares one connection between its threads: the
        # numbers check's request, sent as the editor types, and a save sent at the
        # same moment clash on its savepoints (never on PostgreSQL, nor in
        # production, where each request has its own connection). Tests that are
        # not about the numbers check do not send it there.
        page.route("**/numbers-check/**", lambda route: route.abort())
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def fill_body(page, html):
    """Write `html` into the story body through its rich-text editor (the textarea
    it replaces is hidden)."""
    page.wait_for_function("() => document.querySelector('#id_body').bodyEditor")
    page.evaluate(
        "(html) => document.querySelector('#id_body').bodyEditor.commands"
        ".setContent(html)",
        html,
    )
