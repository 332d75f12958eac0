"""Writes that span several rows: linking people to stories from suggestions."""

import hashlib
import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from confusable_homoglyphs.confusables import is_mixed_script
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from taggit.models import Tag, TaggedItem

from articles import search
from articles.body_text import story_text_to_html
from articles.cache_keys import tag_keys
from articles.models import (
    Article,
    Byline,
    Mention,
    MentionDecision,
    RelationshipSource,
    Section,
    TaggedArticle,
)
from core import cache_keys as keys
from core.cache_keys import invalidate
from core.renditions import delete_renditions
from core.tags import tag_key
from core.uploads import original_file_name
from people.cache_keys import person_keys
from people.mention_index import current_finder
from people.mentions import (
    Ambiguous,
    Hit,
    KnownPerson,
    MentionFinder,
    NewName,
    sentence_spans,
)
from people.models import (
    Person,
    Race,
    Relationship,
    TaggedPerson,
    TaggedRace,
    unique_slug,
)
from people.relationships_found import FoundRelationship, find_relationships
from people.services import move_links, relationship_find_or_create

_BLOCK_END = re.compile(
    r"</(p|h[1-6]|li|blockquote|figcaption|figure)>|<br\s*/?>", re.I
)


def article_plain_text(*, headline: str, dek: str, body: str) -> str:
    """Headline, dek and body as plain text, paragraphs apart, for the finder."""
    body_text = html.unescape(strip_tags(_BLOCK_END.sub("\n\n", body))).strip()
    return "\n\n".join(
        part for part in (headline.strip(), dek.strip(), body_text) if part
    )


def text_fingerprint(sentences: list[str]) -> str:
    """What the story says about a person; a rejection stands until it changes."""
    joined = "\n".join(sorted({" ".join(s.split()) for s in sentences}))
    return hashlib.sha256(joined.encode()).hexdigest()


def _hit_fingerprint(hit: Hit, text: str, spans: list[tuple[int, int]]) -> str:
    """Fingerprint of the sentences (`spans` of `text`) that name the person."""
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
    # What the text states plainly about who backed whom, less what the story
    # already reports (`people.relationships_found`).
    relationships: list[FoundRelationship] = field(default_factory=list)

    def __bool__(self):
        return bool(self.hits or self.ambiguous or self.new_names)


def article_suggestions(
    article: Article, *, finder: MentionFinder | None = None
) -> Suggestions:
    return text_suggestions(
        headline=article.headline,
        dek=article.dek,
        body=article.body,
        article=article,
        finder=finder,
    )


def text_suggestions(
    *,
    headline: str,
    dek: str,
    body: str,
    article: Article | None = None,
    finder: MentionFinder | None = None,
) -> Suggestions:
    """The people a story's text names, as the "People found" panel offers them:
    for a saved `article`, less those linked or turned down for the same text;
    for text not saved yet (the add form as it is typed), everyone found."""
    finder = finder or current_finder()
    text = article_plain_text(headline=headline, dek=dek, body=body)
    result = finder.scan(text)
    linked, rejected = set(), {}
    if article is not None and article.pk is not None:
        linked = set(article.mentions.values_list("person_id", flat=True))
        rejected = dict(
            article.decisions.filter(
                decision=MentionDecision.Decision.REJECTED
            ).values_list("person_id", "fingerprint")
        )
    suggestions = Suggestions(new_names=result.new_names)
    spans = sentence_spans(text)
    for hit in result.hits:
        person_id = hit.person.person_id
        fingerprint = _hit_fingerprint(hit, text, spans)
        if person_id in linked or rejected.get(person_id) == fingerprint:
            continue
        suggestions.hits.append(hit)
        suggestions.fingerprints[person_id] = fingerprint
    for name in result.ambiguous:
        if not {p.person_id for p in name.candidates} & linked:
            suggestions.ambiguous.append(name)
    reported = set()
    if article is not None and article.pk is not None:
        reported = set(
            article.relationship_sources.values_list(
                "relationship__subject_id",
                "relationship__kind",
                "relationship__object_person_id",
            )
        )
    suggestions.relationships = [
        found
        for found in find_relationships(text, result.hits)
        if (found.subject.person_id, found.kind, found.object.person_id) not in reported
    ]
    return suggestions


