"""A purge the cache tier did not acknowledge, after the editor's change was
committed: the editor is told it is saved but not yet live everywhere (503), not
shown the generic error page nor told "Not saved"."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import reverse

import newsroom.settings
from core import purge
from core.purge import PurgeNotDelivered
from core.views import server_error
from people.models import Person
from tests.factories import UserFactory, person_form
from tests.fault_servers import free_port


def answer_to_undelivered_purge():
    request = RequestFactory().post("/admin/articles/article/1/change/")
    try:
        raise PurgeNotDelivered({"http://varnish:6081/": "refused"}, {"story-1"})
    except PurgeNotDelivered:
        return server_error(request)


def test_an_undelivered_purge_answers_503_with_retry_after():
    response = answer_to_undelivered_purge()

    assert (response.status_code, response["Retry-After"]) == (503, "30")


def test_an_undelivered_purge_tells_the_editor_the_change_is_saved():
    response = answer_to_undelivered_purge()

    assert b"Your change is saved" in response.content


@pytest.mark.parametrize("url", ["varnish:6081", "ftp://varnish/"])
def test_a_purge_url_that_is_not_http_stops_start_up(url, monkeypatch):
    monkeypatch.setenv("NEWSROOM_PURGE_URLS", f"http://varnish-1:6081/,{url}")

    with pytest.raises(ImproperlyConfigured, match="NEWSROOM_PURGE_URLS"):
        newsroom.settings.env_urls("NEWSROOM_PURGE_URLS")


def test_purge_urls_are_read_comma_separated(monkeypatch):
    monkeypatch.setenv("NEWSROOM_PURGE_URLS", "http://a:6081/, https://b/purge")

    assert newsroom.settings.env_urls("NEWSROOM_PURGE_URLS") == [
        "http://a:6081/",
        "https://b/purge",
    ]


@pytest.fixture
def purging_people(settings, monkeypatch):
    """The app purging after each save commits (`core.cache_keys`), to a tier
    where nothing listens."""
    monkeypatch.setattr(purge, "_pending", {})
    monkeypatch.setattr(purge, "_failures", 0)
    settings.NEWSROOM_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]
    settings.NEWSROOM_PURGE_ATTEMPTS = 1


@pytest.mark.django_db(transaction=True)
def test_a_save_whose_purge_fails_is_kept_and_the_editor_told(purging_people):
    browser = Client(raise_request_exception=False)
    browser.force_login(UserFactory(is_superuser=True))

    response = browser.post(
        reverse("admin:people_person_add"), person_form(name="Kept After All")
    )

    assert response.status_code == 503
    assert b"Your change is saved" in response.content
    assert Person.objects.filter(name="Kept After All").exists()
    assert purge.failures() == 1
