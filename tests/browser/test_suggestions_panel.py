"""An editor pastes a seed story, ticks three of the people found, and readers see
them on the story page."""

import pytest
from django.core.management import call_command

from articles.demo.loader import SEEDS_DIR
from articles.models import Article, Byline
from articles.services import article_publish, story_text_to_html
from people.models import Person
from tests.browser.conftest import fill_body

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_links_three_suggested_people(logged_in_page, live_server):
    page = logged_in_page
    call_command("load_demo", "--force", stdout=None)
    body = story_text_to_html((SEEDS_DIR / "hollywood-vs-georgia.txt").read_text())

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_headline").press_sequentially("Stars lose in Georgia")
    fill_body(page, body)
    page.select_option("#id_section", label="Elections")
    page.click("input[name=_continue]")
    page.wait_for_selector("#people-found tr.suggestion")

    for name in ["Samuel L. Jackson", "Jane Fonda", "Rosie O'Donnell"]:
        row = page.locator(f'tr.suggestion[data-person="{name}"]')
        row.get_by_label("Link").check()
    page.locator("input[name=_continue]").last.click()
    page.wait_for_selector(".messagelist .success")

    story = Article.objects.get(headline="Stars lose in Georgia")
    assert sorted(story.mentions.values_list("person__name", "role")) == [
        ("Jane Fonda", "donor"),
        ("Rosie O'Donnell", "donor"),
        ("Samuel L. Jackson", "endorser"),
    ]
    reporter = Person.objects.get(name="Jerome Hudson")
    Byline.objects.create(article=story, person=reporter)
    article_publish(article=story, user=story.created_by)
    page.goto(live_server.url + story.get_absolute_url())
    people_box = page.locator(".people-box").inner_text()
    for name in ["Samuel L. Jackson", "Jane Fonda", "Rosie O'Donnell"]:
        assert name in people_box
