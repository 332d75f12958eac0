"""The Django templates the reader pages' parts were once written in, for the tests
that hold the Jinja2 macros (`templates/jinja2/includes/_*.html`) to them.

Django escapes `'` and `"` as `&#x27;` and `&quot;`, Jinja2's MarkupSafe as `&#39;`
and `&#34;`: the same characters. `same_markup()` compares two renderings with
every character reference read, so markup and text must match exactly while the
spelling of an escaped character may differ; `escaped()` says a raw string never
reached the markup."""

import html

from django import template
from django.template import Engine, engines
from django.utils.safestring import mark_safe

from newsroom.jinja2 import short_name

register = template.Library()


@register.simple_tag
def picture(image_file, alt, sizes="100vw", lazy=True, css_class=""):
    """The `{% picture %}` tag the old templates used: the pages' own macro."""
    return mark_safe(
        macro(
            "includes/_picture.html",
            "picture",
            image_file,
            alt,
            sizes=sizes,
            lazy=lazy,
            css_class=css_class,
        )
    )


# A chart's label for a long name (the pages' `short_name` filter).
register.filter("short_name", short_name)

REFERENCE = Engine(
    libraries={
        "newsroom": "tests.reference_templates",
        "humanize": "django.contrib.humanize.templatetags.humanize",
    }
)


def macro(template_name, name, *args, context=None, **kwargs) -> str:
    """What the macro `name` of a reader include renders for these arguments
    (`context`: the page's, as `request` and `newsroom_name`)."""
    source = (
        f'{{% from "{template_name}" import {name} with context %}}'
        f"{{{{ {name}(*args, **kwargs) }}}}"
    )
    return (
        engines["jinja2"]
        .from_string(source)
        .render({**(context or {}), "args": args, "kwargs": kwargs})
    )


def same_markup(ours: str, reference: str) -> bool:
    return html.unescape(ours) == html.unescape(reference)
