"""Stories, the sections they run in, and the people and races they are about."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.query import ModelIterable
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import NaturalKeyManager, Tag, TaggedItemBase

from articles.body_text import reader_text
from articles.renditions import detached_file, renditions_for_many, unlinked_file
from articles.sanitizer import SanitizedHTMLField
from articles.search import search_articles
from newsroom.json_rows import loads_many, text_rows, text_rows_of
from newsroom.loading import LoadsWithoutInit
from newsroom.postgresql.plans import Opaque
from newsroom.reversing import cached_reverse
from newsroom.statements import Statement, columns, instance, related_columns
from newsroom.text import PlainCharField, PlainSlugField, PlainTextField
from newsroom.uploads import ORIGINAL_NAME_LENGTH, RandomName, UploadedImageField
from people.models import (
    Person,
    Race,
    Relationship,
    races_with_result,
    save_with_unique_slug,
)
from tagging.managers import FoldingTagManager


class Section(LoadsWithoutInit, models.Model):
    name = PlainCharField(max_length=100, unique=True)
    slug = PlainSlugField(max_length=100, unique=True)
    description = PlainTextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self, *, reverse=cached_reverse):
        # A listing passes a reverse bound to its page (`articles.teasers`).
        return reverse("articles:section", slug=self.slug)


@dataclass(frozen=True, slots=True)
class Credit:
    """A journalist in a story's byline, as pages show them: name and address."""

    name: str
    slug: str

    def get_absolute_url(self, *, reverse=cached_reverse):
        return reverse("people:detail", slug=self.slug)


def _attach_grouped(stories, name, rows, make) -> None:
    """Set `name` on each story: a list of `make(*values)` for its rows, which are
    (story id, *values) in the order to show."""
    grouped = defaultdict(list)
    for story_id, *values in rows:
        grouped[story_id].append(make(*values))
    for story in stories:
        setattr(story, name, grouped.get(story.pk, []))


@dataclass(frozen=True, slots=True)
class TagLink:
    """A tag as a story shows it: name and address (`pk` for related stories)."""

    pk: int
    name: str
    slug: str

    def get_absolute_url(self, *, reverse=cached_reverse):
        return reverse("articles:tag", slug=self.slug)


TAG_LINKS = Statement(
    lambda stories: (
        TaggedArticle.objects.filter(content_object_id__in=stories)
        .order_by("tag__name", "tag_id")
        .values_list("content_object_id", "tag_id", "tag__name", "tag__slug")
    ),
    stories=list,
)


def attach_tag_links(stories) -> None:
    """Set each story's `tag_links`: its tags by name, from one values() query
    (taggit's prefetch of Tag objects cost twice as much on every story page)."""
    rows = TAG_LINKS.rows(stories=[story.pk for story in stories])
    _attach_grouped(stories, "tag_links", rows, TagLink)


PEOPLE_MENTIONS = Statement(
    lambda stories: (
        Mention.objects.filter(article_id__in=stories)
        .order_by("person__name", "role")
        .values_list(*columns(Mention), *related_columns("person", Person))
    ),
    stories=list,
)


def attach_people_mentions(stories) -> None:
    """Set each story's `people_mentions`: its mentions, each with its person, in
    the order of the people's names, from one query."""
    rows = PEOPLE_MENTIONS.rows(stories=[story.pk for story in stories])
    mention_columns, person_columns = columns(Mention), columns(Person)
    split = len(mention_columns)

    def mention(*values):
        loaded = instance(Mention, mention_columns, values[:split], rows.db)
        loaded.person = instance(Person, person_columns, values[split:], rows.db)
        return loaded

    story_column = mention_columns.index("article_id")
    _attach_grouped(
        stories, "people_mentions", ((v[story_column], *v) for v in rows), mention
    )


def roles_of_person(person):
    """A subquery: the roles `person` plays in a story, in the story's own row for
    `teasers_with_roles()`."""
    return text_rows(
        Mention.objects.filter(person_id=person), "article", "role", order_by=["role"]
    )


def attach_lead_renditions(stories) -> None:
    """Look up the lead images' renditions of all the stories at once (one cache
    round trip), for their thumbnails (see `articles.renditions`)."""
    renditions_for_many([detached_file(story, "lead_image") for story in stories])


def story_url(slug: str, when, *, zone=None, reverse=cached_reverse) -> str:
    """A story's address: the day it was published (in the newsroom's time zone,
    or `zone`), then its slug (`reverse`: see `newsroom.reversing`)."""
    day = timezone.localtime(when, zone)
    return reverse(
        "articles:detail",
        year=day.year,
        month=f"{day.month:02d}",
        day=f"{day.day:02d}",
        slug=slug,
    )


