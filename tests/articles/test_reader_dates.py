"""Dates on reader pages come from `articles.reader_dates` (remembered, without
the `date` filter's set-up cost): they must read as the filters wrote them."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.template import Context, Template, engines
from django.utils import timezone

from articles.models import Article
from articles.reader_dates import updated_visibly
from tests.factories import ArticleFactory

MOMENTS = [
    datetime(2017, 6, 21, 2, 15, 9, tzinfo=UTC),  # the night before, in Atlanta
    datetime(2017, 6, 20, 4, 0, tzinfo=UTC),  # midnight in Atlanta
    datetime(2017, 11, 5, 5, 30, tzinfo=UTC),  # the hour that repeats
    datetime(2017, 12, 31, 17, 0, tzinfo=UTC),  # noon
]


def render(source, **context):
    """A reader page's helpers (Jinja2), with the `time` macro."""
    source = '{% from "includes/_time.html" import time %}' + source
    return engines["jinja2"].from_string(source).render(context)


def filters(source, **context):
    """Django's own filters."""
    return Template(source).render(Context(context))


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_time_tag_reads_as_the_date_filters(moment):
    expected = filters(
        "<time datetime=\"{{ m|date:'c' }}\">{{ m|date:'N j, Y, P T' }}</time>",
        m=moment,
    )
    if expected.endswith(" </time>"):
        # In the hour that repeats, the filter leaves the zone out; the tag says
        # which of the two it was (see test_teasers).
        zone = moment.astimezone(timezone.get_current_timezone()).tzname()
        expected = expected.replace(" </time>", f" {zone}</time>")

    assert render("{{ time(m) }}", m=moment) == expected


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_day_only_time_tag_reads_as_the_date_filters(moment):
    expected = filters(
        "<time datetime=\"{{ m|date:'c' }}\">{{ m|date:'N j, Y' }}</time>", m=moment
    )

    assert render("{{ time(m, day_only=True) }}", m=moment) == expected


@pytest.mark.parametrize("moment", MOMENTS)
def test_iso_time_is_the_c_format(moment):
    assert render("{{ m|iso_time }}", m=moment) == filters("{{ m|date:'c' }}", m=moment)


def test_reader_date_of_a_day_is_the_filters():
    day = date(2017, 9, 5)

    assert render("{{ d|reader_date }}", d=day) == filters(
        "{{ d|date:'N j, Y' }}", d=day
    )
    assert render("{{ d|reader_date }}", d=day) == "Sept. 5, 2017"


def test_no_moment_shows_nothing():
    assert render("[{{ time(m) }}|{{ m|iso_time }}|{{ m|reader_date }}]", m=None) == (
        "[||]"
    )


def test_the_dates_follow_the_newsroom_time_zone(settings):
    moment = datetime(2017, 6, 21, 2, 15, tzinfo=UTC)
    settings.TIME_ZONE = "America/New_York"
    eastern = render("{{ time(m) }}", m=moment)
    settings.TIME_ZONE = "UTC"

    assert "June 20, 2017, 10:15 p.m. EDT" in eastern
    assert "June 21, 2017, 2:15 a.m. UTC" in render("{{ time(m) }}", m=moment)


PUBLISHED = datetime(2017, 6, 20, 22, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "updated, shown",
    [
        (PUBLISHED, False),
        (PUBLISHED + timedelta(seconds=20), False),  # the same minute
        (PUBLISHED + timedelta(seconds=40), True),  # 10:16
        (PUBLISHED + timedelta(days=1), True),
        (PUBLISHED - timedelta(hours=1), False),  # edited before it went out
        (None, False),
    ],
)
def test_a_story_says_updated_only_for_a_later_minute(updated, shown):
    assert updated_visibly(PUBLISHED, updated) is shown


def test_a_draft_never_says_updated():
    assert updated_visibly(None, PUBLISHED) is False


@pytest.mark.django_db
def test_the_story_page_says_when_a_story_was_updated(client):
    published = timezone.now() - timedelta(hours=3)
    story = ArticleFactory(published_at=published)
    stories = Article.objects.filter(pk=story.pk)
    stories.update(revised_at=published.replace(second=0, microsecond=0))
    page = client.get(story.get_absolute_url()).content.decode()
    stories.update(revised_at=timezone.now())
    later = client.get(story.get_absolute_url()).content.decode()

    assert "Updated" not in page
    assert "Published <time datetime=" in page
    assert " · Updated <time datetime=" in later
