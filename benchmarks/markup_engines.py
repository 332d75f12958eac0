"""Jinja2 macros or Django templates for the reader pages' markup, measured in
process on the same objects.

    env -u DATABASE_URL DJANGO_SETTINGS_MODULE=tests.settings \
        .venv/bin/python -m benchmarks.markup_engines [rounds]

Builds twenty published stories (section, two bylines, two tags, three people in
two roles each) in a throwaway SQLite database, loads each as the story page does
(`published_story()`), then renders, `rounds` times each way (default 1,000):

- the teaser list of the twenty (`includes/_teaser.html`'s `teasers`), against the
  same markup as a Django template with an `{% include %}` a row (the way the
  pages were written before they were Jinja2);
- a story page's parts: its tags, people and related stories
  (`includes/_story_parts.html`), against the same loops in a Django template;
- the pages' `teasers()` itself, which draws plain teasers from Django's cache
  (`articles.teaser_fragments`): on hits, twenty keys hashed and one
  `get_many` (locmem here; Redis adds a round trip).

Stories have no pictures (the `<picture>` markup comes from the same renditions
either way). Prints the median of three runs, in microseconds a render.
"""

import statistics
import sys
import time

import django


def _setup():
    django.setup()
    from django.test.utils import setup_databases, setup_test_environment

    setup_test_environment()
    setup_databases(verbosity=0, interactive=False)


DJANGO_TEASER = """<article class="teaser">
  <div class="teaser-text">
    <h3><a href="{{ article.get_absolute_url }}">{{ article.headline }}</a></h3>
    {% if snippet %}<p class="dek snippet">{{ snippet }}</p>{% elif article.dek %}<p class="dek">{{ article.dek }}</p>{% endif %}
    <p class="meta">
      <a href="{{ article.section.get_absolute_url }}">{{ article.section.name }}</a> ·
      <time datetime="{{ article.published_at|date:'c' }}">{{ article.published_at|date:"N j, Y, P T" }}</time>{% if article.credits %} · By {% for credit in article.credits %}{{ credit.name }}{% if not forloop.last %}, {% endif %}{% endfor %}{% endif %}
    </p>
  </div>
</article>"""  # noqa: E501
DJANGO_TEASERS = (
    "{% for article in stories %}{% include 'teaser.html' %}"
    "{% if not forloop.last %}\n{% endif %}{% endfor %}"
)
DJANGO_PARTS = (
    "{% for tag in tags %}"
    '<a href="{{ tag.get_absolute_url }}">{{ tag.name }}</a>'
    "{% if not forloop.last %}, {% endif %}{% endfor %}"
    "{% for person, roles in people %}<li>"
    '<a href="{{ person.get_absolute_url }}">{{ person.name }}</a> '
    '<span class="role">'
    "{% for m in roles %}{{ m.get_role_display }}"
    "{% if not forloop.last %}, {% endif %}{% endfor %}</span></li>"
    "{% if not forloop.last %}\n{% endif %}{% endfor %}"
    "{% for story in related %}"
    '<li><a href="{{ story.get_absolute_url }}">{{ story.headline }}</a> '
    '<span class="quiet"><time datetime="{{ story.published_at|date:\'c\' }}">'
    '{{ story.published_at|date:"N j, Y" }}</time></span></li>{% endfor %}'
)
JINJA_PARTS = (
    '{% from "includes/_story_parts.html" import tag_links, people_items,'
    " related_items %}{{ tag_links(tags) }}{{ people_items(people) }}"
    "{{ related_items(related) }}"
)


def _stories():
    from articles.story_page import published_story
    from tests.factories import (
        ArticleFactory,
        BylineFactory,
        MentionFactory,
        PersonFactory,
    )

    people = PersonFactory.create_batch(3)
    slugs = []
    for _ in range(20):
        story = ArticleFactory()
        BylineFactory(article=story, position=1)
        BylineFactory(article=story, position=2)
        story.tags.add("Georgia", "Runoff")
        for person in people:
            MentionFactory(article=story, person=person, role="quoted")
            MentionFactory(article=story, person=person, role="candidate")
        slugs.append(story.slug)
    return [published_story(slug) for slug in slugs]


def _timed(render, rounds) -> float:
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(rounds):
            render()
        runs.append((time.perf_counter() - start) / rounds * 1e6)
    return statistics.median(runs)


def main(rounds: int) -> None:
    _setup()
    from django.template import Context, Engine, engines

    from articles.views import people_with_roles

    stories = _stories()
    story = stories[0]
    people = people_with_roles(story)
    related = stories[1:6]

    django_engine = Engine(
        # Cached, as Django's engine is outside DEBUG: an include is parsed once.
        loaders=[
            (
                "django.template.loaders.cached.Loader",
                [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"teaser.html": DJANGO_TEASER, "teasers.html": DJANGO_TEASERS},
                    )
                ],
            )
        ],
        libraries={},
    )
    django_teasers = django_engine.get_template("teasers.html")
    django_parts = django_engine.from_string(DJANGO_PARTS)
    jinja = engines["jinja2"].env
    jinja_teasers = jinja.from_string(
        '{% from "includes/_teaser.html" import teaser %}'
        "{% for s in stories %}{{ teaser(s) }}{% if not loop.last %}\n"
        "{% endif %}{% endfor %}"
    )
    page_teasers = jinja.from_string(
        '{% from "includes/_teaser.html" import teasers %}{{ teasers(stories) }}'
    )
    jinja_parts = jinja.from_string(JINJA_PARTS)
    parts = {"tags": story.tag_links, "people": people, "related": related}

    page_teasers.render(stories=stories)  # the fragments kept

    results = {
        "teasers (20), Jinja2 macros": _timed(
            lambda: jinja_teasers.render(stories=stories), rounds
        ),
        "teasers (20), Django templates": _timed(
            lambda: django_teasers.render(Context({"stories": stories})), rounds
        ),
        "teasers (20), teasers() on cache hits": _timed(
            lambda: page_teasers.render(stories=stories), rounds
        ),
        "story parts, Jinja2 macros": _timed(
            lambda: jinja_parts.render(**parts), rounds
        ),
        "story parts, Django templates": _timed(
            lambda: django_parts.render(Context(parts)), rounds
        ),
    }
    width = max(len(name) for name in results)
    for name, micros in results.items():
        sys.stdout.write(f"{name:<{width}}  {micros:8.1f} µs\n")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
