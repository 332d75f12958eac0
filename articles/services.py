"""Writes that span several rows: linking people to stories from suggestions."""

import hashlib
import html
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.html import strip_tags

from articles.models import Article, Mention, MentionDecision
from people.mention_index import current_finder
from people.mentions import (
    Ambiguous,
    Hit,
    KnownPerson,
    MentionFinder,
    NewName,
    sentence_spans,
)
from people.models import Person

_BLOCK_END = re.compile(
    r"</(p|h[1-6]|li|blockquote|figcaption|figure)>|<br\s*/?>", re.I
)


def article_plain_text(*, headline: str, dek: str, body: str) -> str:
    """Headline, dek and body as plain text, paragraphs apart, for the finder."""
    body_text = html.unescape(strip_tags(_BLOCK_END.sub("\n\n", body)))
    return "\n\n".join(
        part for part in (headline.strip(), dek.strip(), body_text) if part
    )


def text_fingerprint(sentences: list[str]) -> str:
    """What the story says about a person; a rejection stands until it changes."""
    joined = "\n".join(sorted({" ".join(s.split()) for s in sentences}))
    return hashlib.sha256(joined.encode()).hexdigest()


def _hit_fingerprint(hit: Hit, text: str) -> str:
    spans = sentence_spans(text)
    sentences = [
        text[start:end]
        for occurrence in hit.occurrences
        for start, end in spans
        if start <= occurrence.start < end
    ]
    return text_fingerprint(sentences)


@dataclass
class Suggestions:
    """What the finder proposes for one story, less what editors already decided."""

    hits: list[Hit] = field(default_factory=list)
    ambiguous: list[Ambiguous] = field(default_factory=list)
    new_names: list[NewName] = field(default_factory=list)
    fingerprints: dict[int, str] = field(default_factory=dict)

    def __bool__(self):
        return bool(self.hits or self.ambiguous or self.new_names)


def article_suggestions(
    article: Article, *, finder: MentionFinder | None = None
) -> Suggestions:
    finder = finder or current_finder()
    text = article_plain_text(
        headline=article.headline, dek=article.dek, body=article.body
    )
    result = finder.scan(text)
    linked = set(article.mentions.values_list("person_id", flat=True))
    rejected = dict(
        article.decisions.filter(
            decision=MentionDecision.Decision.REJECTED
        ).values_list("person_id", "fingerprint")
    )
    suggestions = Suggestions(new_names=result.new_names)
    for hit in result.hits:
        person_id = hit.person.person_id
        fingerprint = _hit_fingerprint(hit, text)
        if person_id in linked or rejected.get(person_id) == fingerprint:
            continue
        suggestions.hits.append(hit)
        suggestions.fingerprints[person_id] = fingerprint
    for name in result.ambiguous:
        if not {p.person_id for p in name.candidates} & linked:
            suggestions.ambiguous.append(name)
    return suggestions


@transaction.atomic
def article_link_people(
    *,
    article: Article,
    links: list[tuple[Person, str]] = (),
    rejections: list[Person] = (),
    new_people: list[tuple[str, str, str]] = (),
    fingerprints: dict[int, str] | None = None,
    user=None,
) -> list[Mention]:
    """Link people to a story with roles, create new people and link them, and
    remember each decision (with the text it was made on)."""
    fingerprints = fingerprints or {}
    created = []
    for name, kind, role in new_people:
        person = Person(name=name, kind=kind)
        person.full_clean(exclude=["slug"])
        person.save()
        links = [*links, (person, role)]
    for person, role in links:
        mention, was_created = Mention.objects.get_or_create(
            article=article, person=person, role=role
        )
        if was_created:
            created.append(mention)
        _decide(article, person, MentionDecision.Decision.ACCEPTED, fingerprints, user)
    for person in rejections:
        _decide(article, person, MentionDecision.Decision.REJECTED, fingerprints, user)
    return created


def _decide(article, person, decision, fingerprints, user):
    MentionDecision.objects.update_or_create(
        article=article,
        person=person,
        defaults={
            "decision": decision,
            "fingerprint": fingerprints.get(person.pk, ""),
            "decided_by": user,
        },
    )


def article_link_all_suggested(
    *, article: Article, user=None, finder=None
) -> list[Mention]:
    """Link every unambiguous suggestion with its suggested role (an editor's
    explicit bulk action; saving a story never does this by itself)."""
    suggestions = article_suggestions(article, finder=finder)
    people = Person.objects.in_bulk([hit.person.person_id for hit in suggestions.hits])
    return article_link_people(
        article=article,
        links=[(people[hit.person.person_id], hit.role) for hit in suggestions.hits],
        fingerprints=suggestions.fingerprints,
        user=user,
    )


BACKFILL_LIMIT = 500


def person_backfill_candidates(*, person: Person) -> list[tuple[Article, Hit]]:
    """Stories, newest first, that name `person` but do not link them yet.

    The database narrows the archive to stories containing one of the person's
    names; the finder then confirms each one as a whole-word mention and suggests
    a role."""
    names = [person.name, *person.aliases.values_list("name", flat=True)]
    variants = {v for name in names for v in (name, name.replace("'", "’"))}
    contains = Q()
    for variant in variants:
        contains |= (
            Q(headline__icontains=variant)
            | Q(dek__icontains=variant)
            | Q(body__icontains=variant)
        )
    stories = (
        Article.objects.filter(contains)
        .exclude(mentions__person=person)
        .defer("search_vector")
        .newest_first()[:BACKFILL_LIMIT]
    )
    finder = MentionFinder(
        [KnownPerson(person.pk, person.name, person.kind, tuple(names[1:]))]
    )
    found = []
    for article in stories:
        text = article_plain_text(
            headline=article.headline, dek=article.dek, body=article.body
        )
        hit = finder.scan(text).hit_for(person.pk)
        if hit is not None:
            found.append((article, hit))
    return found


@transaction.atomic
def person_link_stories(
    *, person: Person, articles: list[Article], role: str, roles: dict, user=None
) -> int:
    """Link `person` to each story, in the role the story suggests when `role` is
    "suggested", otherwise in `role`."""
    linked = 0
    for article in articles:
        chosen = (
            roles.get(article.pk, Mention.Role.MENTIONED)
            if role == "suggested"
            else role
        )
        article_link_people(article=article, links=[(person, chosen)], user=user)
        linked += 1
    return linked
