"""Reader pages: plurals, headings in order, named search landmarks, the
publisher's logo and the race chart's legend."""

import re

import pytest
from django.urls import reverse

from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CandidacyFactory,
    SectionFactory,
)
from tests.reader.test_metadata import jsonld_blocks

pytestmark = pytest.mark.django_db


def test_the_people_filter_names_kinds_in_the_plural(client):
    page = client.get(reverse("people:list")).content.decode()

    assert ">Celebrities</a>" in page
    assert "Celebritys" not in page


def headings(html):
    return [int(level) for level in re.findall(r"<h([1-6])[ >]", html)]


def test_a_section_page_has_no_heading_levels_skipped(client):
    section = SectionFactory(slug="elections")
    ArticleFactory(section=section)

    levels = headings(client.get(section.get_absolute_url()).content.decode())

    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_a_tag_page_has_no_heading_levels_skipped(client):
    story = ArticleFactory()
    story.tags.add("Runoff")

    levels = headings(
        client.get(reverse("articles:tag", args=["runoff"])).content.decode()
    )

    assert 3 in levels
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


@pytest.mark.parametrize("url", ["/search/?q=runoff", "/no-such-page/"])
def test_each_search_landmark_has_its_own_name(client, url):
    page = client.get(url).content.decode()

    names = re.findall(r'role="search" aria-label="([^"]+)"', page)
    assert len(names) == 2
    assert len(set(names)) == 2


def test_the_publisher_in_json_ld_has_a_logo(client):
    story = BylineFactory().article

    (data,) = jsonld_blocks(client.get(story.get_absolute_url()).content.decode())

    logo = data["publisher"]["logo"]
    assert logo["@type"] == "ImageObject"
    assert logo["url"].startswith("http://testserver/")
    assert logo["url"].endswith(".png")


def test_the_race_chart_names_its_party_colours(client):
    democrat = CandidacyFactory(party="D", votes=100)
    CandidacyFactory(election=democrat.election, party="L", votes=50)

    page = client.get(democrat.election.race.get_absolute_url()).content.decode()

    legend = re.search(r'<ul class="chart-legend".*?</ul>', page).group()
    assert "Democratic" in legend
    assert "Other or no party" in legend
    assert "Republican" not in legend


def test_the_json_ld_publisher_logo_is_the_configured_plain_asset(client, settings):
    settings.NEWSROOM_NAME = "The Dispatch"
    settings.NEWSROOM_LOGO = "img/logo.png"
    settings.NEWSROOM_LOGO_SIZE = (192, 192)
    story = BylineFactory().article

    (data,) = jsonld_blocks(client.get(story.get_absolute_url()).content.decode())

    publisher = data["publisher"]
    assert publisher["name"] == "The Dispatch"
    assert publisher["logo"]["url"] == "http://testserver/static/img/logo.png"
    assert (publisher["logo"]["width"], publisher["logo"]["height"]) == (192, 192)
    # The name is the publisher's, not part of the logo's address.
    assert "dispatch" not in publisher["logo"]["url"].lower()


def test_another_logo_is_a_setting_away(client, settings):
    settings.NEWSROOM_LOGO = "img/other-mark.png"
    settings.NEWSROOM_LOGO_SIZE = (300, 120)
    story = BylineFactory().article

    (data,) = jsonld_blocks(client.get(story.get_absolute_url()).content.decode())

    logo = data["publisher"]["logo"]
    assert logo["url"] == "http://testserver/static/img/other-mark.png"
    assert (logo["width"], logo["height"]) == (300, 120)


def test_the_default_logo_file_is_a_square_of_the_configured_size(settings):
    from django.contrib.staticfiles import finders
    from PIL import Image

    with Image.open(finders.find(settings.NEWSROOM_LOGO)) as logo:
        assert logo.size == settings.NEWSROOM_LOGO_SIZE
