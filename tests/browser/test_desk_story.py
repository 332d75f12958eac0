"""The editor's desk, start to finish, in a real browser: a reporter pastes a
six-paragraph story, links the people the panel finds before the first save (one
of them in two roles), adds a byline and submits it; an editor opens it from the
review queue and publishes it; readers see six paragraphs, the byline and the
people."""

import pytest

from articles.models import Article
from tests.browser import test_body_editor
from tests.browser.test_body_editor import PASTE, SIX_PARAGRAPHS
from tests.browser.test_workflow import log_in
from tests.factories import JournalistFactory, PersonFactory, SectionFactory
from tests.factories import editor as editor_user
from tests.factories import reporter as reporter_user

pytestmark = pytest.mark.django_db(transaction=True)

# A page under the admin's own CSP, recording what the policy blocks.
strict_page = test_body_editor.strict_page


def pick_byline(page, text, choice):
    page.click("#bylines-group .add-row a")
    page.click("#bylines-0 .select2-selection")
    with page.expect_response(lambda r: "/autocomplete/" in r.url and "term=" in r.url):
        page.locator(".select2-dropdown .select2-search__field").press_sequentially(
            text
        )
    page.locator(".select2-results__option", has_text=choice).click()
    page.wait_for_selector(".select2-dropdown", state="detached")


def test_reporter_links_people_before_saving_editor_publishes_from_the_queue(
    strict_page, live_server
):
    page = strict_page  # the admin's CSP holds: the panel's script is static
    reporter_user(username="rita")
    editor_user(username="ed")
    SectionFactory(name="Elections")
    PersonFactory(name="Jon Ossoff", kind="candidate")
    PersonFactory(name="Samuel L. Jackson", kind="celebrity")
    PersonFactory(name="Jane Fonda", kind="celebrity")
    JournalistFactory(name="Rita Reporter")

    log_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.wait_for_selector(".prose-editor .ProseMirror[contenteditable=true]")
    page.fill("#id_headline", "Hollywood came to Georgia")
    page.evaluate(PASTE, SIX_PARAGRAPHS)

    # The panel fills in from the pasted text, with nothing saved yet.
    jackson = page.locator(
        '#people-found tr.suggestion[data-person="Samuel L. Jackson"]'
    )
    jackson.wait_for()
    assert Article.objects.count() == 0
    jackson.get_by_label("Link").check()
    jackson.get_by_label("Endorser").check()
    jackson.get_by_label("Quoted").check()
    ossoff = page.locator('#people-found tr.suggestion[data-person="Jon Ossoff"]')
    ossoff.get_by_label("Link").check()
    fonda = page.locator('#people-found tr.suggestion[data-person="Jane Fonda"]')
    fonda.get_by_label("Link").check()
    # More typing refreshes the panel and keeps the ticks.
    with page.expect_response(lambda r: r.url.endswith("/people-found/")):
        page.fill("#id_headline", "Hollywood came to Georgia, and lost")
    page.wait_for_function(
        "() => !document.querySelector('#people-found').hasAttribute('aria-busy')"
    )
    assert jackson.get_by_label("Quoted").is_checked()
    assert jackson.get_by_label("Link").is_checked()
    page.select_option("#id_section", label="Elections")
    pick_byline(page, "Rita", "Rita Reporter")
    page.locator(".workflow-actions").last.get_by_role(
        "button", name="Submit for review"
    ).click()
    page.wait_for_selector(".messagelist .success")

    story = Article.objects.get(headline="Hollywood came to Georgia, and lost")
    assert story.status == "review"
    assert sorted(story.mentions.values_list("person__name", "role")) == [
        ("Jane Fonda", "donor"),
        ("Jon Ossoff", "candidate"),
        ("Samuel L. Jackson", "endorser"),
        ("Samuel L. Jackson", "quoted"),
    ]

    log_in(page, live_server, "ed")
    page.locator(".desk").get_by_role(
        "link", name="Hollywood came to Georgia, and lost"
    ).click()
    page.locator(".workflow-actions").last.get_by_role("button", name="Publish").click()
    page.wait_for_selector(".messagelist .success")

    page.context.clear_cookies()
    page.goto(live_server.url + story.get_absolute_url())
    assert page.locator("article.story .body > p").count() == 6
    assert "Rita Reporter" in page.locator("article").inner_text()
    people = page.locator(".people-box").inner_text()
    for name in ["Jane Fonda", "Jon Ossoff", "Samuel L. Jackson"]:
        assert name in people
    assert "Endorser, Quoted" in people
    assert page.violations == []


def test_ticks_in_the_panel_survive_a_form_sent_back_with_errors(page, live_server):
    reporter_user(username="rita")
    SectionFactory(name="Elections")
    PersonFactory(name="Samuel L. Jackson", kind="celebrity")

    log_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.wait_for_selector(".prose-editor .ProseMirror[contenteditable=true]")
    page.fill("#id_headline", "Hollywood came to Georgia")
    page.evaluate(PASTE, SIX_PARAGRAPHS)
    jackson = page.locator(
        '#people-found tr.suggestion[data-person="Samuel L. Jackson"]'
    )
    jackson.get_by_label("Link").check()
    jackson.get_by_label("Quoted").check()
    page.locator("input[name=_save]").last.click()  # no section: sent back
    page.wait_for_selector(".errornote")

    jackson.get_by_label("Link").wait_for()
    page.wait_for_function(
        "() => document.querySelector("
        "'#people-found tr.suggestion input[value=link]').checked"
    )
    assert jackson.get_by_label("Quoted").is_checked()
    assert jackson.get_by_label("Endorser").is_checked()
    page.select_option("#id_section", label="Elections")
    page.locator("input[name=_save]").last.click()
    page.wait_for_selector(".messagelist .success")

    story = Article.objects.get(headline="Hollywood came to Georgia")
    assert sorted(story.mentions.values_list("role", flat=True)) == [
        "endorser",
        "quoted",
    ]
