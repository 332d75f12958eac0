"""Roles and workflow, enforced on the server: tests POST directly."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    SectionFactory,
    byline_inline_data,
    editor,
    reporter,
)

pytestmark = pytest.mark.django_db


def story_form(article=None, section=None, **overrides):
    data = {
        "headline": article.headline if article else "A reporter's draft",
        "slug": article.slug if article else "a-reporters-draft",
        "dek": article.dek if article else "",
        "body": article.body if article else "<p>Text.</p>",
        "section": str((article.section if article else section).pk),
        "tags": "",
        "status": article.status if article else "draft",
        "published_at_0": "",
        "published_at_1": "",
        "lead_image_alt": "",
        "lead_image_caption": "",
        "lead_image_credit": "",
        "opened_version": str(article.lock_version) if article else "",
    }
    if article and article.published_at:
        local = timezone.localtime(article.published_at)
        data["published_at_0"] = local.strftime("%Y-%m-%d")
        data["published_at_1"] = local.strftime("%H:%M:%S")
    for prefix in ("bylines", "mentions"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    data |= overrides
    if data["status"] == "published" or data.get("_action") in {"publish", "schedule"}:
        data |= byline_inline_data(article)
    return data


@pytest.fixture
def reporter_client(client):
    user = reporter(username="rita")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def editor_client(client):
    user = editor(username="ed")
    client.force_login(user)
    client.user = user
    return client


ADD = "admin:articles_article_add"


def change(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_reporter_creates_a_draft_and_owns_it(reporter_client):
    response = reporter_client.post(reverse(ADD), story_form(section=SectionFactory()))

    assert response.status_code == 302
    story = Article.objects.get()
    assert (story.status, story.created_by) == ("draft", reporter_client.user)


def test_reporter_submits_their_draft_for_review(reporter_client):
    story = ArticleFactory(
        status="draft", published_at=None, created_by=reporter_client.user
    )

    reporter_client.post(change(story), story_form(story, status="review"))

    story.refresh_from_db()
    assert story.status == "review"


@pytest.mark.parametrize("status", ["published", "unpublished"])
def test_reporter_cannot_publish_by_posting_the_status(reporter_client, status):
    response = reporter_client.post(
        reverse(ADD), story_form(section=SectionFactory(), status=status)
    )

    assert response.status_code == 200
    assert not Article.objects.exists()


def test_reporter_cannot_publish_their_draft(reporter_client):
    story = ArticleFactory(
        status="draft", published_at=None, created_by=reporter_client.user
    )

    response = reporter_client.post(
        change(story), story_form(story, status="published")
    )

    assert response.status_code == 200
    story.refresh_from_db()
    assert story.status == "draft"


def test_reporter_cannot_schedule_by_posting_a_publish_time(reporter_client):
    story = ArticleFactory(
        status="draft", published_at=None, created_by=reporter_client.user
    )
    tomorrow = timezone.localtime() + timedelta(days=1)

    reporter_client.post(
        change(story),
        story_form(
            story,
            published_at_0=tomorrow.strftime("%Y-%m-%d"),
            published_at_1="09:00:00",
        ),
    )

    story.refresh_from_db()
    assert story.published_at is None


def test_reporter_cannot_edit_a_published_story(reporter_client):
    story = ArticleFactory(created_by=reporter_client.user, headline="Live")

    response = reporter_client.post(
        change(story), story_form(story, headline="Changed")
    )

    assert response.status_code == 403
    story.refresh_from_db()
    assert story.headline == "Live"


def test_reporter_sees_a_published_story_read_only(reporter_client):
    story = ArticleFactory()

    response = reporter_client.get(change(story))

    assert response.status_code == 200
    assert 'name="headline"' not in response.content.decode()


def test_reporter_cannot_edit_someone_elses_draft(reporter_client):
    story = ArticleFactory(status="draft", published_at=None, created_by=editor())

    response = reporter_client.post(
        change(story), story_form(story, headline="Mine now")
    )

    assert response.status_code == 403


def test_reporter_cannot_delete(reporter_client):
    story = ArticleFactory(
        status="draft", published_at=None, created_by=reporter_client.user
    )
    url = reverse("admin:articles_article_delete", args=[story.pk])

    assert reporter_client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=story.pk).exists()


@pytest.mark.parametrize("action", ["publish_now", "unpublish", "delete_selected"])
def test_reporter_cannot_use_publishing_actions(reporter_client, action):
    story = ArticleFactory(
        status="draft", published_at=None, created_by=reporter_client.user
    )

    reporter_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [story.pk], "post": "yes"},
    )

    story.refresh_from_db()
    assert story.status == "draft"


def test_editor_publishes_a_story_in_review(editor_client):
    story = ArticleFactory(status="review", published_at=None)
    BylineFactory(article=story)

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [story.pk]},
    )

    assert Article.objects.published().get() == story


def test_editor_unpublishes(editor_client):
    story = ArticleFactory()

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish", "_selected_action": [story.pk]},
    )

    story.refresh_from_db()
    assert story.status == "unpublished"


def test_editor_schedules_with_a_future_time(editor_client):
    story = ArticleFactory(status="review", published_at=None)
    tomorrow = timezone.localtime() + timedelta(days=1)

    editor_client.post(
        change(story),
        story_form(
            story,
            status="published",
            published_at_0=tomorrow.strftime("%Y-%m-%d"),
            published_at_1="09:00:00",
        ),
    )

    story.refresh_from_db()
    assert story.is_scheduled
    assert not Article.objects.published().exists()


@pytest.mark.parametrize(
    ("day", "time"),
    [("9999-12-31", "23:59:59"), ("0001-01-01", "00:00:00"), ("2200-01-01", "09:00")],
)
def test_a_publish_time_in_an_impossible_year_is_a_form_error(
    editor_client, client, day, time
):
    """Year 9999 in New York is 10,000 in UTC: stored, no query could read the
    story back, and the page cache's look for the next scheduled story failed on
    every page."""
    story = ArticleFactory(status="review", published_at=None)

    response = editor_client.post(
        change(story),
        story_form(story, status="published", published_at_0=day, published_at_1=time),
    )

    assert response.status_code == 200
    assert "between the years 1900 and 2199" in response.content.decode()
    story.refresh_from_db()
    assert (story.status, story.published_at) == ("review", None)
    assert client.get("/").status_code == 200


def test_published_straight_to_draft_is_an_invalid_transition(editor_client):
    story = ArticleFactory()

    response = editor_client.post(change(story), story_form(story, status="draft"))

    assert response.status_code == 200
    assert "Unpublish it first" in response.content.decode()
    story.refresh_from_db()
    assert story.status == "published"


def test_editor_deletes_with_confirmation(editor_client):
    story = ArticleFactory()
    url = reverse("admin:articles_article_delete", args=[story.pk])

    assert "Are you sure" in editor_client.get(url).content.decode()
    editor_client.post(url, {"post": "yes"})
    assert not Article.objects.exists()


def test_second_save_of_the_same_version_is_refused_and_its_text_kept(editor_client):
    story = ArticleFactory(headline="Original")
    first = story_form(story, headline="First editor's headline")
    second = story_form(story, headline="Second editor's headline", body="<p>Mine</p>")

    assert editor_client.post(change(story), first).status_code == 302
    response = editor_client.post(change(story), second)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else" in page and "saved this story after you opened it" in page
    assert "headline" in page.split("Fields that now differ:")[1]
    assert "Second editor&#x27;s headline" in page  # kept in the form
    story.refresh_from_db()
    assert story.headline == "First editor's headline"


def test_saving_again_from_a_fresh_form_works(editor_client):
    story = ArticleFactory(headline="Original")
    editor_client.post(change(story), story_form(story, headline="One"))
    story.refresh_from_db()

    response = editor_client.post(change(story), story_form(story, headline="Two"))

    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.lock_version) == ("Two", 3)


def test_staff_preview_a_draft_exactly_as_readers_would(editor_client):
    story = ArticleFactory(headline="Not yet", status="draft", published_at=None)

    response = editor_client.get(
        reverse("admin:articles_article_preview", args=[story.pk])
    )

    assert response.status_code == 200
    assert "<h1>Not yet</h1>" in response.content.decode()
    assert "Preview" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_readers_cannot_use_the_preview(client):
    story = ArticleFactory(status="draft", published_at=None)

    response = client.get(reverse("admin:articles_article_preview", args=[story.pk]))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("action", ["publish_now", "unpublish", "delete_selected"])
@pytest.mark.parametrize("selected", [["abc"], ["1", "\x00"], ["1.5"]])
def test_a_selection_that_is_not_ids_changes_nothing_and_says_so(
    editor_client, action, selected
):
    story = ArticleFactory(status="review", published_at=None)

    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": selected, "post": "yes"},
        follow=True,
    )

    assert response.status_code == 200
    assert "The selection was not understood" in response.content.decode()
    story.refresh_from_db()
    assert story.status == "review"
