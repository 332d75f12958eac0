"""A reader page's <title> and the tags search engines and social sites read
(description, canonical address, Open Graph, Twitter card), rendered in Python.

Every reader page has them: as a template include they were some twenty variables
and filters, a tenth of a millisecond on every page view. This writes the same
markup; `tests/articles/test_page_meta.py` holds it to the include it replaced.
"""

import unicodedata

from django.template.defaultfilters import striptags, truncatechars
from django.utils.safestring import SafeString

from newsroom.escaping import conditional_escape as esc
from newsroom.reversing import request_origin

SITE_DESCRIPTION = (
    "Politics news: the stories, the people in them and the races they run."
)
SUMMARY_LENGTH = 200


def summary_of(text) -> str:
    """`default:''|striptags|truncatechars:200`: a page's description, with a
    short way for the usual short dek without markup (the filters' set-up cost
    about 15 µs)."""
    if not text:
        return ""
    text = str(text)
    if "<" not in text:
        normalized = unicodedata.normalize("NFC", text)
        # truncatechars counts no combining mark: no longer, no cut.
        if len(normalized) <= SUMMARY_LENGTH:
            return normalized
    return truncatechars(striptags(text), SUMMARY_LENGTH)


def render_page_meta(
    request,
    newsroom_name,
    *,
    title="",
    description="",
    og_type="",
    image="",
    image_alt="",
) -> SafeString:
    # A page without a summary of its own (front, search, 404) is described as
    # the site is: social sites show an empty description as nothing at all.
    summary = esc(summary_of(description)) or esc(SITE_DESCRIPTION)
    site = esc(newsroom_name)
    if request is None:  # a template rendered outside a request: no address to give
        origin = url = ""
    else:
        origin = esc(request_origin(request))
        url = origin + esc(request.path)
    heading = esc(title) if title else site
    kind = esc(og_type) if og_type else "website"
    parts = [
        "<title>",
        f"{esc(title)} · " if title and title != newsroom_name else "",
        f"{site}</title>\n",
        f'<meta name="description" content="{summary}">\n',
        f'<link rel="canonical" href="{url}">\n',
        f'<meta property="og:site_name" content="{site}">\n',
        f'<meta property="og:type" content="{kind}">\n',
        f'<meta property="og:title" content="{heading}">\n',
        f'<meta property="og:description" content="{summary}">\n',
        f'<meta property="og:url" content="{url}">\n',
    ]
    if image:
        parts.append(f'<meta property="og:image" content="{origin}{esc(image)}">')
        if image_alt:
            parts.append(f'\n<meta property="og:image:alt" content="{esc(image_alt)}">')
    card = "summary_large_image" if image else "summary"
    parts.append(
        f'\n<meta name="twitter:card" content="{card}">\n'
        f'<meta name="twitter:title" content="{heading}">\n'
        f'<meta name="twitter:description" content="{summary}">\n'
    )
    return SafeString("".join(parts))
