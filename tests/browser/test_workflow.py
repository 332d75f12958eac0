"""A reporter writes a draft and submits it, and cannot publish it; an editor
publishes it; the reader sees it."""

import pytest

from articles.models import Article
from tests.browser.conftest import fill_body
from tests.factories import BylineFactory, SectionFactory, editor, reporter

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_reporter_submits_editor_publishes_reader_reads(page, live_server):
    reporter(username="rita")
    editor(username="ed")
    SectionFactory(name="Elections")

    log_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_headline").press_sequentially("Turnout hits 58 percent")
    fill_body(page, "<p>Turnout in the runoff reached 58 percent.</p>")
    page.select_option("#id_section", label="Elections")
    buttons = page.locator(".workflow-actions").last.get_by_role("button")
    assert buttons.all_inner_texts() == ["Submit for review"]  # no way to publish
    assert page.locator("#id_published_at_0").count() == 0
    buttons.first.click()
    page.wait_for_selector(".messagelist .success")
    story = Article.objects.get(headline="Turnout hits 58 percent")
    assert story.status == "review"

    # Even a doctored form cannot publish: the server refuses.
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.evaluate(
        "() => { document.querySelector('input[name=status]').value = 'published' }"
    )
    page.locator("input[name=_save]").last.click()
    assert "Only an editor can publish" in page.locator(".errorlist").first.inner_text()
    story.refresh_from_db()
    assert story.status == "review"
    page.goto(live_server.url + "/")
    assert "Turnout hits 58 percent" not in page.content()

    log_in(page, live_server, "ed")
    BylineFactory(article=story)
    page.get_by_role("link", name="Turnout hits 58 percent").click()  # the queue
    page.locator(".workflow-actions").last.get_by_role("button", name="Publish").click()
    page.wait_for_selector(".messagelist .success")

    page.context.clear_cookies()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Turnout hits 58 percent").first.click()
    page.wait_for_selector("h1:has-text('Turnout hits 58 percent')")
