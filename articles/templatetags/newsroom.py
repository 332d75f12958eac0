"""Template helpers for reader pages: responsive pictures and JSON-LD blocks."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.renditions import FORMATS, renditions_for

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


@register.simple_tag
def picture(image_file, alt, sizes="100vw", lazy=True, css_class=""):
    """<picture> with WebP and JPEG srcsets, or nothing when the image is missing."""
    rendition = renditions_for(image_file)
    if rendition is None:
        return ""
    sources = format_html(
        '<source type="{}" srcset="{}" sizes="{}">',
        FORMATS["webp"][1],
        rendition.srcsets["webp"],
        sizes,
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" '
        'alt="{}"{}{} decoding="async"></picture>',
        sources,
        rendition.fallback_url,
        rendition.srcsets["jpg"],
        sizes,
        rendition.width,
        rendition.height,
        alt,
        mark_safe(' loading="lazy"') if lazy else "",
        format_html(' class="{}"', css_class) if css_class else "",
    )
