"""A save that fails leaves nothing behind, and tells the editor why.

With Redis down (the page cache cannot be made stale: any save readers could see)
or the media volume full or read-only, an admin save is refused whole: no row, no
links, no revision, no log entry. The editor gets the form back with what they
typed and "Not saved: <reason>. Try again.", answered 503 with `Retry-After`: the
fault is the infrastructure's.
"""

import errno

import botocore.exceptions
import psycopg
import pytest
import redis.exceptions
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision, Version

from articles.models import Article, Mention
from core.admin_saves import NotSavedMixin, failure_of
from people.models import Person
from tests.articles.test_workflow import story_form
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    JournalistFactory,
    PersonFactory,
    SectionFactory,
    editor,
    person_form,
)
from tests.security.test_uploads import image_bytes

pytestmark = pytest.mark.django_db

# Nothing listens there: every cache call fails to connect, as with Redis down.
REDIS_DOWN = {
    "default": {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


@pytest.fixture
def editor_client():
    # As a browser sees it: a failure is a response, not an exception in the test.
    client = Client(raise_request_exception=False)
    client.force_login(editor(username="ed"))
    return client


@pytest.fixture
def section():
    return SectionFactory()


@pytest.fixture
def journalist():
    return JournalistFactory()


@pytest.fixture
def redis_down(settings, section, journalist):
    """Redis goes down once the test's rows are made (their saves need it too)."""
    settings.CACHES = REDIS_DOWN


def add_story(client, section, **fields):
    """A new story, published: readers' pages must be made fresh by its save. Its
    byline is the journalist the `redis_down` fixture made while Redis was up."""
    now = timezone.localtime()
    published = {
        "status": "published",
        "published_at_0": now.strftime("%Y-%m-%d"),
        "published_at_1": now.strftime("%H:%M:%S"),
    }
    drafted = {name: value for name, value in fields.items() if name != "status"}
    data = story_form(section=section, **drafted) | published | fields
    if data["status"] == "published":
        journalist = Person.objects.filter(kind="journalist").last()
        journalist = journalist or JournalistFactory()
        data |= {"bylines-TOTAL_FORMS": "1", "bylines-0-person": str(journalist.pk)}
        data |= {"bylines-0-position": "0"}
    return client.post(reverse("admin:articles_article_add"), data)


def test_a_new_story_not_saved_leaves_no_row_and_no_revision(
    editor_client, section, redis_down
):
    add_story(editor_client, section, headline="Never saved")

    assert not Article.objects.exists()
    assert not Version.objects.exists()
    assert not Revision.objects.exists()
    assert not LogEntry.objects.exists()


def test_an_edit_not_saved_leaves_the_story_and_its_history_as_they_were(
    editor_client, settings
):
    story = ArticleFactory(body="<p>Saved words.</p>")
    BylineFactory(article=story)
    settings.CACHES = REDIS_DOWN

    editor_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        story_form(story, body="<p>Unsaved words.</p>"),
    )

    story.refresh_from_db()
    assert story.body == "<p>Saved words.</p>"
    assert not Version.objects.get_for_object(story).exists()
    assert not LogEntry.objects.exists()


def test_links_of_a_story_not_saved_are_not_kept(editor_client, settings):
    story = ArticleFactory()
    BylineFactory(article=story)
    person = PersonFactory()
    settings.CACHES = REDIS_DOWN
    data = story_form(story) | {
        "mentions-TOTAL_FORMS": "1",
        "mentions-0-person": str(person.pk),
        "mentions-0-role": "quoted",
    }

    editor_client.post(reverse("admin:articles_article_change", args=[story.pk]), data)

    assert not Mention.objects.exists()
    assert not Version.objects.exists()


def test_a_person_not_saved_leaves_no_row_and_no_revision(editor_client, redis_down):
    editor_client.post(
        reverse("admin:people_person_add"), person_form(name="Never Saved")
    )

    assert not Person.objects.filter(name="Never Saved").exists()
    assert not Version.objects.exists()


def test_with_redis_down_a_draft_is_still_saved(editor_client, section, redis_down):
    """No reader sees a draft: there is no cached page to make fresh."""
    add_story(editor_client, section, headline="Draft kept", status="draft")

    assert Article.objects.filter(headline="Draft kept").exists()


def test_with_redis_down_the_editor_gets_the_form_back_with_a_reason(
    editor_client, section, redis_down
):
    response = add_story(editor_client, section, headline="Kept headline")

    page = response.content.decode()
    assert response.status_code == 503
    assert "Not saved: the page cache (Redis) could not be reached. Try again." in page
    assert 'value="Kept headline"' in page


def test_with_redis_down_the_answer_says_when_to_try_again(
    editor_client, section, redis_down
):
    response = add_story(editor_client, section)

    assert int(response["Retry-After"]) > 0


def s3_error(status, code):
    return botocore.exceptions.ClientError(
        {"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}},
        "PutObject",
    )


class FullStorage(InMemoryStorage):
    def _save(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")


class ReadOnlyStorage(InMemoryStorage):
    def _save(self, name, content):
        raise OSError(errno.EROFS, "Read-only file system")


@pytest.fixture
def storage(settings, request):
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": f"{__name__}.{request.param}"}
    }


def upload():
    return SimpleUploadedFile("lead.jpg", image_bytes(), content_type="image/jpeg")


@pytest.mark.parametrize(
    ("storage", "reason"),
    [
        ("FullStorage", "the media volume is full"),
        ("ReadOnlyStorage", "the media volume is read-only"),
    ],
    indirect=["storage"],
)
def test_an_upload_to_a_full_or_read_only_volume_is_a_form_error(
    editor_client, section, storage, reason
):
    response = add_story(
        editor_client,
        section,
        headline="Kept headline",
        lead_image=upload(),
        lead_image_alt="A picture",
    )

    page = response.content.decode()
    assert response.status_code == 503
    assert f"Not saved: {reason}." in page
    assert 'value="Kept headline"' in page
    assert not Article.objects.exists()
    assert not Version.objects.exists()


def test_a_person_not_saved_comes_back_as_a_form_with_the_reason(
    editor_client, redis_down
):
    response = editor_client.post(
        reverse("admin:people_person_add"), person_form(name="Kept Name")
    )

    page = response.content.decode()
    assert response.status_code == 503
    assert "Not saved: the page cache (Redis) could not be reached." in page
    assert 'value="Kept Name"' in page


def test_a_restore_not_saved_leaves_the_story_and_its_history_as_they_were(
    editor_client, settings
):
    story = ArticleFactory(headline="The original headline")
    url = reverse("admin:articles_article_change", args=[story.pk])
    editor_client.post(url, story_form(story, headline="The original headline"))
    story.refresh_from_db()
    editor_client.post(url, story_form(story, headline="A worse headline"))
    first = Version.objects.get_for_object(story).last()
    story.refresh_from_db()
    settings.CACHES = REDIS_DOWN

    response = editor_client.post(
        reverse("admin:articles_article_revision", args=[story.pk, first.pk]),
        story_form(story, headline="The original headline"),
    )

    story.refresh_from_db()
    page = response.content.decode()
    assert response.status_code == 503
    assert "Not restored: the page cache (Redis) could not be reached." in page
    assert 'value="The original headline"' in page
    assert story.headline == "A worse headline"
    assert Version.objects.get_for_object(story).count() == 2


def test_a_publish_action_not_saved_says_so_and_leaves_no_revision(
    editor_client, settings
):
    story = ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None)
    BylineFactory(article=story)  # publishable: only Redis stands in the way
    settings.CACHES = REDIS_DOWN

    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [story.pk]},
    )

    story.refresh_from_db()
    assert response.status_code == 503
    assert "Nothing was changed: the page cache (Redis)" in response.content.decode()
    assert story.status == Article.Status.IN_REVIEW
    assert not Version.objects.exists()


