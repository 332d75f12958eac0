"""Reader pages free what they loaded when the request ends: a page whose objects
form reference cycles leaves them to Python's garbage collector, which then runs
more often (a listing of twenty stories made it run three times as often) and
pauses longer. Watched with the collector off: what is left over was in a cycle."""

import gc
import weakref
from datetime import date
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
from PIL import Image

from articles.models import Article
from core.renditions import detached_file
from people.models import Candidacy, Election, Race
from tests.factories import (
    ArticleFactory,
    CandidacyFactory,
    ElectionFactory,
    MentionFactory,
    PersonFactory,
    RaceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def collector_off():
    gc.collect()
    gc.disable()
    yield
    gc.enable()
    gc.collect()


def with_picture(instance, field_name):
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (20, 90, 160)).save(buffer, "JPEG")
    getattr(instance, field_name).save("pic.jpg", ContentFile(buffer.getvalue()))
    return instance


def served(url) -> int:
    """The page at `url`, through the WSGI handler gunicorn calls (the test
    client keeps each response in a cycle of its own); its status."""
    environ = RequestFactory()._base_environ(PATH_INFO=url, REQUEST_METHOD="GET")
    statuses = []
    # As the test client: the test's connection (inside its transaction) is not
    # closed when the request starts or ends.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
        b"".join(body)
        body.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return int(statuses[0].split()[0])


def alive(model) -> int:
    return sum(1 for o in gc.get_objects() if type(o) is model)


def test_a_detached_file_does_not_keep_its_story(collector_off):
    with_picture(ArticleFactory(), "lead_image")
    story = Article.objects.get()
    picture = detached_file(story, "lead_image")
    story_ref = weakref.ref(story)

    del story

    assert story_ref() is None
    assert picture.name.endswith(".jpg")


def test_the_story_gives_its_detached_file_linked_back_when_asked(collector_off):
    with_picture(ArticleFactory(), "lead_image")
    story = Article.objects.get()
    picture = detached_file(story, "lead_image")

    assert story.lead_image is picture
    assert picture.instance is story


def test_a_file_not_loaded_is_djangos_own():
    with_picture(ArticleFactory(), "lead_image")
    story = Article.objects.only("id").get()

    picture = detached_file(story, "lead_image")

    assert picture.name.endswith(".jpg") and picture.instance is story


@pytest.mark.parametrize("page", ["front", "story", "tag", "person"])
def test_a_reader_page_leaves_no_story_to_the_collector(collector_off, page):
    person = with_picture(PersonFactory(slug="jon-ossoff"), "photo")
    stories = [with_picture(ArticleFactory(), "lead_image") for _ in range(3)]
    for story in stories:
        story.tags.add("Runoff")
        MentionFactory(article=story, person=person)
    url = {
        "front": "/",
        "story": stories[0].get_absolute_url(),
        "tag": "/tags/runoff/",
        "person": person.get_absolute_url(),
    }[page]
    served(url)  # renditions made, statements compiled
    del stories, person
    before = alive(Article)

    assert served(url) == 200

    assert alive(Article) == before


def test_a_race_page_leaves_no_round_or_result_to_the_collector(collector_off):
    race = RaceFactory()
    for day in (date(2017, 4, 18), date(2017, 6, 20)):
        election = ElectionFactory(race=race, date=day)
        CandidacyFactory.create_batch(3, election=election)
    with_picture(ArticleFactory(), "lead_image").races.add(race)
    url = race.get_absolute_url()
    served(url)  # renditions made, statements compiled
    del race, election
    before = [alive(model) for model in (Race, Election, Candidacy, Article)]

    assert served(url) == 200

    assert [alive(model) for model in (Race, Election, Candidacy, Article)] == before


def test_a_reader_page_answers_head_as_get(client):
    story = ArticleFactory(headline="Handel wins")

    head = client.head(story.get_absolute_url())

    assert head.status_code == 200
    assert head["Content-Type"] == client.get(story.get_absolute_url())["Content-Type"]
