import json
import re

import pytest

from tests.factories import BylineFactory, MentionFactory, PersonFactory

pytestmark = pytest.mark.django_db


def jsonld_blocks(html):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    return [json.loads(block) for block in blocks]


def test_story_page_has_title_description_canonical_and_social_tags(client):
    story = BylineFactory(
        article__headline="Handel wins", article__dek="The seat holds."
    ).article

    page = client.get(story.get_absolute_url()).content.decode()

    assert "<title>Handel wins · Newsroom</title>" in page
    assert '<meta name="description" content="The seat holds.">' in page
    assert (
        f'<link rel="canonical" href="http://testserver{story.get_absolute_url()}">'
        in page
    )
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:title" content="Handel wins">' in page
    assert '<meta name="twitter:card" content="summary">' in page


def test_story_jsonld_is_a_news_article_with_author_and_dates(client):
    byline = BylineFactory(person__name="Jerome Hudson")
    story = byline.article
    MentionFactory(article=story, person__name="Jon Ossoff", role="candidate")
    MentionFactory(article=story, person__name="Jane Fonda", role="donor")

    (data,) = jsonld_blocks(client.get(story.get_absolute_url()).content.decode())

    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story.headline
    assert data["author"][0]["name"] == "Jerome Hudson"
    assert data["author"][0]["url"].endswith(byline.person.get_absolute_url())
    assert data["datePublished"] == story.published_at.isoformat()
    assert "dateModified" in data
    assert [p["name"] for p in data["about"]] == ["Jon Ossoff"]
    assert [p["name"] for p in data["mentions"]] == ["Jane Fonda"]


def test_story_jsonld_addresses_are_absolute_and_under_the_sites_prefix(
    get_under_prefix,
):
    byline = BylineFactory(person__name="Jerome Hudson", person__slug="jerome-hudson")
    story = byline.article
    MentionFactory(article=story, person__slug="jon-ossoff", role="candidate")
    path = story.get_absolute_url()

    (data,) = jsonld_blocks(get_under_prefix(path).content.decode())

    assert data["url"] == data["mainEntityOfPage"] == f"http://testserver/news{path}"
    assert data["author"][0]["url"] == "http://testserver/news/people/jerome-hudson/"
    assert data["about"][0]["url"] == "http://testserver/news/people/jon-ossoff/"


def test_headline_cannot_break_out_of_the_jsonld_block(client):
    hostile = '</script><script>alert("x")</script> & <!--'
    story = BylineFactory(article__headline=hostile).article

    page = client.get(story.get_absolute_url()).content.decode()

    assert "<script>alert" not in page
    (data,) = jsonld_blocks(page)
    assert data["headline"] == hostile


def test_person_page_has_person_jsonld(client):
    person = PersonFactory(
        name="Jon Ossoff", kind="candidate", party="D", bio="Filmmaker."
    )

    (data,) = jsonld_blocks(client.get(person.get_absolute_url()).content.decode())

    assert data["@type"] == "Person"
    assert data["name"] == "Jon Ossoff"
    assert data["description"] == "Filmmaker."
    assert data["affiliation"]["name"] == "Democratic Party"


def test_person_jsonld_address_is_absolute_and_under_the_sites_prefix(
    get_under_prefix,
):
    person = PersonFactory(name="Jon Ossoff", slug="jon-ossoff")

    page = get_under_prefix(person.get_absolute_url()).content.decode()

    (data,) = jsonld_blocks(page)
    assert data["url"] == "http://testserver/news/people/jon-ossoff/"


def test_a_page_behind_a_tls_proxy_gives_https_addresses(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    story = BylineFactory(person__slug="jerome-hudson").article
    path = story.get_absolute_url()

    page = client.get(
        path, HTTP_X_FORWARDED_PROTO="https", SERVER_PORT="443"
    ).content.decode()

    (data,) = jsonld_blocks(page)
    assert f'<link rel="canonical" href="https://testserver{path}">' in page
    assert data["url"] == f"https://testserver{path}"
    assert data["author"][0]["url"] == "https://testserver/people/jerome-hudson/"


def test_hostile_text_is_escaped_in_every_meta_tag(client):
    story = BylineFactory(
        article__headline='"><script>alert(1)</script>', article__dek='"><img src=x>'
    ).article

    page = client.get(story.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in page
    assert "<img src=x>" not in page


def test_a_description_with_no_text_falls_back_to_the_sites_description(rf):
    from tests.reference_templates import macro

    request = rf.get("/tags/georgia/")

    meta = macro(
        "includes/_page_meta.html",
        "page_meta",
        request,
        "N",
        title="Georgia",
        description="<p></p>",
    )

    assert '<meta name="description" content="Politics news: the stories' in meta
    assert '<meta property="og:description" content="Politics news: the' in meta
