"""The head links, site header and footer every reader page shares are rendered
once and reused (`shared_part()` in newsroom/jinja2.py): they must still follow
what changes them."""

import pytest

pytestmark = pytest.mark.django_db


def test_every_page_links_the_sections_of_the_site(client):
    page = client.get("/people/").content.decode()

    for link in ('href="/"', 'href="/people/"', 'href="/races/"', 'action="/search/"'):
        assert link in page
    assert '<link rel="stylesheet" href="/static/css/site' in page
    assert 'type="application/rss+xml"' in page


def test_the_search_page_keeps_the_query_in_the_search_box_escaped(client):
    page = client.get("/search/", {"q": '"><script>x</script>'}).content.decode()
    plain = client.get("/people/").content.decode()

    assert 'value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"' in page
    assert "<script>x</script>" not in page
    assert 'name="q" value=""' in plain


def test_the_site_name_follows_the_setting(client, settings):
    settings.NEWSROOM_NAME = "First Name"
    client.get("/people/")
    settings.NEWSROOM_NAME = "Second Name"

    page = client.get("/people/").content.decode()

    assert '<a class="site-name" href="/">Second Name</a>' in page
    assert "First Name" not in page


def test_a_site_served_under_a_prefix_links_under_it(client, get_under_prefix):
    client.get("/people/")  # the parts rendered for the site at the root

    page = get_under_prefix("/races/").content.decode()

    assert 'href="/news/people/"' in page
    assert 'action="/news/search/"' in page


@pytest.mark.parametrize(
    "page",
    ["/", "/people/", "/search/?q=Ossoff", "story", "/races/ga-06/", "/tags/runoff/"],
)
def test_a_pages_own_links_follow_the_sites_prefix(client, get_under_prefix, page):
    """Sections, races, people, bylines and candidates listed on a page link under
    the prefix the page is served at, as its teasers do, after a page served at
    the root."""
    from tests.factories import (
        BylineFactory,
        CandidacyFactory,
        ElectionFactory,
        RaceFactory,
    )

    byline = BylineFactory(person__name="Jon Ossoff", person__slug="jon-ossoff")
    story = byline.article
    race = RaceFactory(slug="ga-06")
    story.races.add(race)
    CandidacyFactory(election=ElectionFactory(race=race), person=byline.person)
    story.tags.add("Runoff")
    section = story.section.slug
    page = story.get_absolute_url() if page == "story" else page
    client.get(page)

    html = get_under_prefix(page).content.decode()

    expected = {
        "/": [f"/news/sections/{section}/", "/news/races/ga-06/"],
        "/tags/runoff/": ["/news/feeds/tags/runoff/"],
    }.get(page, ["/news/people/jon-ossoff/"])
    for address in expected:
        assert f'href="{address}"' in html
        assert f'href="{address.removeprefix("/news")}"' not in html


def test_the_shared_parts_follow_a_changed_setting(client, settings):
    client.get("/people/")
    settings.STATIC_URL = "/assets/"

    page = client.get("/people/").content.decode()

    assert '<link rel="stylesheet" href="/assets/css/site' in page