class ArticleQuerySet(models.QuerySet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Functions that set light attributes on the fetched stories, one query
        # each for the whole list (see with_tag_links()).
        self._attachments = ()

    def _attach(self, attach):
        clone = self._chain()
        if attach not in clone._attachments:
            clone._attachments = (*clone._attachments, attach)
        return clone

    def teaser_rows(self, *extra):
        """`TEASER_ROW` values of the stories, then the `extra` columns, for a
        compiled statement whose rows `teasers()` loads. The bylines come as the
        JSON text they are stored as (`credits_json`), which `teasers()` reads for
        the whole page at once: a JSONField's own converter, called row by row,
        made the driver hand over every row again."""
        return self.annotate(
            credits_json=Cast("byline_credits", models.TextField())
        ).values_list(*TEASER_ROW, *extra)

    def with_lead_renditions(self):
        """Stories whose lead images' renditions are looked up together."""
        return self._attach(attach_lead_renditions)

    def with_tag_links(self):
        """Stories that carry their tags as `tag_links` (see `attach_tag_links`)."""
        return self._attach(attach_tag_links)

    def _clone(self):
        clone = super()._clone()
        clone._attachments = self._attachments
        return clone

    def _fetch_all(self):
        fetching = self._result_cache is None
        super()._fetch_all()
        if fetching and self._iterable_class is ModelIterable:
            for attach in self._attachments:
                attach(self._result_cache)

    def published(self, *, now=None, planned_once=False):
        """The only definition of “a reader may see this story” (by `now`: the
        present unless a compiled statement puts its own value there).
        `planned_once`: status and time hidden from PostgreSQL's planner, for a
        statement it would otherwise plan again on every run (see `Opaque`)."""
        status, now = Article.Status.PUBLISHED, now or timezone.now()
        if planned_once:
            status = Opaque(status.value, models.CharField())
            now = Opaque(now, models.DateTimeField())
        return self.filter(status=status, published_at__lte=now)

    def for_listing(self):
        """What a list of stories shows: never the body."""
        return self.defer("body", "search_vector").select_related("section")

    def for_teasers(self):
        """What teasers show (`articles.teasers`): a listing, with the thumbnails'
        renditions found in one cache round trip."""
        return self.for_listing().with_lead_renditions()

    def of_links_page(self, links, *, newest_first=True):
        """The stories of a sliced page of `links` (a tag's, a person's: their
        story ids, in the order of their publish time), newest first (oldest first
        when not `newest_first`), for a compiled page of links and their stories in
        one statement (`newsroom.keyset.CompiledKeyset`)."""
        stories = self.filter(pk__in=links).newest_first()
        return stories if newest_first else stories.reverse()

    def teaser_rows_with_roles(self, person: int):
        """`teaser_rows()`, each row ending with the roles the person of id `person`
        plays in the story, for `teasers_with_roles()`."""
        return self.annotate(roles=roles_of_person(person)).teaser_rows("roles")

    @staticmethod
    def teasers_with_roles(rows, *, pictures=()) -> list:
        """Stories from the rows of a compiled `teaser_rows_with_roles()`, each
        with `roles_of_person` (see the function of that name): for the person
        page, which reaches stories through the relation (`people` does not
        import `articles`)."""
        return teasers_with_roles(rows, pictures=pictures)

    def race_coverage(self, race: int) -> list:
        """The newest 20 published stories covering the race of id `race`, as
        `published().for_teasers()` gives them (a compiled statement)."""
        return teasers(RACE_COVERAGE.rows(race=race, now=timezone.now()))

    def newest_first(self):
        """Newest first, in the order of the status/publish-time index."""
        return self.order_by("-published_at", "-id")

    def for_detail(self):
        """What a story page shows: section, bylines, people with roles, tags, and
        whether it covers races (`has_races`: their results are worth a query only
        then, see `races_covered`). Six queries with those and `related_to()`."""
        return (
            self.defer("search_vector")
            .select_related("section")
            .annotate(has_races=covers_races())
            .with_tag_links()
            ._attach(attach_people_mentions)
        )

    def related_to(self, article, *, limit=5, now=None):
        """Published stories sharing a person or a tag with `article`, newest first.

        Reads the ids from `article`'s prefetched people and tags, so it costs one
        query. Each person and tag gives only its own newest few stories, read from
        its links' publish-time index (`newest_linked_stories`): a headliner in a
        third of the archive costs what anyone else does. Any of the overall newest
        `limit` stories is among the newest `limit + 1` of each key it shares (the
        one more is the story itself), so nothing is missed; a link whose copy of
        the publish state were stale could only leave a story out.
        """
        people = sorted({mention.person_id for mention in article.people_mentions})
        tags = sorted({tag.pk for tag in article.tag_links})
        return self.related_to_keys(article.pk, people, tags, limit=limit, now=now)

    def related_to_keys(self, story, people, tags, *, limit=5, now=None):
        """`related_to()` of the story of id `story` with these people and tags."""
        if not people and not tags:
            return self.none()
        # Headline and date only: no body, no bylines (one query in all).
        return (
            self.filter(pk__in=newest_linked_stories(people, tags, limit + 1, now=now))
            .exclude(pk=story)
            .only("headline", "slug", "published_at", "created_at")
            .newest_first()[:limit]
        )

    def search(self, terms: str):
        """Stories matching `terms`, best first; see `articles.search`."""
        return search_articles(self, terms)


def _link_columns(link_model, key_field: str, story_field: str) -> tuple[str, ...]:
    """A link table's quoted name and its key, story and publish-time columns."""
    quote = connection.ops.quote_name
    columns = (
        quote(link_model._meta.get_field(name).column)
        for name in (key_field, story_field, "published_at")
    )
    return quote(link_model._meta.db_table), *columns


def _newest_per_key_sql(*link) -> str:
    """One key's newest (story id, publish time) on a link table, by its (key,
    publish time, story) index; wrapped in a derived table so that SQLite, too,
    accepts the ORDER BY and LIMIT inside a UNION."""
    table, key, story, published = _link_columns(*link)
    return (
        f"SELECT * FROM (SELECT {story} AS story, {published} AS published "
        f"FROM {table} WHERE {key} = %s AND {published} <= %s "
        f"ORDER BY {published} DESC, {story} DESC LIMIT %s) AS newest"
    )


def _newest_per_key_lateral_sql(*link, keys="unnest(%s::bigint[])") -> str:
    """On PostgreSQL: the newest stories of every key in an array parameter (or
    the `keys` subquery), one index range per key (a LATERAL join on the keys)."""
    table, key, story, published = _link_columns(*link)
    return (
        f"SELECT newest.story, newest.published FROM {keys} AS keys(id) "
        f"CROSS JOIN LATERAL (SELECT {story} AS story, {published} AS published "
        f"FROM {table} WHERE {key} = keys.id AND {published} <= %s "
        f"ORDER BY {published} DESC, {story} DESC LIMIT %s) AS newest"
    )


def _keys_of_story_at_sql(link_model, key_field: str, story_field: str) -> str:
    """The keys (people, tags) a link table gives the story at a slug parameter."""
    table, key, story, _published = _link_columns(link_model, key_field, story_field)
    quote = connection.ops.quote_name
    return (
        f"(SELECT DISTINCT {key} FROM {table} WHERE {story} = "
        f"(SELECT {quote('id')} FROM {quote(Article._meta.db_table)} "
        f"WHERE {quote('slug')} = %s))"
    )


def published_tag_links_counted(*, now, cap: int) -> RawSQL:
    """An annotation for a Tag query: how many of the tag's links point to stories
    published by `now`, counted up to `cap` (a count of a LIMITed range of the
    links' (tag, publish time, story) index, index only). Raw SQL because the ORM
    cannot count a sliced subquery inside another query."""
    table, key, _story, published = _link_columns(
        TaggedArticle, "tag", "content_object"
    )
    tag_id = ".".join(map(connection.ops.quote_name, (Tag._meta.db_table, "id")))
    return RawSQL(
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {key} = {tag_id} "
        f"AND {published} <= %s LIMIT %s) AS capped",
        [connection.ops.adapt_datetimefield_value(now), cap],
        output_field=models.IntegerField(),
    )


def newest_linked_stories(people, tags, per_key: int, *, now=None) -> RawSQL:
    """Ids of the newest `per_key` stories published by now among those of these
    people and tags, as a subquery: one short index range per key (its newest
    `per_key`), then the newest `per_key` of them all by the links' publish times.

    Raw SQL because the ORM cannot say "newest N per key" as one subquery on
    SQLite, and composing it from one sliced queryset per key cost more to build
    than the database took to run it. On PostgreSQL the keys go as two arrays, so
    the statement is the same whatever the story's number of people and tags: it
    is planned once and kept prepared (a UNION of one branch per key took longer
    to plan than to run)."""
    now = connection.ops.adapt_datetimefield_value(now or timezone.now())
    links = (
        (people, Mention, "person", "article"),
        (tags, TaggedArticle, "tag", "content_object"),
    )
    parts, params = [], []
    if connection.vendor == "postgresql":
        for keys, *link in links:
            parts.append(_newest_per_key_lateral_sql(*link))
            params += [list(keys), now, per_key]
    else:
        for keys, *link in links:
            sql = _newest_per_key_sql(*link)
            for key in keys:
                parts.append(sql)
                params += [key, now, per_key]
    return _newest_of_all(parts, params, per_key)


def _newest_of_all(parts, params, per_key: int) -> RawSQL:
    """Only the newest `per_key` of the keys' stories, by the links' own publish
    times: the stories are then read by id for those alone, not for every key's
    few."""
    return RawSQL(
        f"SELECT story FROM ({' UNION ALL '.join(parts)}) AS linked "
        "GROUP BY story, published ORDER BY published DESC, story DESC LIMIT %s",
        [*params, per_key],
    )


def newest_stories_linked_to_story_at(slug: str, per_key: int, *, now) -> RawSQL:
    """PostgreSQL only: `newest_linked_stories()` of the people and tags of the
    story at `slug`, found inside the same statement (the story's page reads its
    related stories in its own query: see `articles.story_page`). The story
    itself may be among them."""
    now = connection.ops.adapt_datetimefield_value(now)
    parts, params = [], []
    for link in (
        (Mention, "person", "article"),
        (TaggedArticle, "tag", "content_object"),
    ):
        parts.append(
            _newest_per_key_lateral_sql(*link, keys=_keys_of_story_at_sql(*link))
        )
        params += [slug, now, per_key]
    return _newest_of_all(parts, params, per_key)


class StoryLinkQuerySet(models.QuerySet):
    """Rows of a `StoryLink` model, read in the order of their publish-time index."""

    def published_by_now(self, *, now=None):
        """Links to stories published by now, as the links record it."""
        return self.filter(published_at__lte=now or timezone.now())

    def newest_first(self):
        """Newest story first, ties broken by story id: the index's order."""
        return self.order_by("-published_at", f"-{self.model.STORY_FIELD}_id")


class StoryLink(LoadsWithoutInit, models.Model):
    """A row linking a story to a tag or a person (TaggedArticle, Mention) that
    copies the story's publish time while it is published, else empty: kept by
    Article.save(), by save() here and by `refresh_story_links()`, so that a tag's or
    a person's page is one range of an index (key, publish time, story), newest
    first, instead of a walk through every story they are linked to. Readers'
    queries still apply Article.published() to the stories."""

    STORY_FIELD = "article"  # the foreign key to the story

    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is None or "published_at" in fields:
            story = getattr(self, self.STORY_FIELD)
            self.published_at = story.published_time_for_links()
        super().save(*args, **kwargs)


class TaggedArticle(StoryLink, TaggedItemBase):  # noqa: DJ008 (ItemBase.__str__)
    STORY_FIELD = "content_object"

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)

    objects = NaturalKeyManager.from_queryset(StoryLinkQuerySet)()

    class Meta:
        indexes = [
            models.Index(
                fields=["tag", "-published_at", "-content_object"],
                name="taggedarticle_tag_pub_idx",
            )
        ]


