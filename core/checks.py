"""System checks for deployment settings that Django's own checks cannot know about."""

from django.conf import settings
from django.core import checks

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.caches, deploy=True)
def page_cache_is_shared(app_configs=None, **kwargs):
    """The page cache must be shared by every worker, or edits go unseen."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.NEWSROOM_PAGE_CACHE_SECONDS and backend in PER_PROCESS_CACHES:
        return [
            checks.Warning(
                "The page cache is on but the cache is private to each process: a "
                "worker would keep serving pages another worker's edit made stale.",
                hint="Set REDIS_URL, or NEWSROOM_PAGE_CACHE_SECONDS=0.",
                id="newsroom.W001",
            )
        ]
    return []
