"""Each worker keeps its own copy of cache entries named by their content
(renditions, linked story bodies), so a page it serves again asks Redis nothing."""

from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image

import core.cache
from core.cache import WorkerCopies, get_many_content_named, set_content_named
from tests.factories import ArticleFactory, MentionFactory


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(core.cache.time, "monotonic", clock)
    return clock


class SharedCacheSpy:
    """The shared cache, with the keys each call asked for recorded."""

    def __init__(self, wrapped):
        self.wrapped = wrapped
        self.asked = []

    def get_many(self, keys):
        self.asked.append(list(keys))
        return self.wrapped.get_many(keys)

    def set(self, key, value, timeout):
        self.asked.append(["set", key])
        return self.wrapped.set(key, value, timeout)


@pytest.fixture
def shared_cache(monkeypatch, settings):
    settings.NEWSROOM_WORKER_CACHE_MB = 1
    cache.clear()
    spy = SharedCacheSpy(cache)
    monkeypatch.setattr(core.cache, "cache", spy)
    return spy


OVERHEAD = WorkerCopies.ENTRY_OVERHEAD


def test_a_kept_entry_is_found_again():
    copies = WorkerCopies(budget=10_000, seconds=60)
    copies.keep("rendition:a", "A")

    assert copies.get_many(["rendition:a", "rendition:b"]) == {"rendition:a": "A"}


def test_the_least_recently_used_entries_make_room():
    copies = WorkerCopies(budget=2 * (OVERHEAD + 1000), seconds=60)
    copies.keep("a", "x" * 1000)
    copies.keep("b", "y" * 1000)
    copies.get_many(["a"])  # "b" is now the least recently used

    copies.keep("c", "z" * 1000)

    assert set(copies.get_many(["a", "b", "c"])) == {"a", "c"}
    assert copies.used == 2 * (OVERHEAD + 1000)


def test_a_large_entry_makes_room_by_weight_not_count():
    copies = WorkerCopies(budget=10 * (OVERHEAD + 100), seconds=60)
    for n in range(10):
        copies.keep(f"rendition:{n}", "r" * 100)

    copies.keep("linked-body:1", "b" * (4 * (OVERHEAD + 100)))

    held = copies.get_many([*(f"rendition:{n}" for n in range(10)), "linked-body:1"])
    assert len(held) == 1 + 5  # the body, and the five newest renditions
    assert copies.used <= copies.budget


def test_an_entry_larger_than_the_budget_is_not_kept():
    copies = WorkerCopies(budget=1000, seconds=60)
    copies.keep("linked-body:1", "b" * 5000)

    assert copies.get_many(["linked-body:1"]) == {}
    assert copies.used == 0


def test_keeping_a_key_again_replaces_it():
    copies = WorkerCopies(budget=10_000, seconds=60)
    copies.keep("a", "old")
    copies.keep("a", "new")

    assert copies.get_many(["a"]) == {"a": "new"}
    assert copies.used == OVERHEAD + 3


def test_an_entry_is_forgotten_after_its_lifetime(clock):
    copies = WorkerCopies(budget=10_000, seconds=300)
    copies.keep("rendition:missing", "missing", 60)  # shorter than the worker's

    clock.now += 61

    assert copies.get_many(["rendition:missing"]) == {}
    assert copies.used == 0


def test_no_entry_outlives_the_workers_lifetime(clock):
    copies = WorkerCopies(budget=10_000, seconds=300)
    copies.keep("rendition:a", "A", 24 * 3600)

    clock.now += 301

    assert copies.get_many(["rendition:a"]) == {}


def test_a_worker_with_no_budget_keeps_nothing():
    copies = WorkerCopies(budget=0, seconds=300)
    copies.keep("a", 1)

    assert copies.get_many(["a"]) == {}


@pytest.mark.django_db
def test_found_entries_are_asked_of_the_shared_cache_once(shared_cache):
    cache.set_many({"linked-body:1": "<p>one</p>", "linked-body:2": "<p>two</p>"})

    get_many_content_named(["linked-body:1", "linked-body:2"])
    again = get_many_content_named(["linked-body:1", "linked-body:2", "linked-body:3"])

    assert again == {"linked-body:1": "<p>one</p>", "linked-body:2": "<p>two</p>"}
    assert shared_cache.asked == [
        ["linked-body:1", "linked-body:2"],
        ["linked-body:3"],  # only what this worker does not hold
    ]


@pytest.mark.django_db
def test_what_a_worker_sets_it_keeps(shared_cache):
    set_content_named("linked-body:1", "<p>one</p>", 60)

    assert get_many_content_named(["linked-body:1"]) == {"linked-body:1": "<p>one</p>"}
    assert shared_cache.asked == [["set", "linked-body:1"]]
    assert cache.get("linked-body:1") == "<p>one</p>"  # the other workers' too


def test_a_changed_setting_gives_fresh_copies(settings):
    settings.NEWSROOM_WORKER_CACHE_MB = 1
    core.cache.worker_copies.keep("a", 1)

    settings.NEWSROOM_WORKER_CACHE_MB = 2

    assert core.cache.worker_copies.budget == 2_000_000
    assert core.cache.worker_copies.get_many(["a"]) == {}


def jpeg():
    buffer = BytesIO()
    Image.new("RGB", (800, 450), (30, 30, 200)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="lead.jpg")


@pytest.mark.django_db
def test_a_story_page_served_again_asks_the_shared_cache_nothing(client, shared_cache):
    story = ArticleFactory(body="<p>Karen Handel won.</p>", lead_image_alt="Handel")
    story.lead_image.save("lead.jpg", jpeg(), save=True)
    MentionFactory(article=story, person__name="Karen Handel")
    client.get(story.get_absolute_url())  # renditions made, body linked
    shared_cache.asked.clear()

    page = client.get(story.get_absolute_url()).content.decode()

    assert shared_cache.asked == []
    assert "<picture>" in page
    assert '<a href="/people/' in page.split('<div class="body">')[1]


@pytest.mark.django_db
def test_an_edited_story_is_linked_afresh_despite_the_workers_copy(
    client, shared_cache
):
    story = ArticleFactory(body="<p>Karen Handel won.</p>")
    MentionFactory(article=story, person__name="Karen Handel")
    client.get(story.get_absolute_url())

    story.body = "<p>Karen Handel won the runoff.</p>"
    story.save()
    page = client.get(story.get_absolute_url()).content.decode()

    assert "won the runoff" in page.split('<div class="body">')[1]