def tags_readers_see(*, now=None):
    """Tags on at least one story published by `now`: the only ones with a feed.
    A tag known only from a hidden story must not answer where an unknown one
    gives a 404: its address is its name, and would confirm the story's subject."""
    links = TaggedArticle.objects.filter(tag=models.OuterRef("pk"))
    return Tag.objects.filter(models.Exists(links.published_by_now(now=now)))


# The publish times a story may be given. A mistyped year stored as it was (9999,
# New York time: 10,000 in UTC) could never be read back into a Python datetime, and
# every query that loaded the story, the page cache's look for the next scheduled
# story among them, failed from then on.
EARLIEST_PUBLISH_TIME = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
LATEST_PUBLISH_TIME = datetime.datetime(2200, 1, 1, tzinfo=datetime.UTC)


def validate_publish_time(value):
    if not EARLIEST_PUBLISH_TIME <= value < LATEST_PUBLISH_TIME:
        raise ValidationError(
            "Give a publish time between the years 1900 and 2199.",
            code="out_of_range",
        )


# The columns `Article._reading()` compares, in its order.
_READING_COLUMNS = dict.fromkeys(["status", "published_at", "headline", "dek", "body"])


class Article(LoadsWithoutInit, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    headline = PlainCharField(max_length=200)
    slug = PlainSlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="The story's address; keep it short. Made from the headline when "
        "left empty.",
    )
    dek = PlainTextField(
        "dek",
        max_length=400,
        blank=True,
        help_text="The standfirst under the headline: one or two sentences.",
    )
    body = SanitizedHTMLField(
        blank=True,
        help_text="Paste or write the story: paragraphs, headings, links, emphasis, "
        "lists and quotes are kept; anything else is removed when the story is "
        "saved. Plain text becomes paragraphs at its blank lines.",
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles"
    )
    lead_image = UploadedImageField(
        upload_to=RandomName("articles/%Y/%m/"),
        name_field="lead_image_name",
        blank=True,
    )
    lead_image_name = PlainCharField(
        "uploaded as",
        max_length=ORIGINAL_NAME_LENGTH,
        blank=True,
        editable=False,
        help_text="The lead image's file name when it was uploaded; it is stored "
        "under a random name.",
    )
    lead_image_caption = PlainCharField("caption", max_length=300, blank=True)
    lead_image_credit = PlainCharField("credit", max_length=200, blank=True)
    lead_image_alt = PlainCharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. "
        "Required with an image.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        help_text="A future time schedules the story. "
        "Set to now when published without one.",
        validators=[validate_publish_time],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revised_at = models.DateTimeField(
        "updated for readers",
        null=True,
        blank=True,
        editable=False,
        help_text="When the headline, dek or text of the story last changed while "
        "it was live; readers see “Updated” with this time.",
    )
    correction = PlainTextField(
        "correction note",
        max_length=1000,
        blank=True,
        help_text="Shown to readers under the story when set: what was wrong and "
        "what was changed.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="articles_created",
        help_text="The reporter who started the story; reporters edit only their own.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who sent the story for review and when: the desk's review queue.
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lock_version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up with every save, so that two editors cannot overwrite each "
        "other.",
    )
    # The byline as readers see it, [[name, slug], ...] in the order it reads:
    # every listing shows twenty, and reading them from Byline and Person was a
    # fifth of the database's time for a page of stories. Written only by
    # `refresh_byline_credits()`, after any change to a story, its bylines or a
    # journalist (`articles.apps`).
    byline_credits = models.JSONField(default=list, editable=False)

    people = models.ManyToManyField(
        Person, through="Mention", related_name="articles", blank=True
    )
    races = models.ManyToManyField(
        Race,
        through="RaceCoverage",
        related_name="articles",
        blank=True,
        help_text="The races this story covers.",
    )
    tags = TaggableManager(through=TaggedArticle, blank=True, manager=FoldingTagManager)

    # Weighted headline > dek > body; kept up to date by a PostgreSQL trigger (see
    # migration 0003) and always empty on SQLite, where search falls back to LIKE.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            (
                "publish_article",
                "Can publish, schedule, unpublish and edit published stories",
            ),
        ]
        indexes = [
            # Serves "latest published": equality on status, then the newest first.
            models.Index(
                fields=["status", "-published_at", "-id"], name="article_status_pub_idx"
            ),
            # Serves the editors' story list, newest first whatever the status.
            models.Index(fields=["-published_at", "-id"], name="article_pub_idx"),
            # Serves the story list sorted by headline (a click on its header): a
            # sort of the whole archive took 110 ms at 100,000 stories.
            models.Index(fields=["headline", "-id"], name="article_headline_idx"),
            # Serves the story list sorted by section: its page's ids are read from
            # this index alone (see `CappedCountPaginator.page`), not by sorting
            # every story's row.
            models.Index(fields=["section", "-id"], name="article_section_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published")
                | models.Q(published_at__isnull=False),
                name="article_published_has_time",
                violation_error_message="A published story needs a publish time.",
            )
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        stored_slug = getattr(self, "_stored_slug", None)
        self._note_revision(kwargs)
        with transaction.atomic():
            save_with_unique_slug(self, self.headline, super().save, *args, **kwargs)
            if stored_slug and stored_slug != self.slug:
                ArticleSlug.objects.filter(slug=self.slug).delete()
                ArticleSlug.objects.update_or_create(
                    slug=stored_slug, defaults={"article": self}
                )
            published_at = self.published_time_for_links()
            for link in STORY_LINKS:
                link.objects.filter(**{link.STORY_FIELD: self}).update(
                    published_at=published_at
                )
        self._stored_slug = self.slug
        self._stored_reading = self._reading()

    def get_absolute_url(self, *, zone=None, reverse=cached_reverse):
        # Remembered per (slug, time): a listing asks for each story's URL several
        # times; cached_reverse() remembers it across requests too. A listing
        # passes the time zone and a bound reverse (`articles.teasers`).
        when = self.published_at or self.created_at
        memo = self.__dict__.get("_url_memo")
        if when is not None and memo and memo[0] == (self.slug, when):
            return memo[1]
        url = story_url(self.slug, when or timezone.now(), zone=zone, reverse=reverse)
        self._url_memo = ((self.slug, when), url)
        return url

    def _reading(self):
        """(status, publish time, headline, dek, body) as loaded or set, to tell
        a substantive edit of a live story from any other save; None when a
        column was not loaded (never a query)."""
        loaded = self.__dict__
        if not _READING_COLUMNS.keys() <= loaded.keys():
            return None
        return tuple(loaded[name] for name in _READING_COLUMNS)

    def _note_revision(self, save_kwargs):
        """Set `revised_at` when the headline, dek or text of a story that was
        live when loaded, and still is, changed (markup, tags and people do not
        count)."""
        before = getattr(self, "_stored_reading", None)
        after = self._reading()
        if before is None or after is None or before == after:
            return
        status, published_at, *text_before = before
        now = timezone.now()
        if not (
            status == self.Status.PUBLISHED
            and published_at is not None
            and published_at <= now
            and self.status == self.Status.PUBLISHED
        ):
            return
        if reader_text(*after[2:]) == reader_text(*text_before):
            return
        self.revised_at = now
        update_fields = save_kwargs.get("update_fields")
        if update_fields is not None:
            save_kwargs["update_fields"] = {*update_fields, "revised_at"}

    def races_covered(self):
        """The races this story covers, each with its result (see `with_result`);
        no query for a story that `for_detail()` found covers none, or whose page
        statement found them (`articles.story_page`)."""
        if not getattr(self, "has_races", True):
            return []
        if "races_found" in self.__dict__:
            return self.races_found
        rows = RACES_COVERED.rows(story=self.pk)
        race_columns = columns(Race)
        split = len(race_columns)
        races = []
        for values in rows:
            race = instance(Race, race_columns, values[:split], rows.db)
            race.last_round_json, race.winner_json = values[split:]
            races.append(race)
        return races

    def published_time_for_links(self):
        """What this story's tag links record: its publish time while published."""
        return self.published_at if self.status == self.Status.PUBLISHED else None

    @cached_property
    def credits(self):
        """The bylines in order, as `Credit`s (from `byline_credits`; a listing
        loaded from a compiled statement's rows sets them from its own)."""
        return [Credit(name, slug) for name, slug in self.byline_credits]

    @cached_property
    def people_mentions(self):
        """The mentions, each with its person, in the order of the people's names.
        `for_detail()` sets this; a story fetched any other way asks here."""
        attach_people_mentions([self])
        return self.__dict__["people_mentions"]

    @cached_property
    def tag_links(self):
        """The tags by name, as `TagLink`s. Querysets made `with_tag_links()` set
        this for a whole list in one query; a story fetched any other way asks here."""
        attach_tag_links([self])
        return self.__dict__["tag_links"]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember the stored slug, so that a change of slug can keep the old URL.
        instance._stored_slug = instance.__dict__.get("slug")
        # And what readers read, so that a substantive edit shows "Updated".
        instance._stored_reading = instance._reading()
        return instance

    def clean(self):
        super().clean()
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.lead_image and not self.lead_image_alt.strip():
            raise ValidationError(
                {
                    "lead_image_alt": "Describe the lead image for readers who cannot "
                    "see it."
                }
            )

    @property
    def is_published(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )


