"""People in the news, and the races they run in.

A race is one contest for one office in one cycle; its rounds (primary, runoff…)
are elections, and a candidacy is one person on the ballot of one round. Vote
shares are never stored: they are computed from the votes of the round.
"""

import datetime
import functools
import random
import re
from typing import NamedTuple

import reversion
from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import IntegrityError, models, transaction
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, JSONObject, NullIf
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from core.reversing import cached_reverse
from core.text import (
    PlainCharField,
    PlainSlugField,
    PlainTextField,
    PlainURLField,
)
from core.uploads import ORIGINAL_NAME_LENGTH, RandomName, UploadedImageField
from tagging.managers import FoldingTagManager


class Party(models.TextChoices):
    DEMOCRATIC = "D", "Democratic"
    REPUBLICAN = "R", "Republican"
    INDEPENDENT = "I", "Independent"
    LIBERTARIAN = "L", "Libertarian"
    GREEN = "G", "Green"
    OTHER = "O", "Other"


class State(models.TextChoices):
    AL = "AL", "Alabama"
    AK = "AK", "Alaska"
    AZ = "AZ", "Arizona"
    AR = "AR", "Arkansas"
    CA = "CA", "California"
    CO = "CO", "Colorado"
    CT = "CT", "Connecticut"
    DE = "DE", "Delaware"
    DC = "DC", "District of Columbia"
    FL = "FL", "Florida"
    GA = "GA", "Georgia"
    HI = "HI", "Hawaii"
    ID = "ID", "Idaho"
    IL = "IL", "Illinois"
    IN = "IN", "Indiana"
    IA = "IA", "Iowa"
    KS = "KS", "Kansas"
    KY = "KY", "Kentucky"
    LA = "LA", "Louisiana"
    ME = "ME", "Maine"
    MD = "MD", "Maryland"
    MA = "MA", "Massachusetts"
    MI = "MI", "Michigan"
    MN = "MN", "Minnesota"
    MS = "MS", "Mississippi"
    MO = "MO", "Missouri"
    MT = "MT", "Montana"
    NE = "NE", "Nebraska"
    NV = "NV", "Nevada"
    NH = "NH", "New Hampshire"
    NJ = "NJ", "New Jersey"
    NM = "NM", "New Mexico"
    NY = "NY", "New York"
    NC = "NC", "North Carolina"
    ND = "ND", "North Dakota"
    OH = "OH", "Ohio"
    OK = "OK", "Oklahoma"
    OR = "OR", "Oregon"
    PA = "PA", "Pennsylvania"
    RI = "RI", "Rhode Island"
    SC = "SC", "South Carolina"
    SD = "SD", "South Dakota"
    TN = "TN", "Tennessee"
    TX = "TX", "Texas"
    UT = "UT", "Utah"
    VT = "VT", "Vermont"
    VA = "VA", "Virginia"
    WA = "WA", "Washington"
    WV = "WV", "West Virginia"
    WI = "WI", "Wisconsin"
    WY = "WY", "Wyoming"
    US = "US", "United States (nationwide)"


def unique_slug(
    model, value: str, *, instance_pk=None, max_length: int = 200, skip: int = 0
) -> str:
    """A readable ASCII slug of `value` ("Путин" → "putin", "习近平" → "xijinping"),
    with -2, -3… added until no other row of `model` uses it; with `skip`, the free
    one after `skip` others that are free too."""
    base = slugify(anyascii(value))[:max_length].strip("-") or "item"
    candidate, counter = base, 2
    others = model._default_manager.exclude(pk=instance_pk)
    while True:
        if not others.filter(slug=candidate).exists():
            if not skip:
                return candidate
            skip -= 1
        suffix = f"-{counter}"
        candidate = f"{base[: max_length - len(suffix)]}{suffix}"
        counter += 1


# Saves of the same name at the same moment all pick the same free slug; one wins
# and the others pick again. Each round, the losers spread over more of the free
# slugs after it (one, two, four… at random), so N of them need about log2(N)
# rounds, not N. A save that loses every round is refused (IntegrityError: the
# admin shows it as a form error).
SLUG_ATTEMPTS = 10
SLUG_SPREAD_MAX = 64


