"""Sitemaps of everything a reader can reach, plus a Google News sitemap."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Section, TaggedArticle
from people.models import Person, Race


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "published_at", "created_at", "updated_at")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, article):
        return max(article.updated_at, article.published_at)


class PersonSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Person.objects.only("slug", "updated_at").order_by("id")

    def lastmod(self, person):
        return person.updated_at


class RaceSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Race.objects.only("slug", "updated_at").order_by("id")

    def lastmod(self, race):
        return race.updated_at


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.order_by("id")


class TagSitemap(Sitemap):
    """Tags that label at least one published story."""

    changefreq = "daily"

    def items(self):
        tagged = TaggedArticle.objects.filter(
            tag=OuterRef("pk"), content_object__in=Article.objects.published()
        )
        return Tag.objects.filter(Exists(tagged)).order_by("id")

    def location(self, tag):
        return reverse("articles:tag", args=[tag.slug])


SITEMAPS = {
    "articles": ArticleSitemap,
    "people": PersonSitemap,
    "races": RaceSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
}


def news_sitemap(request):
    """Google News sitemap: the stories published in the last two days."""
    since = timezone.now() - timedelta(days=2)
    stories = (
        Article.objects.published()
        .filter(published_at__gte=since)
        .only("headline", "slug", "published_at", "created_at")
        .order_by("-published_at", "-id")[:1000]
    )
    return render(
        request,
        "sitemaps/news.xml",
        {"stories": stories, "base": request.build_absolute_uri("/")[:-1]},
        content_type="application/xml",
    )