# What a teaser shows of a story (`articles.teasers`, the front page's lead story):
# its address (slug, publish or creation time), headline, dek, picture, section.
# Never the body; not the editing columns either (status, who and when, captions):
# every listing loads twenty rows of these.
LISTING_COLUMNS = [
    "id",
    "headline",
    "slug",
    "dek",
    "section_id",
    "lead_image",
    "lead_image_alt",
    "published_at",
    "created_at",
]
SECTION_COLUMNS = columns(Section)
# A teaser's row in a compiled statement: the story's listing columns, then its
# section's, then its bylines (`Article.byline_credits` as text,
# `ArticleQuerySet.teaser_rows()`).
TEASER_ROW = (*LISTING_COLUMNS, *related_columns("section", Section), "credits_json")
CREDITS_IN_TEASER_ROW = len(TEASER_ROW) - 1

RACE_COVERAGE = Statement(
    lambda race, now: (
        Article.objects.published(now=now)
        .of_links_page(
            RaceCoverage.objects.filter(race_id=race)
            .published_by_now(now=now)
            .newest_first()
            .values_list("article_id")[:20]
        )
        .teaser_rows()
    ),
    race=int,
    now=datetime.datetime,
)


SECTION_FIELD = Article._meta.get_field("section")


def story_in_section(story_columns, values, db, sections=None) -> "Article":
    """A story loaded from a row of its `story_columns` then its section's
    (`SECTION_COLUMNS`), as `select_related("section")` loads it. `sections`: the
    sections a list's earlier stories loaded, by id, to share (a listing's stories
    share a few sections: one instance each)."""
    split = len(story_columns)
    story = instance(Article, story_columns, values[:split], db)
    section = None if sections is None else sections.get(story.section_id)
    if section is None:
        section = instance(
            Section, SECTION_COLUMNS, values[split : split + len(SECTION_COLUMNS)], db
        )
        if sections is not None:
            sections[story.section_id] = section
    # What `story.section = section` leaves behind, without its checks (the
    # section is the one the row names, read from the same database): a
    # listing does this twenty times.
    SECTION_FIELD.set_cached_value(story, section)
    return story