def save_with_unique_slug(instance, source: str, save, *args, **kwargs):
    """Save `instance`, making its slug from `source` when it has none. Two saves at
    once may pick the same slug; the loser picks another free one and tries again,
    in a savepoint, so that the transaction around it goes on."""
    if instance.slug:
        return save(*args, **kwargs)
    model = type(instance)
    for attempt in range(SLUG_ATTEMPTS):
        spread = min(2**attempt, SLUG_SPREAD_MAX)
        instance.slug = unique_slug(
            model, source, instance_pk=instance.pk, skip=random.randrange(spread)
        )
        try:
            with transaction.atomic():
                return save(*args, **kwargs)
        except IntegrityError:
            taken = model._default_manager.filter(slug=instance.slug)
            instance.slug = ""
            if (
                attempt + 1 == SLUG_ATTEMPTS
                or not taken.exclude(pk=instance.pk).exists()
            ):
                raise
    return None


SHOW_WITHOUT_STORIES_HELP = (
    "Show on the reader site before any published story is about them (a candidate "
    "entered ahead of coverage). Otherwise readers see this only once a published "
    "story links to it."
)


def _published_stories(model, now):
    """The ids of the stories published by `now`, reached through `model`'s reverse
    relation `articles` (`people` does not import `articles`): `published()` decides."""
    story = model._meta.get_field("articles").related_model
    return story.objects.published(now=now).values("pk")


def _public(model, prefix, links, now) -> ExpressionWrapper:
    """Whether the `model` row at `prefix` (a path from the rows filtered, "" for
    the rows themselves) is visible to readers: switched on by an editor, or linked
    by one of `links` (reverse relations to link tables) to a story published by
    `now` (the link's copy of its publish time where it keeps one, then the story
    itself: `published()`).

    Each link is looked up as "the first such link, if any", not EXISTS: for a
    list of people PostgreSQL turned EXISTS into a hash of every published link
    (every mention in the archive, 170 ms at 20,000 stories, growing with the
    archive); a first-row subquery is one index probe a row, whatever the
    archive's size."""
    now = now or timezone.now()
    stories = _published_stories(model, now)
    key = model._meta.model_name
    shown = Q(**{f"{prefix}show_without_stories": True})
    for link in links:
        rows = model._meta.get_field(link).related_model.objects.filter(
            **{key: OuterRef(f"{prefix}pk"), "article__in": stories}
        )
        if hasattr(rows, "published_by_now"):
            rows = rows.published_by_now(now=now)
        first = Subquery(rows.order_by().values("pk")[:1])
        shown |= IsNull(first, False)
    return ExpressionWrapper(shown, output_field=BooleanField())


def person_is_public(prefix: str = "", *, now=None) -> ExpressionWrapper:
    """Whether a person may be shown to readers (their page, the index, sitemaps,
    search, feeds): an editor showed them without stories, or a story published
    by `now` mentions them or carries their byline. Read at request time, so a
    scheduled story's people appear at its time with no job."""
    return _public(Person, prefix, ["mentions", "bylines"], now)


def race_is_public(prefix: str = "", *, now=None) -> ExpressionWrapper:
    """Whether a race may be shown to readers: an editor showed it without
    stories, or a story published by `now` covers it."""
    return _public(Race, prefix, ["story_links"], now)


WIKIDATA_ID = RegexValidator(
    r"^Q[1-9][0-9]*\Z", "A Wikidata ID is “Q” then digits, e.g. Q42."
)
# Office (H, S, P), a digit, the state (or 00 for president), five digits.
FEC_CANDIDATE_ID = RegexValidator(
    r"^[HSP][0-9]([A-Z]{2}|00)[0-9]{5}\Z",
    "An FEC candidate ID is nine characters: H, S or P, a digit, the state's two "
    "letters (00 for president), then five digits.",
)
BALLOTPEDIA_SLUG = RegexValidator(
    r"^[^\s/?#]+\Z",
    "Give the Ballotpedia page's name as in its address (Jane_Doe), without spaces.",
)
AP_CANDIDATE_ID = RegexValidator(r"^[0-9]+\Z", "An AP candidate ID is digits only.")
_BALLOTPEDIA_URL = re.compile(r"^(?:https?://)?(?:www\.)?ballotpedia\.org/", re.I)


