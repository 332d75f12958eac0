"""The first appearance of each linked person in a story links to their page."""

import pytest

from articles.linking import link_first_mentions
from people.mentions import KnownPerson
from tests.factories import ArticleFactory, MentionFactory

OSSOFF = (KnownPerson(1, "Jon Ossoff", "candidate"), "/people/jon-ossoff/")
FONDA = (KnownPerson(2, "Jane Fonda", "celebrity"), "/people/jane-fonda/")


def test_first_appearance_is_linked_once():
    html = link_first_mentions("<p>Jon Ossoff ran. Jon Ossoff lost.</p>", [OSSOFF])

    assert html.count("<a ") == 1
    assert html.startswith(
        '<p><a href="/people/jon-ossoff/" rel="noopener noreferrer">Jon'
    )


def test_existing_links_are_left_alone_and_the_next_appearance_is_used():
    body = '<p><a href="https://x.org/">Jon Ossoff</a> ran. Later Jon Ossoff lost.</p>'

    html = link_first_mentions(body, [OSSOFF])

    assert html.count("/people/jon-ossoff/") == 1
    assert 'Later <a href="/people/jon-ossoff/"' in html


def test_attributes_are_never_touched():
    body = '<p><a href="https://x.org/" title="Jon Ossoff">a link</a> and more.</p>'

    assert link_first_mentions(body, [OSSOFF]) == body.replace(
        'title="Jon Ossoff">', 'title="Jon Ossoff" rel="noopener noreferrer">'
    )


def test_a_name_split_across_tags_is_skipped():
    html = link_first_mentions(
        "<p><em>Jon</em> Ossoff ran. Jon Ossoff lost.</p>", [OSSOFF]
    )

    assert "<em>Jon</em> Ossoff ran." in html
    assert (
        '<a href="/people/jon-ossoff/" rel="noopener noreferrer">Jon Ossoff</a> lost'
        in html
    )


def test_text_stays_escaped_and_valid():
    html = link_first_mentions("<p>Fonda &amp; Jane Fonda &lt;3</p>", [FONDA])

    assert html == (
        '<p>Fonda &amp; <a href="/people/jane-fonda/" rel="noopener noreferrer">'
        "Jane Fonda</a> &lt;3</p>"
    )


def test_no_people_means_the_body_is_unchanged():
    assert link_first_mentions("<p>Jon Ossoff</p>", []) == "<p>Jon Ossoff</p>"


@pytest.mark.django_db
def test_story_page_links_each_linked_person_once(client):
    story = ArticleFactory(
        body="<p>Jon Ossoff ran; Jane Fonda gave. Jon Ossoff lost.</p>"
    )
    ossoff = MentionFactory(article=story, person__name="Jon Ossoff").person
    MentionFactory(article=story, person__name="Someone Else")

    page = client.get(story.get_absolute_url()).content.decode()
    body = page.split('<div class="body">')[1].split("</div>")[0]

    assert body.count(f'href="{ossoff.get_absolute_url()}"') == 1
    assert "jane-fonda" not in body  # not linked to the story


@pytest.mark.django_db
def test_a_newly_linked_person_is_linked_in_the_body_at_once(client):
    story = ArticleFactory(body="<p>Jane Fonda gave.</p>")
    client.get(story.get_absolute_url())
    fonda = MentionFactory(article=story, person__name="Jane Fonda").person

    page = client.get(story.get_absolute_url()).content.decode()

    assert f'href="{fonda.get_absolute_url()}"' in page.split('<div class="body">')[1]


@pytest.mark.django_db
def test_the_body_is_linked_while_the_cache_is_down(client, monkeypatch):
    """The linked body is kept in the cache to save work, not needed from it."""
    from django.core.cache import cache

    story = ArticleFactory(body="<p>Jon Ossoff ran.</p>")
    ossoff = MentionFactory(article=story, person__name="Jon Ossoff").person

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    for method in ("get", "get_many", "set"):
        monkeypatch.setattr(cache, method, down)
    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    body = response.content.decode().split('<div class="body">')[1]
    assert f'href="{ossoff.get_absolute_url()}"' in body