def teasers_with_roles(rows, *, pictures=()) -> list["Article"]:
    """`teasers()` of `teaser_rows_with_roles()` rows, each with the labels of the
    roles the person plays in it (`roles_of_person`: "Candidate", "Quoted")."""
    stories = teasers(rows, pictures=pictures)
    roles = text_rows_of([values[-1] for values in rows], vendor=rows.vendor)
    for story, story_roles in zip(stories, roles, strict=True):
        story.roles_of_person = [ROLE_LABELS.get(role, role) for (role,) in story_roles]
    return stories


def teasers(rows, *, pictures=()) -> list["ListedStory"]:
    """Stories from a statement's `TEASER_ROW` rows, as `for_teasers()` gives them
    (`ListedStory`: each made a story only when something asks for more than its
    teaser is kept by): section, bylines (`credits`) and thumbnails' renditions
    found, with those of the page's other `pictures` (a person's portrait) in the
    same cache round trip."""
    sections = {}
    credits = loads_many(values[CREDITS_IN_TEASER_ROW] for values in rows)
    stories = [
        ListedStory(values, story_credits, rows.db, sections)
        for values, story_credits in zip(rows, credits, strict=True)
    ]
    renditions_for_many([*(story.lead_image for story in stories), *pictures])
    return stories


LEAD_IMAGE_FIELD = Article._meta.get_field("lead_image")
PUBLISHED_IN_TEASER_ROW = LISTING_COLUMNS.index("published_at")
LEAD_IMAGE_IN_TEASER_ROW = LISTING_COLUMNS.index("lead_image")
# What a listed story holds itself; anything else is its story's.
LISTED_STORY_OWN = frozenset(
    {"teaser_row", "pk", "id", "published_at", "lead_image", "_credit_rows", "_db",
     "_sections", "story", "credits"}
)  # fmt: skip


