"""Template helpers for reader pages: responsive pictures, teasers and JSON-LD."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.renditions import picture, renditions_for
from articles.teasers import render_teaser
from newsroom.reversing import cached_reverse

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


@register.simple_tag
def teaser(article, snippet="", roles=(), roles_label="Role"):
    """One story in a list (see `articles.teasers`)."""
    return render_teaser(article, snippet=snippet, roles=roles, roles_label=roles_label)