def test_a_deletion_not_done_says_so_and_keeps_the_story(editor_client, settings):
    story = ArticleFactory()
    settings.CACHES = REDIS_DOWN

    response = editor_client.post(
        reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"}
    )

    assert response.status_code == 503
    assert "Not deleted: the page cache (Redis)" in response.content.decode()
    assert Article.objects.filter(pk=story.pk).exists()


def test_linking_earlier_stories_not_done_says_so_and_links_nothing(
    editor_client, settings
):
    person = PersonFactory(name="Jon Ossoff", kind="candidate")
    story = ArticleFactory(body="<p>Jon Ossoff lost his bid.</p>")
    settings.CACHES = REDIS_DOWN

    response = editor_client.post(
        reverse("admin:articles_article_backfill", args=[person.pk]),
        {"article": [str(story.pk)], "role": "suggested"},
    )

    assert response.status_code == 503
    assert "Nothing was linked: the page cache (Redis)" in response.content.decode()
    assert not Mention.objects.exists()
    assert not Version.objects.exists()


def test_every_admin_refuses_a_failed_save_with_the_form():
    ours = {"articles", "people", "taggit"}
    admins = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in ours
    ]

    assert admins
    assert all(isinstance(model_admin, NotSavedMixin) for model_admin in admins)


def stored_files(storage, path=""):
    folders, files = storage.listdir(path)
    found = [f"{path}{name}" for name in files]
    for folder in folders:
        found += stored_files(storage, f"{path}{folder}/")
    return found


