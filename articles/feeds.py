"""RSS and Atom feeds: the latest stories, and one per person, tag, section and race."""

import contextvars

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date
from django.views.decorators.http import require_safe

from articles.models import Article, Section
from articles.querysets import tags_readers_see
from core import cache_keys as keys
from core.text import strip_control_characters
from people.models import Person, Race

FEED_LENGTH = 30
_request = contextvars.ContextVar("feed_request")


class RssWithUpdates(Rss201rev2Feed):
    """RSS 2.0, each item with `<atom:updated>` (RSS has no element of its own for
    an edit; the atom namespace is already declared on the channel)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("updateddate") is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))


def _cleaned(value):
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, list | tuple):
        return type(value)(_cleaned(part) for part in value)
    return value


class _CleansText:
    """Every text a feed is given, cleaned of what XML cannot hold. Text is
    cleaned on its way into the database (`core.text`), but a row stored
    before, or written past the fields, must not take a feed down: Django's
    writer refuses a control character (a 500), and an attribute (an Atom
    category's term) would carry it into invalid XML."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            *map(_cleaned, args), **{k: _cleaned(v) for k, v in kwargs.items()}
        )

    def add_item(self, *args, **kwargs):
        super().add_item(
            *map(_cleaned, args), **{k: _cleaned(v) for k, v in kwargs.items()}
        )


class CleanRssFeed(_CleansText, RssWithUpdates):
    pass


class CleanAtomFeed(_CleansText, Atom1Feed):
    pass


class LatestStoriesFeed(Feed):
    """The newest published stories; subclasses narrow them to one subject."""

    feed_type = CleanRssFeed
    query_parameters = frozenset()  # for the page cache's keys

    # Django's Feed answers any method as GET (TRACE, PUT... got a 200).
    @method_decorator(require_safe)
    def __call__(self, request, *args, **kwargs):
        # One feed object serves every request: the request its items declare
        # their keys on is this call's (`items()` is not given it).
        token = _request.set(request)
        try:
            return super().__call__(request, *args, **kwargs)
        finally:
            _request.reset(token)

    def listing_keys(self, obj) -> tuple[str, ...]:
        """The cache keys of what the feed is the list of."""
        return (keys.LIST_LATEST,)

    def title(self, obj=None):
        return f"{settings.NEWSROOM_NAME}: latest stories"

    def link(self, obj=None):
        return obj.get_absolute_url() if obj is not None else "/"

    def description(self, obj=None):
        return f"The latest stories from {settings.NEWSROOM_NAME}."

    def subtitle(self, obj=None):
        return self.description(obj)

    def stories(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        stories = list(self.stories(obj).for_feed().newest_first()[:FEED_LENGTH])
        request = _request.get(None)
        keys.declare(request, *self.listing_keys(obj))
        for story in stories:
            keys.declare(request, keys.story(story.pk), keys.section(story.section_id))
            keys.declare(request, *(keys.tag(tag.pk) for tag in story.tag_links))
        return stories

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.dek

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        # The last substantive edit, as the story page's "Updated" says.
        return item.revised_at or item.published_at

    def item_author_name(self, item):
        return ", ".join(credit.name for credit in item.credits) or None

    def item_categories(self, item):
        return [tag.name for tag in item.tag_links]


class PersonFeed(LatestStoriesFeed):
    def listing_keys(self, obj):
        return keys.person(obj.pk), keys.list_person(obj.pk)

    def get_object(self, request, slug):
        return get_object_or_404(Person.objects.visible_to_readers(), slug=slug)

    def title(self, obj=None):
        return f"{settings.NEWSROOM_NAME}: {obj.name}"

    def description(self, obj=None):
        return f"Stories that mention {obj.name}."

    def stories(self, obj):
        # The latest stories mentioning them, found through the person's mentions
        # in index order (see Mention.published_at), as their page does: no sort of
        # every story about a candidate who is in a third of the archive.
        latest = (
            obj.mentions.published_by_now()
            .newest_first()
            .values_list("article_id", flat=True)
            .distinct()[:FEED_LENGTH]
        )
        return Article.objects.published().filter(pk__in=list(latest))


class TagFeed(LatestStoriesFeed):
    def listing_keys(self, obj):
        return keys.tag(obj.pk), keys.list_tag(obj.pk)

    def get_object(self, request, slug):
        return get_object_or_404(tags_readers_see(), slug=slug)

    def link(self, obj=None):
        return reverse("articles:tag", args=[obj.slug])

    def title(self, obj=None):
        return f"{settings.NEWSROOM_NAME}: {obj.name}"

    def description(self, obj=None):
        return f"Stories tagged {obj.name}."

    def stories(self, obj):
        return Article.objects.published().filter(tags=obj)


class SectionFeed(LatestStoriesFeed):
    def listing_keys(self, obj):
        return keys.section(obj.pk), keys.list_section(obj.pk)

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj=None):
        return f"{settings.NEWSROOM_NAME}: {obj.name}"

    def description(self, obj=None):
        return f"The latest stories in {obj.name}."

    def stories(self, obj):
        return Article.objects.published().filter(section=obj)


class RaceFeed(LatestStoriesFeed):
    def listing_keys(self, obj):
        return keys.race(obj.pk), keys.list_race(obj.pk)

    def get_object(self, request, slug):
        return get_object_or_404(Race.objects.visible_to_readers(), slug=slug)

    def title(self, obj=None):
        return f"{settings.NEWSROOM_NAME}: {obj.name}"

    def description(self, obj=None):
        return f"Coverage of {obj}."

    def stories(self, obj):
        return obj.articles.published()


def atom(feed_class):
    """The same feed as Atom 1.0."""
    return type(
        f"{feed_class.__name__}Atom", (feed_class,), {"feed_type": CleanAtomFeed}
    )
