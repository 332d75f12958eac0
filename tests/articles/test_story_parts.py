"""A story page's lists (tags, people, related stories) are macros
(`templates/jinja2/includes/_story_parts.html`); they say what the Django template
loops they replaced said, escaped by Jinja2's autoescaping."""

from datetime import UTC, datetime
from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.template import Context, Template
from PIL import Image

from articles.models import Article, TagLink
from articles.views import people_with_roles
from tests.factories import ArticleFactory, MentionFactory, PersonFactory
from tests.reference_templates import REFERENCE, macro, same_markup

pytestmark = pytest.mark.django_db


def published_story(slug):
    """The story at `slug` as its page loads it."""
    return Article.objects.published().for_detail().get(slug=slug)


# The loops the story page's template had, kept here as the reference.
TEMPLATE_TAGS = Template(
    "{% for tag in tags %}"
    '<a href="{{ tag.get_absolute_url }}">{{ tag.name }}</a>'
    "{% if not forloop.last %}, {% endif %}{% endfor %}"
)
TEMPLATE_PEOPLE = REFERENCE.from_string(
    "{% load newsroom %}{% for person, roles in people %}<li>"
    "{% if person.photo %}"
    '{% picture person.photo person.name sizes="3rem" css_class="avatar" %}'
    "{% endif %}"
    '<a href="{{ person.get_absolute_url }}">{{ person.name }}</a> '
    '<span class="role">'
    "{% for m in roles %}{{ m.get_role_display }}"
    "{% if not forloop.last %}, {% endif %}{% endfor %}</span></li>"
    "{% if not forloop.last %}\n{% endif %}{% endfor %}"
)
TEMPLATE_RELATED = Template(
    "{% for story in related %}"
    '<li><a href="{{ story.get_absolute_url }}">{{ story.headline }}</a> '
    '<span class="quiet"><time datetime="{{ story.published_at|date:\'c\' }}">'
    '{{ story.published_at|date:"N j, Y" }}</time></span></li>{% endfor %}'
)
HOSTILE = 'Tom & "Jerry" <b>'


def render_tag_links(tags):
    return macro("includes/_story_parts.html", "tag_links", tags)


def render_people_items(people):
    return macro("includes/_story_parts.html", "people_items", people)


def render_related_items(stories):
    return macro("includes/_story_parts.html", "related_items", stories)


def test_tags_are_what_the_template_made():
    tags = [TagLink(1, HOSTILE, "tom-jerry"), TagLink(2, "Georgia", "georgia")]

    html = render_tag_links(tags)

    assert same_markup(html, TEMPLATE_TAGS.render(Context({"tags": tags})))
    assert '<a href="/tags/georgia/">Georgia</a>' in html
    assert "<b>" not in html


def test_people_are_what_the_template_made():
    story = ArticleFactory()
    MentionFactory(article=story, person__name=HOSTILE, role="quoted")
    mention = MentionFactory(article=story, person__name="Karen Handel", role="donor")
    MentionFactory(article=story, person=mention.person, role="candidate")
    people = people_with_roles(published_story(story.slug))

    html = render_people_items(people)

    assert same_markup(html, TEMPLATE_PEOPLE.render(Context({"people": people})))
    assert '<span class="role">Candidate, Donor</span>' in html
    assert "<b>" not in html


def test_a_persons_photo_is_shown_as_the_template_showed_it():
    cache.clear()
    person = PersonFactory(name="Karen Handel")
    buffer = BytesIO()
    Image.new("RGB", (400, 400), (200, 30, 30)).save(buffer, "JPEG")
    person.photo.save("handel.jpg", ContentFile(buffer.getvalue()), save=True)
    story = MentionFactory(person=person).article
    people = people_with_roles(published_story(story.slug))

    html = render_people_items(people)

    assert same_markup(html, TEMPLATE_PEOPLE.render(Context({"people": people})))
    assert 'class="avatar"' in html


def test_related_stories_are_what_the_template_made():
    related = [
        ArticleFactory(
            headline=HOSTILE, published_at=datetime(2017, 6, 21, 2, 30, tzinfo=UTC)
        ),
        ArticleFactory(headline="Ossoff concedes"),
    ]

    html = render_related_items(related)

    assert same_markup(html, TEMPLATE_RELATED.render(Context({"related": related})))
    # 10:30 p.m. on June 20 in New York, the newsroom's time zone
    assert '<time datetime="2017-06-20T22:30:00-04:00">June 20, 2017</time>' in html
    assert "<b>" not in html


def test_empty_lists_are_empty():
    assert render_tag_links([]) == ""
    assert render_people_items([]) == ""
    assert render_related_items([]) == ""
