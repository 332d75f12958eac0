"""Sitemaps of everything a reader can reach, plus a Google News sitemap.

Stories are listed by the month they were published in
(`/sitemap-articles-2017-06.xml`): a month's file is one range of the status and
publish-time index however deep the archive, and an old month's file changes only
when one of its stories does. The index counts each month's stories in one pass
over that index (about 40 ms at 100,000 stories). Django's own index loaded every
story and every person to find their newest `lastmod` (2.7 s at 100,000 stories),
and its paged article sitemap skipped 90,000 rows to reach its last page.

People, races, sections and tags keep Django's `Sitemap` classes, paged, with
their newest `lastmod` found by one aggregate. Every file is written as a string:
Django's sitemap template spent about 50 µs on each of thousands of URLs.
"""

import math
from datetime import UTC, datetime, timedelta

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Count, Exists, Max, OuterRef
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_safe
from taggit.models import Tag

from articles.models import Article, Section, TaggedArticle, story_url
from core import cache_keys
from core.page_cache import reads_query
from core.reversing import cached_reverse
from core.text import strip_control_characters
from people.models import Person, Race

URLS_PER_FILE = 50_000  # the sitemap protocol's limit
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
# As Django's sitemap views say: the files are for crawlers, not search results.
ROBOTS = "noindex, noodp, noarchive"


class PersonSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return (
            Person.objects.visible_to_readers()
            .only("slug", "updated_at")
            .order_by("id")
        )

    def lastmod(self, person):
        return person.updated_at

    def get_latest_lastmod(self):
        people = Person.objects.visible_to_readers()
        return people.aggregate(latest=Max("updated_at"))["latest"]


class RaceSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Race.objects.visible_to_readers().only("slug", "updated_at").order_by("id")
        )

    def lastmod(self, race):
        return race.updated_at

    def get_latest_lastmod(self):
        races = Race.objects.visible_to_readers()
        return races.aggregate(latest=Max("updated_at"))["latest"]


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.order_by("id")


class TagSitemap(Sitemap):
    """Tags that label at least one published story."""

    changefreq = "daily"

    def items(self):
        # Links to stories published by now first (one probe of the links' index
        # per tag; unpublished stories' links head it), then the story itself.
        tagged = TaggedArticle.objects.filter(
            tag=OuterRef("pk"), content_object__in=Article.objects.published()
        ).published_by_now()
        return Tag.objects.filter(Exists(tagged)).order_by("id")

    def location(self, tag):
        return reverse("articles:tag", args=[tag.slug])


# The sitemaps besides the stories' monthly ones, by the name in their address.
SITEMAPS = {
    "people": PersonSitemap,
    "races": RaceSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
}


@require_safe
@reads_query()
def news_sitemap(request):
    """Google News sitemap: the stories published in the last two days."""
    cache_keys.declare(request, cache_keys.SITEMAP_NEWS)
    since = timezone.now() - timedelta(days=2)
    stories = (
        Article.objects.published()
        .filter(published_at__gte=since)
        .only("headline", "slug", "published_at", "created_at")
        .order_by("-published_at", "-id")[:1000]
    )
    response = render(
        request,
        "sitemaps/news.xml",
        {"stories": stories, "base": request.build_absolute_uri("/")[:-1]},
        content_type="application/xml",
    )
    # The template holds none: what is stripped came from a stored row (see
    # `xml_file`).
    response.content = strip_control_characters(response.content.decode())
    return response


def w3c_datetime(moment) -> str:
    """A `lastmod` as the sitemap protocol writes it (W3C datetime, UTC)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def xml_file(root: str, element: str, rows) -> HttpResponse:
    """A sitemap (`urlset` of `url`) or sitemap index (`sitemapindex` of `sitemap`)
    of (address, lastmod or None, changefreq or "") rows, written as a string."""
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{NAMESPACE}">\n']
    for location, lastmod, changefreq in rows:
        # Cleaned on the way in (`core.text`); a row stored before, or written
        # past the fields, must still not make the file invalid XML.
        location = strip_control_characters(location)
        parts.append(f"  <{element}><loc>{escape(location)}</loc>")
        if lastmod:
            parts.append(f"<lastmod>{w3c_datetime(lastmod)}</lastmod>")
        if changefreq:
            parts.append(f"<changefreq>{changefreq}</changefreq>")
        parts.append(f"</{element}>\n")
    parts.append(f"</{root}>\n")
    response = HttpResponse("".join(parts), content_type="application/xml")
    response["X-Robots-Tag"] = ROBOTS
    return response


def page_number(request) -> int:
    """The `p` parameter, a positive integer (1 when absent); 404 otherwise."""
    raw = request.GET.get("p", "1")
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise Http404("No such sitemap page")
    return int(raw)


def index_entries(location: str, pages: int, lastmod=None):
    """The index's entries for a sitemap of `pages` files: `?p=2` onwards."""
    for page in range(1, pages + 1):
        yield (location if page == 1 else f"{location}?p={page}"), lastmod, ""


