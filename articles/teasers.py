"""A story's teaser (the row of a listing), rendered in Python.

Listings are most of what readers load, and the template engine spent about 0.15 ms
on each teaser (variable lookups, an include per row, two date filters); this does
the same HTML in a few string joins. The markup matches what `{% teaser %}` has
always produced; `tests/articles/test_teasers.py` holds it to the template's rules
(escaping, optional parts). One difference: a story whose picture file is gone gets
no thumbnail link, where the template left an empty one.
"""

import threading
from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.safestring import SafeString

from articles.reader_dates import ReaderLocale, reader_datetime
from core.renditions import detached_file, picture, renditions_for
from newsroom.escaping import conditional_escape, escape
from newsroom.reversing import bound_reverse, current_addresses

THUMB_SIZES = "(min-width: 40rem) 12rem, 30vw"


class ListingContext(NamedTuple):
    """What every teaser of a page shares, read once for the page (see
    `ReaderLocale`): the time zone and language, a reverse bound to the page's
    URLconf and script prefix, and those two (`addresses`)."""

    locale: ReaderLocale
    reverse: Callable
    addresses: tuple

    @classmethod
    def current(cls) -> "ListingContext":
        addresses = current_addresses()
        return cls(ReaderLocale.current(), bound_reverse(addresses), addresses)


def render_teaser(
    article, *, snippet="", roles=(), roles_label="Role", listing=None
) -> SafeString:
    """One story in a list: thumbnail, headline, dek (or search snippet), section,
    time, bylines and, on a person's page, the roles they play in it (labels).
    `listing`: the page's `ListingContext`, if it has one already."""
    listing = listing or ListingContext.current()
    image = detached_file(article, "lead_image")
    thumbnail = (
        picture(image, article.lead_image_alt, sizes=THUMB_SIZES) if image else ""
    )
    return _teaser_html(article, thumbnail, snippet, roles, roles_label, listing)


def _teaser_html(article, thumbnail, snippet, roles, roles_label, listing) -> str:
    """The markup of `render_teaser()`, its thumbnail's `picture()` drawn already
    (none: no lead image)."""
    url = escape(
        article.get_absolute_url(zone=listing.locale.zone, reverse=listing.reverse)
    )
    has_image = bool(thumbnail)
    parts = [f'<article class="teaser{" has-thumb" if has_image else ""}">\n  ']
    if has_image:
        parts.append(
            f'<a class="thumb" href="{url}" tabindex="-1" aria-hidden="true">'
            f"{thumbnail}</a>"
        )
    parts.append(
        f'\n  <div class="teaser-text">\n    <h3><a href="{url}">'
        f"{escape(article.headline)}</a></h3>\n    "
    )
    if snippet:
        parts.append(f'<p class="dek snippet">{conditional_escape(snippet)}</p>')
    elif article.dek:
        parts.append(f'<p class="dek">{escape(article.dek)}</p>')
    iso, shown = reader_datetime(article.published_at, listing.locale)
    section = article.section
    section_url = section.get_absolute_url(reverse=listing.reverse)
    parts.append(
        f'\n    <p class="meta">\n      <a href="{escape(section_url)}">'
        f"{escape(section.name)}</a> ·\n      "
        f'<time datetime="{iso}">{shown}</time>'
    )
    names = [credit.name for credit in article.credits]
    if names:
        parts.append(" · By " + ", ".join(escape(name) for name in names))
    parts.append("\n    </p>\n    ")
    if roles:
        played = ", ".join(escape(role.lower()) for role in roles)
        parts.append(f'<p class="roles">{escape(roles_label)}: {played}</p>')
    parts.append("\n  </div>\n</article>")
    return SafeString("".join(parts))


def render_teasers(stories, listing, *, snippets=False, roles_label="") -> SafeString:
    """A teaser of each story, the whole list in one call (the reader templates'
    `teasers()`). `snippets`: each story's `search_snippet` in place of its dek;
    `roles_label`: each story's `roles_of_person` shown under it, so labelled.

    A story loaded by `teasers()` carries the row it came from (`teaser_row`), and
    its teaser is remembered (`kept_teasers`) under that row, its picture's
    renditions and whatever else the markup depends on: the same stories head every
    listing of an election night, and drawing one cost about 7 µs (a kept one, its
    renditions found and the row compared, under 2)."""
    kept = kept_teasers
    # What the page's teasers share: hashed once, not once a teaser.
    setting = (roles_label, listing.locale, listing.addresses)
    setting_hash = hash(setting)
    drawn = []
    for story in stories:
        snippet = story.search_snippet if snippets else ""
        roles = tuple(story.roles_of_person) if roles_label else ()
        image = detached_file(story, "lead_image")
        row = getattr(story, "teaser_row", None)
        keeping = row is not None and kept.size
        if keeping:
            # Everything the markup is made of. The thumbnail is drawn from the
            # picture's renditions and its alt text (in the row): those, not the
            # markup, so that a kept teaser skips drawing it. A safe snippet prints
            # as it is, a plain one escaped: the same text, so its type too.
            rendition = renditions_for(image) if image else None
            made_of = (row, rendition, snippet, type(snippet), roles, setting)
            slot = (story.pk, setting_hash)
            html = kept.get(slot, made_of)
            if html is not None:
                drawn.append(html)
                continue
        # As `render_teaser()` draws it; inline here, on the listings' hot path.
        thumbnail = (
            picture(image, story.lead_image_alt, sizes=THUMB_SIZES) if image else ""
        )
        html = _teaser_html(story, thumbnail, snippet, roles, roles_label, listing)
        if keeping:
            kept.keep(slot, made_of, html)
        drawn.append(html)
    return SafeString("\n".join(drawn))


class KeptTeasers:
    """The last `size` teasers this worker drew, by what they are made of (a pure
    function of it: nothing to invalidate, an edited story is another row).

    One slot per story and page setting (language, zone, labels), cheap to hash,
    holding the last teaser drawn there beside what it was made of, which a
    lookup compares (no hashing of headlines and deks on every request). The
    first slot filled goes first when full; a reader only looks (a dict's `get`
    is atomic), a writer holds the lock."""

    def __init__(self, size: int):
        self.size = size
        self._drawn: dict[tuple, tuple] = {}
        self._lock = threading.Lock()

    def get(self, slot: tuple, made_of: tuple):
        kept = self._drawn.get(slot)
        if kept is not None and kept[0] == made_of:
            return kept[1]
        return None

    def keep(self, slot: tuple, made_of: tuple, html) -> None:
        with self._lock:
            drawn = self._drawn
            drawn[slot] = (made_of, html)
            if len(drawn) > self.size:
                del drawn[next(iter(drawn))]


kept_teasers = KeptTeasers(settings.NEWSROOM_TEASERS_KEPT)


def _new_kept_teasers(**kwargs):
    """A fresh memo when a setting changes (tests): its size may have, or what a
    teaser is drawn with (a URL, a time zone)."""
    global kept_teasers
    kept_teasers = KeptTeasers(settings.NEWSROOM_TEASERS_KEPT)


setting_changed.connect(_new_kept_teasers)
