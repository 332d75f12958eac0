"""Who backed whom, as readers see it on person and race pages.

A relationship (`people.Relationship`) is shown only through the published stories
that report it (`RelationshipSource`, `Article.objects.published()`): a story
unpublished takes its reports with it. Each section is one query, whatever the
number of relationships and sources: the sources with their story, relationship,
people and race in one row each, grouped here.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from articles.models import RelationshipSource, story_url
from core import cache_keys as keys
from core.reversing import cached_reverse
from people.models import (
    BACKING_KINDS,
    OPPOSING_KINDS,
    Candidacy,
    Relationship,
    person_is_public,
    race_is_public,
)

Kind = Relationship.Kind

# What a group is called on the page of the person who did it ("Backed") and on
# the page of whom it was for or against ("Backed by").
SUBJECT_HEADINGS = {kind: kind.label.capitalize() for kind in Kind}
OBJECT_HEADINGS = {
    Kind.ENDORSED: "Endorsed by",
    Kind.DONATED_TO: "Donations from",
    Kind.CAMPAIGNED_FOR: "Campaigned for by",
    Kind.RECORDED_AD_FOR: "Ads recorded by",
    Kind.OPPOSED: "Opposed by",
    Kind.ATTACKED: "Attacked by",
    Kind.EMPLOYED_BY: "Employer of",
    Kind.FAMILY_OF: "Family",
}
KIND_ORDER = {kind: number for number, kind in enumerate(Kind)}


@dataclass
class Named:
    """A person or race as a section shows it: linked when readers may see it."""

    name: str
    url: str | None


@dataclass
class Source:
    headline: str
    url: str
    quote: str
    published_at: datetime.datetime


@dataclass
class Report:
    """One relationship, with the published stories that report it (the primary
    source first)."""

    pk: int
    kind: str
    subject: Named
    subject_id: int
    other: Named  # the object: a person or a race
    object_person_id: int | None
    object_race_id: int | None
    amount: object
    date: datetime.date | None
    sources: list[Source] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def money(self) -> str:
        """The amount in dollars as a reader reads it ("$2,700"); "" for none."""
        if self.amount is None:
            return ""
        if self.amount == int(self.amount):
            return f"${int(self.amount):,}"
        return f"${self.amount:,.2f}"


@dataclass
class Group:
    """Reports of one kind. `side`: "subject" on the page of who did it (each
    report names whom it was for), "object" on the page of whom it was for (each
    names who did it)."""

    kind: str
    heading: str
    side: str
    reports: list[Report]


@dataclass
class Section:
    """Groups of reports under one heading ("Backed by"), in the kinds' order."""

    heading: str
    slug: str
    groups: list[Group]

    def __bool__(self):
        return bool(self.groups)


@dataclass
class PersonRelationships:
    sections: list[Section]
    keys: set[str]

    def __bool__(self):
        return any(self.sections)


@dataclass
class CandidateBackers:
    name: str
    url: str | None
    groups: list[Group]


@dataclass
class RaceRelationships:
    candidates: list[CandidateBackers]
    about_race: list[Group]  # relationships with the race itself
    keys: set[str]

    def __bool__(self):
        return bool(self.candidates or self.about_race)


ROW = [
    "relationship_id",
    "relationship__kind",
    "relationship__amount",
    "relationship__date",
    "relationship__subject_id",
    "relationship__subject__name",
    "relationship__subject__slug",
    "subject_public",
    "relationship__object_person_id",
    "relationship__object_person__name",
    "relationship__object_person__slug",
    "object_person_public",
    "relationship__object_race_id",
    "relationship__object_race__name",
    "relationship__object_race__slug",
    "object_race_public",
    "article_id",
    "article__headline",
    "article__slug",
    "article__published_at",
    "quote",
    "is_primary",
]