class ListedStory:
    """A story of a listing, as its statement's row (`TEASER_ROW`) gave it: what its
    kept teaser is found by (`articles.teasers`: id, publish time, row, picture),
    and the `Article` itself, made from the row the first time anything asks for
    more (a teaser drawn afresh, the front page's lead story: `headline`,
    `section`, `get_absolute_url()` are the story's). The teasers at the top of
    every listing are kept: making twenty stories and their sections for them
    took about a twentieth of a listing's time."""

    def __init__(self, values, credit_rows, db, sections):
        self.teaser_row = values  # what its teaser is kept by
        self.pk = self.id = values[0]
        self.published_at = values[PUBLISHED_IN_TEASER_ROW]
        # The picture as `detached_file()` makes it: the story made later shows
        # the same file, its renditions found.
        self.lead_image = unlinked_file(
            LEAD_IMAGE_FIELD, values[LEAD_IMAGE_IN_TEASER_ROW]
        )
        self._credit_rows, self._db, self._sections = credit_rows, db, sections

    @cached_property
    def credits(self) -> list[Credit]:
        return [Credit(*row) for row in self._credit_rows]

    @cached_property
    def story(self) -> Article:
        story = story_in_section(
            LISTING_COLUMNS, self.teaser_row, self._db, self._sections
        )
        story.__dict__["lead_image"] = self.lead_image
        story.credits = self.credits
        story.teaser_row = self.teaser_row
        return story

    def __getattr__(self, name):
        if name in LISTED_STORY_OWN or name.startswith("__"):
            # Not set (a copy being made): not the story's to answer.
            raise AttributeError(name)
        return getattr(self.story, name)

    def __eq__(self, other):
        if isinstance(other, ListedStory):
            other = other.story
        return self.story == other

    def __hash__(self):
        return hash(self.pk)  # as its story's (`Model.__hash__`)

    def __repr__(self):
        return f"<ListedStory {self.pk}>"