def ballotpedia_slug_of(value: str) -> str:
    """“https://ballotpedia.org/Jane_Doe” or “Jane Doe” → “Jane_Doe”."""
    value = _BALLOTPEDIA_URL.sub("", value.strip()).strip("/")
    return "_".join(value.split())


class IdentifierField(PlainCharField):
    """An ID another register gives: written in capitals, without spaces, whatever
    was typed or pasted (“ q42 ” is Q42)."""

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(value.split()).upper() if value else value


class BallotpediaPageField(PlainCharField):
    """A Ballotpedia page's name as in its address; a pasted address is shortened."""

    def to_python(self, value):
        value = super().to_python(value)
        return ballotpedia_slug_of(value) if value else value


class TaggedPerson(TaggedItemBase):
    content_object = models.ForeignKey("Person", on_delete=models.CASCADE)


class PersonQuerySet(models.QuerySet):
    def named(self, words):
        """People with each of `words` in their name or in one of their aliases.

        A word of three letters or more is one set of ids, the people whose name
        contains it united with those with an alias containing it: on PostgreSQL
        both are read from trigram indexes (migration people 0005), where a join of
        people to aliases with an OR between them scanned every person for every
        search. A shorter word has no trigram to look up: it only filters the
        people the longer words found (all people when there are none)."""
        matching = self
        for word in words:
            aliased = Alias.objects.filter(name__icontains=word).values("person_id")
            if len(word) >= 3:
                named = Person.objects.filter(name__icontains=word).values("pk")
                ids = named.order_by().union(aliased.order_by())
                matching = matching.filter(pk__in=ids)
            else:
                matching = matching.filter(Q(name__icontains=word) | Q(pk__in=aliased))
        return matching

    def visible_to_readers(self, *, now=None):
        """The people a reader may see (see `person_is_public`)."""
        return self.filter(person_is_public(now=now))


