from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import path

from articles import feeds, views
from articles.sitemaps import SITEMAPS, news_sitemap

app_name = "articles"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front"),
    path(
        "<int:year>/<str:month>/<str:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("sections/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feeds/latest/", feeds.LatestStoriesFeed(), name="feed"),
    path("feeds/latest/atom/", feeds.atom(feeds.LatestStoriesFeed)(), name="feed-atom"),
    path("feeds/people/<slug:slug>/", feeds.PersonFeed(), name="person-feed"),
    path(
        "feeds/people/<slug:slug>/atom/",
        feeds.atom(feeds.PersonFeed)(),
        name="person-feed-atom",
    ),
    path("feeds/tags/<slug:slug>/", feeds.TagFeed(), name="tag-feed"),
    path(
        "feeds/tags/<slug:slug>/atom/",
        feeds.atom(feeds.TagFeed)(),
        name="tag-feed-atom",
    ),
    path("feeds/sections/<slug:slug>/", feeds.SectionFeed(), name="section-feed"),
    path(
        "feeds/sections/<slug:slug>/atom/",
        feeds.atom(feeds.SectionFeed)(),
        name="section-feed-atom",
    ),
    path("feeds/races/<slug:slug>/", feeds.RaceFeed(), name="race-feed"),
    path(
        "feeds/races/<slug:slug>/atom/",
        feeds.atom(feeds.RaceFeed)(),
        name="race-feed-atom",
    ),
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-news.xml", news_sitemap, name="sitemap-news"),
    path(
        "sitemap-<section>.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
]
