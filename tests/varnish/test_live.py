"""The real app behind a real varnishd (pytest-django's live server), purged by
the app after each change: what a reader gets through Varnish once an editor's
save has returned.

These need the app to declare its pages' keys (`xkey` headers) and to purge them
(issue 28, section 1): until it does, they skip, saying so.
"""

import contextlib
import time
from urllib.parse import urlsplit

import pytest
from django.test import Client

from articles.services import article_publish, article_unpublish
from core import purge
from tests.factories import ArticleFactory, BylineFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

WITHIN_SECONDS = 1  # issue 28: a save is visible through the tier within 1 s


@pytest.fixture
def tier(start_varnish, live_server, settings):
    """Varnish in front of the live server; the app purges it."""
    address = urlsplit(live_server.url)
    varnish = start_varnish(f"127.0.0.1:{address.port}")
    settings.NEWSROOM_PURGE_URLS = [varnish.url + "/"]
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    return varnish


@pytest.fixture
def keyed_tier(tier):
    """`tier`, when the app sends keys with its pages; else the test skips."""
    SectionFactory()
    _, headers, _ = tier.request(path="/", headers={"X-Cache-Debug": "1"})
    if "xkey" not in headers:
        pytest.skip("the app sends no xkey header yet (issue 28, section 1)")
    return tier


def cached(tier, path) -> dict:
    """Request `path` until Varnish answers it from its cache; its headers. The
    set-up's own saves soft-purge what they touch, so a page may first be served
    from grace (HIT-STALE) while Varnish fetches it again in the background."""
    deadline = time.monotonic() + 3
    while True:
        status, headers, _ = tier.request(path=path)
        if headers["x-cache"] == "HIT":
            return headers
        if time.monotonic() > deadline:
            pytest.fail(f"{path} is not cached: {status} {headers}")
        time.sleep(0.05)


def within_deadline(check) -> bool:
    """Whether `check()` holds within WITHIN_SECONDS (asked again and again)."""
    deadline = time.monotonic() + WITHIN_SECONDS
    while True:
        if check():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)


@pytest.fixture
def boss():
    return UserFactory(is_superuser=True)


def test_a_published_story_is_on_the_cached_front_page_within_a_second(
    keyed_tier, boss
):
    story = ArticleFactory(headline="Polls close in the north", status="draft")
    BylineFactory(article=story)  # publishing needs a byline
    cached(keyed_tier, "/")

    article_publish(article=story, user=boss)

    assert within_deadline(
        lambda: "Polls close in the north" in keyed_tier.request(path="/")[2]
    )


def test_an_unpublished_story_is_a_404_through_varnish_within_a_second(
    keyed_tier, boss
):
    story = ArticleFactory(headline="Withdrawn tonight")
    cached(keyed_tier, story.get_absolute_url())

    article_unpublish(article=story, user=boss)

    assert within_deadline(
        lambda: keyed_tier.request(path=story.get_absolute_url())[0] == 404
    )


def test_the_404_of_an_unpublished_story_is_kept_until_it_is_back(keyed_tier, boss):
    story = ArticleFactory(headline="Back by popular demand")
    BylineFactory(article=story)
    article_unpublish(article=story, user=boss)
    url = story.get_absolute_url()
    keyed_tier.request(path=url)

    kept = cached(keyed_tier, url)
    article_publish(article=story, user=boss)

    assert kept["x-cache"] == "HIT"
    assert within_deadline(lambda: keyed_tier.request(path=url)[0] == 200)


def test_an_unrelated_cached_page_stays_a_hit(keyed_tier, boss):
    story = ArticleFactory(status="draft")
    BylineFactory(article=story)  # publishing needs a byline
    other = ArticleFactory(section=SectionFactory())
    cached(keyed_tier, other.get_absolute_url())

    article_publish(article=story, user=boss)
    _, headers, _ = keyed_tier.request(path=other.get_absolute_url())

    assert headers["x-cache"] == "HIT"
    assert int(headers["age"]) >= 0


def test_a_logged_in_editor_never_gets_a_cached_page(keyed_tier, boss):
    cached(keyed_tier, "/")
    browser = Client()
    browser.force_login(boss)
    cookie = f"sessionid={browser.cookies['sessionid'].value}"

    _, headers, _ = keyed_tier.request(path="/", headers={"Cookie": cookie})

    assert headers["x-cache"] == "PASS"


def test_the_admin_is_never_cached(tier, boss):
    tier.request(path="/admin/login/")

    _, headers, _ = tier.request(path="/admin/login/")

    assert headers["x-cache"] == "PASS"


def test_a_purge_with_varnish_down_is_reported_and_delivered_later(
    keyed_tier, boss, client, monkeypatch, settings
):
    monkeypatch.setattr(purge, "_pending", {})
    monkeypatch.setattr(purge, "_failures", 0)
    settings.NEWSROOM_PURGE_ATTEMPTS, settings.NEWSROOM_PURGE_TIMEOUT = 1, 0.5
    story = ArticleFactory(headline="Late result", status="draft")
    BylineFactory(article=story)  # publishing needs a byline
    cached(keyed_tier, "/")
    keyed_tier.freeze()  # unreachable, its cache kept (a network partition)

    with contextlib.suppress(purge.PurgeNotDelivered):  # the editor's 503
        article_publish(article=story, user=boss)
    down = client.get("/healthz").json()
    keyed_tier.thaw()
    up = client.get("/healthz").json()
    after = keyed_tier.request(path="/")[2]

    assert (down["purge"], down["purges_failed"]) == ("down", 1)
    assert (up["purge"], purge.undelivered()) == ("ok", {})
    assert "Late result" in after
