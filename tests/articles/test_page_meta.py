"""A page's <title> and share tags are rendered in Python (`articles.page_meta`);
they must say exactly what the include they replaced said, escaped the same way."""

import pytest
from django.template import Context, Template, engines
from django.utils.safestring import mark_safe

from articles.page_meta import render_page_meta

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
    {"title": "Photo, no alt", "image": "/media/a b.jpg", "og_type": "profile"},
    {"title": mark_safe("<i>Safe</i>"), "description": "d" * 250},
]


@pytest.mark.parametrize("values", CASES)
@pytest.mark.parametrize("path", ["/", "/tags/georgia/", "/search/<x>/"])
def test_the_tags_read_as_the_include_did(rf, settings, values, path):
    settings.ALLOWED_HOSTS = ["news.example.com"]
    request = rf.get(path, headers={"host": "news.example.com"})
    context = Context({"request": request, "newsroom_name": NAME, **values})

    assert render_page_meta(request, NAME, **values) == TEMPLATE_META.render(context)


@pytest.mark.django_db
def test_the_page_shows_its_own_address_and_title(client, settings):
    settings.NEWSROOM_NAME = "The Newsroom"

    page = client.get("/people/").content.decode()

    assert "<title>People · The Newsroom</title>" in page
    assert '<link rel="canonical" href="http://testserver/people/">' in page


def test_a_page_rendered_outside_a_request_still_has_its_title():
    html = (
        engines["jinja2"]
        .from_string("{{ page_meta(title='Offline') }}")
        .render({"newsroom_name": NAME})
    )

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
