"""The Jinja2 environment of the reader pages (`templates/jinja2/`).

Reader pages are rendered by Jinja2, the admin, sitemaps and error pages by
Django's engine. Every value a page prints is escaped by Jinja2's own autoescaping
(MarkupSafe), which leaves Django's safe strings as they are. The markup of the
pages' parts lives in macros (`templates/jinja2/includes/_*.html`); the helpers
below only prepare values (addresses, dates, numbers, JSON), never markup.
"""

import json
from collections import ChainMap
from functools import lru_cache

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.template import defaultfilters
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from jinja2 import Environment, Undefined
from markupsafe import Markup

from articles.reader_dates import reader_datetime, reader_day
from articles.reader_dates import updated_visibly as _updated_visibly
from articles.teaser_fragments import cached_teasers
from core.renditions import detached_file, renditions_for

# Inside <script>, only these can end the block or start markup: escape them (as
# Django's `json_script` does).
SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


class _Globals(ChainMap):
    """A template's globals over the environment's, as Jinja2 chains them, read
    without an exception a name: Jinja2 copies them into every render's context
    (`dict(globals)`), and `ChainMap` looks each name up in the template's own
    (empty) map first by catching its `KeyError` (twenty a render)."""

    def __getitem__(self, key):
        for mapping in self.maps:
            if key in mapping:
                return mapping[key]
        raise KeyError(key)


class ReaderEnvironment(Environment):
    """Jinja2's environment, its templates' globals chained by `_Globals`."""

    def make_globals(self, d):
        return _Globals({} if d is None else d, self.globals)


def environment(**options) -> Environment:
    # A missing value prints nothing, with DEBUG on too (Django's backend would
    # print it as "{{ name }}" then): pages look the same in both.
    options["undefined"] = Undefined
    # As Django's engine: a template's last newline is printed.
    env = ReaderEnvironment(keep_trailing_newline=True, **options)
    env.globals.update(
        cached_teasers=cached_teasers,
        detached_file=detached_file,
        reader_datetime=moment_shown,
        reader_day=day_shown,
        renditions_for=renditions_for,
        rendition_url=rendition_url,
        shared_part=shared_part,
        static=static,
        url=url,
    )
    env.filters.update(
        # For days (a round's date). Django's engine turns a moment into local
        # time before this filter and Jinja2 would not: moments go through
        # `reader_datetime()` and `iso_time`, in the newsroom's time zone.
        date=defaultfilters.date,
        floatformat=defaultfilters.floatformat,
        intcomma=intcomma,
        iso_time=iso_time,
        pluralize=defaultfilters.pluralize,
        reader_date=reader_date,
        script_json=script_json,
        share=share,
        short_name=short_name,
        # Django's, not Jinja2's (which also folds whitespace): a page's
        # description reads as the Django templates wrote it.
        striptags=defaultfilters.striptags,
        truncatechars=defaultfilters.truncatechars,
        updated_visibly=updated_visibly,
        urlencode=defaultfilters.urlencode,
    )
    return env


def url(name, **kwargs) -> str:
    """`reverse()` with keyword arguments, in the current URLconf."""
    return reverse(name, kwargs=kwargs or None)


def script_json(data) -> Markup:
    """`data` as JSON that cannot break out of the <script> element it is
    printed in (a schema.org block)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return Markup(text.translate(SCRIPT_ESCAPES))


def rendition_url(image_file):
    """URL of the largest JPEG rendition (for og:image), or "" when there is none."""
    rendition = renditions_for(image_file)
    return rendition.fallback_url if rendition else ""


def moment_shown(moment):
    """(ISO 8601, "June 20, 2017, 10:15 p.m. EDT") of a moment, in the newsroom's
    time zone: `date:'c'` and `date:"N j, Y, P T"` (`articles.reader_dates`)."""
    return reader_datetime(moment)


def day_shown(moment):
    """(ISO 8601, "June 20, 2017") of a moment's day or of a date."""
    return reader_day(moment)


def iso_time(moment):
    """`date:'c'`: a moment in ISO 8601, in the newsroom's time zone."""
    return reader_datetime(moment)[0] if moment else ""


def reader_date(day):
    """`date:"N j, Y"`: "June 20, 2017"."""
    return reader_day(day)[1] if day else ""


def share(value):
    """A vote share as the results show it: `floatformat:1`, "48.2"."""
    return defaultfilters.floatformat(value, 1)


# Characters of a name a results chart's label has room for on a phone (its
# labels' column is 190 of the chart's 640 units, drawn at 22 px there).
CHART_NAME_ROOM = 15


def short_name(name, room=CHART_NAME_ROOM) -> str:
    """A name shortened to fit `room` characters, for a chart's label on a narrow
    screen: the given names as initials ("M. T. Greene"), then cut with an
    ellipsis. The page says the full name beside it."""
    name = str(name)
    if len(name) <= room:
        return name
    *given, last = name.split()
    shortened = " ".join([*(f"{word[0]}." for word in given), last])
    if len(shortened) <= room:
        return shortened
    return shortened[: room - 1].rstrip() + "…"


def updated_visibly(article):
    """Whether the story's page says "Updated" (`articles.reader_dates`): its
    headline, dek or text changed after it was published (`Article.revised_at`)."""
    return _updated_visibly(article.published_at, article.revised_at)


def shared_part(template_name, query=""):
    """A part every reader page shares (head links, site header, footer): it sees
    only `newsroom_name` and the search box's `query`. Rendered once per process
    and address scheme (URLconf, script prefix, language) and reused. A page with
    a search query (or DEBUG, so template edits show) renders them afresh."""
    if query or settings.DEBUG:
        return _render_part(template_name, settings.NEWSROOM_NAME, query)
    return _shared_part(
        template_name,
        settings.NEWSROOM_NAME,
        get_urlconf(),
        get_script_prefix(),
        get_language(),
    )


@lru_cache(maxsize=64)
def _shared_part(template_name, newsroom_name, urlconf, prefix, language):
    return _render_part(template_name, newsroom_name, "")


def _forget_shared_parts(**kwargs):
    # A changed setting (static files' address, templates) may change the parts.
    _shared_part.cache_clear()


setting_changed.connect(_forget_shared_parts)


def _render_part(template_name, newsroom_name, query):
    part = get_template(template_name, using="jinja2").render(
        {"newsroom_name": newsroom_name, "query": query}
    )
    return Markup(part.strip())
