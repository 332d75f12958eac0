"""Autosave of a draft: the admin-only endpoint behind the change form's script."""

import pytest
from django.urls import reverse
from reversion.models import Version

from tests.articles.test_workflow import story_form
from tests.factories import ArticleFactory, editor, reporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.user = editor(username="ed")
    client.force_login(client.user)
    return client


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def draft(**kwargs):
    return ArticleFactory(status="draft", published_at=None, **kwargs)


def test_autosave_saves_the_draft_and_returns_the_new_version(editor_client):
    story = draft(headline="First")

    response = editor_client.post(
        autosave_url(story), story_form(story, headline="Second")
    )

    story.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["opened_version"] == story.lock_version == 2
    assert story.headline == "Second"


def test_autosave_keeps_a_revision_noted_as_autosaved(editor_client):
    story = draft()

    editor_client.post(autosave_url(story), story_form(story, headline="Second"))

    note = Version.objects.get_for_object(story)[0].revision.get_comment()
    assert note == "Autosaved."


def test_autosave_never_overwrites_a_newer_save(editor_client):
    story = draft(headline="First")
    stale = story_form(story, headline="Mine")
    story.headline, story.lock_version = "Theirs", story.lock_version + 1
    story.save()

    response = editor_client.post(autosave_url(story), stale)

    story.refresh_from_db()
    assert response.status_code == 409
    assert "Someone else" in response.json()["error"]
    assert story.headline == "Theirs"


def test_autosave_needs_the_forms_version(editor_client):
    story = draft(headline="First")

    response = editor_client.post(
        autosave_url(story), story_form(story, headline="Mine", opened_version="")
    )

    story.refresh_from_db()
    assert response.status_code == 400
    assert story.headline == "First"


def test_autosave_refuses_a_story_that_is_not_a_draft(editor_client):
    story = ArticleFactory(headline="Live")

    response = editor_client.post(
        autosave_url(story), story_form(story, headline="Changed")
    )

    story.refresh_from_db()
    assert response.status_code == 409
    assert story.headline == "Live"


def test_autosave_reports_an_invalid_form_as_400(editor_client):
    story = draft(headline="First")

    response = editor_client.post(autosave_url(story), story_form(story, headline=""))

    assert response.status_code == 400
    assert "required" in response.json()["error"]


def test_autosave_cannot_change_the_status(editor_client):
    story = draft()

    editor_client.post(autosave_url(story), story_form(story, _action="publish"))

    story.refresh_from_db()
    assert story.status == "draft"


def test_autosave_refuses_a_reporter_on_someone_elses_draft(client):
    client.force_login(reporter(username="rita"))
    story = draft(headline="First")

    response = client.post(autosave_url(story), story_form(story, headline="Mine"))

    story.refresh_from_db()
    assert response.status_code == 403
    assert story.headline == "First"


def test_autosave_answers_get_with_405(editor_client):
    assert editor_client.get(autosave_url(draft())).status_code == 405


def test_autosave_is_for_staff_only(client):
    story = draft()

    response = client.post(autosave_url(story), story_form(story))

    assert response.status_code == 302  # to the admin's login


def test_a_draft_form_offers_autosave(editor_client):
    story = draft()

    page = editor_client.get(
        reverse("admin:articles_article_change", args=[story.pk])
    ).content.decode()

    assert 'id="autosave-config"' in page
    assert "js/unsaved_changes.js" in page


def test_a_live_story_form_has_no_autosave(editor_client):
    story = ArticleFactory()

    page = editor_client.get(
        reverse("admin:articles_article_change", args=[story.pk])
    ).content.decode()

    assert 'id="autosave-config"' not in page
