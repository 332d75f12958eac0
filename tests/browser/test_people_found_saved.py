"""The "People found in this story" panel of a saved story updates as the story
is typed, takes turns with the draft's autosave, and never shows an answer older
than the last lookup."""

import pytest

from articles.models import Article
from tests.browser.conftest import fill_body
from tests.factories import ArticleFactory, BylineFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

LOOKUP = "**/admin/articles/article/people-found/"


def open_story(page, live_server, **fields):
    story = ArticleFactory(body="<p>Nobody is named yet.</p>", **fields)
    BylineFactory(article=story)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.wait_for_function("() => document.querySelector('#id_body').bodyEditor")
    return story


def hold_lookups(page):
    """Lookups held until released (`held.release()`), the later ones let through."""

    class Held(list):
        holding = True

        def release(self):
            self.holding = False
            while self:
                self.pop(0).continue_()

    held = Held()

    def handle(route):
        if held.holding:
            held.append(route)
        else:
            route.continue_()

    page.route(LOOKUP, handle)
    return held


def row(page, name):
    return page.locator(f'#people-found tr.suggestion[data-person="{name}"]')


def test_the_panel_of_a_saved_story_updates_as_it_is_typed(logged_in_page, live_server):
    page = logged_in_page
    PersonFactory(name="Karen Handel", kind="candidate")
    story = open_story(page, live_server)
    assert row(page, "Karen Handel").count() == 0

    fill_body(page, "<p>Karen Handel won the runoff.</p>")

    row(page, "Karen Handel").wait_for()
    row(page, "Karen Handel").get_by_label("Link").check()
    page.locator("input[name=_continue]").last.click()
    page.wait_for_selector(".messagelist .success")
    assert list(story.mentions.values_list("person__name", flat=True)) == [
        "Karen Handel"
    ]


def test_a_late_answer_never_replaces_a_newer_one(logged_in_page, live_server):
    page = logged_in_page
    PersonFactory(name="Jon Ossoff", kind="candidate")
    PersonFactory(name="Karen Handel", kind="candidate")
    open_story(page, live_server)
    held = hold_lookups(page)

    fill_body(page, "<p>Jon Ossoff conceded.</p>")
    page.wait_for_function("() => document.querySelector('#people-found[aria-busy]')")
    fill_body(page, "<p>Karen Handel won.</p>")
    page.wait_for_timeout(800)  # past the second lookup's half-second wait
    assert len(held) == 1  # the second waits for the first to be answered
    page.evaluate(
        """() => {
            window.shown = [];
            new MutationObserver(() => {
                for (const row of document.querySelectorAll("#people-found tr")) {
                    window.shown.push(row.dataset.person);
                }
            }).observe(document.querySelector("#people-found"),
                       {childList: true, subtree: true});
        }"""
    )
    held.release()  # the answer about Jon Ossoff, now out of date

    row(page, "Karen Handel").wait_for()
    assert "Jon Ossoff" not in page.evaluate("() => window.shown")


def test_ticks_survive_the_panel_updating(logged_in_page, live_server):
    page = logged_in_page
    PersonFactory(name="Jon Ossoff", kind="candidate")
    PersonFactory(name="Karen Handel", kind="candidate")
    open_story(page, live_server)
    fill_body(page, "<p>Jon Ossoff conceded.</p>")
    row(page, "Jon Ossoff").get_by_label("Link").check()

    page.locator("#id_dek").click()  # back to writing
    fill_body(page, "<p>Jon Ossoff conceded to Karen Handel.</p>")

    row(page, "Karen Handel").wait_for()
    assert row(page, "Jon Ossoff").get_by_label("Link").is_checked()


def test_the_rows_wait_while_the_editor_corrects_a_new_name(
    logged_in_page, live_server
):
    page = logged_in_page
    PersonFactory(name="Karen Handel", kind="candidate")
    open_story(page, live_server)
    fill_body(page, "<p>Gov. Brian Kemp spoke.</p>")
    name = page.locator('#people-found tr.new-name input[type="text"]').first
    name.fill("Brian P. Kemp")

    fill_body(page, "<p>Gov. Brian Kemp spoke. Karen Handel won.</p>")
    page.wait_for_timeout(1_500)  # the answer has come, and waits
    assert row(page, "Karen Handel").count() == 0
    assert name.evaluate("(input) => input === document.activeElement")
    page.locator("#id_dek").click()

    row(page, "Karen Handel").wait_for()
    assert page.locator(
        '#people-found tr.new-name input[type="text"]'
    ).first.input_value() == ("Brian P. Kemp")


def test_the_panel_and_the_autosave_take_turns_and_both_land(
    logged_in_page, live_server
):
    page = logged_in_page
    PersonFactory(name="Karen Handel", kind="candidate")
    page.clock.install()
    story = open_story(page, live_server, status="draft", published_at=None)
    posts = []
    page.on(
        "request",
        lambda request: (
            posts.append(request.url.rsplit("/", 2)[-2])
            # The numbers check has its own panel and requests.
            if request.method == "POST" and "numbers-check" not in request.url
            else None
        ),
    )
    held = hold_lookups(page)
    page.fill("#id_dek", "Karen Handel won the runoff.")
    page.clock.run_for(1_000)  # the lookup is sent, and held
    page.wait_for_function("() => document.querySelector('#people-found[aria-busy]')")

    page.clock.run_for(31_000)  # the autosave is due: it waits its turn
    page.wait_for_timeout(300)
    assert posts == ["people-found"]
    held.release()

    page.locator("#autosave-status").filter(has_text="Draft autosaved").wait_for()
    row(page, "Karen Handel").wait_for()
    assert posts == ["people-found", "autosave"]
    assert Article.objects.get(pk=story.pk).dek == "Karen Handel won the runoff."
    # Neither clobbered the other: the tick and the new version are both sent.
    row(page, "Karen Handel").get_by_label("Link").check()
    page.locator("input[name=_continue]").last.click()
    page.wait_for_selector(".messagelist .success")
    assert list(story.mentions.values_list("person__name", flat=True)) == [
        "Karen Handel"
    ]