class Person(models.Model):
    class Kind(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        CELEBRITY = "celebrity", "Celebrity"
        OFFICIAL = "official", "Official"
        JOURNALIST = "journalist", "Journalist"
        OTHER = "other", "Other"

    name = PlainCharField(
        max_length=200, help_text="As readers know them: “Jon Ossoff”."
    )
    slug = PlainSlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="The person page's address; made from the name when left empty.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    party = models.CharField(
        max_length=1,
        choices=Party.choices,
        blank=True,
        help_text="Only where it applies.",
    )
    bio = PlainTextField(blank=True, help_text="Two or three plain sentences.")
    photo = UploadedImageField(
        upload_to=RandomName("people/%Y/"), name_field="photo_name", blank=True
    )
    photo_name = PlainCharField(
        "uploaded as",
        max_length=ORIGINAL_NAME_LENGTH,
        blank=True,
        editable=False,
        help_text="The photo's file name when it was uploaded; it is stored under a "
        "random name.",
    )
    photo_credit = PlainCharField(max_length=200, blank=True)
    website = PlainURLField(blank=True, help_text="Official site or campaign site.")
    social_handle = PlainCharField(
        max_length=100, blank=True, help_text="Main social media handle, e.g. @ossoff."
    )
    wikidata_id = IdentifierField(
        "Wikidata ID",
        max_length=20,
        blank=True,
        validators=[WIKIDATA_ID],
        help_text="The person's Wikidata item, “Q” and digits (from the address "
        "wikidata.org/wiki/Q…). Tells apart people who share a name.",
    )
    fec_candidate_id = IdentifierField(
        "FEC candidate ID",
        max_length=9,
        blank=True,
        validators=[FEC_CANDIDATE_ID],
        help_text="Federal Election Commission candidate ID: nine characters, "
        "H (House), S (Senate) or P (President), a digit, the state's two letters "
        "(00 for president), five digits.",
    )
    ballotpedia_slug = BallotpediaPageField(
        "Ballotpedia page",
        max_length=200,
        blank=True,
        validators=[BALLOTPEDIA_SLUG],
        help_text="The part of the Ballotpedia address after ballotpedia.org/, "
        "e.g. Jane_Doe; a whole address pasted here is shortened to it.",
    )
    ap_candidate_id = IdentifierField(
        "AP candidate ID",
        max_length=20,
        blank=True,
        validators=[AP_CANDIDATE_ID],
        help_text="The Associated Press election results ID (digits). AP numbers "
        "candidates within a state, so two people may share one.",
    )
    show_without_stories = models.BooleanField(
        default=False, help_text=SHOW_WITHOUT_STORIES_HELP
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tags = TaggableManager(through=TaggedPerson, blank=True, manager=FoldingTagManager)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["kind", "name"], name="person_kind_name_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=[name],
                condition=~Q(**{name: ""}),
                name=f"person_unique_{name}",
                violation_error_message=message,
            )
            for name, message in [
                ("wikidata_id", "Another person has this Wikidata ID."),
                ("fec_candidate_id", "Another person has this FEC candidate ID."),
                ("ballotpedia_slug", "Another person has this Ballotpedia page."),
            ]
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        save_with_unique_slug(self, self.name, super().save, *args, **kwargs)

    def get_absolute_url(self, *, reverse=cached_reverse):
        # A list passes a reverse bound to its page (`articles.teasers`).
        return reverse("people:detail", slug=self.slug)

    def same_as_urls(self) -> list[str]:
        """The person's pages elsewhere, for schema.org `sameAs`: their website,
        Wikidata, FEC and Ballotpedia (AP's IDs have no public page)."""
        urls = [self.website] if self.website else []
        if self.wikidata_id:
            urls.append(f"https://www.wikidata.org/wiki/{self.wikidata_id}")
        if self.fec_candidate_id:
            urls.append(f"https://www.fec.gov/data/candidate/{self.fec_candidate_id}/")
        if self.ballotpedia_slug:
            urls.append(f"https://ballotpedia.org/{self.ballotpedia_slug}")
        return urls

    @property
    def autocomplete_label(self) -> str:
        """How the admin's people autocomplete shows them, where two people may
        share a name: “Jon Ossoff (Q…)”, else with their latest role (annotated
        as `latest_role` by the admin's search), else the name."""
        detail = self.identifier_label or getattr(self, "latest_role", None) or ""
        return f"{self.name} ({detail})" if detail else self.name

    @property
    def identifier_label(self) -> str:
        """The first identifier that tells this person apart from a namesake."""
        if self.wikidata_id:
            return self.wikidata_id
        if self.fec_candidate_id:
            return f"FEC {self.fec_candidate_id}"
        return ""


class PersonSlug(models.Model):
    """A slug a person page used to have (after a merge or a rename): it redirects."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="old_slugs"
    )
    slug = PlainSlugField(max_length=200, unique=True)

    class Meta:
        verbose_name = "old slug"

    def __str__(self):
        return self.slug


class Alias(models.Model):
    """Another name a person goes by in copy: “Sam Jackson” for Samuel L. Jackson."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = PlainCharField(max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "name"], name="alias_unique_per_person"
            )
        ]
        indexes = [models.Index(fields=["name"], name="alias_name_idx")]

    def __str__(self):
        return self.name


class RaceQuerySet(models.QuerySet):
    def visible_to_readers(self, *, now=None):
        """The races a reader may see (see `race_is_public`)."""
        return self.filter(race_is_public(now=now))

    def with_result(self):
        """Annotate the last round (`last_round`: date, kind) and its winner
        (`winner`: name, slug, party, share), read through the properties of the
        same names on `Race`: one query for a list of races, however many
        candidates they had. Each is one subquery building a JSON object, not one
        subquery per column: six correlated subqueries cost six plans and six
        index probes a race."""
        last_round = Election.objects.filter(race=OuterRef("pk")).order_by("-date")
        winner = (
            Candidacy.objects.with_share()
            .filter(election__race=OuterRef("pk"), is_winner=True)
            .order_by("-election__date")
        )
        return self.annotate(
            last_round_json=Subquery(
                last_round.values(json=JSONObject(date="date", kind="kind"))[:1]
            ),
            winner_json=Subquery(
                winner.values(
                    json=JSONObject(
                        name="person__name",
                        slug="person__slug",
                        party="party",
                        share="vote_share",
                    )
                )[:1]
            ),
        )


