"""Reader pages are rendered by Jinja2 (`newsroom/jinja2.py`): its own autoescaping
(MarkupSafe), Django's safe strings printed as they are, nothing for a missing
value."""

import pytest
from django.template import TemplateDoesNotExist, engines
from django.utils.safestring import mark_safe
from jinja2 import DebugUndefined

from newsroom.jinja2 import environment
from tests.factories import ArticleFactory, CandidacyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def jinja2(source, **context):
    return engines["jinja2"].from_string(source).render(context)


def test_values_are_escaped_by_markupsafe():
    html = jinja2("{{ text }}", text="""O'Rourke & "Beto" <b>""")

    assert html == "O&#39;Rourke &amp; &#34;Beto&#34; &lt;b&gt;"


def test_a_lazy_translated_string_is_escaped_too():
    from django.utils.functional import lazy

    lazy_text = lazy(lambda: "<b>Tom & Jerry</b>", str)()

    assert jinja2("{{ text }}", text=lazy_text) == "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;"


def test_djangos_safe_strings_are_printed_as_they_are():
    assert jinja2("{{ html }}", html=mark_safe("<em>won</em>")) == "<em>won</em>"


def test_a_missing_value_prints_nothing_even_where_debug_would_show_it():
    # Django's Jinja2 backend asks for DebugUndefined when DEBUG is on.
    env = environment(undefined=DebugUndefined)

    assert env.from_string("[{{ missing }}]").render() == "[]"


def test_a_headline_with_quotes_is_escaped_in_the_story_page(client):
    story = ArticleFactory(headline="""Handel's "last stand" <in> Cobb & Fulton""")

    html = client.get(story.get_absolute_url()).content.decode()

    assert (
        "<h1>Handel&#39;s &#34;last stand&#34; &lt;in&gt; Cobb &amp; Fulton</h1>"
        in html
    )


def test_the_story_page_is_a_jinja2_template(client):
    story = ArticleFactory()

    response = client.get(story.get_absolute_url())

    page = response.templates[0]
    assert page.template.name == "articles/article_detail.html"
    assert page.backend is engines["jinja2"]


def test_reader_pages_render_with_debug_on(client, settings):
    """`make run` serves with DEBUG on: templates reload, shared parts are
    rendered afresh on every page."""
    settings.DEBUG = True
    story = ArticleFactory(headline="Ossoff concedes")
    person = PersonFactory(name="Jon Ossoff")

    for url in ["/", story.get_absolute_url(), person.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert "{{" not in html and "{%" not in html
        assert '<header class="site-header">' in html


def test_reader_pages_look_for_their_templates_in_jinja2_alone(client, monkeypatch):
    """Django's engine, asked first, raised a `TemplateDoesNotExist` twice a page
    view (its cached loader remembers a miss by raising it again)."""
    story = ArticleFactory()
    story.tags.add("Runoff")
    candidacy = CandidacyFactory()
    raised = []
    original_init = TemplateDoesNotExist.__init__

    def noted(self, *args, **kwargs):
        raised.append(args[0] if args else None)
        original_init(self, *args, **kwargs)

    monkeypatch.setattr(TemplateDoesNotExist, "__init__", noted)
    urls = [
        "/", story.get_absolute_url(), story.section.get_absolute_url(),
        "/tags/runoff/", "/search/?q=story", "/people/",
        candidacy.person.get_absolute_url(), "/races/",
        candidacy.election.race.get_absolute_url(),
    ]  # fmt: skip

    for url in urls:
        assert client.get(url).status_code == 200, url

    assert raised == []


def test_a_templates_own_globals_come_before_the_environments():
    env = environment()
    env.globals["newsroom_name"] = "The Desk"

    own = env.from_string("{{ newsroom_name }}", globals={"newsroom_name": "Own"})
    shared = env.from_string("[{{ newsroom_name }}][{{ nowhere }}]")

    assert own.render() == "Own"
    assert shared.render() == "[The Desk][]"
