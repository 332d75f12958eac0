"""Response headers every page gets, what staff responses must never be, and
addresses no page can answer."""

from django.core.exceptions import SuspiciousOperation
from django.utils.cache import patch_cache_control, patch_vary_headers

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",  # the admin sets inline style attributes
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """A Content-Security-Policy on every response; responses for signed-in staff
    are private, so no shared cache stores what only an editor may see."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        if request.path.startswith("/admin/") or (user and user.is_authenticated):
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ["Cookie"])
        return response


class NulInQueryString(SuspiciousOperation):
    """A NUL character in the query: no page reads one, and PostgreSQL cannot
    store or compare one (a filter value with it failed in the database)."""


class RejectNulCharactersMiddleware:
    """Answers 400 Bad Request (Django's handling of a `SuspiciousOperation`,
    logged as a security event) to any address whose query carries a NUL
    character, before a view or the page cache sees it: the admin's list filters
    sent it to PostgreSQL as it was, a 500. A URL can carry one only as `%00`
    (servers refuse a raw NUL), so the check reads the raw query and costs the
    pages with none next to nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            raise NulInQueryString("NUL character in the query string")
        return self.get_response(request)
