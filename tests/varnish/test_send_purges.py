"""core.purge.send_purges() against a real varnishd: it returns once every node
has dropped the pages, and a purge that cannot be delivered is logged, counted,
shown by /healthz, raised, and delivered once the node is back."""

import logging

import pytest

from core import purge


@pytest.fixture(autouse=True)
def fresh_purge_state(monkeypatch, settings):
    monkeypatch.setattr(purge, "_pending", {})
    monkeypatch.setattr(purge, "_failures", 0)
    settings.NEWSROOM_PURGE_ATTEMPTS = 2
    settings.NEWSROOM_PURGE_TIMEOUT = 2


@pytest.fixture
def cached_story(varnish, backend, settings):
    """/story/ (key story-1) cached in `varnish`, the tier's only node."""
    settings.NEWSROOM_PURGE_URLS = [varnish.url + "/"]
    backend.page("/story/", "story-1 list-front")
    varnish.request(path="/story/")
    return varnish


def test_a_hard_purge_has_dropped_the_page_when_it_returns(cached_story):
    purge.send_purges({"story-1"}, hard=True)

    _, headers, _ = cached_story.request(path="/story/")
    assert headers["x-cache"] == "MISS"


def test_a_soft_purge_leaves_the_page_to_be_served_in_grace(cached_story):
    purge.send_purges(["list-front"], hard=False)

    _, headers, _ = cached_story.request(path="/story/")
    assert headers["x-cache"] == "HIT-STALE"


def test_every_node_is_purged(start_varnish, backend, cached_story, settings):
    second = start_varnish(backend.address)
    second.request(path="/story/")
    settings.NEWSROOM_PURGE_URLS = [cached_story.url, second.url + "/"]

    purge.send_purges({"story-1"}, hard=True)

    states = [
        node.request(path="/story/")[1]["x-cache"] for node in [cached_story, second]
    ]
    assert states == ["MISS", "MISS"]


def test_many_keys_are_sent_in_several_requests(cached_story):
    keys = {f"story-{n}" for n in range(1, 2000)}

    purge.send_purges(keys, hard=True)

    _, headers, _ = cached_story.request(path="/story/")
    assert headers["x-cache"] == "MISS"


def test_without_a_tier_nothing_is_sent(settings):
    settings.NEWSROOM_PURGE_URLS = []

    purge.send_purges({"story-1"}, hard=True)

    assert purge.failures() == 0


def test_a_key_with_a_space_is_a_programming_error(settings):
    with pytest.raises(ValueError):
        purge.send_purges({"story-1 story-2"}, hard=True)


def test_a_purge_to_a_stopped_node_raises_and_is_logged(cached_story, caplog):
    cached_story.stop()

    with caplog.at_level(logging.ERROR, logger="core.purge"):
        with pytest.raises(purge.PurgeNotDelivered) as raised:
            purge.send_purges({"story-1"}, hard=True)

    assert raised.value.keys == ["story-1"]
    assert any("story-1" in record.getMessage() for record in caplog.records)


def test_an_undelivered_purge_is_counted_and_kept(cached_story):
    cached_story.stop()

    with pytest.raises(purge.PurgeNotDelivered):
        purge.send_purges({"story-1"}, hard=False)

    assert purge.failures() == 1
    assert purge.undelivered() == {cached_story.url + "/": ["story-1"]}


def test_a_node_refusing_the_purge_is_not_an_acknowledgement(
    start_varnish, backend, settings
):
    outside = start_varnish(backend.address, purge_acl="10.0.0.0/8")
    settings.NEWSROOM_PURGE_URLS = [outside.url]

    with pytest.raises(purge.PurgeNotDelivered, match="403"):
        purge.send_purges({"story-1"}, hard=True)


@pytest.mark.django_db
def test_healthz_reports_an_undelivered_purge(cached_story, client):
    cached_story.stop()
    with pytest.raises(purge.PurgeNotDelivered):
        purge.send_purges({"story-1"}, hard=True)

    states = client.get("/healthz").json()

    assert (states["purge"], states["purges_failed"]) == ("down", 1)


@pytest.mark.django_db
def test_a_purge_kept_is_delivered_when_the_node_is_back(cached_story, backend, client):
    cached_story.stop()
    with pytest.raises(purge.PurgeNotDelivered):
        purge.send_purges({"story-1"}, hard=False)
    cached_story.start()  # the same port, an empty cache
    cached_story.request(path="/story/")

    states = client.get("/healthz").json()
    _, headers, _ = cached_story.request(path="/story/")

    assert (states["purge"], purge.undelivered()) == ("ok", {})
    assert headers["x-cache"] == "MISS"


@pytest.mark.django_db
def test_healthz_says_off_without_a_tier(client, settings):
    settings.NEWSROOM_PURGE_URLS = []

    states = client.get("/healthz").json()

    assert (states["purge"], states["purges_failed"]) == ("off", 0)
