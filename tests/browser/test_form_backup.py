"""Everything typed in the story form is kept in the browser; after a crash or a
reload the editor is asked "Restore unsaved changes?", and a copy made before a
newer save is never put back without the editor's click."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.browser.conftest import fill_body
from tests.browser.test_editor_links_people import pick_person
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    MentionFactory,
    PersonFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def open_story(page, live_server, **fields):
    story = ArticleFactory(**fields)
    BylineFactory(article=story)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    return story


def wait_for_copy(page):
    """The copy is written a second after the last change."""
    page.wait_for_function(
        "() => Object.keys(localStorage).some(k => k.startsWith('form-backup:'))"
    )
    page.wait_for_timeout(1_200)


def copies(page):
    return page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('form-backup:'))"
    )


def reload(page):
    """A reload, as after a crash: the unsaved-changes warning is accepted."""
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()


def prompt(page):
    return page.get_by_role("region", name="Restore unsaved changes?")


def test_every_typed_field_and_inline_is_restored_after_a_reload(
    logged_in_page, live_server
):
    page = logged_in_page
    SectionFactory(name="Politics")
    MentionFactory(
        article__headline="Saved headline", person__name="Jon Ossoff", role="mentioned"
    )
    story = Article.objects.get(headline="Saved headline")
    BylineFactory(article=story)
    PersonFactory(name="Karen Handel", kind="candidate")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    later = timezone.localtime() - timedelta(days=2)

    page.fill("#id_headline", "Typed headline")
    page.fill("#id_slug", "typed-slug")
    page.fill("#id_dek", "Typed dek.")
    fill_body(page, "<p>Typed body naming Karen Handel.</p>")
    page.select_option("#id_section", label="Politics")
    page.fill("#id_tags", "Runoff, Georgia")
    page.fill("#id_lead_image_caption", "Typed caption")
    page.fill("#id_lead_image_credit", "Typed credit")
    page.fill("#id_lead_image_alt", "Typed alt")
    page.fill("#id_published_at_0", f"{later:%Y-%m-%d}")
    page.select_option("#id_mentions-0-role", "quoted")
    page.fill("#id_mentions-0-note", "Typed note")
    page.click("#mentions-group .add-row a")
    pick_person(page, 1, "Handel", "Karen Handel")
    page.select_option("#id_mentions-1-role", "candidate")
    wait_for_copy(page)

    reload(page)
    prompt(page).wait_for()
    assert "Headline" in prompt(page).inner_text()
    page.get_by_role("button", name="Restore my changes").click()

    assert prompt(page).is_hidden()
    assert page.input_value("#id_headline") == "Typed headline"
    assert page.input_value("#id_slug") == "typed-slug"
    assert page.input_value("#id_dek") == "Typed dek."
    assert "Karen Handel" in page.input_value("#id_body")
    assert page.locator("#id_section option:checked").inner_text() == "Politics"
    assert page.input_value("#id_tags") == "Runoff, Georgia"
    assert page.input_value("#id_lead_image_caption") == "Typed caption"
    assert page.input_value("#id_lead_image_credit") == "Typed credit"
    assert page.input_value("#id_lead_image_alt") == "Typed alt"
    assert page.input_value("#id_published_at_0") == f"{later:%Y-%m-%d}"
    assert page.input_value("#id_mentions-0-role") == "quoted"
    assert page.input_value("#id_mentions-0-note") == "Typed note"
    assert "Karen Handel" in page.inner_text("#select2-id_mentions-1-person-container")
    page.locator("input[name=_continue]").last.click()
    page.wait_for_selector(".messagelist .success")
    story.refresh_from_db()
    assert (story.headline, story.dek, story.section.name) == (
        "Typed headline",
        "Typed dek.",
        "Politics",
    )
    assert sorted(story.mentions.values_list("person__name", "role", "note")) == [
        ("Jon Ossoff", "quoted", "Typed note"),
        ("Karen Handel", "candidate", ""),
    ]
    assert sorted(story.tags.names()) == ["Georgia", "Runoff"]


def test_a_byline_added_is_restored(logged_in_page, live_server):
    page = logged_in_page
    PersonFactory(name="Jerome Hudson", kind="journalist")
    story = open_story(page, live_server)

    page.click("#bylines-group .add-row a")
    pick_row = page.locator("#bylines-1 .select2-selection")
    pick_row.click()
    page.locator(".select2-dropdown .select2-search__field").press_sequentially("Hud")
    page.locator(".select2-results__option", has_text="Jerome Hudson").click()
    wait_for_copy(page)
    reload(page)
    page.get_by_role("button", name="Restore my changes").click()

    assert "Jerome Hudson" in page.inner_text("#select2-id_bylines-1-person-container")
    page.locator("input[name=_continue]").last.click()
    page.wait_for_selector(".messagelist .success")
    assert "Jerome Hudson" in story.bylines.values_list("person__name", flat=True)


def test_nothing_is_put_back_without_a_click(logged_in_page, live_server):
    page = logged_in_page
    open_story(page, live_server, headline="Saved headline")
    page.fill("#id_headline", "Typed headline")
    wait_for_copy(page)

    reload(page)

    prompt(page).wait_for()
    assert page.input_value("#id_headline") == "Saved headline"


def test_discarded_changes_are_not_offered_again(logged_in_page, live_server):
    page = logged_in_page
    open_story(page, live_server, headline="Saved headline")
    page.fill("#id_headline", "Typed headline")
    wait_for_copy(page)
    reload(page)

    page.get_by_role("button", name="Discard them").click()
    page.reload()

    page.wait_for_function("() => document.querySelector('#id_body').bodyEditor")
    assert prompt(page).is_hidden()
    assert page.input_value("#id_headline") == "Saved headline"


def test_a_save_that_went_through_leaves_nothing_to_restore(
    logged_in_page, live_server
):
    page = logged_in_page
    story = open_story(page, live_server, headline="Saved headline")
    page.fill("#id_headline", "Typed headline")
    wait_for_copy(page)

    page.locator("input[name=_save]").last.click()
    page.wait_for_selector(".messagelist .success")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")

    page.wait_for_function("() => document.querySelector('#id_body').bodyEditor")
    page.wait_for_timeout(300)
    assert prompt(page).is_hidden()
    assert copies(page) == []


def test_a_copy_older_than_a_newer_save_says_so_and_names_the_clashes(
    logged_in_page, live_server
):
    page = logged_in_page
    story = open_story(page, live_server, headline="Saved headline", dek="Old dek.")
    page.fill("#id_headline", "My headline")
    page.fill("#id_dek", "My dek.")
    wait_for_copy(page)
    # Someone else saves the story meanwhile, with another headline.
    Article.objects.filter(pk=story.pk).update(
        headline="Their headline", lock_version=story.lock_version + 1
    )

    reload(page)

    prompt(page).wait_for()
    text = prompt(page).inner_text()
    assert "saved since" in text
    assert "Also changed in the newer save: Headline" in text
    assert page.input_value("#id_headline") == "Their headline"


def test_restoring_an_older_copy_puts_back_only_what_the_editor_changed(
    logged_in_page, live_server
):
    page = logged_in_page
    story = open_story(page, live_server, headline="Saved headline", dek="Old dek.")
    page.fill("#id_dek", "My dek.")
    wait_for_copy(page)
    Article.objects.filter(pk=story.pk).update(
        headline="Their headline", lock_version=story.lock_version + 1
    )
    reload(page)
    prompt(page).wait_for()
    assert page.locator(".restore-changes-conflicts").is_hidden()  # no clash

    page.get_by_role("button", name="Restore my changes").click()

    assert page.input_value("#id_headline") == "Their headline"
    assert page.input_value("#id_dek") == "My dek."


def test_the_copy_is_kept_per_story(logged_in_page, live_server):
    page = logged_in_page
    open_story(page, live_server)
    page.fill("#id_dek", "Typed for the first story.")
    wait_for_copy(page)
    other = ArticleFactory()

    page.once("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/admin/articles/article/{other.pk}/change/")

    page.wait_for_function("() => document.querySelector('#id_body').bodyEditor")
    page.wait_for_timeout(300)
    assert prompt(page).is_hidden()
    keys = copies(page)
    assert len(keys) == 1 and json.loads(
        page.evaluate("(k) => localStorage.getItem(k)", keys[0])
    )["values"]["dek"] == [json.dumps("Typed for the first story.")]


def test_a_drafts_own_autosave_does_not_make_its_copy_look_older(
    logged_in_page, live_server
):
    """The autosave moves the story's version on; the copy follows it, so the
    prompt after a reload is the plain one, and the people roles the autosave
    does not save (inlines) come back."""
    page = logged_in_page
    page.clock.install()
    story = open_story(page, live_server, status="draft", published_at=None)
    MentionFactory(article=story, person__name="Jon Ossoff", role="mentioned")
    page.reload()
    page.wait_for_function("() => document.querySelector('#id_body').bodyEditor")
    page.fill("#id_dek", "Autosaved dek.")
    page.select_option("#id_mentions-0-role", "quoted")
    page.clock.run_for(31_000)
    page.locator("#autosave-status").filter(has_text="Draft autosaved").wait_for()
    page.clock.run_for(2_000)  # the copy is written again, with the new version

    reload(page)

    prompt(page).wait_for()
    assert page.locator(".restore-changes-stale").is_hidden()
    assert page.input_value("#id_dek") == "Autosaved dek."  # saved by the autosave
    page.get_by_role("button", name="Restore my changes").click()
    assert page.input_value("#id_mentions-0-role") == "quoted"


def test_a_save_sent_back_with_errors_keeps_the_copy(logged_in_page, live_server):
    page = logged_in_page
    open_story(page, live_server, headline="Saved headline")
    page.fill("#id_dek", "Typed dek.")
    page.fill("#id_headline", "")  # required: the form comes back
    wait_for_copy(page)

    page.locator("input[name=_continue]").last.click()
    page.wait_for_selector(".errornote")

    page.wait_for_timeout(300)
    assert len(copies(page)) == 1
