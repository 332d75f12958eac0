"""Anonymous readers get cached pages; an editorial change makes fresh the pages
that show what it changed."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from people.views import PEOPLE_PER_PAGE
from tests.factories import ArticleFactory, MentionFactory, PersonFactory, RaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def test_second_anonymous_request_is_served_from_the_cache(
    client, django_assert_num_queries
):
    ArticleFactory(headline="Runoff")
    assert client.get("/")["X-Page-Cache"] == "miss"

    with django_assert_num_queries(0):
        response = client.get("/")

    assert response["X-Page-Cache"] == "hit"
    assert "Runoff" in response.content.decode()


@pytest.mark.parametrize(
    "shared",
    [
        "?utm_source=twitter&utm_medium=social&utm_campaign=runoff",
        "?fbclid=IwAR0abc",
        "?gclid=xyz&utm_content=lead",
    ],
)
def test_a_link_shared_with_tracking_parameters_is_served_from_the_cache(
    client, shared
):
    story = ArticleFactory(headline="Runoff")
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "miss"

    response = client.get(story.get_absolute_url() + shared)

    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_parameters_pages_read_still_make_pages_of_their_own(client):
    ArticleFactory(headline="Runoff")
    client.get("/search/?q=runoff")

    assert client.get("/search/?q=runoff&utm_source=x")["X-Page-Cache"] == "hit"
    assert client.get("/search/?q=runoff+night")["X-Page-Cache"] == "miss"


def reader_urls() -> dict[str, str]:
    """One address of each kind of reader page, with what they show."""
    story = ArticleFactory(headline="Runoff")
    mention = MentionFactory(article=story)
    race = RaceFactory()
    story.tags.add("Georgia")
    return {
        "front": "/",
        "story": story.get_absolute_url(),
        "person": mention.person.get_absolute_url(),
        "race": race.get_absolute_url(),
        "tag": "/tags/georgia/",
        "section": story.section.get_absolute_url(),
        "people": "/people/",
        "races": "/races/",
        "search": "/search/?q=runoff",
        "feed": "/feeds/latest/",
        "sitemap": "/sitemap.xml",
    }


@pytest.mark.parametrize(
    "page",
    ["front", "story", "person", "race", "tag", "section", "people", "races",
     "search", "feed", "sitemap"],
)  # fmt: skip
def test_a_parameter_no_page_reads_cannot_make_a_page_miss_the_cache(client, page):
    """`?x=1`, `?x=2`... on election night would each have rendered afresh."""
    url = reader_urls()[page]
    assert client.get(url)["X-Page-Cache"] == "miss"
    joiner = "&" if "?" in url else "?"

    for busting in ["x=1", "x=2&nocache=1718", "after_all=yes"]:
        response = client.get(f"{url}{joiner}{busting}")

        assert response.status_code == 200
        assert response["X-Page-Cache"] == "hit"


def test_the_query_a_page_reads_is_one_page_in_any_order(client):
    ArticleFactory(headline="Runoff")
    client.get("/search/?q=runoff&page=1")

    assert client.get("/search/?page=1&x=2&q=runoff")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize(
    ("url", "other"),
    [
        ("/people/", "/people/?kind=candidate"),
        ("/people/", "/people/?page=2"),
        ("/races/", "/races/?page=2"),
        ("/search/?q=runoff", "/search/?q=runoff&page=2"),
        ("/sitemap.xml", "/sitemap.xml?p=1"),
    ],
)
def test_each_parameter_a_listing_reads_makes_a_page_of_its_own(client, url, other):
    ArticleFactory.create_batch(settings.ARTICLES_PER_PAGE + 1, headline="Runoff")
    PersonFactory.create_batch(PEOPLE_PER_PAGE + 1)
    RaceFactory.create_batch(PEOPLE_PER_PAGE + 1)
    client.get(url)

    response = client.get(other)

    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"


def test_an_older_page_of_the_front_page_is_not_served_the_newest(client):
    stories = [
        ArticleFactory(
            headline=f"Story number {n}",
            published_at=timezone.now() - timedelta(hours=n),
        )
        for n in range(settings.ARTICLES_PER_PAGE + 1)
    ]
    older = client.get("/").context["page_obj"].older

    response = client.get(f"/?before={older}&x=1")

    assert response["X-Page-Cache"] == "miss"
    assert stories[-1].headline in response.content.decode()
    assert stories[0].headline not in response.content.decode()
    assert client.get(f"/?before={older}")["X-Page-Cache"] == "hit"


def reader_patterns(patterns=None, prefix=""):
    """(route, view) of every URL outside the admin, the health check and the
    benchmark's yardsticks."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(("admin/", "healthz", "bench/")):
            continue
        if isinstance(pattern, URLResolver):
            yield from reader_patterns(pattern.url_patterns, route)
        else:
            yield route, pattern.callback


