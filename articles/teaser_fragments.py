"""A listing's teasers, each kept in the cache as rendered markup.

Measured in process on the same twenty stories (`benchmarks/markup_engines.py`),
drawing a list of teasers from the cache cost about a ninth of rendering them
with the `teaser` macro; the same stories head every listing of a busy night.

Each fragment is named by what it shows (`fragment_key()`): the story's address,
headline, dek, time, section, bylines and picture, in the page's language and
time zone. An edit to the story, a renamed section or journalist, a new picture
gives a new name, so nothing has to be invalidated; an old fragment expires.
Teasers with a search snippet or a person's roles are drawn afresh (they vary
with the page, not the story).
"""

import hashlib

from django.template import engines
from django.utils import timezone
from django.utils.translation import get_language
from markupsafe import Markup

from core.cache import get_many_content_named, set_content_named
from core.renditions import detached_file, renditions_for

KEY_VERSION = 1  # move it when the teaser's markup changes
SECONDS = 24 * 3600


def fragment_key(story, setting: str) -> str:
    """The cache key of `story`'s teaser: a hash of everything it shows."""
    image = detached_file(story, "lead_image")
    rendition = renditions_for(image) if image else None
    section = story.section
    shown = [
        story.get_absolute_url(),
        story.headline,
        story.dek,
        story.published_at.isoformat() if story.published_at else "",
        section.name,
        section.get_absolute_url(),
        *(credit.name for credit in story.credits),
        image.name if image else "",
        story.lead_image_alt if image else "",
        rendition.fallback_url if rendition else "",
        setting,
    ]
    digest = hashlib.sha256("\x1f".join(map(str, shown)).encode()).hexdigest()
    return f"teaser:{KEY_VERSION}:{digest}"


def cached_teasers(stories) -> Markup:
    """The `teaser` of each story, found in the cache or rendered and kept there,
    one line apart (what the `teasers` macro prints)."""
    stories = list(stories)
    if not stories:
        return Markup("")
    # The page's language and time zone: the teaser's dates are written in them.
    setting = f"{get_language()}|{timezone.get_current_timezone_name()}"
    keys = [fragment_key(story, setting) for story in stories]
    found = get_many_content_named(list(dict.fromkeys(keys)))
    drawn = []
    teaser = None
    for story, key in zip(stories, keys, strict=True):
        html = found.get(key)
        if html is None:
            if teaser is None:
                template = engines["jinja2"].env.get_template("includes/_teaser.html")
                teaser = template.module.teaser
            html = found[key] = str(teaser(story))
            set_content_named(key, html, SECONDS)
        drawn.append(html)
    return Markup("\n".join(drawn))
