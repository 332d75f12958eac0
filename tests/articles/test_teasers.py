"""Teasers (a story's row in a listing) are the `teaser` macro
(`templates/jinja2/includes/_teaser.html`); they say what the Django template they
replaced said, escaped by Jinja2's autoescaping."""

from datetime import UTC, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.template import Context, Template, engines
from django.utils.safestring import mark_safe
from PIL import Image

from articles.models import Article
from articles.reader_dates import reader_datetime
from tests.factories import ArticleFactory, BylineFactory, MentionFactory
from tests.reference_templates import REFERENCE, macro, same_markup

pytestmark = pytest.mark.django_db
HOUR = timedelta(hours=1)

# The include every listing used before, kept here as the reference.
TEMPLATE_TEASER = REFERENCE.from_string(
    """{% load newsroom %}<article class="teaser{% if article.lead_image %} has-thumb{% endif %}">
  {% if article.lead_image %}<a class="thumb" href="{{ article.get_absolute_url }}" tabindex="-1" aria-hidden="true">{% picture article.lead_image article.lead_image_alt sizes="(min-width: 40rem) 12rem, 30vw" %}</a>{% endif %}
  <div class="teaser-text">
    <h3><a href="{{ article.get_absolute_url }}">{{ article.headline }}</a></h3>
    {% if snippet %}<p class="dek snippet">{{ snippet }}</p>{% elif article.dek %}<p class="dek">{{ article.dek }}</p>{% endif %}
    <p class="meta">
      <a href="{{ article.section.get_absolute_url }}">{{ article.section.name }}</a> ·
      <time datetime="{{ article.published_at|date:'c' }}">{{ article.published_at|date:"N j, Y, P T" }}</time>{% if article.credits %} · By {% for credit in article.credits %}{{ credit.name }}{% if not forloop.last %}, {% endif %}{% endfor %}{% endif %}
    </p>
    {% if roles %}<p class="roles">{{ roles_label|default:"Role" }}: {% for role in roles %}{{ role|lower }}{% if not forloop.last %}, {% endif %}{% endfor %}</p>{% endif %}
  </div>
</article>"""  # noqa: E501
)


def listed(story):
    return Article.objects.for_listing().get(pk=story.pk)


def template_teaser(article, **context):
    return TEMPLATE_TEASER.render(Context({"article": article, **context}))


def render_teaser(article, **kwargs):
    return macro("includes/_teaser.html", "teaser", article, **kwargs)


def test_a_plain_teaser_is_what_the_template_made():
    story = listed(ArticleFactory(headline="Ossoff, Handel meet", dek="Runoff."))

    assert same_markup(render_teaser(story), template_teaser(story))


def test_a_teaser_escapes_what_editors_typed_as_the_template_did():
    story = ArticleFactory(
        headline='<script>alert("x")</script> & "quotes"',
        dek="<img src=x onerror=alert(1)> 'dek'",
        section__name="<b>Politics</b> & Co",
    )
    BylineFactory(article=story, person__name="O'Brien <i>Jr</i>")
    story = listed(story)

    html = render_teaser(story)

    assert same_markup(html, template_teaser(story))
    assert "<script>" not in html and "<img src=x" not in html and "<b>" not in html


def test_a_teaser_without_a_dek_or_bylines_leaves_them_out():
    story = listed(ArticleFactory(dek=""))

    html = render_teaser(story)

    assert same_markup(html, template_teaser(story))
    assert 'class="dek"' not in html and " · By " not in html


def test_bylines_read_in_order_separated_by_commas():
    story = ArticleFactory()
    BylineFactory(article=story, person__name="Second Writer", position=2)
    BylineFactory(article=story, person__name="First Writer", position=1)
    story = listed(story)

    html = render_teaser(story)

    assert same_markup(html, template_teaser(story))
    assert "By First Writer, Second Writer" in html


def test_a_search_snippet_replaces_the_dek_and_keeps_its_highlighting():
    story = listed(ArticleFactory(dek="Standfirst."))
    snippet = mark_safe("the <mark>runoff</mark> &amp; more")

    html = render_teaser(story, snippet=snippet)

    assert same_markup(html, template_teaser(story, snippet=snippet))
    assert "<mark>runoff</mark>" in html and "Standfirst." not in html


def test_a_plain_text_snippet_is_escaped():
    story = listed(ArticleFactory())

    html = render_teaser(story, snippet="<script>x</script>")

    assert same_markup(html, template_teaser(story, snippet="<script>x</script>"))
    assert "<script>" not in html


