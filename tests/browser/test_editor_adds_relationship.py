"""An editor, in a real browser, records who backed whom from a story's page, and
a reader sees it on the candidate's page with its source."""

import pytest

from articles.models import RelationshipSource
from people.models import Relationship
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    MentionFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

SENTENCE = "Samuel L. Jackson cut a radio ad endorsing Jon Ossoff."


@pytest.fixture
def story():
    story = ArticleFactory(
        headline="Stars line up behind Ossoff", body=f"<p>{SENTENCE}</p>"
    )
    BylineFactory(article=story)
    for name in ("Samuel L. Jackson", "Jon Ossoff"):
        MentionFactory(article=story, person=PersonFactory(name=name))
    return story


def pick(page, field, text, choice):
    """Choose a person in the relationships inline through the autocomplete."""
    page.click(f"#relationship_sources-0 td.field-{field} .select2-selection")
    with page.expect_response(lambda r: "/autocomplete/" in r.url and "term=" in r.url):
        page.locator(".select2-dropdown .select2-search__field").press_sequentially(
            text
        )
    page.locator(".select2-results__option", has_text=choice).click()
    page.wait_for_selector(".select2-dropdown", state="detached")


def test_editor_adds_a_relationship_and_sees_it_on_the_candidates_page(
    logged_in_page, live_server, story, browser
):
    page = logged_in_page
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")

    page.click("#relationship_sources-group .add-row a")
    pick(page, "subject", "Jackson", "Samuel L. Jackson")
    page.select_option("#id_relationship_sources-0-kind", "recorded-ad-for")
    pick(page, "object_person", "Ossoff", "Jon Ossoff")
    page.fill("#id_relationship_sources-0-quote", SENTENCE)
    page.click("input[name=_save]")

    page.wait_for_selector(".messagelist .success")
    source = RelationshipSource.objects.get()
    assert source.article == story and source.is_primary
    ossoff = source.relationship.object_person
    reader = browser.new_page()
    try:
        reader.goto(f"{live_server.url}{ossoff.get_absolute_url()}")
        section = reader.locator("#backed-by")
        assert "Ads recorded by" in section.inner_text()
        assert "Samuel L. Jackson" in section.inner_text()
        section.locator("a.source-link", has_text=story.headline).click()
        reader.wait_for_url(f"{live_server.url}{story.get_absolute_url()}")
    finally:
        reader.close()


def test_one_click_on_a_proposal_fills_a_row_of_the_inline(
    logged_in_page, live_server, story
):
    page = logged_in_page
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")

    page.click("button.add-relationship[data-kind=endorsed]")

    assert "Samuel L. Jackson" in page.inner_text(
        "#select2-id_relationship_sources-0-subject-container"
    )
    assert page.input_value("#id_relationship_sources-0-kind") == "endorsed"
    assert page.input_value("#id_relationship_sources-0-quote") == SENTENCE
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    relationship = Relationship.objects.get()
    assert (relationship.subject.name, relationship.object_person.name) == (
        "Samuel L. Jackson",
        "Jon Ossoff",
    )