def covers_races():
    """An annotation: whether a story covers any race (see `races_covered()`)."""
    return models.Exists(
        Article.races.through.objects.filter(article=models.OuterRef("pk"))
    )


# A story's races with their results (`Race.objects.with_result()`), compiled once:
# resolving and compiling its subqueries cost more than running them.
RACES_COVERED = Statement(
    lambda story: (
        races_with_result()
        .filter(articles=story)
        .values_list(*columns(Race), "last_round_json", "winner_json")
    ),
    story=int,
)


def refresh_story_links(article_ids=None, *, link_models=None) -> None:
    """Copy stories' publish state onto their tag links, mentions and race links
    (or only those of `link_models`) again, after a change that did not go through
    Article.save() (a queryset update(), a bulk load)."""
    for link in STORY_LINKS if link_models is None else link_models:
        story_field = f"{link.STORY_FIELD}_id"
        rows = link.objects.all()
        if article_ids is not None:
            rows = rows.filter(**{f"{story_field}__in": article_ids})
        published = Article.objects.filter(
            pk=models.OuterRef(story_field), status=Article.Status.PUBLISHED
        )
        rows.update(published_at=models.Subquery(published.values("published_at")[:1]))


class ArticleSlug(models.Model):
    """A slug a story used to have: its old address answers with a redirect."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="old_slugs"
    )
    slug = PlainSlugField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "old slug"

    def __str__(self):
        return self.slug


class Byline(LoadsWithoutInit, models.Model):
    """A journalist credited on a story, in the order the byline reads."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="bylines"
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="bylines",
        limit_choices_to={"kind": Person.Kind.JOURNALIST},
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "person"], name="byline_unique_person"
            )
        ]

    def __str__(self):
        # Only the person: the admin prints this once per inline row.
        return str(self.person)

    def clean(self):
        super().clean()
        if self.person_id and self.person.kind != Person.Kind.JOURNALIST:
            raise ValidationError(
                {"person": "Only journalists can be credited in a byline."}
            )


# Stories a refresh reads and writes at a time: well inside PostgreSQL's 65,535
# parameters a statement, however many stories a journalist has.
CREDITS_REFRESH_BATCH = 5_000


def refresh_byline_credits(article_ids) -> None:
    """Write the stories' `byline_credits` again from their bylines and the people
    in them, where they differ: after any change to a story, its bylines or a
    journalist's name or address (receivers in `articles.apps`; a queryset
    `update()` or bulk insert of bylines calls this itself).

    A story whose credits changed is locked before they are read again and
    written, so that two editors changing one story's bylines at once leave the
    later one's full list: the later waits for the earlier to commit, then reads
    both its own bylines and the earlier's."""
    ids = sorted(set(article_ids))
    for start in range(0, len(ids), CREDITS_REFRESH_BATCH):
        batch = ids[start : start + CREDITS_REFRESH_BATCH]
        if not _changed_credits(batch):
            continue
        with transaction.atomic():
            locked = list(
                Article.objects.filter(pk__in=batch)
                .select_for_update(no_key=True)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            by_credits = defaultdict(list)
            for pk, credits in _changed_credits(locked).items():
                by_credits[tuple(map(tuple, credits))].append(pk)
            for credits, pks in by_credits.items():
                Article.objects.filter(pk__in=pks).update(
                    byline_credits=[list(credit) for credit in credits]
                )


def _changed_credits(article_ids) -> dict[int, list]:
    """{story id: its credits as its bylines make them} of the stories among
    `article_ids` whose stored `byline_credits` differ."""
    stored = dict(
        Article.objects.filter(pk__in=article_ids).values_list("pk", "byline_credits")
    )
    made = {pk: [] for pk in stored}
    bylines = (
        Byline.objects.filter(article_id__in=stored)
        .order_by("position", "id")
        .values_list("article_id", "person__name", "person__slug")
    )
    for article_id, name, slug in bylines:
        made[article_id].append([name, slug])
    return {pk: credits for pk, credits in made.items() if credits != stored[pk]}


class Mention(StoryLink):
    """A person in a story, and the part they play in it."""

    class Role(models.TextChoices):
        SUBJECT = "subject", "Subject"
        CANDIDATE = "candidate", "Candidate"
        ENDORSER = "endorser", "Endorser"
        DONOR = "donor", "Donor"
        QUOTED = "quoted", "Quoted"
        MENTIONED = "mentioned", "Mentioned"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="mentions"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="mentions"
    )
    role = PlainCharField(max_length=20, choices=Role.choices, default=Role.MENTIONED)
    note = PlainCharField(
        max_length=200, blank=True, help_text="Optional: “recorded a radio ad”."
    )

    objects = StoryLinkQuerySet.as_manager()

    class Meta:
        ordering = ["person__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "person", "role"], name="mention_unique_role"
            )
        ]
        indexes = [
            models.Index(fields=["person", "article"], name="mention_person_idx"),
            models.Index(
                fields=["person", "-published_at", "-article"],
                name="mention_person_pub_idx",
            ),
        ]

    def __str__(self):
        # No article here: the admin prints this once per inline row.
        return f"{self.person} ({self.get_role_display()})"


