"""Which cache keys a change to stories, sections, tags and their links touches
(the vocabulary and the mechanism: `core.cache_keys`).

A story is *listed* while it is published, now or at a future time: a listing
shows it from then on. The receivers (connected in `ArticlesConfig.ready`) compare
a story's state before and after its save, so the listings it leaves (old section,
old month's sitemap) are invalidated with those it enters. A page that lists a
story declares that story's key too, so a plain edit invalidates the story alone.
"""

import dataclasses
import datetime

from django.utils import timezone

from core import cache_keys as keys
from core.cache_keys import invalidate


@dataclasses.dataclass(frozen=True)
class StoryState:
    """What decides where a story is listed."""

    section_id: int | None
    slug: str
    status: str
    published_at: datetime.datetime | None

    @classmethod
    def of(cls, story) -> "StoryState":
        return cls(story.section_id, story.slug, story.status, story.published_at)

    @property
    def listed(self) -> bool:
        """Published, now or at a future time."""
        from articles.models import Article

        return self.status == Article.Status.PUBLISHED and self.published_at is not None

    def visible(self, now) -> bool:
        return self.listed and self.published_at <= now

    def scheduled(self, now) -> bool:
        return self.listed and self.published_at > now


def next_story_due(now):
    """When the next scheduled story goes live (None: none is scheduled): the page
    cache keeps listings no longer (`core.page_cache.register_schedule`)."""
    from articles.models import Article

    return (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def month_key(moment) -> str:
    month = timezone.localtime(moment)
    return keys.sitemap_month(month.year, month.month)


def story_listing_keys(pk, state: StoryState) -> set[str]:
    """Every listing a story in `state` is (or will be) on, besides its links'."""
    return {
        keys.story(pk),
        keys.address(state.slug),  # a 404 kept there while it was not published
        keys.LIST_FRONT,
        keys.LIST_LATEST,
        keys.list_section(state.section_id),
        month_key(state.published_at),
        keys.SITEMAP_INDEX,
        keys.SITEMAP_NEWS,
        keys.SEARCH,
    }


def story_link_keys(pk) -> set[str]:
    """The listings of a story's tags, people and races, and what their being shown
    to readers depends on (a person or race is public once a published story links
    them): a few queries, on the write path only."""
    from articles.models import Byline, Mention, RaceCoverage, TaggedArticle

    found = {keys.sitemap("tags"), keys.LIST_PEOPLE, keys.sitemap("people")}
    found |= {keys.LIST_RACES, keys.sitemap("races")}
    tags = TaggedArticle.objects.filter(content_object_id=pk).values_list("tag_id")
    found |= {keys.list_tag(tag) for (tag,) in tags}
    people = set(Mention.objects.filter(article_id=pk).values_list("person_id"))
    people |= set(Byline.objects.filter(article_id=pk).values_list("person_id"))
    found |= {k for (p,) in people for k in (keys.person(p), keys.list_person(p))}
    races = RaceCoverage.objects.filter(article_id=pk).values_list("race_id")
    found |= {k for (r,) in races for k in (keys.race(r), keys.list_race(r))}
    return found | story_relationship_keys(pk)


def story_relationship_keys(pk) -> set[str]:
    """The pages that show the relationships a story reports: they appear with
    its publishing (and go with its unpublishing, which purges the story's key
    those pages declare)."""
    from articles.models import RelationshipSource
    from people.cache_keys import relationship_keys

    found = set()
    rows = RelationshipSource.objects.filter(article_id=pk).values_list(
        "relationship__subject_id",
        "relationship__object_person_id",
        "relationship__object_race_id",
    )
    for row in rows:
        found |= relationship_keys(*row)
    return found


def story_changed_keys(
    pk, before: StoryState | None, after: StoryState | None, now=None
) -> tuple[set[str], bool]:
    """(keys, hard) for a story saved from `before` to `after` (None: created, or
    deleted). Hard when a story readers could see no longer may be seen."""
    now = now or timezone.now()
    was_listed = before is not None and before.listed
    is_listed = after is not None and after.listed
    if not was_listed and not is_listed:
        return set(), False  # a draft's edit: no reader page shows it
    hard = before is not None and before.visible(now)
    hard = hard and not (after is not None and after.visible(now))
    if was_listed and is_listed and before == after:
        # An edit in place: its page, and the files that show its text or time.
        return {
            keys.story(pk),
            month_key(after.published_at),
            keys.SITEMAP_NEWS,
            keys.SEARCH,
        }, False
    found = set()
    for state in (before, after):
        if state is not None and state.listed:
            found |= story_listing_keys(pk, state)
    if (before is not None and before.scheduled(now)) or (
        after is not None and after.scheduled(now)
    ):
        found.add(keys.SCHEDULE)
    if after is not None:  # a deleted story's links are gone, and invalidated
        found |= story_link_keys(pk)
    return found, hard


# --- Receivers -------------------------------------------------------------------


def story_before_save(sender, instance, raw=False, **kwargs):
    """pre_save for `Article`: its state before the save, to compare after."""
    before = None
    if instance.pk is not None:
        row = (
            sender.objects.filter(pk=instance.pk)
            .values_list("section_id", "slug", "status", "published_at")
            .first()
        )
        before = StoryState(*row) if row else None
    instance.state_before_save = before


def story_saved(sender, instance, created=False, **kwargs):
    """post_save for `Article`."""
    before = None if created else instance.__dict__.pop("state_before_save", None)
    found, hard = story_changed_keys(instance.pk, before, StoryState.of(instance))
    invalidate(found, hard=hard)


def story_deleted(sender, instance, **kwargs):
    """post_delete for `Article`."""
    found, hard = story_changed_keys(instance.pk, StoryState.of(instance), None)
    invalidate(found, hard=hard)


def link_keys(instance) -> set[str]:
    """What a link between a story and a person, tag or race is part of."""
    from articles.models import Byline, Mention, RaceCoverage, TaggedArticle

    if isinstance(instance, TaggedArticle):
        story = instance.content_object_id
        found = {keys.list_tag(instance.tag_id), keys.sitemap("tags")}
    elif isinstance(instance, Mention | Byline):
        story = instance.article_id
        person = instance.person_id
        found = {keys.person(person), keys.list_person(person), keys.LIST_PEOPLE}
        found.add(keys.sitemap("people"))
    elif isinstance(instance, RaceCoverage):
        story = instance.article_id
        found = {keys.race(instance.race_id), keys.list_race(instance.race_id)}
        # The front page's sidebar: the races the newest stories cover.
        found |= {keys.LIST_RACES, keys.sitemap("races"), keys.LIST_FRONT}
    else:  # ArticleSlug: the old address redirects to the story
        return {keys.story(instance.article_id)}
    return found | {keys.story(story), keys.SITEMAP_INDEX, keys.SEARCH}


def link_before_save(sender, instance, raw=False, **kwargs):
    """pre_save for links: the keys of the link as stored (an inline may move it
    to another person or tag: the one it leaves is invalidated too)."""
    before = set()
    if instance.pk is not None:
        stored = sender.objects.filter(pk=instance.pk).first()
        if stored is not None:
            before = link_keys(stored)
    instance.keys_before_save = before


def link_changed(sender, instance, **kwargs):
    """post_save and post_delete for links."""
    found = link_keys(instance) | getattr(instance, "keys_before_save", set())
    invalidate(found, hard=False)


def race_links_changed(sender, instance, action, reverse, pk_set, model, **kwargs):
    """m2m_changed for `Article.races` (`add()`, `remove()`, `set()`, `clear()`
    write their rows in bulk, past the links' signals)."""
    from articles.models import RaceCoverage

    if action == "pre_clear":
        field = "race_id" if not reverse else "article_id"
        owner = "article_id" if not reverse else "race_id"
        instance.races_cleared = set(
            RaceCoverage.objects.filter(**{owner: instance.pk}).values_list(
                field, flat=True
            )
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    others = pk_set if action != "post_clear" else instance.races_cleared
    pairs = [(o, instance.pk) if reverse else (instance.pk, o) for o in others]
    found = set()
    for story, race in pairs:
        found |= {keys.story(story), keys.race(race), keys.list_race(race)}
    if found:
        found |= {keys.LIST_RACES, keys.sitemap("races"), keys.SITEMAP_INDEX}
        found |= {keys.LIST_FRONT, keys.SEARCH}  # the front's races in the news
    invalidate(found, hard=False)


def section_changed(sender, instance, **kwargs):
    """post_save for sections: their page, name in teasers, the front's list."""
    invalidate(section_keys(instance.pk), hard=False)


def section_deleted(sender, instance, **kwargs):
    """post_delete for sections."""
    invalidate(section_keys(instance.pk), hard=True)


def section_keys(pk) -> set[str]:
    return {
        keys.section(pk),
        keys.list_section(pk),
        keys.LIST_FRONT,  # its sidebar lists every section
        keys.sitemap("sections"),
        keys.SITEMAP_INDEX,
    }


def tag_keys(pk) -> set[str]:
    return {keys.tag(pk), keys.list_tag(pk), keys.sitemap("tags"), keys.SITEMAP_INDEX}


def tag_changed(sender, instance, **kwargs):
    """post_save for tags (a rename shows on every page that lists the tag)."""
    invalidate(tag_keys(instance.pk), hard=False)


def tag_deleted(sender, instance, **kwargs):
    """post_delete for tags."""
    invalidate(tag_keys(instance.pk), hard=True)


def relationship_source_keys(instance) -> set[str]:
    """What a story's report of a relationship shows on: the pages of the
    relationship's subject and object, and the story's."""
    from people.cache_keys import relationship_keys
    from people.models import Relationship

    found = {keys.story(instance.article_id)}
    row = (
        Relationship.objects.filter(pk=instance.relationship_id)
        .values_list("subject_id", "object_person_id", "object_race_id")
        .first()
    )
    if row is not None:  # gone with its relationship: purged by its delete
        found |= relationship_keys(*row)
    return found


def relationship_source_before_save(sender, instance, raw=False, **kwargs):
    """pre_save for `RelationshipSource`: the keys of the source as stored (an
    edit may move it to another relationship: the pages it leaves are purged)."""
    before = set()
    if instance.pk is not None and not raw:
        stored = sender.objects.filter(pk=instance.pk).first()
        if stored is not None:
            before = relationship_source_keys(stored)
    instance.keys_before_save = before


def relationship_source_changed(sender, instance, **kwargs):
    """post_save and post_delete for `RelationshipSource`."""
    found = relationship_source_keys(instance)
    invalidate(found | getattr(instance, "keys_before_save", set()), hard=False)


def journalist_saved(sender, instance, **kwargs):
    """post_save for people: the stories their byline is on show their name."""
    from articles.models import Byline

    stories = Byline.objects.filter(person_id=instance.pk).values_list("article_id")
    invalidate({keys.story(story) for (story,) in stories}, hard=False)


def stories_keys(story_ids) -> set[str]:
    """The keys of these stories (rows changed in bulk, past their signals)."""
    return {keys.story(pk) for pk in story_ids}
