"""reverse() for slug addresses, remembered: a listing asks for the same sections'
and people's addresses on every row, and reverse() costs about 20 µs each time."""

from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=20_000)
def _reverse(urlconf, script_prefix, name, slug) -> str:
    return reverse(name, urlconf=urlconf, kwargs={"slug": slug})


def reverse_slug(name: str, slug: str) -> str:
    """reverse(name, kwargs={"slug": slug}), under the current URLconf and prefix."""
    return _reverse(get_urlconf(), get_script_prefix(), name, slug)


def _forget_on_new_urlconf(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()


setting_changed.connect(_forget_on_new_urlconf)
