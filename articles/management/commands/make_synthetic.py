import itertools
import multiprocessing
import os
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.utils import timezone
from PIL import Image
from taggit.models import Tag
from tqdm import tqdm

from articles.models import (
    Article,
    Byline,
    Mention,
    RaceCoverage,
    Section,
    TaggedArticle,
)
from core import cache_keys as keys
from core.cache_keys import invalidate
from core.tags import tag_key
from people.models import Candidacy, Election, Person, Race
from tagging.models import TagKey

PREFIX = "synthetic-"
# Fills of this many stories or more are split between processes (PostgreSQL).
PARALLEL_FROM = 20_000
BATCH = 5000
# PostgreSQL's protocol allows 65,535 parameters a statement, and with server-side
# binding each value is one: a batch of stories is inserted in statements of at
# most this many parameters (Django does not split for that limit itself).
MAX_PARAMETERS = 65_535
# As on a real desk, most stories have a lead image and many people a photo, so a
# listing's thumbnails and a story's avatars cost in the benchmark what they cost
# in production. A small pool of originals, shared: what matters to a page is how
# many pictures it shows, not how many files there are.
LEAD_IMAGE_SHARE = 0.8
# Of the stories that cover a race (three in ten), the share that cover the first.
MARQUEE_RACE_SHARE = 0.25
PHOTO_SHARE = 0.5
IMAGE_POOL = 12
WORDS = (
    "election campaign voters district runoff poll turnout senate house governor "
    "county ballot primary donors endorsement debate policy economy health schools "
    "taxes border energy climate court budget rally volunteers television advertising "
    "suburban rural urban margin recount certified results candidate incumbent"
).split()
SYLLABLES = "ba be bo ca da de di fa ga ka ke ko la le li lo ma me mo na ne no ra ri ro sa se so ta te to va".split()  # noqa: E501
FIRST = "Ana Ben Cara Dan Eva Finn Gia Hal Ida Jon Kai Lea Max Nia Omar Pia".split()
LAST = "Abbott Baker Chen Diaz Ellis Fox Garcia Hughes Ito Jones Kim Lopez Moore Nash Ortiz Patel Quinn Reyes Shah Tran".split()  # noqa: E501


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic stories, people, races and tags for "
        "benchmarks (bulk inserts; realistic shapes). Synthetic rows have slugs "
        f"starting with '{PREFIX}'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--races", type=int, default=1_000)
        parser.add_argument("--tags", type=int, default=500)
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete earlier synthetic rows first.",
        )

    def handle(self, *args, **options):
        if min(options["articles"], options["people"], options["tags"]) < 1:
            raise CommandError("--articles, --people and --tags must be at least 1.")
        if Article.objects.filter(slug__startswith=PREFIX).exists():
            if not options["replace"]:
                raise CommandError("Synthetic rows exist already; pass --replace.")
            self.delete_synthetic()
        self.rng = random.Random(options["seed"])
        self.vocabulary, self.weights = self.make_vocabulary()
        self.lead_images = self.image_pool("lead", (1600, 900))
        self.photos = self.image_pool("photo", (600, 600))
        workers = self.workers(options["articles"])
        with transaction.atomic():
            section = Section.objects.get_or_create(
                slug=f"{PREFIX}news", defaults={"name": "Synthetic news"}
            )[0]
            tags = self.make_tags(options["tags"])
            people = self.make_people(options["people"])
            races = self.make_races(options["races"], people)
            plan = self.plan_stories(options["seed"], section, people, tags, races)
            if workers == 1:
                self.make_articles(plan, options["articles"], workers)
        if workers > 1:
            self.make_articles(plan, options["articles"], workers)
        # Rows written in bulk, past their saves: every page may show them.
        invalidate({keys.SITE}, hard=True)
        if connection.vendor == "postgresql":
            # Bulk inserts leave the search index's pending list full (every search
            # rechecks it) and the planner without statistics: settle both.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT gin_clean_pending_list('article_search_vector_idx')"
                )
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Made {options['articles']} stories, {options['people']} people, "
                f"{options['races']} races and {options['tags']} tags."
            )
        )

    def delete_synthetic(self):
        stories = Article.objects.filter(slug__startswith=PREFIX)
        Mention.objects.filter(article__in=stories).delete()
        # Their bylines go with them: deleted on their own, each would have had
        # its story's credits written again first (`byline_deleted_credits`).
        stories.delete()
        Candidacy.objects.filter(person__slug__startswith=PREFIX).delete()
        Race.objects.filter(slug__startswith=PREFIX).delete()
        Person.objects.filter(slug__startswith=PREFIX).delete()
        Tag.objects.filter(slug__startswith=PREFIX).delete()

    def make_vocabulary(self):
        """Words with Zipf frequencies, as in real text: a few words are in every
        story, most in few. The politics words sit at ranks 0, 80, 160, ... so a
        search for one matches anything from nearly all stories to about one in
        twenty, instead of every story matching every word."""
        made = set()
        while len(made) < 3000:
            made.add("".join(self.rng.choices(SYLLABLES, k=self.rng.randint(2, 4))))
        vocabulary = sorted(made)
        self.rng.shuffle(vocabulary)
        for rank, word in enumerate(WORDS):
            vocabulary.insert(rank * 80, word)
        weights = list(
            itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary)))
        )
        return vocabulary, weights

    def words(self, count):
        return zipf_words(self.rng, self.vocabulary, self.weights, count)

    def progress(self, total, label):
        return tqdm(
            total=total, desc=label, unit="row", file=self.stderr._out, disable=None
        )

    def image_pool(self, kind, size):
        """Names of IMAGE_POOL originals in the default storage, made once."""
        names = []
        for n in range(IMAGE_POOL):
            name = f"synthetic/{kind}-{n}.jpg"
            if not default_storage.exists(name):
                shade = 40 + n * 15
                image = Image.linear_gradient("L").resize(size).convert("RGB")
                image = Image.blend(
                    image, Image.new("RGB", size, (shade, 90, 160)), 0.6
                )
                buffer = BytesIO()
                image.save(buffer, "JPEG", quality=80)
                name = default_storage.save(name, ContentFile(buffer.getvalue()))
            names.append(name)
        return names

    def make_tags(self, count):
        tags = [Tag(name=f"Topic {n}", slug=f"{PREFIX}topic-{n}") for n in range(count)]
        tags = Tag.objects.bulk_create(tags, batch_size=BATCH)
        # bulk_create passes no save(): each tag's folded key is written here.
        TagKey.objects.bulk_create(
            [TagKey(tag=tag, key=tag_key(tag.name)) for tag in tags], batch_size=BATCH
        )
        return tags

    def make_people(self, count):
        kinds = (
            ["candidate"] * 4 + ["celebrity"] * 3 + ["official"] * 2 + ["journalist"]
        )
        people = [
            Person(
                name=f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)} {n}",
                slug=f"{PREFIX}person-{n}",
                kind=self.rng.choice(kinds),
                party=self.rng.choice(["D", "R", "I", ""]),
                bio="A synthetic person for benchmarks.",
                photo=picture(self.rng, self.photos, PHOTO_SHARE),
            )
            for n in range(count)
        ]
        return Person.objects.bulk_create(people, batch_size=BATCH)

    def make_races(self, count, people):
        candidates = [p for p in people if p.kind == "candidate"] or people
        races = Race.objects.bulk_create(
            [
                Race(
                    name=f"Synthetic race {n}",
                    slug=f"{PREFIX}race-{n}",
                    office="us-house",
                    state="GA",
                    district=str(n),
                    year=2000 + n % 25,
                )
                for n in range(count)
            ],
            batch_size=BATCH,
        )
        elections = Election.objects.bulk_create(
            [
                Election(race=race, date=date(race.year, 11, 5), kind="general")
                for race in races
            ],
            batch_size=BATCH,
        )
        candidacies = []
        for election in elections:
            field = self.rng.sample(
                candidates, min(len(candidates), self.rng.randint(2, 8))
            )
            for place, person in enumerate(field):
                candidacies.append(
                    Candidacy(
                        election=election,
                        person=person,
                        party=person.party,
                        votes=self.rng.randint(1_000, 200_000),
                        is_winner=place == 0,
                    )
                )
        Candidacy.objects.bulk_create(candidacies, batch_size=BATCH)
        return races

    def workers(self, count):
        """How many processes fill the stories. In one process, Python builds a
        batch while PostgreSQL waits, then PostgreSQL makes its search vectors and
        indexes while Python waits: 3.4 to 3.7 minutes for 100,000 stories on a
        slow 2-core machine. A big fill on PostgreSQL is split between the cores
        instead (1.8 minutes there). Each batch then commits on its own, so a
        failed fill leaves whole batches: it says so, and --replace starts again.
        Inside a transaction (tests) or on SQLite: one process, one transaction."""
        if (
            connection.vendor != "postgresql"
            or count < PARALLEL_FROM
            or connection.in_atomic_block
        ):
            return 1
        return max(1, min(os.cpu_count() or 1, 4))

    def plan_stories(self, seed, section, people, tags, races):
        """What every batch of stories is drawn from, as plain values (ids and
        words) a worker process can take."""
        journalists = [
            (p.pk, p.name, p.slug) for p in people if p.kind == "journalist"
        ] or [(people[0].pk, people[0].name, people[0].slug)]
        # Coverage is not even: a few people are in a large share of the stories (a
        # president, the candidates of the big race), and their pages must be as
        # fast as anyone's. One headliner is in 30% of the stories, nine others
        # share another 20%.
        headliners = [p.pk for p in self.rng.sample(people, min(10, len(people)))]
        # Bodies are six of 2,000 paragraphs: drawing 300 Zipf words for each of
        # 100,000 stories would take most of the fill's time budget.
        paragraphs = [
            f"<p>{' '.join(self.words(50)).capitalize()}.</p>" for _ in range(2000)
        ]
        return StoryPlan(
            seed=seed,
            now=timezone.now(),
            section_id=section.pk,
            people=[p.pk for p in people],
            journalists=journalists,
            headliners=headliners,
            tags=[t.pk for t in tags],
            races=[r.pk for r in races],
            vocabulary=self.vocabulary,
            weights=self.weights,
            paragraphs=paragraphs,
            lead_images=self.lead_images,
        )

    def make_articles(self, plan, count, workers):
        """`count` stories of `plan`, batch by batch, in this process's transaction
        or, with several workers, each batch committed by a worker process."""
        bar = self.progress(count, "stories")
        starts = range(0, count, BATCH)
        batches = [(start, min(start + BATCH, count)) for start in starts]
        if workers == 1:
            for batch in batches:
                bar.update(plan.make(*batch))
            bar.close()
            return
        # Each worker opens its own connection: none may be shared across the fork.
        connections.close_all()
        fork = multiprocessing.get_context("fork")
        with fork.Pool(workers, initializer=_adopt, initargs=(plan,)) as pool:
            try:
                for made in pool.imap_unordered(_make_committed, batches):
                    bar.update(made)
            except Exception as error:
                raise CommandError(
                    f"The fill stopped ({error}); the batches done are kept: "
                    "run again with --replace."
                ) from error
            finally:
                bar.close()


