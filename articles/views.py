"""Reader pages for stories. Every queryset here starts from `published()`."""

import datetime
import hashlib
import json

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, router
from django.db.models import F, Q, Subquery, Value
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from articles import search
from articles.linking import link_first_mentions
from articles.models import (
    SECTION_COLUMNS,
    Article,
    ArticleSlug,
    Section,
    TaggedArticle,
    published_tag_links_counted,
    teasers,
)
from articles.story_page import published_story, related_stories
from core import cache_keys as keys
from core.cache import set_content_named
from core.keyset import CURSOR_PARAMETERS, CompiledKeyset, keyset_page
from core.page_cache import reads_query
from core.renditions import detached_file, renditions_for, renditions_for_many
from core.views import ReaderView
from newsroom.json_rows import JSONRows, decoded, json_row
from newsroom.postgresql.plans import planned_afresh
from newsroom.reversing import bound_reverse, request_origin
from newsroom.statements import Statement, columns, instance
from people.mentions import KnownPerson
from people.models import Person, Race, races_with_result

# The front and section pages' stories, newest first, as compiled statements.
# Planned once (see `Opaque`): without, PostgreSQL planned the front page's
# stories again on every run.
FRONT_PAGE = CompiledKeyset(
    lambda now: (
        Article.objects.published(now=now, planned_once=True)
        .newest_first()
        .teaser_rows()
    ),
    per_page=settings.ARTICLES_PER_PAGE,
    load=teasers,
    planned_once=True,
    now=datetime.datetime,
)
# Not planned once: how best to find a section's newest stories depends on how
# many it has (walk the newest of all, or take the section's and sort them).
SECTION_PAGE = CompiledKeyset(
    lambda section, now: (
        Article.objects.published(now=now)
        .filter(section_id=section)
        .newest_first()
        .teaser_rows()
    ),
    per_page=settings.ARTICLES_PER_PAGE,
    load=teasers,
    section=int,
    now=datetime.datetime,
)


class ArticleListView(ReaderView, ListView):
    """Published stories, newest first, in pages found by keyset (see
    `newsroom.keyset`): `get_queryset()` gives a bound `CompiledKeyset`."""

    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE
    query_parameters = CURSOR_PARAMETERS

    def paginate_queryset(self, stories, page_size):
        page = keyset_page(stories, self.request.GET, page_size)
        declare_stories(self.request, page.object_list)
        return None, page, page.object_list, page.has_previous or page.has_next


def declare_stories(request, stories) -> None:
    """The cache keys of the stories a listing shows (`newsroom.cache_keys`), from
    what is loaded: an edit of one of them invalidates the listing."""
    for story in stories:
        keys.declare(request, keys.story(story.pk), keys.section(story.section_id))


# What the front page's sidebar shows of a race in the news, in field order.
RACE_IN_THE_NEWS_COLUMNS = ["id", "name", "slug", "office", "state", "district", "year"]


def races_in_the_news_json(now, count=5):
    """A subquery: the first `count` races (in the races' own order, newest year
    first) that the newest 50 published stories cover, each a row of
    `RACE_IN_THE_NEWS_COLUMNS`: a bounded subquery, not an aggregate over the
    archive. On PostgreSQL an array of JSON rows, read straight off the races'
    index (`races_in_the_news_rows()` decodes either)."""
    covered = Article.races.through.objects.filter(
        article__in=Article.objects.published(now=now).newest_first().values("pk")[:50]
    ).values("race_id")
    # Race.Meta.ordering, then the id: the same five every time.
    ordered = Race.objects.filter(pk__in=covered).order_by(
        "-year", "state", "office", "district", "id"
    )
    if connection.vendor == "postgresql":
        # One level: the chosen races' rows themselves. The aggregate below has
        # to find its five again, which PostgreSQL did by reading every race.
        return ArraySubquery(
            ordered.values(row=json_row(*RACE_IN_THE_NEWS_COLUMNS))[:count]
        )
    first = ordered.values("pk")[:count]
    return Subquery(
        Race.objects.filter(pk__in=first)
        .order_by()
        .annotate(every=Value(1))  # a constant: one group of all of them
        .values("every")
        .annotate(
            rows=JSONRows(
                *RACE_IN_THE_NEWS_COLUMNS,
                # The year negated, as SQLite's rows are sorted after decoding
                # in ascending order.
                order_by=[F("year") * -1, "state", "office", "district", "id"],
            )
        )
        .values("rows")
    )