def test_every_reader_page_declares_the_query_parameters_it_reads():
    undeclared = [
        route
        for route, view in reader_patterns()
        if getattr(getattr(view, "view_class", view), "query_parameters", None) is None
    ]

    assert undeclared == []


@pytest.mark.parametrize(
    "query",
    ["%ff", "utm_source=%ff", "a=1&a=2&utm_x=3", "=", "&&", "q=%00", "utm_=&=x", "%"],
)
def test_odd_query_strings_get_a_page_twice_never_an_error(client, query):
    ArticleFactory(headline="Runoff")

    first, second = client.get(f"/?{query}"), client.get(f"/?{query}")

    assert (first.status_code, second.status_code) == (200, 200)
    assert second["X-Page-Cache"] == "hit"


def test_spellings_of_the_same_query_share_a_page(client):
    ArticleFactory(headline="Runoff night")
    client.get("/search/?q=runoff+night")

    assert client.get("/search/?q=runoff%20night")["X-Page-Cache"] == "hit"


def test_editing_a_headline_refreshes_every_page_that_shows_it(client):
    mention = MentionFactory(
        article__headline="Old headline", person__name="Jon Ossoff"
    )
    story, person = mention.article, mention.person
    story.tags.add("Georgia")
    urls = ["/", story.get_absolute_url(), person.get_absolute_url(), "/tags/georgia/",
            "/feeds/latest/"]  # fmt: skip
    for url in urls:
        assert "Old headline" in client.get(url).content.decode(), url

    story.headline = "New headline"
    story.save()

    for url in urls:
        page = client.get(url).content.decode()
        assert "New headline" in page and "Old headline" not in page, url


def test_unpublishing_removes_the_story_at_once(client):
    story = ArticleFactory(headline="Soon gone")
    client.get("/")
    story.status = "unpublished"
    story.save()

    assert "Soon gone" not in client.get("/").content.decode()
    assert client.get(story.get_absolute_url()).status_code == 404


def test_a_scheduled_story_appears_on_time_despite_the_cache(client):
    story = ArticleFactory(
        headline="Scheduled", published_at=timezone.now() + timedelta(seconds=2)
    )
    assert "Scheduled" not in client.get("/").content.decode()

    from articles.models import Article

    Article.objects.filter(pk=story.pk).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )  # time passes (update() sends no signal: only the expiry can help)
    import time

    time.sleep(2.1)

    assert "Scheduled" in client.get("/").content.decode()


def test_staff_never_get_or_fill_the_cache(admin_client, client):
    ArticleFactory(headline="Runoff")

    staff = admin_client.get("/")
    client.get("/")
    again = admin_client.get("/")

    assert "X-Page-Cache" not in staff and "X-Page-Cache" not in again
    assert "private" in again["Cache-Control"]


def test_health_check_reports_database_and_cache(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "purge": "off",
        "purges_failed": 0,
    }
    assert response["Cache-Control"] == "no-store"


