"""The change form's workflow buttons: shown by role and state, enforced on the
server whatever is posted."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.articles.test_workflow import story_form
from tests.factories import ArticleFactory, SectionFactory, editor, reporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter_client(client):
    client.user = reporter(username="rita")
    client.force_login(client.user)
    return client


@pytest.fixture
def editor_client(client):
    client.user = editor(username="ed")
    client.force_login(client.user)
    return client


def change(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def buttons(response):
    return [label for _action, label in response.context["workflow_actions"]]


def test_the_status_is_no_drop_down(editor_client):
    story = ArticleFactory()

    page = editor_client.get(change(story)).content.decode()

    assert '<select name="status"' not in page
    assert '<input type="hidden" name="status" value="published"' in page


def test_a_reporter_sees_only_submit_for_review_on_a_draft(reporter_client):
    story = ArticleFactory(
        status="draft", published_at=None, created_by=reporter_client.user
    )

    response = reporter_client.get(change(story))

    assert buttons(response) == ["Submit for review"]
    assert 'name="_action" value="review"' in response.content.decode()


def test_a_reporter_may_take_back_a_story_in_review(reporter_client):
    story = ArticleFactory(
        status="review", published_at=None, created_by=reporter_client.user
    )

    assert buttons(reporter_client.get(change(story))) == ["Send back to draft"]


def test_an_editor_sees_publish_and_schedule_on_a_story_in_review(editor_client):
    story = ArticleFactory(status="review", published_at=None)

    assert buttons(editor_client.get(change(story))) == [
        "Publish",
        "Schedule",
        "Send back to draft",
    ]


def test_an_editor_sees_unpublish_on_a_live_story(editor_client):
    assert buttons(editor_client.get(change(ArticleFactory()))) == ["Unpublish"]


def test_an_editor_may_publish_a_scheduled_story_now(editor_client):
    story = ArticleFactory(published_at=timezone.now() + timedelta(days=1))

    assert buttons(editor_client.get(change(story))) == ["Publish", "Unpublish"]


def test_an_editor_starts_a_story_with_every_way_forward(editor_client):
    response = editor_client.get(reverse("admin:articles_article_add"))

    assert buttons(response) == ["Submit for review", "Publish", "Schedule"]


def test_submit_for_review_records_who_and_when(reporter_client):
    story = ArticleFactory(
        status="draft", published_at=None, created_by=reporter_client.user
    )

    response = reporter_client.post(change(story), story_form(story, _action="review"))

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == "review"
    assert story.submitted_by == reporter_client.user
    assert story.submitted_at is not None


def test_publish_puts_a_story_live_now(editor_client):
    story = ArticleFactory(status="review", published_at=None)

    editor_client.post(change(story), story_form(story, _action="publish"))

    story.refresh_from_db()
    assert story.is_published


def test_schedule_needs_a_future_time(editor_client):
    story = ArticleFactory(status="review", published_at=None)

    response = editor_client.post(change(story), story_form(story, _action="schedule"))

    assert response.status_code == 200
    assert "future to schedule" in response.content.decode()
    story.refresh_from_db()
    assert story.status == "review"


def test_schedule_with_a_future_time(editor_client):
    story = ArticleFactory(status="review", published_at=None)
    when = timezone.localtime() + timedelta(days=2)

    editor_client.post(
        change(story),
        story_form(
            story,
            _action="schedule",
            published_at_0=when.strftime("%Y-%m-%d"),
            published_at_1=when.strftime("%H:%M:%S"),
        ),
    )

    story.refresh_from_db()
    assert story.is_scheduled


def test_unpublish_takes_a_story_off_the_site(editor_client):
    story = ArticleFactory()

    editor_client.post(change(story), story_form(story, _action="unpublish"))

    story.refresh_from_db()
    assert story.status == "unpublished"


def test_a_reporter_posting_publish_by_hand_is_refused(reporter_client):
    story = ArticleFactory(
        status="review", published_at=None, created_by=reporter_client.user
    )

    response = reporter_client.post(change(story), story_form(story, _action="publish"))

    assert response.status_code == 200
    assert "Only an editor can publish" in response.content.decode()
    story.refresh_from_db()
    assert story.status == "review"


def test_an_unknown_action_is_a_form_error(editor_client):
    story = ArticleFactory(status="draft", published_at=None)

    response = editor_client.post(change(story), story_form(story, _action="launch"))

    assert response.status_code == 200
    assert "not understood" in response.content.decode()


def tomorrow_form(story, **overrides):
    when = timezone.localtime() + timedelta(days=1)
    return story_form(
        story,
        published_at_0=when.strftime("%Y-%m-%d"),
        published_at_1=when.strftime("%H:%M:%S"),
        **overrides,
    )


def test_a_live_story_form_has_the_leave_site_warning_hidden(editor_client):
    story = ArticleFactory()

    page = editor_client.get(change(story)).content.decode()

    assert '<div id="leave-site"' in page
    assert "data-unconfirmed" not in page
    assert re.search(r'<div id="leave-site"[^>]* hidden>', page)


@pytest.mark.parametrize(
    "story",
    [
        {"status": "draft", "published_at": None},
        {"published_at": timezone.now() + timedelta(days=2)},  # scheduled
        {"status": "unpublished"},
    ],
    ids=["draft", "scheduled", "unpublished"],
)
def test_a_story_that_is_not_live_has_no_leave_site_warning(editor_client, story):
    page = editor_client.get(change(ArticleFactory(**story))).content.decode()

    assert 'id="leave-site"' not in page
    assert "confirm_leave_site" not in page


def test_a_reporter_never_sees_the_leave_site_warning(reporter_client):
    story = ArticleFactory(created_by=reporter_client.user)

    page = reporter_client.get(change(story)).content.decode()

    assert 'id="leave-site"' not in page


def test_moving_a_live_story_into_the_future_asks_for_confirmation(editor_client):
    story = ArticleFactory()

    refused = editor_client.post(change(story), tomorrow_form(story))
    story.refresh_from_db()

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "takes it off the site" in page
    assert re.search(r'<div id="leave-site"[^>]* data-unconfirmed>', page)
    assert 'name="confirm_leave_site"' in page
    assert story.is_published


def test_a_confirmed_move_into_the_future_schedules_the_story(editor_client):
    story = ArticleFactory()

    editor_client.post(change(story), tomorrow_form(story, confirm_leave_site="on"))

    story.refresh_from_db()
    assert story.is_scheduled


def test_the_confirmation_step_keeps_the_time_typed_and_then_schedules(editor_client):
    story = ArticleFactory()
    data = tomorrow_form(story)
    editor_client.post(change(story), data)

    editor_client.post(change(story), data | {"confirm_leave_site": "on"})

    story.refresh_from_db()
    assert story.is_scheduled
    assert timezone.localtime(story.published_at).strftime("%Y-%m-%d %H:%M:%S") == (
        f"{data['published_at_0']} {data['published_at_1']}"
    )


def test_keeping_a_live_story_in_the_past_needs_no_confirmation(editor_client):
    story = ArticleFactory()
    earlier = timezone.localtime(story.published_at) - timedelta(hours=1)

    response = editor_client.post(
        change(story),
        story_form(
            story,
            headline="A new headline",
            published_at_0=earlier.strftime("%Y-%m-%d"),
            published_at_1=earlier.strftime("%H:%M:%S"),
        ),
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.is_published


def test_the_story_list_labels_scheduled_stories(editor_client):
    ArticleFactory(headline="Tomorrow's", published_at=timezone.now() + timedelta(1))

    page = editor_client.get(reverse("admin:articles_article_changelist"))

    assert '<td class="field-state">Scheduled</td>' in page.content.decode()


@pytest.mark.parametrize(
    ("state", "expected"),
    [("scheduled", ["Later"]), ("published", ["Live"]), ("draft", ["Draft"])],
)
def test_the_story_list_filters_by_state(editor_client, state, expected):
    ArticleFactory(headline="Later", published_at=timezone.now() + timedelta(1))
    ArticleFactory(headline="Live")
    ArticleFactory(headline="Draft", status="draft", published_at=None)

    response = editor_client.get(
        reverse("admin:articles_article_changelist"), {"state": state}
    )

    shown = [a.headline for a in response.context["cl"].result_list]
    assert shown == expected


def test_the_story_list_refuses_an_unknown_state(editor_client):
    response = editor_client.get(
        reverse("admin:articles_article_changelist"), {"state": "lost"}
    )

    assert response.status_code in (200, 302)
    assert Article.objects.count() == 0


def test_new_story_added_with_submit_for_review(reporter_client):
    data = story_form(section=SectionFactory(), _action="review")

    reporter_client.post(reverse("admin:articles_article_add"), data)

    story = Article.objects.get()
    assert (story.status, story.submitted_by) == ("review", reporter_client.user)
