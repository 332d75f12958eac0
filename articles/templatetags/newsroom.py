"""Template helpers for reader pages: responsive pictures, teasers, dates and
JSON-LD, as Django template tags and filters. The reader pages themselves are
Jinja2 templates; `newsroom/jinja2.py` gives them these same helpers."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.page_meta import render_page_meta
from articles.reader_dates import reader_datetime, reader_day, time_element
from articles.reader_dates import updated_visibly as _updated_visibly
from articles.renditions import picture, renditions_for
from articles.story_parts import (
    render_people_items,
    render_related_items,
    render_tag_links,
)
from articles.teasers import ListingContext, render_teasers
from newsroom.reversing import cached_reverse
from people.results_html import render_round_results
from people.results_html import share as vote_share_text

register = template.Library()

# Inside <script>, only these can end the block or start markup: escape them.
SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.simple_tag
def jsonld(data):
    """A schema.org block whose strings cannot break out of the script element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        SCRIPT_ESCAPES
    )
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text)
    )


@register.simple_tag
def rendition_url(image_file):
    """URL of the largest JPEG rendition (for og:image), or "" when there is none."""
    rendition = renditions_for(image_file)
    return rendition.fallback_url if rendition else ""


register.simple_tag(picture)


@register.simple_tag
def cached_url(name, **kwargs):
    """`{% url %}` with keyword arguments, remembered (`newsroom.reversing`): the
    header, footer and feed links of every reader page, without a reverse() each."""
    return cached_reverse(name, **kwargs)


def _listing(context) -> ListingContext:
    """The page's `ListingContext`, read once and kept for the length of its
    render: every list of a page shares it."""
    listing = context.render_context.get(ListingContext)
    if listing is None:
        listing = context.render_context[ListingContext] = ListingContext.current()
    return listing


@register.simple_tag(takes_context=True)
def teasers(context, stories, snippets=False, roles_label=""):
    """A teaser of each story (`articles.teasers.render_teasers`)."""
    return render_teasers(
        stories, _listing(context), snippets=snippets, roles_label=roles_label
    )


@register.simple_tag(takes_context=True)
def tag_links(context, tags):
    """A story's tags, linked (`articles.story_parts`)."""
    return render_tag_links(tags, _listing(context))


@register.simple_tag(takes_context=True)
def people_items(context, people):
    """The `<li>` of each of a story's people (`articles.story_parts`)."""
    return render_people_items(people, _listing(context))


@register.simple_tag(takes_context=True)
def related_items(context, stories):
    """The `<li>` of each related story (`articles.story_parts`)."""
    return render_related_items(stories, _listing(context))


@register.simple_tag(name="time")
def time_tag(moment, day_only=False):
    """`<time datetime="…">June 20, 2017, 10:15 p.m. EDT</time>` (or "June 20, 2017"
    with `day_only=True`): the `date` filter's text, remembered
    (`articles.reader_dates`)."""
    return time_element(moment, day_only=day_only)


@register.filter
def iso_time(moment):
    """`date:'c'`, remembered: a moment in ISO 8601, in the newsroom's time zone."""
    return reader_datetime(moment)[0] if moment else ""


@register.filter
def reader_date(day):
    """`date:"N j, Y"`, remembered: "June 20, 2017"."""
    return reader_day(day)[1] if day else ""


@register.filter
def updated_visibly(article):
    """Whether the story's page says "Updated" (`articles.reader_dates`)."""
    return _updated_visibly(article.published_at, article.updated_at)


@register.filter(is_safe=True)
def share(vote_share):
    """`floatformat:1` of a vote share, remembered (`people.results_html`)."""
    return vote_share_text(vote_share)


@register.simple_tag
def round_results(election):
    """A round's chart and results table (see `people.results_html`)."""
    return render_round_results(election, reader_day(election.date)[1])


@register.simple_tag(takes_context=True)
def page_meta(context, title="", description="", og_type="", image="", image_alt=""):
    """The page's <title>, description, canonical address, Open Graph and Twitter
    card tags (see `articles.page_meta`)."""
    return render_page_meta(
        context.get("request"),
        context.get("newsroom_name") or settings.NEWSROOM_NAME,
        title=title,
        description=description,
        og_type=og_type,
        image=image,
        image_alt=image_alt,
    )