@functools.cache
def _built_races_with_result():
    return Race.objects.with_result()


def races_with_result():
    """`Race.objects.with_result()`, built once per process and cloned per use:
    resolving its six subqueries took 1.6 ms of every story page; a clone of the
    built query costs microseconds. Filter the clone as any queryset."""
    return _built_races_with_result().all()


class LastRound(NamedTuple):
    date: datetime.date
    kind: str  # an `Election.Kind` value

    @property
    def kind_label(self) -> str:
        return dict(Election.Kind.choices).get(self.kind, self.kind)


class Winner(NamedTuple):
    name: str
    slug: str
    party: str
    share: float | None  # percent of the round's votes; None before a count


class TaggedRace(TaggedItemBase):
    content_object = models.ForeignKey("Race", on_delete=models.CASCADE)


class Race(models.Model):
    class Office(models.TextChoices):
        PRESIDENT = "president", "President"
        US_SENATE = "us-senate", "U.S. Senate"
        US_HOUSE = "us-house", "U.S. House"
        GOVERNOR = "governor", "Governor"
        STATE_SENATE = "state-senate", "State Senate"
        STATE_HOUSE = "state-house", "State House"
        MAYOR = "mayor", "Mayor"
        OTHER = "other", "Other"

    name = PlainCharField(
        max_length=200,
        help_text="As readers know it: “Georgia's 6th District special election”.",
    )
    slug = PlainSlugField(max_length=200, unique=True)
    office = models.CharField(max_length=20, choices=Office.choices)
    state = models.CharField(max_length=2, choices=State.choices)
    district = PlainCharField(
        max_length=20,
        blank=True,
        help_text="District number or name; empty for statewide.",
    )
    year = models.PositiveSmallIntegerField(help_text="The election cycle.")
    is_special = models.BooleanField(
        "special election", default=False, help_text="Held to fill a vacancy."
    )
    description = PlainTextField(blank=True)
    show_without_stories = models.BooleanField(
        default=False, help_text=SHOW_WITHOUT_STORIES_HELP
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tags = TaggableManager(through=TaggedRace, blank=True, manager=FoldingTagManager)

    objects = RaceQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "state", "office", "district"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "state", "district", "year", "is_special"],
                name="race_unique_contest",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def get_absolute_url(self, *, reverse=cached_reverse):
        # A page's list passes the reverse bound to the page (`listing`).
        return reverse("people:race-detail", slug=self.slug)

    @property
    def last_round(self) -> "LastRound | None":
        """The race's latest round, from `with_result()`; None before any."""
        found = self._result_part("last_round_json")
        if found is None:
            return None
        return LastRound(datetime.date.fromisoformat(found["date"]), found["kind"])

    @property
    def winner(self) -> "Winner | None":
        """The winner of the latest round that has one, from `with_result()`."""
        found = self._result_part("winner_json")
        if found is None:
            return None
        return Winner(found["name"], found["slug"], found["party"], found["share"])

    def _result_part(self, annotation):
        if annotation not in self.__dict__:
            raise AttributeError("a race's result needs Race.objects.with_result()")
        return self.__dict__[annotation]

    @property
    def seat(self) -> str:
        """Short seat label in newsroom style: GA-06, GA Senate, US President."""
        if self.district.isascii() and self.district.isdigit():
            return f"{self.state}-{int(self.district):02d}"
        parts = [self.state, self.district or self.get_office_display()]
        return " ".join(parts)