def test_article_pages_answer_conditional_gets(client):
    story = ArticleFactory()
    first = client.get(story.get_absolute_url())

    again = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_a_page_cached_from_rows_read_before_the_commit_is_thrown_away(
    client, django_capture_on_commit_callbacks
):
    """A reader on another connection asks the cache, then renders the old rows
    before the commit, and would keep them after it."""
    from core.cache_keys import keys_of
    from core.page_cache import (
        CLOCK_KEY,
        AnonymousPageCacheMiddleware,
        page_key,
    )

    story = ArticleFactory(headline="Soon gone")
    rendered = client.get("/")  # what the reader renders from the old rows
    asked = cache.get(CLOCK_KEY, 0)  # when it asked the cache, before the commit
    cache.delete(page_key("GET:/"))
    with django_capture_on_commit_callbacks(execute=True):
        story.status = "unpublished"
        story.save()
    AnonymousPageCacheMiddleware(None)._store(
        asked, keys_of(rendered), "GET:/", rendered, 300
    )

    assert "Soon gone" not in client.get("/").content.decode()


def test_browsers_revalidate_cached_pages_instead_of_keeping_them(client):
    ArticleFactory()

    response = client.get("/")

    assert "max-age=0" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_the_deploy_check_refuses_a_page_cache_private_to_each_worker(settings):
    from core.checks import page_cache_is_shared

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }

    assert [w.id for w in page_cache_is_shared()] == ["newsroom.W001"]


def test_the_deploy_check_accepts_a_shared_cache_or_no_page_cache(settings):
    from core.checks import page_cache_is_shared

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379",
        }
    }
    assert page_cache_is_shared() == []

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    assert page_cache_is_shared() == []


def test_a_cached_page_carries_the_same_security_and_cache_headers(client):
    ArticleFactory()
    miss = client.get("/")

    hit = client.get("/")

    assert hit["X-Page-Cache"] == "hit"
    for header in ("X-Frame-Options", "Content-Security-Policy", "Cache-Control",
                   "X-Content-Type-Options", "Content-Type"):  # fmt: skip
        assert hit[header] == miss[header], header


def test_a_version_moved_by_another_worker_is_noticed_at_once(client):
    """A key invalidated by another worker's save is seen by the next request."""
    from articles.models import Article
    from core.page_cache import invalidate_keys

    story = ArticleFactory(headline="Before")
    client.get("/")
    Article.objects.filter(pk=story.pk).update(headline="After")
    invalidate_keys({f"story-{story.pk}"}, hard=False)  # as another worker's would

    page = client.get("/").content.decode()

    assert "Before" not in page and "After" in page


def test_a_cached_page_keeps_its_etag_and_answers_conditional_gets(client):
    ArticleFactory()
    miss = client.get("/")

    hit = client.get("/", HTTP_IF_NONE_MATCH=miss["ETag"])

    assert hit.status_code == 304
    assert hit["ETag"] == miss["ETag"]


@pytest.fixture
def leased(settings):
    """Workers keep pages in memory and trust the version for this long."""
    settings.NEWSROOM_PAGE_CACHE_LEASE_SECONDS = 0.5
    return settings.NEWSROOM_PAGE_CACHE_LEASE_SECONDS


def test_within_its_lease_a_worker_serves_a_page_without_asking_the_cache(
    client, leased, monkeypatch
):
    ArticleFactory(headline="Runoff")
    client.get("/")

    def unreachable(*args, **kwargs):
        raise AssertionError("the shared cache was asked")

    monkeypatch.setattr(cache, "get", unreachable)
    monkeypatch.setattr(cache, "get_many", unreachable)
    response = client.get("/")

    assert response["X-Page-Cache"] == "hit"
    assert "Runoff" in response.content.decode()


def test_a_change_made_elsewhere_is_seen_once_the_lease_runs_out(client, leased):
    """Another worker's save: this one may finish its lease, no longer."""
    from articles.models import Article
    from core.page_cache import invalidate_keys

    story = ArticleFactory(headline="Before")
    client.get("/")
    Article.objects.filter(pk=story.pk).update(headline="After")
    invalidate_keys({f"story-{story.pk}"}, hard=False)  # the other worker's commit
    time.sleep(leased)

    page = client.get("/").content.decode()

    assert "After" in page and "Before" not in page


