"""Reader pages for stories. Every queryset here starts from `published()`."""

import hashlib

from django.conf import settings
from django.db import router
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from articles import search
from articles.linking import link_first_mentions
from articles.models import Article, ArticleSlug, RaceCoverage, Section, TaggedArticle
from articles.querysets import published_tag_links_counted
from core import cache_keys as keys
from core.cache import set_content_named
from core.keyset import CURSOR_PARAMETERS, keyset_page
from core.page_cache import reads_query
from core.postgresql.plans import planned_afresh
from core.renditions import detached_file, renditions_for, renditions_for_many
from core.reversing import bound_reverse, request_origin
from core.views import ReaderView
from people.mentions import KnownPerson
from people.models import Person, Race, races_with_result


def find_lead_renditions(stories, pictures=()) -> None:
    """Look up the renditions of the stories' lead images, and of the page's
    other `pictures` (a person's portrait), in one cache round trip, for their
    thumbnails (see `core.renditions`)."""
    renditions_for_many(
        [*(detached_file(story, "lead_image") for story in stories), *pictures]
    )


def stories_of_links(links, *, newest_first=True, now=None):
    """The published stories a sliced page of `links` selects (a tag's, a
    person's: their story ids, in the order of their publish time), as a listing
    shows them, newest first (oldest first when not `newest_first`)."""
    stories = (
        Article.objects.published(now=now).of_links(links).for_listing().newest_first()
    )
    return stories if newest_first else stories.reverse()


class ArticleListView(ReaderView, ListView):
    """Published stories, newest first, in pages found by keyset (see
    `core.keyset`): `get_queryset()` gives the stories newest first, or, with
    `links_to_stories` set, a newest-first queryset of links to them."""

    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE
    query_parameters = CURSOR_PARAMETERS
    # `keyset_page()`'s `stories`: the stories of a page of links.
    links_to_stories = None
    # What the links' story id is called (`keyset_page()`'s `id_field`).
    link_id_field = "pk"

    def paginate_queryset(self, rows, page_size):
        page = keyset_page(
            rows,
            self.request.GET,
            page_size,
            id_field=self.link_id_field,
            stories=self.links_to_stories,
        )
        find_lead_renditions(page.object_list, self.pictures())
        declare_stories(self.request, page.object_list)
        return None, page, page.object_list, page.has_previous or page.has_next

    def pictures(self) -> list:
        """The page's pictures besides its stories' (found with theirs)."""
        return []


def declare_stories(request, stories) -> None:
    """The cache keys of the stories a listing shows (`core.cache_keys`), from
    what is loaded: an edit of one of them invalidates the listing."""
    for story in stories:
        keys.declare(request, keys.story(story.pk), keys.section(story.section_id))


# What the front page's sidebar shows of a race in the news.
RACE_IN_THE_NEWS_FIELDS = ["name", "slug", "office", "state", "district", "year"]


def races_in_the_news(*, now=None, count=5):
    """The first `count` races (in the races' own order, newest year first) that
    the newest 50 published stories cover: a bounded subquery, not an aggregate
    over the archive."""
    newest = Article.objects.published(now=now).newest_first().values("pk")[:50]
    covered = RaceCoverage.objects.filter(article__in=newest).values("race_id")
    # Race.Meta.ordering, then the id: the same five every time.
    return (
        Race.objects.filter(pk__in=covered)
        .only(*RACE_IN_THE_NEWS_FIELDS)
        .order_by("-year", "state", "office", "district", "id")[:count]
    )


class FrontPageView(ArticleListView):
    template_name = "articles/front_page.html"

    def get_queryset(self):
        return Article.objects.published().for_listing().newest_first()

    def get_context_data(self, **kwargs):
        sections = list(Section.objects.only("name", "slug"))
        races = list(races_in_the_news())
        keys.declare(
            self.request,
            keys.LIST_FRONT,
            *(keys.section(section.pk) for section in sections),
            *(keys.race(race.pk) for race in races),
        )
        return super().get_context_data(
            sections=sections, races_in_the_news=races, **kwargs
        )


class SectionView(ArticleListView):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        pk = self.section.pk
        keys.declare(self.request, keys.section(pk), keys.list_section(pk))
        return (
            Article.objects.published()
            .filter(section=self.section)
            .for_listing()
            .newest_first()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


COUNT_CAP = 1000


class TagView(ArticleListView):
    """A tag's stories, newest first, paged through the tag's links: each link
    carries its story's publish time (see `TaggedArticle`), so a page is one range
    of an index, whatever the size of the archive or of the tag."""

    template_name = "articles/tag_detail.html"
    # Counting a tag's stories visits every one of them: a tag on 50,000 stories
    # would cost a quarter of a second a page. Past this many, the page says "more".
    COUNT_CAP = COUNT_CAP
    link_id_field = "content_object_id"

    def get_queryset(self):
        self.now = timezone.now()
        self.tag = (
            Tag.objects.filter(slug=self.kwargs["slug"])
            .annotate(
                stories=published_tag_links_counted(now=self.now, cap=COUNT_CAP + 1)
            )
            .first()
        )
        if self.tag is None:
            raise Http404("No tag here.")
        if not self.tag.stories and not self.request.user.is_staff:
            # Known only from hidden stories: as unknown to readers as any other
            # name (see `tags_readers_see`); staff may preview it.
            raise Http404("No tag here.")
        keys.declare(self.request, keys.tag(self.tag.pk), keys.list_tag(self.tag.pk))
        return (
            TaggedArticle.objects.filter(tag=self.tag)
            .published_by_now(now=self.now)
            .newest_first()
            .values_list("content_object_id", flat=True)
        )

    def links_to_stories(self, links, *, newest_first):
        return stories_of_links(links, newest_first=newest_first, now=self.now)

    def get_context_data(self, **kwargs):
        count = self.tag.stories
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
        """The published story at the slug, as a story page shows it."""
        story = (
            Article.objects.published()
            .for_detail()
            .filter(slug=self.kwargs["slug"])
            .first()
        )
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
                keys.declare_missing(request, keys.address(kwargs["slug"]))
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
        "related": list(Article.objects.published().related_to(article)),
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
        "url": origin + static(settings.NEWSROOM_LOGO),
        "width": settings.NEWSROOM_LOGO_SIZE[0],
        "height": settings.NEWSROOM_LOGO_SIZE[1],
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
        return Article.objects.published().for_listing().search(self.query)

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
        find_lead_renditions(context["articles"])
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