def test_on_a_persons_page_a_teaser_names_their_roles():
    quoted = MentionFactory(role="quoted")
    MentionFactory(article=quoted.article, person=quoted.person, role="endorser")
    story = listed(quoted.article)
    roles = [m.get_role_display() for m in quoted.person.mentions.order_by("role")]

    html = render_teaser(story, roles=roles, roles_label="Role in this story")

    assert same_markup(
        html, template_teaser(story, roles=roles, roles_label="Role in this story")
    )
    assert "Role in this story: endorser, quoted" in html


def test_a_teaser_with_a_lead_image_shows_its_thumbnail():
    cache.clear()
    story = ArticleFactory(lead_image_alt='Handel "victorious"')
    buffer = BytesIO()
    Image.new("RGB", (800, 450), (200, 30, 30)).save(buffer, "JPEG")
    story.lead_image.save("lead.jpg", ContentFile(buffer.getvalue()), save=True)
    story = listed(story)

    html = render_teaser(story)

    assert same_markup(html, template_teaser(story))
    assert 'class="teaser has-thumb"' in html and "<picture>" in html


@pytest.mark.parametrize("zone", ["America/New_York", "America/Los_Angeles", "UTC"])
def test_dates_read_as_the_date_filters_wrote_them(settings, zone):
    """Every hour and odd minute over a year, midnight, noon and both DST changes.

    One deliberate difference: in the hour that repeats when clocks go back, the
    filter leaves the zone blank ("1:09 a.m. "); a teaser says which one it was."""
    settings.TIME_ZONE = zone
    filters = Template("{{ moment|date:'c' }}|{{ moment|date:'N j, Y, P T' }}")
    moment = datetime(2017, 1, 1, tzinfo=UTC)
    while moment.year == 2017:
        moment += timedelta(minutes=67)
        for exact in (moment, moment.replace(minute=0), moment.replace(second=7)):
            expected = filters.render(Context({"moment": exact}))
            if expected.endswith(" "):  # the repeated hour
                expected += exact.astimezone(ZoneInfo(zone)).tzname()
            assert "|".join(reader_datetime(exact)) == expected, exact


@pytest.mark.parametrize(
    "name, kwargs",
    [("articles:front", {}), ("articles:person-feed", {"slug": "jon-ossoff"})],
)
def test_url_gives_what_the_url_tag_gives(name, kwargs):
    from django.urls import reverse

    rendered = jinja2(
        "{{ url(name, slug=slug) }}" if kwargs else "{{ url(name) }}",
        name=name,
        **kwargs,
    )

    assert rendered == reverse(name, kwargs=kwargs)


def test_a_pages_teasers_follow_its_time_zone():
    from django.utils import timezone

    moment = datetime(2017, 6, 21, 2, 15, tzinfo=UTC)
    story = listed(ArticleFactory(published_at=moment))

    with timezone.override(ZoneInfo("America/Los_Angeles")):
        html = render_teaser(story)
        expected = template_teaser(story)

    assert same_markup(html, expected)
    assert "June 20, 2017, 7:15 p.m. PDT" in html


def test_the_teasers_of_a_site_under_a_prefix_link_under_it(client, get_under_prefix):
    from django.utils import timezone

    story = ArticleFactory(slug="runoff-night", published_at=timezone.now() - HOUR)
    ArticleFactory()  # the lead story: the one above is a teaser
    client.get("/")  # teasers rendered for the site at the root first

    page = get_under_prefix("/").content.decode()

    assert f'<h3><a href="/news{story.get_absolute_url()}">' in page
    assert f'href="/news{story.section.get_absolute_url()}"' in page


def teasers(stories, snippets=False, label=""):
    return macro(
        "includes/_teaser.html",
        "teasers",
        stories,
        snippets=snippets,
        roles_label=label,
    )


def jinja2(source, **context):
    return engines["jinja2"].from_string(source).render(context)


def test_a_list_of_teasers_is_each_storys_teaser_in_order():
    stories = [listed(ArticleFactory(headline=f"Story {n}")) for n in range(3)]

    html = teasers(stories)

    assert same_markup(html, "\n".join(template_teaser(story) for story in stories))


def test_a_list_of_no_stories_is_empty():
    assert teasers([]) == ""


def test_a_list_of_search_results_shows_their_snippets():
    story = listed(ArticleFactory(dek="Not shown."))
    story.search_snippet = mark_safe("the <mark>runoff</mark>")

    html = teasers([story], snippets=True)

    assert same_markup(html, template_teaser(story, snippet=story.search_snippet))


def test_a_list_on_a_persons_page_names_their_roles():
    story = listed(ArticleFactory())
    story.roles_of_person = ["Candidate", "Quoted"]

    html = teasers([story], label="Role in this story")

    assert same_markup(
        html,
        template_teaser(
            story, roles=story.roles_of_person, roles_label="Role in this story"
        ),
    )
    assert '<p class="roles">Role in this story: candidate, quoted</p>' in html
