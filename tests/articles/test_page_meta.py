"""A page's <title> and share tags are the `page_meta` macro
(`templates/jinja2/includes/_page_meta.html`); they say what the Django include
they replaced said, escaped by Jinja2's autoescaping, with addresses as
`request.build_absolute_uri()` writes them."""

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

from tests.reference_templates import macro, same_markup

# The include every reader page used before, kept here as the reference.
TEMPLATE_META = Template(
    """{% with summary=description|default:''|striptags|truncatechars:200 origin=request.get_host path=canonical_path|default:request.path %}<title>{% if title and title != newsroom_name %}{{ title }} · {% endif %}{{ newsroom_name }}</title>
<meta name="description" content="{{ summary|default:'Politics news: the stories, the people in them and the races they run.' }}">
<link rel="canonical" href="{{ request.scheme }}://{{ origin }}{{ path }}">
<meta property="og:site_name" content="{{ newsroom_name }}">
<meta property="og:type" content="{{ og_type|default:'website' }}">
<meta property="og:title" content="{{ title|default:newsroom_name }}">
<meta property="og:description" content="{{ summary|default:'Politics news: the stories, the people in them and the races they run.' }}">
<meta property="og:url" content="{{ request.scheme }}://{{ origin }}{{ path }}">
{% if image %}<meta property="og:image" content="{{ request.scheme }}://{{ origin }}{{ image }}">{% if image_alt %}
<meta property="og:image:alt" content="{{ image_alt }}">{% endif %}{% endif %}
<meta name="twitter:card" content="{% if image %}summary_large_image{% else %}summary{% endif %}">
<meta name="twitter:title" content="{{ title|default:newsroom_name }}">
<meta name="twitter:description" content="{{ summary|default:'Politics news: the stories, the people in them and the races they run.' }}">{% endwith %}
"""  # noqa: E501
)

NAME = "The Newsroom"
CASES = [
    {},
    {"title": NAME},
    {"title": "Ossoff & Handel", "description": "A <b>close</b> race"},
    {
        "title": 'The "runoff"',
        "description": "<p></p>",
        "og_type": "article",
        "image": "/media/renditions/lead-1280.jpg",
        "image_alt": "Karen Handel <speaking>",
    },
    {"title": "Photo, no alt", "image": "/media/a-b.jpg", "og_type": "profile"},
    {"title": mark_safe("<i>Safe</i>"), "description": "d" * 250},
]


@pytest.mark.parametrize("values", CASES)
@pytest.mark.parametrize("path", ["/", "/tags/georgia/", "/search/a-b/"])
def test_the_tags_read_as_the_include_did(rf, settings, values, path):
    settings.ALLOWED_HOSTS = ["news.example.com"]
    request = rf.get(path, headers={"host": "news.example.com"})
    page = {"request": request, "newsroom_name": NAME}
    context = Context({**page, **values})

    ours = macro("includes/_page_meta.html", "page_meta", request, NAME, **values)

    assert same_markup(ours.strip(), TEMPLATE_META.render(context).strip())


def test_an_address_with_markup_in_it_is_written_as_a_uri(rf, settings):
    settings.ALLOWED_HOSTS = ["news.example.com"]
    request = rf.get("/search/<x>/", headers={"host": "news.example.com"})

    html = macro("includes/_page_meta.html", "page_meta", request, NAME, title="x")

    assert 'href="http://news.example.com/search/%3Cx%3E/"' in html
    assert "<x>" not in html


@pytest.mark.django_db
def test_the_page_shows_its_own_address_and_title(client, settings):
    settings.NEWSROOM_NAME = "The Newsroom"

    page = client.get("/people/").content.decode()

    assert "<title>People · The Newsroom</title>" in page
    assert '<link rel="canonical" href="http://testserver/people/">' in page


def test_a_page_rendered_outside_a_request_still_has_its_title():
    html = macro("includes/_page_meta.html", "page_meta", None, NAME, title="Offline")

    assert f"<title>Offline · {NAME}</title>" in html
    assert '<link rel="canonical" href="">' in html


@pytest.mark.django_db
def test_the_not_found_page_has_its_title_and_address(client):
    page = client.get("/no-such-page/")

    assert page.status_code == 404
    assert "<title>Page not found · " in page.content.decode()
    assert 'href="http://testserver/no-such-page/"' in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/search/?q=runoff", "/no-such-page/"])
def test_pages_without_a_summary_share_the_sites_description(client, url):
    page = client.get(url).content.decode()

    assert '<meta property="og:description" content="">' not in page
    assert '<meta property="og:description" content="Politics news' in page