@pytest.mark.django_db(transaction=True)  # the hold starts when the change commits
def test_an_unpublish_returns_only_when_no_worker_can_still_serve_the_story(
    client, admin_client, leased
):
    """The reader's worker holds the front page and a fresh lease; the editor's
    unpublish outlasts that lease before it answers."""
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    # An earlier transactional test flushed the tables and made content types anew;
    # the admin's log entry must not use an id remembered from before.
    ContentType.objects.clear_cache()
    story = ArticleFactory(headline="Soon gone")
    assert "Soon gone" in client.get("/").content.decode()

    started = time.monotonic()
    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish", "_selected_action": [story.pk]},
    )
    took = time.monotonic() - started

    assert response.status_code == 302
    assert "Soon gone" not in client.get("/").content.decode()
    assert took >= leased


def test_reading_a_page_keeps_the_reader_waiting_for_no_lease(client, leased):
    ArticleFactory()
    started = time.monotonic()

    client.get("/")
    client.get("/")

    assert time.monotonic() - started < leased


def test_a_worker_holds_a_bounded_number_of_pages(
    client, leased, settings, monkeypatch
):
    settings.NEWSROOM_PAGE_CACHE_LOCAL_PAGES = 2
    ArticleFactory()
    for page in range(1, 5):
        client.get("/search/", {"q": f"word{page}"})
    asked = []
    shared_get_many = cache.get_many
    monkeypatch.setattr(
        cache, "get_many", lambda keys, *a: asked.append(keys) or shared_get_many(keys)
    )

    newest = client.get("/search/", {"q": "word4"})
    oldest = client.get("/search/", {"q": "word1"})

    assert newest["X-Page-Cache"] == oldest["X-Page-Cache"] == "hit"
    assert len(asked) == 1 and asked[0][0].endswith(":GET:/search/?q=word1")


def test_a_held_page_expires_when_the_next_scheduled_story_is_due(client, leased):
    ArticleFactory(
        headline="Scheduled", published_at=timezone.now() + timedelta(seconds=1.5)
    )
    assert "Scheduled" not in client.get("/").content.decode()

    time.sleep(1.6)

    assert "Scheduled" in client.get("/").content.decode()


def test_pages_are_cached_again_as_soon_as_the_scheduled_story_is_out(client):
    """The time the next story is due is remembered; once it has passed, the page
    cache looks again rather than keeping nothing until that memory expires."""
    ArticleFactory(
        headline="Scheduled", published_at=timezone.now() + timedelta(seconds=1.5)
    )
    client.get("/")  # learns when the story is due
    time.sleep(1.6)

    assert "Scheduled" in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"


@pytest.mark.django_db(transaction=True)
def test_a_change_made_outside_a_request_is_done_once_readers_can_no_longer_see_it(
    client, leased, admin_user
):
    """A script or worker thread reports its change done after `wait_for_readers`."""
    from articles.services import article_unpublish
    from core.page_cache import wait_for_readers

    story = ArticleFactory(headline="Soon gone")
    assert "Soon gone" in client.get("/").content.decode()
    started = time.monotonic()

    article_unpublish(article=story, user=admin_user)
    wait_for_readers()

    assert "Soon gone" not in client.get("/").content.decode()
    assert time.monotonic() - started >= leased


def test_readers_still_get_fresh_pages_while_the_cache_is_down(client, monkeypatch):
    ArticleFactory(headline="Runoff")

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    for method in ("get", "get_many", "set", "add", "incr"):
        monkeypatch.setattr(cache, method, down)
    response = client.get("/")

    assert response.status_code == 200
    assert "Runoff" in response.content.decode()


def test_a_page_the_cache_cannot_keep_is_still_served(client, monkeypatch):
    ArticleFactory(headline="Runoff")

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "set", down)
    response = client.get("/")

    assert response.status_code == 200 and response["X-Page-Cache"] == "miss"


def test_while_the_cache_is_down_an_unpublish_fails_whole(monkeypatch, admin_user):
    """Saved but not made stale in the cache, the story could come back from it."""
    from articles.models import Article
    from articles.services import article_unpublish

    story = ArticleFactory()

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "incr", down)
    monkeypatch.setattr(cache, "set", down)
    with pytest.raises(ConnectionError):
        article_unpublish(article=story, user=admin_user)

    assert Article.objects.get(pk=story.pk).status == Article.Status.PUBLISHED