class Election(models.Model):
    """One round of a race: the voters go to the polls on `date`."""

    class Kind(models.TextChoices):
        PRIMARY = "primary", "Primary"
        ALL_PARTY = "all-party", "All-party special"
        RUNOFF = "runoff", "Runoff"
        GENERAL = "general", "General"

    race = models.ForeignKey(Race, on_delete=models.CASCADE, related_name="elections")
    date = models.DateField()
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    is_certified = models.BooleanField(
        "results certified",
        default=False,
        help_text="Tick once the official count is in.",
    )
    source = PlainCharField(
        max_length=300, blank=True, help_text="Where the vote counts come from."
    )
    source_url = PlainURLField(blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["race", "date", "kind"], name="election_unique_round"
            )
        ]

    def __str__(self):
        return f"{self.race.name}: {self.get_kind_display()}, {self.date:%B %-d, %Y}"


class CandidacyQuerySet(models.QuerySet):
    def with_share(self):
        """Annotate `vote_share`, a percentage of all votes cast in the same round.

        The round's total is a correlated subquery rather than a window, so the share
        stays right when the queryset is filtered (one person's candidacies, say).
        """
        round_total = (
            Candidacy.objects.filter(election=OuterRef("election"))
            .order_by()
            .values("election")
            .annotate(total=Sum("votes"))
            .values("total")
        )
        total = NullIf(Cast(Subquery(round_total), FloatField()), Value(0.0))
        return self.annotate(
            vote_share=ExpressionWrapper(
                Cast("votes", FloatField()) * Value(100.0) / total,
                output_field=FloatField(),
            )
        )


class Candidacy(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="candidacies"
    )
    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="candidacies"
    )
    party = models.CharField(max_length=1, choices=Party.choices, blank=True)
    votes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Leave empty until results come in."
    )
    is_incumbent = models.BooleanField("incumbent", default=False)
    is_winner = models.BooleanField(
        "winner",
        default=False,
        help_text="Set by the desk's call of the round (Calls), or for a certified "
        "count. Imported results never set it: until then readers see no winner.",
    )
    advanced = models.BooleanField(
        "advanced to next round", default=False, help_text="E.g. made the runoff."
    )

    objects = CandidacyQuerySet.as_manager()

    class Meta:
        ordering = [F("votes").desc(nulls_last=True), "person__name"]
        verbose_name_plural = "candidacies"
        constraints = [
            models.UniqueConstraint(
                fields=["election", "person"], name="candidacy_unique_per_round"
            ),
            models.CheckConstraint(
                condition=~(Q(is_winner=True) & Q(advanced=True)),
                name="candidacy_winner_does_not_advance",
                violation_error_message="A winner does not advance to another round.",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_party_display() or 'no party'})"

    @property
    def share(self) -> float | None:
        """Vote share in percent; uses the `with_share()` annotation when present."""
        if hasattr(self, "vote_share"):
            return self.vote_share
        if self.votes is None:
            return None
        total = self.election.candidacies.aggregate(total=Sum("votes"))["total"]
        return self.votes * 100.0 / total if total else None


class Relationship(models.Model):
    """One person's stated tie to another person or to a race: who endorsed,
    donated to, campaigned for or attacked whom. What reports it (the stories,
    each with its sentence) is the articles app's: `articles.RelationshipSource`.
    Readers see a relationship only once a published story reports it."""

    class Kind(models.TextChoices):
        ENDORSED = "endorsed", "endorsed"
        DONATED_TO = "donated-to", "donated to"
        CAMPAIGNED_FOR = "campaigned-for", "campaigned for"
        RECORDED_AD_FOR = "recorded-ad-for", "recorded an ad for"
        OPPOSED = "opposed", "opposed"
        ATTACKED = "attacked", "attacked"
        EMPLOYED_BY = "employed-by", "employed by"
        FAMILY_OF = "family-of", "family of"

    subject = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="relationships",
        help_text="Who did it: the endorser, the donor, the attacker.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relationships_as_object",
        verbose_name="person",
        help_text="Whom it was for or against. A person or a race, not both.",
    )
    object_race = models.ForeignKey(
        Race,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relationships",
        verbose_name="race",
        help_text="The race, when it was for or against a race as a whole.",
    )
    amount = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="In dollars, for a donation, where the story gives it.",
    )
    date = models.DateField(
        null=True, blank=True, help_text="When it happened, where the story says."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["subject__name", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(object_person__isnull=False, object_race__isnull=True)
                | Q(object_person__isnull=True, object_race__isnull=False),
                name="relationship_one_object",
                violation_error_message="Choose the person or the race it was "
                "for or against: one of them, not both.",
            ),
            models.CheckConstraint(
                condition=~Q(subject=F("object_person")),
                name="relationship_not_with_oneself",
                violation_error_message="A person has no relationship of this "
                "kind with themselves.",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="relationship_amount_not_negative",
                violation_error_message="An amount is never negative.",
            ),
        ]
        indexes = [
            models.Index(fields=["object_person", "kind"], name="relationship_obj_idx"),
        ]

    def __str__(self):
        return f"{self.subject} {self.get_kind_display()} {self.object}"

    @property
    def object(self):
        """The person or race it was for or against."""
        return self.object_person or self.object_race