def races_in_the_news_rows(value, vendor) -> list:
    """The rows of a `races_in_the_news_json()` value read from `vendor`."""
    if vendor == "postgresql":
        return [json.loads(text) for text in value or ()]
    return decoded(value, vendor=vendor)


# The sections, each row with the races in the news (the same value in each, found
# once): the sidebar in one query. No section means no story, so no race either.
SIDEBAR = Statement(
    lambda now: Section.objects.annotate(
        races_json=races_in_the_news_json(now)
    ).values_list(*SECTION_COLUMNS, "races_json"),
    now=datetime.datetime,
)


def front_page_sidebar() -> tuple[list, list]:
    """The sections, and the races in the news (`races_in_the_news_json()`)."""
    rows = SIDEBAR.rows(now=timezone.now())
    sections = [instance(Section, SECTION_COLUMNS, row[:-1], rows.db) for row in rows]
    races = []
    if rows:
        races = [
            instance(Race, RACE_IN_THE_NEWS_COLUMNS, values, rows.db)
            for values in races_in_the_news_rows(rows[0][-1], rows.vendor)
        ]
    return sections, races


class FrontPageView(ArticleListView):
    template_name = "articles/front_page.html"

    def get_queryset(self):
        return FRONT_PAGE.bind(now=timezone.now())

    def get_context_data(self, **kwargs):
        sections, races_in_the_news = front_page_sidebar()
        keys.declare(
            self.request,
            keys.LIST_FRONT,
            *(keys.section(section.pk) for section in sections),
            *(keys.race(race.pk) for race in races_in_the_news),
        )
        return super().get_context_data(
            sections=sections,
            races_in_the_news=races_in_the_news,
            **kwargs,
        )


class SectionView(ArticleListView):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        pk = self.section.pk
        keys.declare(self.request, keys.section(pk), keys.list_section(pk))
        return SECTION_PAGE.bind(section=self.section.pk, now=timezone.now())

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


COUNT_CAP = 1000
TAG_COLUMNS = columns(Tag)
# The tag, and its published stories counted up to one past the cap.
TAG = Statement(
    lambda slug, now: (
        Tag.objects.filter(slug=slug)
        .annotate(stories=published_tag_links_counted(now=now, cap=COUNT_CAP + 1))
        .values_list(*TAG_COLUMNS, "stories")
    ),
    slug=str,
    now=datetime.datetime,
)


def published_tag_links(tag, now):
    """A tag's links to stories published by `now` (as the links record it)."""
    return TaggedArticle.objects.filter(tag_id=tag).published_by_now(now=now)


# A tag's stories, newest first: a page of its links (publish time, story id, in
# the order of their index) and those stories, in one statement.
TAG_STORIES = CompiledKeyset(
    lambda tag, now: (
        published_tag_links(tag, now).newest_first().values_list("content_object_id")
    ),
    stories=lambda links, newest_first, tag, now: (
        Article.objects.published(now=now)
        .of_links_page(links, newest_first=newest_first)
        .teaser_rows()
    ),
    per_page=settings.ARTICLES_PER_PAGE,
    load=teasers,
    id_field="content_object_id",
    tag=int,
    now=datetime.datetime,
)


