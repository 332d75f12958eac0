"""What staff responses must never be, and the methods the admin serves. (The
Content-Security-Policy is django-csp's: `CONTENT_SECURITY_POLICY` in settings.)"""

from django.http import HttpResponseNotAllowed
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers


class PrivateStaffResponsesMiddleware:
    """Responses for signed-in staff, and everything under /admin/, are private,
    so no shared cache stores what only an editor may see."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/admin/") or (user and user.is_authenticated):
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ["Cookie"])
        return response


ADMIN_METHODS = ("GET", "HEAD", "POST")


class AdminMethodsMiddleware:
    """405 for a method the admin does not serve (TRACE, PUT, DELETE...): its
    function views answer any method but POST as if it were GET. Reader views
    refuse such methods themselves (`require_safe`, class-based views)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ADMIN_METHODS and _in_admin(request.path_info):
            return HttpResponseNotAllowed(ADMIN_METHODS)
        return self.get_response(request)


def _in_admin(path) -> bool:
    try:
        return resolve(path).app_name == "admin"
    except Resolver404:
        return False
