"""How pages read stories: queryset methods named for the page or rule.

`ArticleQuerySet.published()` is the only definition of "a reader may see this";
`for_listing()` and `for_detail()` say what a list of stories and a story page
load. The models live in `articles.models`, which builds its managers from these
classes; the link models are imported inside the methods that need them.
"""

from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils import timezone
from taggit.models import Tag

from articles.search import search_articles

# What a teaser shows of a story (`articles.teasers`, the front page's lead
# story): its address (slug, publish or creation time), headline, dek, picture,
# section and bylines. Never the body, nor the editing columns.
LISTING_FIELDS = [
    "headline",
    "slug",
    "dek",
    "section",
    "section__name",
    "section__slug",
    "lead_image",
    "lead_image_alt",
    "published_at",
    "created_at",
    "byline_credits",
]
# What a story page's list of related stories shows of each.
RELATED_FIELDS = ["headline", "slug", "published_at", "created_at"]


class ArticleQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """The only definition of “a reader may see this story” (by `now`, else
        the present)."""
        from articles.models import Article

        return self.filter(
            status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now()
        )

    def newest_first(self):
        """Newest first, in the order of the status/publish-time index."""
        return self.order_by("-published_at", "-id")

    def for_listing(self):
        """What a list of stories shows (teasers, feeds): never the body. The
        bylines come in each story's own row (`Article.byline_credits`)."""
        return self.select_related("section").only(*LISTING_FIELDS)

    def for_feed(self):
        """What a feed's item shows: a listing's columns, when the story was
        last revised for readers, and its tags (one more query)."""
        return (
            self.select_related("section")
            .only(*LISTING_FIELDS, "revised_at")
            .with_tag_links()
        )

    def for_detail(self):
        """What a story page shows: the story with its section, and whether it
        covers races (`has_races`: their results are worth a query only then).
        Its people and tags are one query each (`Article.people_mentions`,
        `Article.tag_links`), its related stories another (`related_to()`)."""
        return (
            self.defer("search_vector")
            .select_related("section")
            .annotate(has_races=covers_races())
        )

    def with_tag_links(self):
        """Stories that carry their tags (`Article.tag_links`), all of them read
        in one more query."""
        from articles.models import TaggedArticle

        return self.prefetch_related(
            models.Prefetch(
                "taggedarticle_set",
                queryset=TaggedArticle.objects.select_related("tag").order_by(
                    "tag__name", "tag_id"
                ),
                to_attr="tag_rows",
            )
        )

    def of_links(self, links):
        """The stories whose ids `links` (a sliced queryset of a link table's
        story ids: a page of a tag's or person's links) selects, in one query
        with them."""
        return self.filter(pk__in=links)

    def related_to(self, article, *, limit=5, now=None):
        """Published stories sharing a person or a tag with `article`, newest
        first, headline and dates only, in one query.

        Each person and tag gives only its own newest few stories, read from its
        links' publish-time index (`newest_linked_stories`): a headliner in a
        third of the archive costs what anyone else does. Any of the overall
        newest `limit` stories is among the newest `limit + 1` of each key it
        shares (the one more is the story itself), so nothing is missed.
        """
        people = sorted({mention.person_id for mention in article.people_mentions})
        tags = sorted({tag.pk for tag in article.tag_links})
        if not people and not tags:
            return self.none()
        return (
            self.filter(pk__in=newest_linked_stories(people, tags, limit + 1, now=now))
            .exclude(pk=article.pk)
            .only(*RELATED_FIELDS)
            .newest_first()[:limit]
        )

    def search(self, terms: str):
        """Stories matching `terms`, best first; see `articles.search`."""
        return search_articles(self, terms)


class StoryLinkQuerySet(models.QuerySet):
    """Rows of a `StoryLink` model, read in the order of their publish-time index."""

    def published_by_now(self, *, now=None):
        """Links to stories published by now, as the links record it."""
        return self.filter(published_at__lte=now or timezone.now())

    def newest_first(self):
        """Newest story first, ties broken by story id: the index's order."""
        return self.order_by("-published_at", f"-{self.model.STORY_FIELD}_id")

    def story_ids(self):
        """The linked stories' ids, one row per story, newest first: a page of
        them is one range of the (key, publish time, story) index."""
        story = f"{self.model.STORY_FIELD}_id"
        return (
            self.values("published_at", story)
            .annotate(story=models.Min(story))
            .newest_first()
            .values_list("story", flat=True)
        )


def covers_races():
    """An annotation: whether a story covers any race."""
    from articles.models import RaceCoverage

    return models.Exists(RaceCoverage.objects.filter(article=models.OuterRef("pk")))


def tags_readers_see(*, now=None):
    """Tags on at least one story published by `now`: the only ones with a feed.
    A tag known only from a hidden story must not answer where an unknown one
    gives a 404: its address is its name, and would confirm the story's subject."""
    from articles.models import TaggedArticle

    links = TaggedArticle.objects.filter(tag=models.OuterRef("pk"))
    return Tag.objects.filter(models.Exists(links.published_by_now(now=now)))


def _link_columns(link_model, key_field: str, story_field: str) -> tuple[str, ...]:
    """A link table's quoted name and its key, story and publish-time columns."""
    quote = connection.ops.quote_name
    columns = (
        quote(link_model._meta.get_field(name).column)
        for name in (key_field, story_field, "published_at")
    )
    return quote(link_model._meta.db_table), *columns


def published_tag_links_counted(*, now, cap: int) -> RawSQL:
    """An annotation for a Tag query: how many of the tag's links point to stories
    published by `now`, counted up to `cap` (a count of a LIMITed range of the
    links' (tag, publish time, story) index, index only). Raw SQL because the ORM
    cannot count a sliced subquery inside another query."""
    from articles.models import TaggedArticle

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

    Raw SQL because the ORM cannot say "newest N per key" as one subquery. On
    PostgreSQL the keys go as two arrays, each joined LATERAL to its newest
    links, so the SQL is the same whatever the story's number of people and tags:
    planned once and kept prepared. SQLite has neither: a UNION of one range per
    key, each in a derived table so that it accepts the ORDER BY and LIMIT."""
    from articles.models import Mention, TaggedArticle

    now = connection.ops.adapt_datetimefield_value(now or timezone.now())
    parts, params = [], []
    for keys, *link in (
        (people, Mention, "person", "article"),
        (tags, TaggedArticle, "tag", "content_object"),
    ):
        table, key, story, published = _link_columns(*link)
        newest = (
            f"SELECT {story} AS story, {published} AS published FROM {table} "
            f"WHERE {key} = %s AND {published} <= %s "
            f"ORDER BY {published} DESC, {story} DESC LIMIT %s"
        )
        if connection.vendor == "postgresql":
            parts.append(
                "SELECT newest.story, newest.published "
                "FROM unnest(%s::bigint[]) AS keys(id) CROSS JOIN LATERAL ("
                + newest.replace(f"{key} = %s", f"{key} = keys.id")
                + ") AS newest"
            )
            params += [list(keys), now, per_key]
            continue
        for value in keys:
            parts.append(f"SELECT * FROM ({newest}) AS newest")
            params += [value, now, per_key]
    return RawSQL(
        f"SELECT story FROM ({' UNION ALL '.join(parts)}) AS linked "
        "GROUP BY story, published ORDER BY published DESC, story DESC LIMIT %s",
        [*params, per_key],
    )
