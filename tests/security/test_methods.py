"""Every URL answers 405, with an Allow header, to a method its view does not serve."""

import importlib

import pytest
from django.conf import settings
from django.urls import URLResolver, clear_url_caches, get_resolver, reverse

import newsroom.urls
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# A value for each URL parameter a route takes, by its name.
SAMPLE_ARGUMENTS = {
    "year": "2017",
    "month": "06",
    "day": "20",
    "slug": "ossoff",
    "section": "people",
}


def routed_urls(patterns=None, namespace=""):
    """(name, address) of every named URL outside the admin, with sample values."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else ""
            yield from routed_urls(pattern.url_patterns, inner or namespace)
            continue
        names = set(pattern.pattern.regex.groupindex)
        name = namespace + pattern.name
        yield name, reverse(name, kwargs={key: SAMPLE_ARGUMENTS[key] for key in names})


def test_the_walk_reaches_the_feeds_sitemaps_and_health_check():
    names = dict(routed_urls())

    assert {"healthz", "articles:feed-atom", "articles:sitemap-month"} <= set(names)
    assert "people:detail" in names and "articles:robots" in names


@pytest.mark.parametrize(
    "method", ["TRACE", "OPTIONS", "PUT", "DELETE", "PATCH", "POST"]
)
@pytest.mark.parametrize("name, url", list(routed_urls()))
def test_a_method_no_reader_view_serves_is_refused(client, method, name, url):
    ArticleFactory()
    response = client.generic(method, url)

    assert response.status_code == 405, (name, url)
    assert "GET" in response["Allow"] and method not in response["Allow"]


@pytest.mark.parametrize("url", ["/feeds/latest/", "/sitemap.xml", "/robots.txt"])
def test_head_is_served_as_get(client, url):
    ArticleFactory()

    assert client.head(url).status_code == 200


def test_an_unknown_method_is_refused_in_the_admin_too(admin_client):
    response = admin_client.generic("TRACE", "/admin/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"


@pytest.fixture
def debug_urls(settings, tmp_path):
    """The URLs as `DEBUG` routes them: media served by Django itself."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "photo.jpg").write_bytes(b"not really")
    importlib.reload(newsroom.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(newsroom.urls)
    clear_url_caches()


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "POST"])
def test_media_served_in_debug_refuses_other_methods(client, debug_urls, method):
    url = f"{settings.MEDIA_URL}photo.jpg"
    assert client.get(url).status_code == 200

    response = client.generic(method, url)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
