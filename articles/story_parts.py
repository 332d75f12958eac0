"""The rows of a story page's lists (its tags, its people, its related stories),
rendered in Python as teasers are (`articles.teasers`).

In the template they were two thirds of the page's render (0.44 of 0.78 ms at
100,000 stories: a variable lookup, an escape and a URL each, row after row); the
page structure around them stays in `articles/article_detail.html`. The markup is
what the template's loops produced; `tests/articles/test_story_parts.py` holds
these to them.
"""

from django.utils.safestring import SafeString

from articles.models import ROLE_LABELS
from articles.reader_dates import reader_day
from articles.renditions import detached_file, picture
from articles.teasers import ListingContext
from newsroom.escaping import escape


def render_tag_links(tags, listing: ListingContext) -> SafeString:
    """A story's tags, linked, separated by commas."""
    return SafeString(
        ", ".join(
            f'<a href="{escape(tag.get_absolute_url(reverse=listing.reverse))}">'
            f"{escape(tag.name)}</a>"
            for tag in tags
        )
    )


def render_people_items(people, listing: ListingContext) -> SafeString:
    """The story's people, as `people_with_roles()` gives them: an item each with
    the photo, the linked name and the roles they play in the story."""
    items = []
    for person, mentions in people:
        image = detached_file(person, "photo")
        photo = (
            picture(image, person.name, sizes="3rem", css_class="avatar")
            if image
            else ""
        )
        url = escape(person.get_absolute_url(reverse=listing.reverse))
        roles = ", ".join(ROLE_LABELS.get(m.role, m.role) for m in mentions)
        # The role the person held on the story's date (`story_page.role_then`).
        then = getattr(person, "role_then", None)
        then = f' <span class="role-then">{escape(then)}</span>' if then else ""
        items.append(
            f"<li>{photo}"
            f'<a href="{url}">{escape(person.name)}</a> '
            f'<span class="role">{escape(roles)}</span>{then}</li>'
        )
    return SafeString("\n".join(items))


def render_related_items(stories, listing: ListingContext) -> SafeString:
    """Related stories: an item each with the linked headline and the day."""
    items = []
    for story in stories:
        url = story.get_absolute_url(zone=listing.locale.zone, reverse=listing.reverse)
        iso, day = reader_day(story.published_at, listing.locale)
        items.append(
            f'<li><a href="{escape(url)}">{escape(story.headline)}</a> '
            f'<span class="quiet"><time datetime="{iso}">{day}</time></span></li>'
        )
    return SafeString("".join(items))