def test_an_upload_of_a_save_that_failed_is_not_kept(
    editor_client, section, journalist, settings
):
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    }
    settings.CACHES = REDIS_DOWN

    response = add_story(
        editor_client, section, lead_image=upload(), lead_image_alt="A picture"
    )

    assert response.status_code == 503
    assert stored_files(default_storage) == []


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (redis.exceptions.TimeoutError(), "did not answer in time"),
        (redis.exceptions.ReadOnlyError(), "refused to record the change"),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), "over its quota"),
        (OSError(errno.EACCES, "Permission denied"), "no permission"),
        (botocore.exceptions.EndpointConnectionError(endpoint_url="x"), "reached"),
        (s3_error(503, "SlowDown"), "could not be reached"),
        (s3_error(403, "AccessDenied"), "no permission"),
        (OperationalError("database is locked"), "busy with another change"),
        (OperationalError("connection refused"), "database could not be reached"),
    ],
)
def test_each_fault_of_the_infrastructure_has_a_reason_and_a_503(error, reason):
    failure = failure_of(error)

    assert reason in failure.reason
    assert (failure.status, failure.retry_after > 0) == (503, True)


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOENT, "No such file"),
        ValueError("a bug"),
        s3_error(404, "NoSuchKey"),
    ],
)
def test_a_fault_of_the_code_is_still_a_500(error):
    assert failure_of(error) is None


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's lock_timeout"
)
@pytest.mark.django_db(transaction=True)
def test_a_story_locked_by_another_transaction_is_a_form_error_not_a_503_page(
    editor_client,
):
    # A long job (or a save stuck behind one) holds the story's row past the web
    # requests' lock_timeout: the editor can try again, and keeps what they typed.
    story = ArticleFactory(body="<p>Saved words.</p>")
    holder = psycopg.connect(**row_lock_parameters())
    try:
        holder.execute(
            "SELECT 1 FROM articles_article WHERE id = %s FOR UPDATE", [story.pk]
        )
        response = editor_client.post(
            reverse("admin:articles_article_change", args=[story.pk]),
            story_form(story, body="<p>Unsaved words.</p>"),
        )
    finally:
        holder.close()

    page = response.content.decode()
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert "Not saved: the database" in page and "Unsaved words." in page
    story.refresh_from_db()
    assert story.body == "<p>Saved words.</p>"


def row_lock_parameters():
    parameters = connection.get_connection_params()
    keys = ("host", "port", "user", "password", "dbname")
    return {key: parameters[key] for key in keys if parameters.get(key) is not None}
