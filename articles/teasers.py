"""A story's teaser (the row of a listing), rendered in Python.

Listings are most of what readers load, and the template engine spent about 0.15 ms
on each teaser (variable lookups, an include per row, two date filters); this does
the same HTML in a few string joins. The markup matches what `{% teaser %}` has
always produced; `tests/articles/test_teasers.py` holds it to the template's rules
(escaping, optional parts).
"""

from collections.abc import Callable
from typing import NamedTuple

from django.utils.safestring import SafeString

from articles.reader_dates import ReaderLocale, reader_datetime
from articles.renditions import picture
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
    url = escape(
        article.get_absolute_url(zone=listing.locale.zone, reverse=listing.reverse)
    )
    image = article.lead_image
    has_image = bool(image)
    parts = [f'<article class="teaser{" has-thumb" if has_image else ""}">\n  ']
    if has_image:
        parts.append(
            f'<a class="thumb" href="{url}" tabindex="-1" aria-hidden="true">'
            f"{picture(image, article.lead_image_alt, sizes=THUMB_SIZES)}"
            "</a>"
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
    `roles_label`: each story's `roles_of_person` shown under it, so labelled."""
    return SafeString(
        "\n".join(
            render_teaser(
                story,
                snippet=story.search_snippet if snippets else "",
                roles=story.roles_of_person if roles_label else (),
                roles_label=roles_label,
                listing=listing,
            )
            for story in stories
        )
    )
