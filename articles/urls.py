from django.urls import path, re_path

from articles import feeds, sitemaps, views

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
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-news.xml", sitemaps.news_sitemap, name="sitemap-news"),
    re_path(
        r"^sitemap-articles-(?P<year>[0-9]{4})-(?P<month>[0-9]{2})\.xml$",
        sitemaps.month_sitemap,
        name="sitemap-month",
    ),
    path(
        "sitemap-<slug:section>.xml", sitemaps.section_sitemap, name="sitemap-section"
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
