"""Moving a live story's publish time into the future: the form warns as the
time is changed, and a save without the confirmation is sent back for it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, BylineFactory

pytestmark = pytest.mark.django_db(transaction=True)


def open_live_story(page, live_server):
    story = ArticleFactory(published_at=timezone.now() - timedelta(days=1))
    BylineFactory(article=story)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    return story


def set_date(page, when):
    page.locator("#id_published_at_0").fill(f"{when:%Y-%m-%d}")


def test_the_warning_appears_when_the_time_moves_into_the_future(
    logged_in_page, live_server
):
    page = logged_in_page
    open_live_story(page, live_server)
    warning = page.locator("#leave-site")
    assert warning.is_hidden()

    set_date(page, timezone.localtime() + timedelta(days=2))

    warning.wait_for(state="visible")
    assert "leaves the site" in warning.get_by_role("alert").inner_text()
    assert page.get_by_label("Take it off the site until then").is_visible()


def test_the_warning_goes_and_unticks_when_the_time_is_past_again(
    logged_in_page, live_server
):
    page = logged_in_page
    open_live_story(page, live_server)
    set_date(page, timezone.localtime() + timedelta(days=2))
    page.get_by_label("Take it off the site until then").check()

    set_date(page, timezone.localtime() - timedelta(days=3))

    page.locator("#leave-site").wait_for(state="hidden")
    assert not page.locator("#id_confirm_leave_site").is_checked()


def test_ticking_the_warning_schedules_the_story_in_one_save(
    logged_in_page, live_server
):
    page = logged_in_page
    story = open_live_story(page, live_server)
    set_date(page, timezone.localtime() + timedelta(days=2))
    page.get_by_label("Take it off the site until then").check()

    page.locator("input[name=_continue]").last.click()

    page.wait_for_selector(".messagelist .success")
    assert Article.objects.get(pk=story.pk).is_scheduled


def test_a_save_without_the_tick_comes_back_to_confirm(logged_in_page, live_server):
    page = logged_in_page
    story = open_live_story(page, live_server)
    set_date(page, timezone.localtime() + timedelta(days=2))

    page.locator("input[name=_continue]").last.click()

    page.wait_for_selector(".errornote")
    assert "takes it off the site" in page.locator(".errorlist").first.inner_text()
    assert page.locator("#leave-site").is_visible()
    assert Article.objects.get(pk=story.pk).is_published
    page.get_by_label("Take it off the site until then").check()
    page.locator("input[name=_continue]").last.click()
    page.wait_for_selector(".messagelist .success")
    assert Article.objects.get(pk=story.pk).is_scheduled