def story_months():
    """Each month with published stories, newest first, and their number: one pass
    over the status/publish-time index (no story row read)."""
    return (
        Article.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .order_by()
        .values("month")
        .annotate(stories=Count("pk"))
        .order_by("-month")
    )


def stories_of_month(start, end):
    """(slug, published, updated) of the stories published in [start, end),
    oldest first: one range of the status/publish-time index."""
    stories = Article.objects.published().filter(published_at__gte=start)
    if end is not None:
        stories = stories.filter(published_at__lt=end)
    return stories.order_by("published_at", "id").values_list(
        "slug", "published_at", "updated_at"
    )


@require_safe
@reads_query("p")
def sitemap_index(request):
    """Every sitemap file: the stories' months, newest first, then the others."""
    cache_keys.declare(request, cache_keys.SITEMAP_INDEX)
    base = request.build_absolute_uri("/")[:-1]
    entries = []
    for row in story_months():
        # No lastmod: a month's newest edit is not in the index that counts them.
        pages = math.ceil(row["stories"] / URLS_PER_FILE)
        entries += index_entries(base + month_path(row["month"]), pages)
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        entries += index_entries(
            base + reverse("articles:sitemap-section", args=[section]),
            sitemap.paginator.num_pages,
            sitemap.get_latest_lastmod(),
        )
    return xml_file("sitemapindex", "sitemap", entries)


def month_path(moment) -> str:
    """The address of the sitemap of the month `moment` falls in (newsroom time)."""
    month = timezone.localtime(moment)
    return cached_reverse(
        "articles:sitemap-month", year=f"{month.year:04d}", month=f"{month.month:02d}"
    )


def month_range(year: str, month: str) -> tuple[datetime, datetime | None]:
    """The start and end of a calendar month in the newsroom's time zone (no end
    for the last month a datetime can hold); 404 for a month that is not one."""
    try:
        start = datetime(int(year), int(month), 1)
    except ValueError:
        raise Http404("No such month") from None
    last = start.year == 9999 and start.month == 12
    following = None if last else (start + timedelta(days=31)).replace(day=1)
    return (
        timezone.make_aware(start),
        timezone.make_aware(following) if following else None,
    )


@require_safe
@reads_query()
def month_sitemap(request, year, month):
    """The stories published in one month, oldest first, `URLS_PER_FILE` a file."""
    start, end = month_range(year, month)
    cache_keys.declare(request, cache_keys.sitemap_month(start.year, start.month))
    first = (page_number(request) - 1) * URLS_PER_FILE
    rows = list(stories_of_month(start, end)[first : first + URLS_PER_FILE])
    if not rows:
        raise Http404("No stories published that month")
    base = request.build_absolute_uri("/")[:-1]
    return xml_file(
        "urlset",
        "url",
        (
            (base + story_url(slug, published), max(updated, published), "daily")
            for slug, published, updated in rows
        ),
    )


@require_safe
@reads_query()
def section_sitemap(request, section):
    """One of `SITEMAPS`, paged as its class says."""
    sitemap_class = SITEMAPS.get(section)
    if sitemap_class is None:
        raise Http404("No such sitemap")
    cache_keys.declare(request, cache_keys.sitemap(section))
    sitemap = sitemap_class()
    try:
        urls = sitemap.get_urls(
            page=page_number(request),
            site=get_current_site(request),
            protocol=request.scheme,
        )
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such sitemap page") from None
    return xml_file(
        "urlset",
        "url",
        ((url["location"], url["lastmod"], url["changefreq"] or "") for url in urls),
    )
