"""hide_image_names: images stored under their uploaded names get random ones."""

from io import BytesIO, StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from articles.models import Article
from core.renditions import renditions_for
from people.models import Person
from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.django_db

LEAK = "candidate-x-withdraws"


def jpeg():
    buffer = BytesIO()
    Image.new("RGB", (400, 300), (200, 30, 30)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue())


def hide_names(capture):
    out, err = StringIO(), StringIO()
    with capture(execute=True):
        call_command("hide_image_names", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_an_old_upload_gets_a_random_name_and_keeps_its_own_for_editors(
    django_capture_on_commit_callbacks,
):
    old = default_storage.save(f"articles/2026/12/{LEAK}.jpg", jpeg())
    story = ArticleFactory(lead_image=old, lead_image_alt="Candidate X")

    output, _ = hide_names(django_capture_on_commit_callbacks)

    story.refresh_from_db()
    assert "Moved 1 image files" in output
    assert LEAK not in story.lead_image.name
    assert default_storage.exists(story.lead_image.name)
    assert story.lead_image_name == old.rsplit("/", 1)[1]
    assert not default_storage.exists(old)
    assert renditions_for(story.lead_image).width == 400


def test_renditions_named_after_an_old_upload_are_deleted(
    django_capture_on_commit_callbacks,
):
    old = default_storage.save(f"articles/2026/11/{LEAK}.jpg", jpeg())
    stem = old.rsplit(".", 1)[0]
    made_before = default_storage.save(f"renditions/{stem}-320w.webp", ContentFile(b""))
    person = PersonFactory(photo=old)
    made_since = renditions_for(person.photo).fallback_url.removeprefix("/media/")

    hide_names(django_capture_on_commit_callbacks)

    assert not default_storage.exists(made_before)
    assert not default_storage.exists(made_since)


def test_a_file_shared_by_several_rows_is_moved_once(
    django_capture_on_commit_callbacks,
):
    old = default_storage.save("synthetic/photo-0.jpg", jpeg())
    PersonFactory(photo=old)
    PersonFactory(photo=old)

    output, _ = hide_names(django_capture_on_commit_callbacks)

    names = set(Person.objects.values_list("photo", flat=True))
    assert "Moved 1 image files" in output
    assert len(names) == 1 and old not in names
    assert default_storage.exists(names.pop())


def test_a_missing_file_is_reported_and_its_row_left_as_it_is(
    django_capture_on_commit_callbacks,
):
    story = ArticleFactory(lead_image="articles/gone.jpg", lead_image_alt="Gone")

    _, errors = hide_names(django_capture_on_commit_callbacks)

    assert "articles/gone.jpg" in errors
    assert Article.objects.get(pk=story.pk).lead_image.name == "articles/gone.jpg"


def test_an_image_uploaded_under_a_random_name_is_left_alone(
    django_capture_on_commit_callbacks,
):
    story = ArticleFactory(lead_image_alt="x")
    story.lead_image.save(f"{LEAK}.jpg", jpeg(), save=True)
    name = story.lead_image.name

    output, _ = hide_names(django_capture_on_commit_callbacks)

    assert "Moved 0 image files" in output
    assert Article.objects.get(pk=story.pk).lead_image.name == name