def _reports(where: Q, *, now=None) -> tuple[list[Report], set[str]]:
    """The relationships matching `where` that a published story reports, each
    with those stories, and the cache keys of what they show: one query."""
    now = now or timezone.now()
    rows = (
        RelationshipSource.objects.published(now=now)
        .filter(where)
        .annotate(
            subject_public=person_is_public("relationship__subject__", now=now),
            object_person_public=person_is_public(
                "relationship__object_person__", now=now
            ),
            object_race_public=race_is_public("relationship__object_race__", now=now),
        )
        .order_by("relationship_id", "-is_primary", "-article__published_at", "id")
        .values_list(*ROW)
    )
    reports: dict[int, Report] = {}
    found = set()
    for (
        pk,
        kind,
        amount,
        date,
        subject_id,
        subject_name,
        subject_slug,
        subject_public,
        person_id,
        person_name,
        person_slug,
        person_public,
        race_id,
        race_name,
        race_slug,
        race_public,
        story_id,
        headline,
        story_slug,
        published_at,
        quote,
        _primary,
    ) in rows:
        report = reports.get(pk)
        if report is None:
            if person_id is not None:
                other = _person(person_name, person_slug, person_public)
                found.add(keys.person(person_id))
            else:
                other = Named(race_name, None)
                if race_public:
                    other.url = cached_reverse("people:race-detail", slug=race_slug)
                found.add(keys.race(race_id))
            report = reports[pk] = Report(
                pk=pk,
                kind=kind,
                subject=_person(subject_name, subject_slug, subject_public),
                subject_id=subject_id,
                other=other,
                object_person_id=person_id,
                object_race_id=race_id,
                amount=amount,
                date=date,
            )
            found.add(keys.person(subject_id))
        report.sources.append(
            Source(headline, story_url(story_slug, published_at), quote, published_at)
        )
        found.add(keys.story(story_id))
    ordered = sorted(
        reports.values(),
        key=lambda r: (KIND_ORDER[r.kind], r.subject.name, r.other.name, r.pk),
    )
    return ordered, found


def _person(name, slug, public) -> Named:
    url = cached_reverse("people:detail", slug=slug) if public else None
    return Named(name, url)


def _grouped(reports: list[Report], side: str) -> list[Group]:
    headings = SUBJECT_HEADINGS if side == "subject" else OBJECT_HEADINGS
    groups: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        groups[report.kind].append(report)
    return [Group(kind, headings[kind], side, groups[kind]) for kind in groups]


def person_relationships(person: int, *, now=None) -> PersonRelationships:
    """A person's relationships readers may see: who backed them ("Backed by"),
    who opposed them, whom they backed and opposed, and other ties."""
    reports, found = _reports(
        Q(relationship__subject_id=person) | Q(relationship__object_person_id=person),
        now=now,
    )
    done = [r for r in reports if r.subject_id == person]
    received = [r for r in reports if r.subject_id != person]
    sections = [
        Section(heading, slug, _grouped([r for r in mine if r.kind in kinds], side))
        for heading, slug, side, mine, kinds in (
            ("Backed by", "backed-by", "object", received, BACKING_KINDS),
            ("Opposed by", "opposed-by", "object", received, OPPOSING_KINDS),
            ("Backed", "backed", "subject", done, BACKING_KINDS),
            ("Opposed", "opposed", "subject", done, OPPOSING_KINDS),
        )
    ]
    ties = (*BACKING_KINDS, *OPPOSING_KINDS)
    connections = _grouped([r for r in done if r.kind not in ties], "subject")
    connections += _grouped([r for r in received if r.kind not in ties], "object")
    sections.append(Section("Connections", "connections", connections))
    return PersonRelationships(sections, found)


def race_relationships(race: int, *, now=None) -> RaceRelationships:
    """A race's page: each candidate's backers (their "Backed by"), in the
    order of the candidates' names, and what was said for or against the race
    itself."""
    candidates = Candidacy.objects.filter(election__race_id=race).values("person_id")
    reports, found = _reports(
        Q(
            relationship__object_person_id__in=candidates,
            relationship__kind__in=BACKING_KINDS,
        )
        | Q(relationship__object_race_id=race),
        now=now,
    )
    by_candidate: dict[int, list[Report]] = defaultdict(list)
    about_race = []
    for report in reports:
        if report.object_race_id is not None:
            about_race.append(report)
        else:
            by_candidate[report.object_person_id].append(report)
    backers = [
        CandidateBackers(
            mine[0].other.name, mine[0].other.url, _grouped(mine, "object")
        )
        for mine in sorted(by_candidate.values(), key=lambda m: m[0].other.name)
    ]
    return RaceRelationships(backers, _grouped(about_race, "object"), found)
