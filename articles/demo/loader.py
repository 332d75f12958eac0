"""Load the demo newsroom. Idempotent: rows that exist are left exactly as they are."""

import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from articles import services
from articles.demo import data
from articles.demo.relationships import load_relationships
from articles.demo.results import demo_results_load
from articles.models import Article, Byline, Mention, Section
from articles.services import story_text_to_html
from people.models import Alias, Candidacy, Election, Person, PersonRole, Race

SEEDS_DIR = Path(__file__).resolve().parent / "seeds"


@dataclass
class DemoLoadResult:
    created: dict[str, int] = field(default_factory=dict)
    editor_password: str | None = None  # set only when the account was created now

    def count(self, label: str, created: bool | int) -> None:
        """Add `created` (a flag, or a number of rows) to the label's tally."""
        self.created[label] = self.created.get(label, 0) + int(created)


# A reporter's sign-off, the only place a seed names who wrote it:
# "Follow Jerome Hudson on Twitter @jeromeehudson".
SIGN_OFF = re.compile(r"Follow (?P<name>[^\W\d_][\w.'’ -]*?) on (?:Twitter|X)\b")


def split_seed(story: dict) -> tuple[str, str, list[str]]:
    """Return (headline, body text, writers' names) from a seed file, dropping the
    headline line where the story has one and the sign-offs that name a writer."""
    text = (SEEDS_DIR / story["seed"]).read_text(encoding="utf-8").strip()
    headline = story.get("headline", "")
    if story.get("headline_from_first_line"):
        headline, _, text = text.partition("\n")
    writers, lines = [], []
    for line in text.splitlines():
        # Seeds use no-break spaces between words; match with them folded.
        sign_off = SIGN_OFF.fullmatch(" ".join(line.split()).split(" @")[0])
        if sign_off:
            writers.append(sign_off["name"])
        else:
            lines.append(line)
    return headline.strip(), "\n".join(lines), writers


@transaction.atomic
def demo_newsroom_load() -> DemoLoadResult:
    result = DemoLoadResult()
    people = _load_people(result)
    race = _load_race(result, people)
    result.count("result snapshots", demo_results_load(race))
    _load_roles(result, people, race)
    sections = {}
    for values in data.SECTIONS:
        sections[values["slug"]], created = Section.objects.get_or_create(
            slug=values["slug"], defaults=values
        )
        result.count("sections", created)
    result.editor_password = _load_editor(result)
    editor = get_user_model().objects.get(username=data.EDITOR_USERNAME)
    for story in data.STORIES:
        _load_story(
            result, story, people=people, sections=sections, race=race, editor=editor
        )
    load_relationships(result, people)
    return result


def _load_people(result: DemoLoadResult) -> dict[str, Person]:
    people = {}
    for values in data.PEOPLE:
        values = dict(values)
        aliases = values.pop("aliases", [])
        person = Person.objects.filter(name=values["name"]).first()
        result.count("people", person is None)
        if person is None:
            person = Person(**values)
            person.full_clean(exclude=["slug"])
            person.save()
        for alias in aliases:
            _, created = Alias.objects.get_or_create(person=person, name=alias)
            result.count("aliases", created)
        people[person.name] = person
    for election in data.ELECTIONS:
        for name, party, _votes in election["candidates"]:
            if name not in people:
                people[name], created = Person.objects.get_or_create(
                    name=name,
                    defaults={"kind": Person.Kind.CANDIDATE, "party": party},
                )
                result.count("people", created)
    return people


def _load_roles(result: DemoLoadResult, people: dict[str, Person], race) -> None:
    for name, title, in_race, start, end in data.ROLES:
        _, created = PersonRole.objects.get_or_create(
            person=people[name],
            title=title,
            start_date=start,
            defaults={"end_date": end, "race": race if in_race else None},
        )
        result.count("roles", created)


def _load_race(result: DemoLoadResult, people: dict[str, Person]) -> Race:
    values = dict(data.RACE)
    tags = values.pop("tags")
    race, created = Race.objects.get_or_create(slug=values["slug"], defaults=values)
    result.count("races", created)
    if created:
        race.tags.add(*tags)
    for round_ in data.ELECTIONS:
        election, created = Election.objects.get_or_create(
            race=race,
            date=round_["date"],
            kind=round_["kind"],
            defaults={
                "is_certified": True,
                "source": round_["source"],
                "source_url": data.SOURCE_URL,
            },
        )
        result.count("elections", created)
        for name, party, votes in round_["candidates"]:
            _, created = Candidacy.objects.get_or_create(
                election=election,
                person=people[name],
                defaults={
                    "party": party,
                    "votes": votes,
                    "is_winner": name in round_["winners"],
                    "advanced": name in round_["advanced"],
                    "is_incumbent": False,
                },
            )
            result.count("candidacies", created)
    return race


def _load_story(result, story, *, people, sections, race, editor) -> None:
    """A seed story, published (through the publishing service) when its text
    names who wrote it; one that does not waits in the review queue for a byline,
    as any story must."""
    if Article.objects.filter(slug=story["slug"]).exists():
        result.count("articles", False)
        return
    headline, text, writers = split_seed(story)
    writers = writers or [story[key] for key in ["unsigned_byline"] if key in story]
    article = Article(
        headline=headline,
        slug=story["slug"],
        dek=story["dek"],
        body=story_text_to_html(text),
        section=sections[story["section"]],
        status=Article.Status.DRAFT,
        published_at=story["published_at"],
        created_by=editor,
    )
    article.full_clean()
    article.save()
    result.count("articles", True)
    article.tags.add(*story["tags"])
    article.races.add(race)
    for position, name in enumerate(writers):
        writer = people.get(name) or Person.objects.filter(name=name).first()
        if writer is None:
            writer = Person(name=name, kind=Person.Kind.JOURNALIST)
            writer.full_clean(exclude=["slug"])
            writer.save()
            result.count("people", True)
        Byline.objects.create(article=article, person=writer, position=position)
    if writers:
        article = services.article_publish(
            article=article, user=editor, when=story["published_at"]
        )
    else:
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.IN_REVIEW,
            submitted_at=story["published_at"],
            submitted_by=editor,
        )
    # One by one, through Mention.save(), which copies the story's publish time.
    for name, role, note in story["mentions"]:
        Mention.objects.create(
            article=article, person=people[name], role=role, note=note
        )
    result.count("mentions", len(story["mentions"]))
    # An archive story was last edited when it ran, not when the demo was loaded.
    Article.objects.filter(pk=article.pk).update(updated_at=story["published_at"])
    article.refresh_from_db()
    # The story's first entry in its history, to compare later edits with.
    with reversion.create_revision():
        reversion.set_comment("Initial version (loaded with the demo newsroom).")
        reversion.add_to_revision(article)


def _load_editor(result: DemoLoadResult) -> str | None:
    """Create the demo editor with a random password; return it only when created."""
    User = get_user_model()
    if User.objects.filter(username=data.EDITOR_USERNAME).exists():
        result.count("editors", False)
        return None
    password = secrets.token_urlsafe(12)
    editor = User.objects.create_user(
        username=data.EDITOR_USERNAME,
        email="editor@newsroom.invalid",
        password=password,
        is_staff=True,
        first_name="Demo",
        last_name="Editor",
    )
    editor.groups.add(Group.objects.get(name="Editor"))
    result.count("editors", True)
    return password
