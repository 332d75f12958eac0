"""The story form warns before leaving unsaved changes, and autosaves a draft
without overwriting a newer save."""

import pytest

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def open_draft(page, live_server, **fields):
    story = ArticleFactory(status="draft", published_at=None, **fields)
    page.clock.install()
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    return story


def leaving_asks(page) -> bool:
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    with page.expect_event("close"):  # after any dialog, which closing waits for
        page.close(run_before_unload=True)
    return dialogs == ["beforeunload"]


def test_leaving_a_changed_form_asks_first(logged_in_page, live_server):
    open_draft(logged_in_page, live_server)
    logged_in_page.locator("#id_dek").fill("A new standfirst.")

    assert leaving_asks(logged_in_page)


def test_leaving_an_unchanged_form_does_not_ask(logged_in_page, live_server):
    open_draft(logged_in_page, live_server)
    logged_in_page.locator("#id_dek").click()

    assert not leaving_asks(logged_in_page)


def test_saving_does_not_ask(logged_in_page, live_server):
    open_draft(logged_in_page, live_server)
    logged_in_page.locator("#id_dek").fill("A new standfirst.")
    logged_in_page.once("dialog", lambda dialog: dialog.dismiss())

    logged_in_page.locator("input[name=_continue]").last.click()

    logged_in_page.wait_for_selector(".messagelist .success")


def test_a_draft_is_autosaved_after_thirty_seconds(logged_in_page, live_server):
    story = open_draft(logged_in_page, live_server, headline="First")
    logged_in_page.locator("#id_headline").fill("Autosaved headline")

    logged_in_page.clock.run_for(31_000)

    status = logged_in_page.locator("#autosave-status")
    status.filter(has_text="Draft autosaved").wait_for()
    story.refresh_from_db()
    assert story.headline == "Autosaved headline"
    # The form now holds the new version: saving it is not refused as stale.
    logged_in_page.locator("input[name=_continue]").last.click()
    logged_in_page.wait_for_selector(".messagelist .success")
    assert Article.objects.get(pk=story.pk).lock_version == 3


def test_autosave_never_overwrites_a_newer_save(logged_in_page, live_server):
    story = open_draft(logged_in_page, live_server, headline="First")
    Article.objects.filter(pk=story.pk).update(headline="Theirs", lock_version=5)
    logged_in_page.locator("#id_headline").fill("Mine")

    logged_in_page.clock.run_for(31_000)

    status = logged_in_page.locator("#autosave-status")
    status.filter(has_text="Not autosaved").wait_for()
    assert "Someone else" in status.inner_text()
    assert Article.objects.get(pk=story.pk).headline == "Theirs"


def test_leaving_a_changed_person_form_asks_first(logged_in_page, live_server):
    from tests.factories import PersonFactory

    person = PersonFactory()
    logged_in_page.goto(f"{live_server.url}/admin/people/person/{person.pk}/change/")
    logged_in_page.locator("#id_name").fill("Someone else")

    assert leaving_asks(logged_in_page)


def test_ticking_rows_in_a_list_does_not_ask(logged_in_page, live_server):
    ArticleFactory()
    logged_in_page.goto(f"{live_server.url}/admin/articles/article/")
    logged_in_page.locator("input.action-select").first.check()

    assert not leaving_asks(logged_in_page)
