"""The Jinja2 environment of the reader pages (`templates/jinja2/`).

Reader pages are rendered by Jinja2, the admin, sitemaps and error pages by
Django's engine. Jinja2 compiles a template to Python once; Django's engine walks
its nodes on every render. Counted with callgrind at 100,000 stories, the same
pages with the same rows ran 4-15% fewer instructions a request (the front page
15%, the story page 5%); timed in-process with the engine toggled, the story page
took 3.26 against 2.78 ms of CPU (medians of eight rounds).

The pages print exactly what the Django templates they replaced printed: every
value goes through Django's `conditional_escape` (`newsroom.escaping`'s copy
without its lazy-string wrapper: so `'` is `&#x27;` as before, and Django's safe
strings stay unescaped), and the helpers below are what that
engine's `newsroom` tag library was (held to the templates they replaced by
`tests/articles/test_teasers.py`, `test_story_parts.py`, `test_reader_dates.py`).
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
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from jinja2 import Environment, Undefined, pass_context

from articles.page_meta import render_page_meta
from articles.reader_dates import reader_datetime, reader_day, time_element
from articles.reader_dates import updated_visibly as _updated_visibly
from articles.story_parts import (
    render_people_items,
    render_related_items,
    render_tag_links,
)
from articles.teasers import ListingContext, render_teasers
from core.renditions import detached_file, picture, renditions_for
from newsroom.escaping import conditional_escape_safe
from newsroom.reversing import cached_reverse
from people.results_html import filtered, render_round_results
from people.results_html import share as vote_share_text

# Inside <script>, only these can end the block or start markup: escape them.
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
    env = ReaderEnvironment(
        # As Django's engine: a template's last newline is printed, and every
        # value is escaped by Django's rules.
        keep_trailing_newline=True,
        finalize=conditional_escape_safe,
        **options,
    )
    env.globals.update(
        cached_url=cached_url,
        jsonld_script=jsonld_script,
        page_meta=page_meta,
        people_items=people_items,
        detached_file=detached_file,
        picture=picture,
        related_items=related_items,
        rendition_url=rendition_url,
        round_results=round_results,
        shared_part=shared_part,
        static=static,
        tag_links=tag_links,
        teasers=teasers,
        time=time,
    )
    env.filters.update(
        # For days (a round's date). Django's engine turns a moment into local
        # time before this filter and Jinja2 would not: moments go through
        # `time()` and `iso_time`, in the newsroom's time zone.
        date=defaultfilters.date,
        floatformat=defaultfilters.floatformat,
        intcomma=remembered_intcomma,
        iso_time=iso_time,
        pluralize=defaultfilters.pluralize,
        reader_date=reader_date,
        share=vote_share_text,
        updated_visibly=updated_visibly,
        urlencode=defaultfilters.urlencode,
    )
    return env


def jsonld_script(data):
    """A schema.org block whose strings cannot break out of the script element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        SCRIPT_ESCAPES
    )
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text)
    )


def rendition_url(image_file):
    """URL of the largest JPEG rendition (for og:image), or "" when there is none."""
    rendition = renditions_for(image_file)
    return rendition.fallback_url if rendition else ""


@pass_context
def time(context, moment, *, day_only=False):
    """`<time>` for a moment (`articles.reader_dates.time_element`), in the
    page's time zone and language, read once for the page (`listing`)."""
    return time_element(moment, day_only=day_only, locale=_listing(context).locale)


@pass_context
def iso_time(context, moment):
    """`date:'c'`, remembered: a moment in ISO 8601, in the newsroom's time zone."""
    return reader_datetime(moment, _listing(context).locale)[0] if moment else ""


@pass_context
def reader_date(context, day):
    """`date:"N j, Y"`, remembered: "June 20, 2017"."""
    return reader_day(day, _listing(context).locale)[1] if day else ""


def updated_visibly(article):
    """Whether the story's page says "Updated" (`articles.reader_dates`): its
    headline, dek or text changed after it was published (`Article.revised_at`)."""
    return _updated_visibly(article.published_at, article.revised_at)


@pass_context
def round_results(context, election):
    """A round's chart and results table (see `people.results_html`)."""
    listing = _listing(context)
    return render_round_results(
        election,
        reader_day(election.date, listing.locale)[1],
        language=listing.locale.language,
        reverse=listing.reverse,
    )


def listing(request) -> dict:
    """Context processor: the page's `ListingContext`, read once for all its
    lists (teasers, tags, people, related stories)."""
    return {"listing": ListingContext.current()}


def _listing(context) -> ListingContext:
    return context.get("listing") or ListingContext.current()


@pass_context
def remembered_intcomma(context, value):
    """`intcomma`, remembered per value and language (`people.results_html`): it
    looks up the language's number format on every call."""
    return filtered(intcomma, value, (), _listing(context).locale.language)


@pass_context
def cached_url(context, name, **kwargs):
    """`reverse()`, remembered (`newsroom.reversing`), in the page's URLconf as
    its `listing` read it once (a part rendered without a page: the current)."""
    listing = context.get("listing")
    if listing is None:
        return cached_reverse(name, **kwargs)
    return listing.reverse(name, **kwargs)


@pass_context
def teasers(context, stories, snippets=False, roles_label=""):
    return render_teasers(
        stories, _listing(context), snippets=snippets, roles_label=roles_label
    )


@pass_context
def tag_links(context, tags):
    return render_tag_links(tags, _listing(context))


@pass_context
def people_items(context, people):
    return render_people_items(people, _listing(context))


@pass_context
def related_items(context, stories):
    return render_related_items(stories, _listing(context))


@pass_context
def page_meta(context, **meta):
    """The page's <title>, description, canonical address and social tags."""
    return render_page_meta(
        context.get("request"),
        context.get("newsroom_name") or settings.NEWSROOM_NAME,
        **meta,
    )


@pass_context
def shared_part(context, template_name):
    """A part every reader page shares (head links, site header, footer): it sees
    only `newsroom_name` and the search box's `query`. Rendered once per process
    and address scheme (URLconf, script prefix, language) and reused. A page with
    a search query (or DEBUG, so template edits show) renders them afresh."""
    query = context.get("query") or ""
    if query or settings.DEBUG:
        return _render_part(template_name, settings.NEWSROOM_NAME, query)
    listing = _listing(context)  # the page's addresses and language, read once
    return _shared_part(
        template_name,
        settings.NEWSROOM_NAME,
        *listing.addresses,
        listing.locale.language,
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
    return mark_safe(part.strip())