# The kinds that back a candidate or cause ("Backed by" on a reader's page).
BACKING_KINDS = (
    Relationship.Kind.ENDORSED,
    Relationship.Kind.DONATED_TO,
    Relationship.Kind.CAMPAIGNED_FOR,
    Relationship.Kind.RECORDED_AD_FOR,
)
OPPOSING_KINDS = (Relationship.Kind.OPPOSED, Relationship.Kind.ATTACKED)


class ReportingUnit(models.Model):
    """A place whose votes are counted on their own: the whole race, a county of
    it, or a precinct of a county. Results name their unit; the importer refuses
    a county the race does not list here (precincts of a listed county are added
    as files bring them)."""

    class Kind(models.TextChoices):
        TOTAL = "total", "Whole race"
        COUNTY = "county", "County"
        PRECINCT = "precinct", "Precinct"

    race = models.ForeignKey(
        Race, on_delete=models.CASCADE, related_name="reporting_units"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = PlainCharField(max_length=200, help_text="As the results files spell it.")
    county = PlainCharField(
        max_length=100, blank=True, help_text="A precinct's county; else empty."
    )

    class Meta:
        ordering = ["kind", "county", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["race", "kind", "county", "name"],
                name="reporting_unit_unique_per_race",
            )
        ]

    def __str__(self):
        if self.county:
            return f"{self.name} ({self.county})"
        return self.name


class ResultSnapshot(models.Model):
    """The count of one round as a source gave it at one time. Its rows hold the
    votes per candidacy and unit, always with a whole-race ("total") row per
    candidacy: the source's own when it gives one, else the importer's sum of
    the county rows (or, without those, of the precinct rows)."""

    class Status(models.TextChoices):
        ELECTION_NIGHT = "election-night", "Election night"
        UNOFFICIAL = "unofficial", "Unofficial"
        CERTIFIED = "certified", "Certified"

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="snapshots"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    as_of = models.DateTimeField(help_text="When the source gave these figures.")
    source = PlainCharField(max_length=300)
    source_url = PlainURLField(blank=True)
    precincts_reporting = models.PositiveIntegerField(null=True, blank=True)
    precincts_total = models.PositiveIntegerField(null=True, blank=True)
    expected_vote_percent = models.DecimalField(
        "share of expected vote counted (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["election", "as_of"]
        get_latest_by = "as_of"
        constraints = [
            models.UniqueConstraint(
                fields=["election", "as_of"], name="snapshot_unique_time_per_round"
            ),
            models.CheckConstraint(
                condition=Q(precincts_reporting__lte=F("precincts_total"))
                | Q(precincts_reporting__isnull=True)
                | Q(precincts_total__isnull=True),
                name="snapshot_reporting_within_total",
            ),
        ]

    def __str__(self):
        as_of = timezone.localtime(self.as_of)
        status = self.get_status_display()
        return f"{status}, {self.source}, as of {as_of:%Y-%m-%d %H:%M}"


class ResultRow(models.Model):
    """The votes of one candidacy in one unit, in one snapshot."""

    snapshot = models.ForeignKey(
        ResultSnapshot, on_delete=models.CASCADE, related_name="rows"
    )
    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, related_name="result_rows"
    )
    unit = models.ForeignKey(
        ReportingUnit, on_delete=models.PROTECT, related_name="result_rows"
    )
    votes = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "candidacy", "unit"], name="result_row_unique"
            )
        ]

    def __str__(self):
        return f"{self.candidacy_id} in {self.unit_id}: {self.votes}"


