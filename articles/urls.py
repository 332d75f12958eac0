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

# Each feed in RSS at its address and in Atom at .../atom/.
FEEDS = [
    ("feeds/latest/", feeds.LatestStoriesFeed, "feed"),
    ("feeds/people/<slug:slug>/", feeds.PersonFeed, "person-feed"),
    ("feeds/tags/<slug:slug>/", feeds.TagFeed, "tag-feed"),
    ("feeds/sections/<slug:slug>/", feeds.SectionFeed, "section-feed"),
    ("feeds/races/<slug:slug>/", feeds.RaceFeed, "race-feed"),
]
for route, feed_class, name in FEEDS:
    urlpatterns += [
        path(route, feed_class(), name=name),
        path(f"{route}atom/", feeds.atom(feed_class)(), name=f"{name}-atom"),
    ]
