"""Stories, the sections they run in, and the people and races they are about.

The querysets that read them are in `articles.querysets`; the receivers that keep
their copied columns (publish times on links, byline credits) in
`articles.receivers`."""

import datetime
from dataclasses import dataclass
from functools import cached_property

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import NaturalKeyManager, TaggedItemBase

from articles.body_text import reader_text
from articles.querysets import ArticleQuerySet, StoryLinkQuerySet
from articles.sanitizer import SanitizedHTMLField
from core.reversing import cached_reverse
from core.text import PlainCharField, PlainSlugField, PlainTextField
from core.uploads import ORIGINAL_NAME_LENGTH, RandomName, UploadedImageField
from people.models import (
    Person,
    PersonRole,
    Race,
    Relationship,
    races_with_result,
    save_with_unique_slug,
)
from tagging.managers import FoldingTagManager


class Section(models.Model):
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


@dataclass(frozen=True, slots=True)
class TagLink:
    """A tag as a story shows it: name and address (`pk` for related stories)."""

    pk: int
    name: str
    slug: str

    def get_absolute_url(self, *, reverse=cached_reverse):
        return reverse("articles:tag", slug=self.slug)


def story_url(slug: str, when, *, zone=None, reverse=cached_reverse) -> str:
    """A story's address: the day it was published (in the newsroom's time zone,
    or `zone`), then its slug (`reverse`: see `core.reversing`)."""
    day = timezone.localtime(when, zone)
    return reverse(
        "articles:detail",
        year=day.year,
        month=f"{day.month:02d}",
        day=f"{day.day:02d}",
        slug=slug,
    )


class StoryLink(models.Model):
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


# The columns a teaser is drawn from (`Article.teaser_row`), with its section's.
TEASER_COLUMNS = [
    "id",
    "headline",
    "slug",
    "dek",
    "section_id",
    "lead_image",
    "lead_image_alt",
    "published_at",
    "created_at",
    "byline_credits",
]

# The columns `Article._reading()` compares, in its order.
_READING_COLUMNS = dict.fromkeys(["status", "published_at", "headline", "dek", "body"])


def role_held_on(moment):
    """The title of the role a mention's person held on `moment`'s day (in the
    newsroom's time zone; today for none): a subquery, no query of its own."""
    day = timezone.localdate(moment) if moment else timezone.localdate()
    roles = PersonRole.objects.filter(
        person=models.OuterRef("person_id"), start_date__lte=day
    ).filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=day))
    return models.Subquery(roles.order_by("-start_date", "-id").values("title")[:1])


class Article(models.Model):
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
        self.remember_stored()

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

    @property
    def teaser_row(self):
        """What this story's teaser is drawn from, as a listing loads it
        (`for_listing()`): the key `articles.teasers` keeps the drawn teaser by.
        None for a story loaded otherwise."""
        loaded = self.__dict__
        if not all(name in loaded for name in TEASER_COLUMNS):
            return None
        values = [loaded[name] for name in TEASER_COLUMNS]
        values[TEASER_COLUMNS.index("lead_image")] = str(loaded["lead_image"] or "")
        return (*values, self.section.name, self.section.slug)

    def remember_stored(self):
        """Note the stored slug, so that a change of slug keeps the old address,
        and what readers read, so that a substantive edit shows "Updated": for a
        story loaded from the database (`articles.receivers.story_loaded`)."""
        self._stored_slug = self.__dict__.get("slug")
        self._stored_reading = self._reading()

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
        no query for a story that `for_detail()` found covers none."""
        if not getattr(self, "has_races", True):
            return []
        return list(races_with_result().filter(articles=self))

    def published_time_for_links(self):
        """What this story's tag links record: its publish time while published."""
        return self.published_at if self.status == self.Status.PUBLISHED else None

    @cached_property
    def credits(self):
        """The bylines in order, as `Credit`s, from the story's own row
        (`byline_credits`): a listing's bylines cost no query."""
        return [Credit(name, slug) for name, slug in self.byline_credits]

    @cached_property
    def people_mentions(self):
        """The mentions, each with its person, in the order of the people's
        names: one query. (Read from `Mention`, not `self.mentions`, whose rows
        would point back at this story: a reference cycle, freed by the garbage
        collector instead of with the request.)"""
        mentions = list(
            Mention.objects.filter(article_id=self.pk)
            .select_related("person")
            .only(*MENTION_FIELDS)
            .annotate(role_then=role_held_on(self.published_at))
            .order_by("person__name", "role")
        )
        for mention in mentions:
            # The role the person held on the story's day (`PersonRole`).
            mention.person.role_then = mention.role_then
        return mentions

    @cached_property
    def tag_links(self):
        """The tags by name, as `TagLink`s: from the rows `with_tag_links()`
        fetched for a whole list, else one query."""
        rows = self.__dict__.get("tag_rows")
        if rows is not None:
            return [TagLink(row.tag_id, row.tag.name, row.tag.slug) for row in rows]
        links = (
            TaggedArticle.objects.filter(content_object_id=self.pk)
            .order_by("tag__name", "tag_id")
            .values_list("tag_id", "tag__name", "tag__slug")
        )
        return [TagLink(*values) for values in links]

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


class Byline(models.Model):
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
# What a story page shows of its mentions and their people: the people box, the
# linked body, the JSON-LD.
MENTION_FIELDS = [
    "article",
    "role",
    "note",
    "person",
    "person__name",
    "person__slug",
    "person__kind",
    "person__photo",
]


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