@transaction.atomic
def article_link_people(
    *,
    article: Article,
    links: list[tuple[Person, str]] = (),
    rejections: list[Person] = (),
    new_people: list[tuple[str, str, list[str]]] = (),
    fingerprints: dict[int, str] | None = None,
    user=None,
) -> list[Mention]:
    """Link people to a story with roles (a person twice for two roles), create
    new people (`(name, kind, roles)`) and link them, and remember each decision
    (with the text it was made on). A new person is hidden from readers until a
    published story links them."""
    fingerprints = fingerprints or {}
    created = []
    for name, kind, roles in new_people:
        person = Person(name=name, kind=kind)
        person.full_clean(exclude=["slug"])
        person.save()
        links = [*links, *((person, role) for role in roles)]
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
    """Link every unambiguous, certain suggestion with its suggested role (an
    editor's explicit bulk action; saving a story never does this by itself). A
    lone surname ("President Reagan") waits for an editor's look."""
    suggestions = article_suggestions(article, finder=finder)
    hits = [hit for hit in suggestions.hits if hit.certain]
    people = Person.objects.in_bulk([hit.person.person_id for hit in hits])
    return article_link_people(
        article=article,
        links=[(people[hit.person.person_id], hit.role) for hit in hits],
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
    variants = sorted({v for name in names for v in (name, name.replace("'", "’"))})
    stories = (
        Article.objects.filter(search.naming_any(variants))
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
    "suggested", otherwise in `role`, and remember each link as the editor's
    decision. Two statements however many stories: one by one (about a dozen
    queries each), the backfill's 500 took 2.7 s."""
    chosen = {
        article.pk: roles.get(article.pk, Mention.Role.MENTIONED)
        if role == "suggested"
        else role
        for article in articles
    }
    Mention.objects.bulk_create(
        [
            Mention(
                article=article,
                person=person,
                role=chosen[article.pk],
                published_at=article.published_time_for_links(),
            )
            for article in articles
        ],
        ignore_conflicts=True,  # already linked in that role
    )
    MentionDecision.objects.bulk_create(
        [
            MentionDecision(
                article=article,
                person=person,
                decision=MentionDecision.Decision.ACCEPTED,
                decided_by=user,
            )
            for article in articles
        ],
        update_conflicts=True,
        unique_fields=["article", "person"],
        update_fields=["decision", "fingerprint", "decided_by", "decided_at"],
    )
    # Rows written in bulk send no post_save: readers' pages are made fresh here.
    invalidate(
        {keys.story(article.pk) for article in articles}
        | person_keys(person.pk)
        | {keys.SITEMAP_INDEX},
        hard=False,
    )
    return len(articles)


class StoryFileError(ValueError):
    """A story file that cannot be imported, with the reason in plain words."""


MAX_HEADLINE_WORDS = 16
MAX_STORY_BYTES = 2 * 1024 * 1024


def read_story_file(path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise StoryFileError(f"{path}: cannot be read ({error.strerror}).") from error
    if len(data) > MAX_STORY_BYTES:
        raise StoryFileError(f"{path}: larger than 2 MB; is it really a story?")
    if b"\x00" in data:
        raise StoryFileError(f"{path}: looks like a binary file, not text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StoryFileError(
            f"{path}: is not UTF-8 text (bad byte at position {error.start})."
        ) from error
    if not text.strip():
        raise StoryFileError(f"{path}: is empty.")
    return text


def split_headline(text: str) -> tuple[str, str]:
    """("headline", rest) when the first line is short and stands alone, else
    ("", text)."""
    first, _, rest = text.strip().partition("\n")
    first = " ".join(first.split())
    looks_like_headline = (
        len(first.split()) <= MAX_HEADLINE_WORDS
        and len(first) <= 200
        and rest.startswith("\n")
        and not first.endswith((",", ":", ";"))
    )
    return (first, rest) if looks_like_headline else ("", text)


@dataclass
class ImportResult:
    article: Article
    suggestions: Suggestions
    linked: list[Mention]


def story_import(
    *,
    text: str,
    headline: str | None = None,
    byline: str | None = None,
    section: str = "News",
    publish: bool = False,
    link: bool = False,
) -> ImportResult:
    """Create a story from plain text; find (and with `link`, link) its people."""
    if publish and not (byline or "").strip():
        raise StoryFileError(f"{BYLINE_NEEDED} Pass --byline.")
    found_headline, body_text = split_headline(text)
    headline = " ".join((headline or found_headline).split())
    if not headline:
        raise StoryFileError(
            "no headline: the first line is not short; pass --headline."
        )
    body = story_text_to_html(body_text)
    if not body:
        raise StoryFileError("the story has a headline but no text.")
    section_obj = (
        Section.objects.filter(Q(slug=section) | Q(name__iexact=section)).first()
        # An import of the same new section running at the same moment: theirs.
        or Section.objects.get_or_create(
            name=section, defaults={"slug": unique_slug(Section, section)}
        )[0]
    )
    article = Article(
        headline=headline[:200],
        # Left empty: `Article.save` makes it, and picks another if a save at the
        # same moment takes it first.
        slug="",
        body=body,
        section=section_obj,
        status=Article.Status.PUBLISHED if publish else Article.Status.DRAFT,
        published_at=timezone.now() if publish else None,
    )
    article.full_clean()
    article.save()
    if byline:
        journalist, _ = Person.objects.get_or_create(
            name=" ".join(byline.split()), defaults={"kind": Person.Kind.JOURNALIST}
        )
        if journalist.kind != Person.Kind.JOURNALIST:
            raise StoryFileError(
                f"{journalist.name} is a {journalist.kind}, not a journalist."
            )
        Byline.objects.create(article=article, person=journalist)
    suggestions = article_suggestions(article)
    linked = article_link_all_suggested(article=article) if link else []
    return ImportResult(article, suggestions, linked)


# --- Relationships and their sources ----------------------------------------------


@transaction.atomic
def relationship_report(
    *,
    article: Article,
    subject: Person,
    kind: str,
    object_person: Person | None = None,
    object_race: Race | None = None,
    amount=None,
    date=None,
    quote: str,
    is_primary: bool = False,
) -> RelationshipSource:
    """Record that `article` reports a relationship, in the sentence `quote`:
    the relationship is made, or an identical one reused, and the story becomes
    one of its sources (its primary one when it has none yet, or when asked)."""
    relationship, _created = relationship_find_or_create(
        subject=subject,
        kind=kind,
        object_person=object_person,
        object_race=object_race,
        amount=amount,
        date=date,
    )
    source = RelationshipSource(
        relationship=relationship, article=article, quote=quote, is_primary=is_primary
    )
    return relationship_source_save(source=source)


@transaction.atomic
def relationship_source_save(*, source: RelationshipSource) -> RelationshipSource:
    """Save a source, keeping one primary source per relationship: a source
    marked primary takes it from the other; the first source is primary."""
    others = RelationshipSource.objects.filter(
        relationship_id=source.relationship_id
    ).exclude(pk=source.pk)
    # The relationship's row is locked: two saves of its sources at once settle
    # its primary one after the other.
    list(
        Relationship.objects.select_for_update()
        .filter(pk=source.relationship_id)
        .values_list("pk")
    )
    if source.is_primary:
        for other in others.filter(is_primary=True):
            other.is_primary = False
            other.save(update_fields=["is_primary"])
    elif not others.filter(is_primary=True).exists():
        source.is_primary = True
    source.full_clean()
    source.save()
    return source


@transaction.atomic
def relationship_source_update(
    *,
    source: RelationshipSource,
    subject: Person,
    kind: str,
    object_person: Person | None = None,
    object_race: Race | None = None,
    amount=None,
    date=None,
    quote: str,
    is_primary: bool = False,
) -> RelationshipSource:
    """Change what a story's report says: it moves to the relationship with the
    new values (made, or an identical one reused); the one it leaves, with no
    other source, goes."""
    old = source.relationship_id
    relationship, _created = relationship_find_or_create(
        subject=subject,
        kind=kind,
        object_person=object_person,
        object_race=object_race,
        amount=amount,
        date=date,
    )
    source.relationship, source.quote = relationship, quote
    source.is_primary = is_primary
    relationship_source_save(source=source)
    if old != relationship.pk:
        _settle_left_relationship(old)
    return source


@transaction.atomic
def relationship_source_remove(*, source: RelationshipSource) -> None:
    """The story no longer reports the relationship: its source goes, another
    source becomes primary in its place, and a relationship no story reports
    any more goes too."""
    relationship = source.relationship_id
    source.delete()
    _settle_left_relationship(relationship)


def _settle_left_relationship(pk) -> None:
    """A relationship a source left: deleted with no source left, else given a
    primary one (the oldest) when it lost it."""
    relationship = Relationship.objects.select_for_update().filter(pk=pk).first()
    if relationship is None:
        return
    sources = RelationshipSource.objects.filter(relationship=relationship)
    if not sources.exists():
        relationship.delete()
    elif not sources.filter(is_primary=True).exists():
        oldest = sources.order_by("id").first()
        oldest.is_primary = True
        oldest.save(update_fields=["is_primary"])


# --- Editorial workflow ----------------------------------------------------------

Status = Article.Status
TRANSITIONS = {
    Status.DRAFT: {Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED},
    Status.IN_REVIEW: {Status.IN_REVIEW, Status.DRAFT, Status.PUBLISHED},
    Status.PUBLISHED: {Status.PUBLISHED, Status.UNPUBLISHED},
    Status.UNPUBLISHED: {Status.UNPUBLISHED, Status.DRAFT, Status.PUBLISHED},
}
REPORTER_STATUSES = {Status.DRAFT, Status.IN_REVIEW}
BYLINE_NEEDED = "A story cannot be published or scheduled without a byline."


def may_publish(user) -> bool:
    """Editors (and superusers) publish, schedule, unpublish and edit live stories."""
    return user.has_perm("articles.publish_article")


def may_edit(user, article: Article) -> bool:
    """Reporters edit only their own stories, and only while draft or in review."""
    if may_publish(user):
        return True
    return article.created_by_id == user.pk and article.status in REPORTER_STATUSES


def check_transition(*, user, old: Article | None, new_status: str, new_published_at):
    """Refuse a change of status the workflow or the user's role does not allow."""
    old_status = old.status if old else Status.DRAFT
    if new_status not in TRANSITIONS[old_status]:
        raise ValidationError(
            f"A story cannot go from {Status(old_status).label.lower()} to "
            f"{Status(new_status).label.lower()}. "
            + (
                "Unpublish it first."
                if old_status == Status.PUBLISHED
                else "Choose another status."
            )
        )
    if may_publish(user):
        return
    if new_status not in REPORTER_STATUSES or old_status not in REPORTER_STATUSES:
        raise ValidationError(
            "Only an editor can publish, schedule or unpublish a story: save it as a "
            "draft or send it for review."
        )
    old_time = old.published_at if old else None
    if new_published_at != old_time:
        raise ValidationError("Only an editor can set the publish time.")


@transaction.atomic
def article_publish(*, article: Article, user, when=None) -> Article:
    """Publish now, or at `when` (a future time schedules the story)."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    when = when or article.published_at or timezone.now()
    if article.status != Status.PUBLISHED or article.published_at is None:
        check_transition(
            user=user, old=article, new_status=Status.PUBLISHED, new_published_at=when
        )
    if not article.bylines.exists():
        raise ValidationError(f"{BYLINE_NEEDED} Add the journalist who wrote it.")
    article.status, article.published_at = Status.PUBLISHED, when
    article.lock_version += 1
    article.full_clean()
    article.save()
    return article


@transaction.atomic
def article_unpublish(*, article: Article, user) -> Article:
    article = Article.objects.select_for_update().get(pk=article.pk)
    check_transition(
        user=user,
        old=article,
        new_status=Status.UNPUBLISHED,
        new_published_at=article.published_at,
    )
    article.status = Status.UNPUBLISHED
    article.lock_version += 1
    article.save()
    return article


@transaction.atomic
def tags_fold() -> int:
    """Merge the tags that read as one (`core.tags.tag_key`) into one, and
    give every tag its cleaned name, address slug and key: for tags written past
    `Tag.save()` (a bulk insert, a restore from a dump). The tag kept is the
    oldest, a name in one script before one mixing scripts. Returns how many tags
    were merged away."""
    groups = defaultdict(list)
    for tag in Tag.objects.order_by("pk"):
        groups[tag_key(tag.name)].append(tag)
    merged = 0
    for tags in groups.values():
        keep, *duplicates = sorted(tags, key=lambda t: (is_mixed_script(t.name), t.pk))
        for duplicate in duplicates:
            tag_merge(duplicate=duplicate, into=keep)
            merged += 1
        keep.save()  # cleans the name and slug, writes the key (`tagging`)
    return merged


@transaction.atomic
def tag_merge(*, duplicate, into):
    """Retag everything tagged `duplicate` with `into`, then delete `duplicate`.
    A few statements however many stories carry the tag (one by one, a tag on
    thousands of stories took seconds)."""
    # The links are moved in bulk, past their signals: what showed the tag shows
    # the one kept.
    moved = TaggedArticle.objects.filter(tag=duplicate).values_list("content_object_id")
    found = {keys.story(pk) for (pk,) in moved}
    moved = TaggedPerson.objects.filter(tag=duplicate).values_list("content_object_id")
    found |= {keys.person(pk) for (pk,) in moved}
    moved = TaggedRace.objects.filter(tag=duplicate).values_list("content_object_id")
    found |= {keys.race(pk) for (pk,) in moved}
    invalidate(found | tag_keys(into.pk), hard=False)
    for through in (TaggedArticle, TaggedPerson, TaggedRace, TaggedItem):
        same = (
            ["content_type", "object_id"]
            if through is TaggedItem
            else ["content_object_id"]
        )
        move_links(
            through.objects.filter(tag=duplicate),
            through.objects.filter(tag=into),
            same,
            tag=into,
        )
    duplicate.delete()
    return into


# The image fields whose files are stored under random names
# (`core.uploads.UploadedImageField`).
IMAGE_FIELDS = [(Article, "lead_image"), (Person, "photo")]


@dataclass
class HiddenNames:
    moved: int = 0
    missing: list[str] = field(default_factory=list)


def images_hide_names() -> HiddenNames:
    """Move every image file stored before uploads got random names (its rows have
    no uploaded-as name) to a random name, keeping its old file name for editors,
    and delete the old file and its renditions once the rows point at the new one:
    a draft's picture uploaded as `candidate-x-withdraws.png` gives its story away
    at a guessable address otherwise. A file shared by several rows is moved once.
    A file missing from storage is reported and its rows left as they are."""
    result = HiddenNames()
    for model, field_name in IMAGE_FIELDS:
        image_field = model._meta.get_field(field_name)
        old_names = (
            model.objects.exclude(**{field_name: ""})
            .filter(**{image_field.name_field: ""})
            .order_by(field_name)  # not by the model's ordering: one row a file
            .values_list(field_name, flat=True)
            .distinct()
        )
        for old in list(old_names):
            if _image_move(model, image_field, old):
                result.moved += 1
            else:
                result.missing.append(old)
    if result.moved:
        # Rows updated in bulk send no post_save; pictures are on every kind of
        # page, so every page goes.
        invalidate({keys.SITE}, hard=False)
    return result


def _image_move(model, image_field, old: str) -> bool:
    storage = image_field.storage
    try:
        with storage.open(old) as content:
            new = storage.save(image_field.generate_filename(None, old), content)
    except FileNotFoundError:
        return False
    try:
        with transaction.atomic():
            model.objects.filter(**{image_field.name: old}).update(
                **{
                    image_field.name: new,
                    image_field.name_field: original_file_name(old),
                }
            )
            transaction.on_commit(partial(_forget_file, storage, old), robust=True)
    except BaseException:
        storage.delete(new)  # the rows still point at the old file
        raise
    return True


def _forget_file(storage, name: str) -> None:
    delete_renditions(storage, name)
    storage.delete(name)