class TagView(ArticleListView):
    """A tag's stories, newest first, paged through the tag's links: each link
    carries its story's publish time (see `TaggedArticle`), so a page is one range
    of an index, whatever the size of the archive or of the tag."""

    template_name = "articles/tag_detail.html"
    # Counting a tag's stories visits every one of them: a tag on 50,000 stories
    # would cost a quarter of a second a page. Past this many, the page says "more".
    COUNT_CAP = COUNT_CAP

    def get_queryset(self):
        now = timezone.now()
        rows = TAG.rows(slug=self.kwargs["slug"], now=now)
        if not rows:
            raise Http404("No tag here.")
        *values, self.count = rows[0]
        if not self.count and not self.request.user.is_staff:
            # Known only from hidden stories: as unknown to readers as any other
            # name (see `tags_readers_see`); staff may preview it.
            raise Http404("No tag here.")
        self.tag = instance(Tag, TAG_COLUMNS, values, rows.db)
        keys.declare(self.request, keys.tag(self.tag.pk), keys.list_tag(self.tag.pk))
        return TAG_STORIES.bind(tag=self.tag.pk, now=now)

    def get_context_data(self, **kwargs):
        count = self.count
        return super().get_context_data(
            tag=self.tag,
            story_count=min(count, self.COUNT_CAP),
            more_stories=count > self.COUNT_CAP,
            **kwargs,
        )


class ArticleDetailView(ReaderView, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"
    query_parameters = frozenset()

    def get_object(self, queryset=None):
        """The published story at the slug, read by compiled statements (see
        `articles.story_page`): what `published().for_detail()` would give."""
        story = published_story(self.kwargs["slug"])
        if story is None:
            raise Http404("No published story here.")
        return story

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            # An old slug answers with a permanent redirect to the story's address.
            old = ArticleSlug.objects.filter(
                slug=kwargs["slug"], article__in=Article.objects.published()
            ).first()
            if old is None:
                raise
            keys.declare(request, keys.story(old.article_id))
            return redirect(old.article, permanent=True)
        # The slug identifies the story; the date is decoration. A wrong date answers
        # with a permanent redirect to the one canonical address.
        day = timezone.localtime(self.object.published_at)
        requested = (kwargs["year"], kwargs["month"], kwargs["day"])
        if requested != (day.year, f"{day.month:02d}", f"{day.day:02d}"):
            keys.declare(request, keys.story(self.object.pk))
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = story_context(self.request, self.object)
        declare_story_page(self.request, self.object, context)
        return super().get_context_data(**context, **kwargs)


def declare_story_page(request, story, context) -> None:
    """The cache keys of a story page: the story, its section, tags, people and
    races, from what the page loaded."""
    keys.declare(
        request,
        keys.story(story.pk),
        keys.section(story.section_id),
        *(keys.tag(tag.pk) for tag in story.tag_links),
        *(keys.person(person.pk) for person, _roles in context["people"]),
        *(keys.race(race.pk) for race in context["races"]),
        *(keys.story(related.pk) for related in context["related"]),
    )


def story_context(request, article) -> dict:
    """What a story page shows besides the story: for readers and for previews."""
    people = people_with_roles(article)
    linked_people = [person for person, _roles in people]
    # The lead image, the people's photos and the linked body: one cache round
    # trip for the page.
    body_key = linked_body_key(article, linked_people)
    # Files not linked back to their story or person (`detached_file()`).
    lead_image = detached_file(article, "lead_image")
    photos = [detached_file(person, "photo") for person in linked_people]
    cached = renditions_for_many([lead_image, *photos], also=[body_key])
    return {
        "lead_image": lead_image,
        "related": related_stories(article),
        "races": article.races_covered(),
        "people": people,
        "body_html": linked_body(
            article, linked_people, body_key, cached.get(body_key)
        ),
        "jsonld": news_article_jsonld(request, article, people),
    }


def people_with_roles(article):
    """[(person, [mention, …]), …] from the prefetched mentions, in name order."""
    grouped: dict[int, tuple] = {}
    for mention in article.people_mentions:
        grouped.setdefault(mention.person_id, (mention.person, []))[1].append(mention)
    return list(grouped.values())


def linked_body_key(article, people) -> str:
    """The cache key of the story's linked body: it changes with the story and
    with its linked people's names and addresses."""
    signature = "|".join(f"{p.pk}:{p.slug}:{p.name}" for p in people)
    return (
        "linked-body:"
        + hashlib.sha256(
            f"{article.pk}:{article.updated_at.isoformat()}:{signature}".encode()
        ).hexdigest()
    )


def linked_body(article, people, key, cached) -> str:
    """The body with each linked person's first appearance linked to their page;
    cached under `key` (`linked_body_key()`) until the story or its people change.
    `cached`: what the cache held there (None: nothing), asked with the page's
    other keys."""
    body = cached
    if body is None:
        body = link_first_mentions(
            article.body,
            [(KnownPerson(p.pk, p.name, p.kind), p.get_absolute_url()) for p in people],
        )
        set_content_named(key, body, 24 * 3600)
    return body


# The publisher's logo in a story's JSON-LD: 600 × 60, as search engines ask.
PUBLISHER_LOGO = "img/publisher-logo.png"


def news_article_jsonld(request, article, people):
    """schema.org NewsArticle for a story page (escaped by the `jsonld` tag);
    `people` as `people_with_roles()` gives them. Addresses are the site's origin
    and a path reversed in this page's URLconf, read once for all of them."""
    origin = request_origin(request)
    reverse = bound_reverse()
    url = origin + article.get_absolute_url(reverse=reverse)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.dek,
        "mainEntityOfPage": url,
        "url": url,
        "datePublished": (article.published_at or article.created_at).isoformat(),
        # The last substantive edit readers see ("Updated"), not any save.
        "dateModified": (
            article.revised_at or article.published_at or article.created_at
        ).isoformat(),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tag_links],
        "author": [
            {
                "@type": "Person",
                "name": credit.name,
                "url": origin + credit.get_absolute_url(reverse=reverse),
            }
            for credit in article.credits
        ],
        "publisher": {"@type": "Organization", "name": settings.NEWSROOM_NAME},
    }
    data["publisher"]["logo"] = {
        "@type": "ImageObject",
        "url": origin + static(PUBLISHER_LOGO),
        "width": 600,
        "height": 60,
    }
    rendition = renditions_for(detached_file(article, "lead_image"))
    if rendition:
        data["image"] = [request.build_absolute_uri(rendition.fallback_url)]
    about, mentions = [], []
    for person, roles in people:
        entry = {
            "@type": "Person",
            "name": person.name,
            "url": origin + person.get_absolute_url(reverse=reverse),
        }
        central = {m.role for m in roles} & {"subject", "candidate"}
        (about if central else mentions).append(entry)
    if about:
        data["about"] = about
    if mentions:
        data["mentions"] = mentions
    return data


