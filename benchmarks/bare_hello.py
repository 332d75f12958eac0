"""The benchmark's bare yardstick: Django answering a fixed page with no
middleware and none of the project's settings, under the same gunicorn
(`gunicorn benchmarks.bare_hello:application`). The cheapest a Django response
can be on this machine: every page is reported as a share of it.

It also serves a static 20 KB page a shared cache may keep (`/bench/static-20k`):
through Varnish, the machine's limit for any page.
"""

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="benchmark-yardstick-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
    USE_TZ=True,
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

# The same bytes as the project's own hello view (core.views.HELLO).
HELLO = b"<!doctype html><html lang=en><title>Hello</title><p>Hello, world.</p></html>"
STATIC_20K = (
    b"<!doctype html><html lang=en><title>Static</title><pre>"
    + b"x" * (20 * 1024 - 80)
    + b"</pre></html>"
)


def hello(request):
    return HttpResponse(HELLO)


def static_20k(request):
    response = HttpResponse(STATIC_20K)
    response["Cache-Control"] = "public, max-age=0, s-maxage=3600"
    response["xkey"] = "bench-static"
    return response


urlpatterns = [
    path("bench/hello", hello),
    path("bench/static-20k", static_20k),
]
application = get_wsgi_application()
