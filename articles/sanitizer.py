"""Story HTML: the newsroom's allow-list, applied whatever path writes a body.

`SanitizedHTMLField` cleans on the way into the database (save, bulk_create and
queryset.update all go through it), so the admin, the importer and the demo loader
cannot store a `<script>` even by mistake.
"""

import nh3
from django.db import models

from articles.body_text import story_body
from core.text import strip_control_characters

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "a",
    "em",
    "strong",
    "i",
    "b",
    "u",
    "s",
    "sub",
    "sup",
    "abbr",
    "cite",
    "q",
    "code",
    "ul",
    "ol",
    "li",
    "blockquote",
    "figure",
    "figcaption",
    "hr",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# The one class a body may carry: the embed blocks of `articles.body_text`.
ALLOWED_CLASSES = {"figure": {"embed"}}


def sanitize_html(html: str) -> str:
    """Return `html` reduced to the allow-list; links get rel="noopener noreferrer"."""
    return nh3.clean(
        strip_control_characters(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        allowed_classes=ALLOWED_CLASSES,
        link_rel="noopener noreferrer",
    ).strip()


class SanitizedHTML(str):
    """Text that `sanitize_html` produced: not cleaned again on its way to the
    database. Any change to it (concatenation, replace) gives a plain str, which is."""


def clean_body(value: str) -> str:
    """What a body field stores: pasted plain text made paragraphs and embeds'
    leftovers made blocks (`articles.body_text`), then the allow-list."""
    return sanitize_html(story_body(value))


class SanitizedHTMLField(models.TextField):
    """A TextField whose value is sanitised before it is stored, once a write;
    plain text written to it is stored as paragraphs."""

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is None:
            return value
        cleaned = (
            value if type(value) is SanitizedHTML else SanitizedHTML(clean_body(value))
        )
        # Keep the instance in step with the row, so callers see what was stored.
        setattr(model_instance, self.attname, cleaned)
        return cleaned

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if type(value) is SanitizedHTML:  # cleaned by pre_save for this write
            return str(value)
        return clean_body(value)
