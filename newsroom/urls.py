"""Root URLs: the admin, then each app's reader pages under its own namespace."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.http import require_safe
from django.views.static import serve

from newsroom.views import healthz, hello, page_sql

admin.site.site_header = f"{settings.NEWSROOM_NAME} admin"
admin.site.site_title = settings.NEWSROOM_NAME
admin.site.index_title = "Stories, people and races"

handler500 = "newsroom.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("people.urls")),
    path("", include("articles.urls")),
]

if settings.NEWSROOM_BENCHMARK_VIEWS:
    urlpatterns[:0] = [
        path("bench/hello", hello, name="bench-hello"),
        path("bench/sql/<slug:page>", page_sql, name="bench-page-sql"),
    ]

if settings.DEBUG:
    # GET and HEAD only, as every reader URL (Django's `serve` answers any method).
    urlpatterns += static(
        settings.MEDIA_URL, view=require_safe(serve), document_root=settings.MEDIA_ROOT
    )
