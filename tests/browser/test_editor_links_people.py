"""An editor, in a real browser, writes a story and links people to it."""

import pytest

from articles.models import Article
from tests.browser.conftest import fill_body
from tests.factories import AliasFactory, PersonFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def pick_person(page, row, text, choice):
    """Choose a person in a mention row through the admin's autocomplete."""
    page.click(f"#mentions-{row} .select2-selection")
    with page.expect_response(lambda r: "/autocomplete/" in r.url and "term=" in r.url):
        page.locator(".select2-dropdown .select2-search__field").press_sequentially(
            text
        )
    page.locator(".select2-results__option", has_text=choice).click()
    page.wait_for_selector(".select2-dropdown", state="detached")
    selected = page.inner_text(f"#select2-id_mentions-{row}-person-container")
    assert choice in selected


def test_editor_writes_a_story_and_links_three_people_with_autocomplete(
    logged_in_page, live_server
):
    page = logged_in_page
    SectionFactory(name="Elections")
    PersonFactory(name="Jon Ossoff", kind="candidate")
    PersonFactory(name="Karen Handel", kind="candidate")
    AliasFactory(person__name="Samuel L. Jackson", name="Sam Jackson")

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_headline").press_sequentially("Handel wins Georgia runoff")
    assert page.input_value("#id_slug") == "handel-wins-georgia-runoff"
    fill_body(page, "<p>Karen Handel beat Jon Ossoff.</p>")
    page.select_option("#id_section", label="Elections")
    page.fill("#id_tags", "Georgia 6th District, Hollywood")
    for row, (text, choice, role) in enumerate(
        [
            ("Ossoff", "Jon Ossoff", "candidate"),
            ("Handel", "Karen Handel", "candidate"),
            ("Sam Jackson", "Samuel L. Jackson", "endorser"),
        ]
    ):
        page.click("#mentions-group .add-row a")
        pick_person(page, row, text, choice)
        page.select_option(f"#id_mentions-{row}-role", role)
    page.click("input[name=_save]")

    page.wait_for_selector(".messagelist .success")
    story = Article.objects.get(headline="Handel wins Georgia runoff")
    assert sorted(story.mentions.values_list("person__name", "role")) == [
        ("Jon Ossoff", "candidate"),
        ("Karen Handel", "candidate"),
        ("Samuel L. Jackson", "endorser"),
    ]
    assert sorted(story.tags.names()) == ["Georgia 6th District", "Hollywood"]
