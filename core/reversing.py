"""reverse(), remembered: a listing asks for its stories', sections' and people's
addresses on every row, and reverse() costs about 20 µs each time."""

from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=50_000)
def _reverse(urlconf, script_prefix, name, kwargs) -> str:
    return reverse(name, urlconf=urlconf, kwargs=dict(kwargs))


def cached_reverse(name: str, **kwargs) -> str:
    """reverse(name, kwargs=kwargs) under the current URLconf and script prefix."""
    return _reverse(get_urlconf(), get_script_prefix(), name, tuple(kwargs.items()))


def current_addresses() -> tuple:
    """(URLconf, script prefix): what the current request's addresses depend on."""
    return get_urlconf(), get_script_prefix()


def bound_reverse(addresses=None):
    """`cached_reverse`, with the URLconf and script prefix read now, once (or
    those of `current_addresses()` read already): for a list's worth of
    addresses (each read of them costs a couple of µs)."""
    urlconf, prefix = addresses or current_addresses()

    def reverse_here(name: str, **kwargs) -> str:
        return _reverse(urlconf, prefix, name, tuple(kwargs.items()))

    return reverse_here


def _forget_on_new_urlconf(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()


setting_changed.connect(_forget_on_new_urlconf)


def request_origin(request) -> str:
    """The request's scheme and host ("https://news.example.org"), worked out
    once a request: the share tags and the JSON-LD both write absolute
    addresses, and each look at the host validates it again."""
    origin = request.__dict__.get("_newsroom_origin")
    if origin is None:
        origin = request._newsroom_origin = f"{request.scheme}://{request.get_host()}"
    return origin