def zipf_words(rng, vocabulary, weights, count) -> list[str]:
    """`count` words of `vocabulary` drawn with its cumulative Zipf `weights`."""
    return rng.choices(vocabulary, cum_weights=weights, k=count)


def picture(rng, pool, share) -> str:
    """A random name from `pool`, for `share` of the rows; "" for the rest."""
    return rng.choice(pool) if rng.random() < share else ""


@dataclass
class StoryPlan:
    """Batches of synthetic stories and their links. A batch's randomness comes
    from the seed and the batch's first story, so a seed makes the same newsroom
    whichever process makes which batch, in whatever order."""

    seed: int
    now: datetime
    section_id: int
    people: list[int]
    journalists: list[tuple[int, str, str]]  # id, name, slug
    headliners: list[int]
    tags: list[int]
    races: list[int]
    vocabulary: list[str]
    weights: list[float]
    paragraphs: list[str]
    lead_images: list[str]

    def make(self, start, stop) -> int:
        """Stories start..stop-1 with their mentions, tags, bylines and races."""
        rng = random.Random(f"{self.seed}:{start}")
        words = partial(zipf_words, rng, self.vocabulary, self.weights)
        stories, journalists = [], []
        for n in range(start, stop):
            roll = rng.random()
            status, when = "published", self.now - timedelta(minutes=n * 7 + 1)
            if roll < 0.05:
                status, when = "draft", None
            elif roll < 0.07:
                when = self.now + timedelta(days=rng.randint(1, 30))  # scheduled
            body = "".join(rng.sample(self.paragraphs, 6))
            lead_image = picture(rng, self.lead_images, LEAD_IMAGE_SHARE)
            journalist, name, slug = rng.choice(self.journalists)
            journalists.append(journalist)
            stories.append(
                Article(
                    headline=" ".join(words(8)).capitalize(),
                    slug=f"{PREFIX}story-{n}",
                    dek=" ".join(words(20)).capitalize() + ".",
                    body=body,
                    section_id=self.section_id,
                    lead_image=lead_image,
                    lead_image_alt="A synthetic picture" if lead_image else "",
                    status=status,
                    published_at=when,
                    byline_credits=[[name, slug]],
                )
            )
        stories = Article.objects.bulk_create(
            stories,
            batch_size=MAX_PARAMETERS // len(Article._meta.concrete_fields),
        )
        mentions, taggings, bylines, links = [], [], [], []
        for story, journalist in zip(stories, journalists, strict=True):
            published = story.published_time_for_links()
            size = min(len(self.people), rng.randint(3, 8))
            named = {}  # each person once, in order
            if rng.random() < 0.3:
                named[self.headliners[0]] = True
            if len(self.headliners) > 1 and rng.random() < 0.2:
                named[rng.choice(self.headliners[1:])] = True
            for person in rng.sample(self.people, size):
                if len(named) < size:
                    named[person] = True
            for person in named:
                mentions.append((story.pk, person, "mentioned", "", published))
            for tag in rng.sample(self.tags, min(len(self.tags), rng.randint(3, 5))):
                taggings.append((story.pk, tag, published))
            bylines.append((story.pk, journalist, 0))
            if self.races and rng.random() < 0.3:
                # A marquee race (the first) in a quarter of them, as a desk's
                # coverage gathers on the race of the year.
                marquee = rng.random() < MARQUEE_RACE_SHARE
                race = self.races[0] if marquee else rng.choice(self.races)
                links.append((story.pk, race, published))
        insert_rows(
            Mention, ["article", "person", "role", "note", "published_at"], mentions
        )
        insert_rows(TaggedArticle, ["content_object", "tag", "published_at"], taggings)
        insert_rows(Byline, ["article", "person", "position"], bylines)
        insert_rows(RaceCoverage, ["article", "race", "published_at"], links)
        return len(stories)


_plan: StoryPlan | None = None  # a worker process's plan, inherited at the fork


def _adopt(plan):
    global _plan
    _plan = plan


def _make_committed(batch) -> int:
    """A batch of the worker's plan, committed on its own."""
    with transaction.atomic():
        return _plan.make(*batch)


def insert_rows(model, fields, rows):
    """Insert plain tuples (values of `fields`, foreign keys as ids): COPY on
    PostgreSQL, several times faster than building a model instance and an
    INSERT for each of the million links; bulk_create elsewhere. Every field
    without a database default must be among `fields`."""
    columns = [model._meta.get_field(name).column for name in fields]
    if connection.vendor != "postgresql":
        attnames = [model._meta.get_field(name).attname for name in fields]
        model.objects.bulk_create(
            (model(**dict(zip(attnames, row, strict=True))) for row in rows),
            batch_size=BATCH,
        )
        return
    quote = connection.ops.quote_name
    statement = (
        f"COPY {quote(model._meta.db_table)} "
        f"({', '.join(quote(column) for column in columns)}) FROM STDIN"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