# What pages call each role: `get_role_display()` without rebuilding its choices.
ROLE_LABELS = dict(Mention.Role.choices)


class RaceCoverage(StoryLink):
    """A story covering a race (`Article.races`), with the story's publish time
    (see StoryLink): a race's page reads its newest stories as one range of an
    index, not every story it was ever in sorted (a marquee race's thousands). The
    table is the one Django made for `Article.races` before it had this model."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="race_links"
    )
    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="story_links")

    objects = StoryLinkQuerySet.as_manager()

    class Meta:
        db_table = "articles_article_races"
        unique_together = [("article", "race")]
        indexes = [
            models.Index(
                fields=["race", "-published_at", "-article"],
                name="racecoverage_race_pub_idx",
            )
        ]
        verbose_name = "race covered"
        verbose_name_plural = "races covered"

    def __str__(self):
        return str(self.race)


# The models whose rows copy their story's publish time (see StoryLink).
STORY_LINKS = (TaggedArticle, Mention, RaceCoverage)


def race_links_added(*, action, instance, reverse, pk_set, **kwargs):
    """An `m2m_changed` receiver for `Article.races`: the links `add()` (or `set()`)
    just wrote in bulk get their stories' publish time (connected in
    `ArticlesConfig.ready`)."""
    if action != "post_add" or not pk_set:
        return
    stories = list(pk_set) if reverse else [instance.pk]
    refresh_story_links(stories, link_models=[RaceCoverage])


def story_saved_credits(*, instance, **kwargs):
    """A `post_save` receiver for `Article`: a save writes the credits the
    instance held, which a byline change since it was loaded may have outdated;
    a reverted version or a fixture brings its own."""
    refresh_byline_credits([instance.pk])


def byline_saved_credits(*, instance, **kwargs):
    """A `post_save` receiver for `Byline`: its story's credits."""
    refresh_byline_credits([instance.article_id])


def byline_deleted_credits(*, instance, origin=None, **kwargs):
    """A `post_delete` receiver for `Byline`: its story's credits, unless the
    story is going too (a thousand stories deleted at once would each be
    refreshed for nothing)."""
    deleting_stories = isinstance(origin, Article) or (
        isinstance(origin, models.QuerySet) and origin.model is Article
    )
    if not deleting_stories:
        refresh_byline_credits([instance.article_id])


def journalist_saved_credits(*, instance, **kwargs):
    """A `post_save` receiver for `Person`: the credits of the stories they
    have a byline on, which show their name and address."""
    stories = Byline.objects.filter(person_id=instance.pk).values_list(
        "article_id", flat=True
    )
    refresh_byline_credits(list(stories))


class MentionDecision(models.Model):
    """An editor's answer to a suggestion that a person is in a story.

    A rejected person is not suggested again for the story until the text about
    them changes (the fingerprint of the sentences that name them)."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Linked"
        REJECTED = "rejected", "Not this person"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="decisions"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="mention_decisions"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    fingerprint = models.CharField(max_length=64, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "person"], name="decision_unique_per_story"
            )
        ]
        indexes = [
            models.Index(fields=["person", "decision"], name="decision_person_idx")
        ]

    def __str__(self):
        return f"{self.person}: {self.get_decision_display()} in {self.article_id}"


class RelationshipSourceQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """Sources in stories a reader may see (`Article.objects.published()`)."""
        return self.filter(article__in=Article.objects.published(now=now).values("pk"))

    def for_person_page(self, person: int, *, now=None):
        """The "Backed by" and "Backed" sections of a person's page
        (`articles.relationships`); one query."""
        from articles.relationships import person_relationships

        return person_relationships(person, now=now)

    def for_race_page(self, race: int, *, now=None):
        """Each candidate's backers on a race's page (`articles.relationships`);
        one query."""
        from articles.relationships import race_relationships

        return race_relationships(race, now=now)


class RelationshipSource(models.Model):
    """A story that reports a relationship (`people.Relationship`), with the
    sentence that says so. One source of each relationship is its primary one,
    the story a reader is sent to first."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="sources"
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="relationship_sources",
        verbose_name="story",
    )
    quote = PlainTextField(
        "quoted sentence",
        help_text="The story's sentence that reports it, word for word.",
    )
    is_primary = models.BooleanField(
        "primary source",
        default=False,
        help_text="The story readers are sent to first. One per relationship: "
        "ticking it here unticks it on the other story.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RelationshipSourceQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name = "relationship this story reports"
        verbose_name_plural = "relationships this story reports"
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "article"],
                name="relationshipsource_once_per_story",
                violation_error_message="This story is already a source of that "
                "relationship.",
            ),
            models.UniqueConstraint(
                fields=["relationship"],
                condition=models.Q(is_primary=True),
                name="relationshipsource_one_primary",
                violation_error_message="That relationship has a primary source "
                "already.",
            ),
        ]

    def __str__(self):
        return f"{self.relationship} (story {self.article_id})"


# Revisions: every save of a story keeps its text, people, bylines and tags.
reversion.register(
    Article,
    follow=["mentions", "bylines", "taggedarticle_set", "race_links"],
    exclude=["search_vector", "lock_version", "updated_by", "byline_credits"],
)
reversion.register(Mention)
reversion.register(Byline)
reversion.register(TaggedArticle)
reversion.register(RaceCoverage)