class SearchView(ReaderView, ListView):
    """Stories, people and races matching `?q=`; any query gives a normal page."""

    template_name = "articles/search.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE
    query_parameters = frozenset({"q", ListView.page_kwarg})

    def get(self, request, *args, **kwargs):
        # Each search planned for its own words (see `planned_afresh`), rendered
        # inside the block because the template runs the people and race queries.
        with planned_afresh(router.db_for_read(Article)):
            return super().get(request, *args, **kwargs).render()

    def get_queryset(self):
        keys.declare_short_lived(self.request)  # matches change with every story
        self.query = search.clean_query(self.request.GET.get("q"))
        return Article.objects.published().for_teasers().search(self.query)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # On PostgreSQL the search knows how many stories it ranks (the count is
        # a cached property: set, it is never asked of the database).
        if getattr(queryset, "match_count", None) is not None:
            paginator.count = queryset.match_count
        return paginator

    def get_context_data(self, **kwargs):
        words = search.query_words(self.query)
        people = races = []
        if words:
            race_named = Q()
            for word in words:
                race_named &= Q(name__icontains=word)
            people = (
                Person.objects.visible_to_readers().named(words).order_by("name")[:10]
            )
            races = races_with_result().visible_to_readers().filter(race_named)[:10]
        context = super().get_context_data(
            query=self.query, people=people, races=races, **kwargs
        )
        for article in context["articles"]:
            source = getattr(article, "snippet_source", "") or article.dek
            article.search_snippet = search.highlight(source, self.query)
        return context


@require_safe
@reads_query()
def robots_txt(request):
    keys.declare(request)  # the site's: nothing here changes with content
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        f"Sitemap: {request.build_absolute_uri('/sitemap-news.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