class RaceCall(models.Model):
    """The desk's call of a round: who called it, when, on what basis. Only a
    call (or certification) shows a winner: the call sets the winner's
    `Candidacy.is_winner` (`people.results_import.round_call`)."""

    election = models.OneToOneField(
        Election, on_delete=models.CASCADE, related_name="call"
    )
    # A call is void without its winner (a candidacy deleted, or merged away).
    winner = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, related_name="calls"
    )
    called_by = PlainCharField(
        max_length=100,
        default="the Newsroom desk",
        help_text="As readers see it: “Called by the Newsroom desk at …”.",
    )
    called_at = models.DateTimeField(default=timezone.now)
    basis = PlainTextField(
        help_text="Why the desk is sure: the count, what is left to count, the margin."
    )
    recorded_by = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = "call"

    def __str__(self):
        called_at = timezone.localtime(self.called_at)
        return f"Called by {self.called_by} at {called_at:%Y-%m-%d %H:%M}"

    def clean(self):
        if (
            self.winner_id
            and self.election_id
            and self.winner.election_id != self.election_id
        ):
            raise ValidationError({"winner": "The winner must run in this round."})


class PersonRoleQuerySet(models.QuerySet):
    def held_on(self, day):
        """The roles held on `day` (a date, or an expression giving one): begun by
        then and not yet ended, latest begun first."""
        return self.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day
        ).order_by("-start_date", "-id")


def role_held_on(person, day) -> Subquery:
    """A subquery: the title of the role `person` (an `OuterRef` to a person id)
    held on `day` (a date expression), the latest begun when several; NULL when
    none. For a list of people in the list's own query."""
    return Subquery(
        PersonRole.objects.filter(person=person).held_on(day).values("title")[:1]
    )


class PersonRole(models.Model):
    """What a person was, and when: “Candidate, Georgia's 6th District” in 2017,
    “U.S. senator from Georgia” from January 20, 2021. A story shows the role its
    people had on its publish date; the person page shows them all."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    title = PlainCharField(
        max_length=200,
        help_text="As a story would put it: “U.S. senator from Georgia”.",
    )
    race = models.ForeignKey(
        Race,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roles",
        help_text="The race, for a candidacy.",
    )
    start_date = models.DateField("from", help_text="The first day in the role.")
    end_date = models.DateField(
        "until",
        null=True,
        blank=True,
        help_text="The last day in the role; empty while it lasts.",
    )

    objects = PersonRoleQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = "role"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="person_role_ends_after_it_starts",
                violation_error_message="A role cannot end before it starts.",
            )
        ]
        indexes = [
            models.Index(fields=["person", "start_date"], name="person_role_start_idx")
        ]

    def __str__(self):
        return f"{self.title} ({self.dates})"

    @property
    def dates(self) -> str:
        """“2017-02-13 to 2017-06-20”, “from 2021-01-20”."""
        if self.end_date is None:
            return f"from {self.start_date:%B %-d, %Y}"
        return f"{self.start_date:%B %-d, %Y} to {self.end_date:%B %-d, %Y}"


# Revisions: every save of a person or race keeps its state, aliases and results.
reversion.register(Person, follow=["aliases", "taggedperson_set", "roles"])
reversion.register(PersonRole)
reversion.register(Alias)
reversion.register(TaggedPerson)
reversion.register(Race, follow=["elections", "taggedrace_set"])
reversion.register(Election, follow=["candidacies"])
reversion.register(Candidacy)
reversion.register(TaggedRace)
reversion.register(ReportingUnit)
reversion.register(RaceCall)
