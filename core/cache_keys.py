"""Cache keys: what each reader response is built from, and what a change touches.

A reader response declares its keys (`declare()`): the objects it shows
(`story-12`, `person-3`, `race-4`, `tag-5`, `section-1`) and the listing it is
(`list-front`, `list-section-1`, `sitemap-articles-2026-05`...); every page also
carries `site`, for an emergency full purge. `CacheKeysMiddleware` writes them as
`xkey` (Varnish's xkey vmod), `Surrogate-Key` (Fastly) and `Cache-Tag`
(Cloudflare), with `Cache-Control: public, max-age=0, s-maxage=...`: shared caches
keep the page until its keys are purged, browsers revalidate every time with the
ETag. No `stale-while-revalidate`: browsers honour it too, and one could show a
story for that long after its unpublish; grace after a soft purge is the shared
cache's own (the VCL). Staff, the admin, previews, POSTs and `/healthz` carry no
keys; search results none either, and `s-maxage=NEWSROOM_SEARCH_SHARED_MAX_AGE`.

An editorial change names the keys it touches (the per-app knowledge lives in
`articles.cache_keys` and `people.cache_keys`) and `invalidate()`s them once its
transaction commits: soft for an edit (a shared cache may serve the old page in
grace while it fetches the new), hard for what must vanish (unpublished, deleted).
The in-app page cache (`core.page_cache`) and every purge backend
(`purge_backends()`: Varnish nodes, a CDN) are told the same keys.

This module knows neither app: it is the vocabulary and the mechanism.
"""

import hashlib
import logging
from collections.abc import Callable, Collection, Iterable

from django.conf import settings
from django.db import transaction
from django.utils.cache import patch_cache_control

from core.purge import PurgeNotDelivered, send_purges

logger = logging.getLogger(__name__)

SITE = "site"  # on every keyed response
LIST_FRONT = "list-front"
LIST_LATEST = "list-latest"
LIST_PEOPLE = "list-people"
LIST_RACES = "list-races"
SITEMAP_INDEX = "sitemap-index"
SITEMAP_NEWS = "sitemap-news"
# Search results in the in-app page cache: every change to what readers see moves
# it. Never in a response's headers (shared caches keep search results briefly).
SEARCH = "search"
# What the scheduled-story memo of the in-app page cache depends on: the time of
# the next story due (`core.page_cache`). Never on a response.
SCHEDULE = "schedule"


def story(pk) -> str:
    return f"story-{pk}"


def person(pk) -> str:
    return f"person-{pk}"


def race(pk) -> str:
    return f"race-{pk}"


def tag(pk) -> str:
    return f"tag-{pk}"


def section(pk) -> str:
    return f"section-{pk}"


def list_section(pk) -> str:
    return f"list-section-{pk}"


def list_tag(pk) -> str:
    return f"list-tag-{pk}"


def list_person(pk) -> str:
    return f"list-person-{pk}"


def list_race(pk) -> str:
    return f"list-race-{pk}"


def sitemap(name: str) -> str:
    """A sitemap file besides the months': people, races, sections, tags."""
    return f"sitemap-{name}"


def sitemap_month(year: int, month: int) -> str:
    return f"sitemap-articles-{year:04d}-{month:02d}"


def address(slug: str) -> str:
    """A story address (its slug), for the 404 readers get there while no
    published story has it: purged when one comes to have it. Hashed: a slug
    may hold letters a header should not."""
    return "address-" + hashlib.blake2s(slug.encode(), digest_size=8).hexdigest()


# --- Responses -----------------------------------------------------------------


def declare(request, *keys) -> None:
    """Record keys of what the response to `request` is built from."""
    if request is None:
        return
    found = request.__dict__.setdefault("cache_keys", set())
    found.update(keys)


def declare_missing(request, *keys) -> None:
    """Keys of a 404 that shared caches may keep until they are purged: a story
    address no published story has (an unpublished story's, on election night, is
    read as much as it was before). Other 404s are never kept."""
    if request is not None:
        request.cache_keys_missing = set(keys)


def declare_short_lived(request) -> None:
    """A response with no keys that shared caches keep a short while only (search
    results: what they match changes with every story)."""
    if request is not None:
        request.cache_keys_short_lived = True


KEY_HEADERS = ("xkey", "Surrogate-Key", "Cache-Tag")


def keys_of(response) -> list[str]:
    """The keys the in-app page cache keeps a response under: those it carries
    (its `xkey` header), or `SEARCH` for search results."""
    return list(getattr(response, "cache_keys", ())) or response.get("xkey", "").split()


class CacheKeysMiddleware:
    """Writes the keys a reader view declared, and the shared-cache lifetime, on
    anonymous GET and HEAD responses a shared cache may keep. Placed after the
    authentication middleware: a signed-in user's responses carry none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        keys = request.__dict__.get("cache_keys")
        if response.status_code == 404:
            keys = getattr(request, "cache_keys_missing", None)
        short_lived = getattr(request, "cache_keys_short_lived", False)
        if (keys is None and not short_lived) or not shareable(request, response):
            return response
        if short_lived:
            seconds = settings.NEWSROOM_SEARCH_SHARED_MAX_AGE
            patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
            response.cache_keys = (SEARCH,)
            return response
        ordered = sorted({SITE, *keys})
        response["xkey"] = " ".join(ordered)
        response["Surrogate-Key"] = " ".join(ordered)
        response["Cache-Tag"] = ",".join(ordered)
        patch_cache_control(response, public=True, max_age=0, s_maxage=shared_max_age())
        return response


def shared_max_age() -> int:
    """NEWSROOM_SHARED_MAX_AGE, or less when a shared cache sits in front
    (NEWSROOM_PURGE_URLS) and a scheduled story is due sooner: nothing purges its
    listings when its time comes, so they must expire by then."""
    seconds = settings.NEWSROOM_SHARED_MAX_AGE
    if getattr(settings, "NEWSROOM_PURGE_URLS", None):
        from core.page_cache import seconds_until_next_scheduled

        until_due = seconds_until_next_scheduled()
        if until_due is not None:
            seconds = max(0, min(seconds, int(until_due)))
    return seconds


def shareable(request, response) -> bool:
    """Whether a shared cache may keep this response: an anonymous reader's 200 (or
    a permanent redirect: a story's old address; or a 404 that declared what would
    end it, `declare_missing()`) to a GET or HEAD outside the
    admin, setting no cookie, not marked private."""
    user = getattr(request, "user", None)
    missing = getattr(request, "cache_keys_missing", None) is not None
    return (
        request.method in ("GET", "HEAD")
        and (
            response.status_code in (200, 301)
            or (response.status_code == 404 and missing)
        )
        and not response.cookies
        and not getattr(response, "streaming", False)
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and not request.path.startswith(("/admin/", "/healthz"))
        and not (user is not None and user.is_authenticated)
    )


# --- Invalidation --------------------------------------------------------------


def invalidate(keys: Iterable[str], *, hard: bool) -> None:
    """Tell every cache tier that what was built from `keys` is out of date, once
    the current transaction commits (at once outside one): until then readers
    could still read the rows it replaced. `hard`: nothing built from them may be
    served again, not even in grace or as a stale copy in an outage."""
    keys = frozenset(keys)
    if not keys:
        return
    database = transaction.get_connection()
    if not database.in_atomic_block:
        _deliver(keys, hard=hard)
        return
    # The in-app page cache is told at once too, inside the transaction: while it
    # is unreachable the change fails whole, rather than commit with pages of what
    # it replaced kept there. (A page rendered from the rows before the commit is
    # caught after it: `core.page_cache`.)
    from core import page_cache

    page_cache.invalidate_keys(keys, hard=hard)
    # Gathered on the connection and delivered once at the commit: an admin save
    # with its inlines touches many rows, and each delivery may be an HTTP purge.
    # Each call registers the delivery (the first to run takes everything): one
    # registered in a savepoint rolled back since would be lost otherwise. The
    # keys belong to the outermost block: a transaction rolled back leaves its
    # keys behind, and the next one drops them.
    outermost = database.atomic_blocks[0]
    pending = database.__dict__.get("newsroom_cache_keys")
    if pending is None or pending["transaction"] is not outermost:
        pending = {"transaction": outermost, True: set(), False: set()}
        database.__dict__["newsroom_cache_keys"] = pending
    pending[hard].update(keys)
    transaction.on_commit(_deliver_pending)


def _deliver_pending() -> None:
    database = transaction.get_connection()
    pending = database.__dict__.pop("newsroom_cache_keys", None)
    if pending is None:
        return  # delivered by an earlier call
    hard = pending[True]
    soft = pending[False] - hard
    undelivered = []
    if hard:
        undelivered += _deliver(hard, hard=True)
    if soft:
        undelivered += _deliver(soft, hard=False)
    if undelivered:
        # The change has committed; the editor is told that it is saved but not
        # yet live everywhere (`core.views.server_error`), and the purge is
        # sent again (`core.purge`).
        raise undelivered[0]


def _deliver(keys: Collection[str], *, hard: bool) -> list[PurgeNotDelivered]:
    """Each backend in turn; one that fails is logged as an error and the others
    are still told (the change has committed: there is nothing to undo). Returns
    the shared tiers' purges that were not delivered."""
    undelivered = []
    for backend in purge_backends():
        try:
            backend(keys, hard=hard)
        except Exception as error:  # noqa: BLE001  (logged; purges re-raised above)
            logger.error(
                "Cache keys not invalidated by %s: %s",
                getattr(backend, "__qualname__", backend),
                " ".join(sorted(keys)),
                exc_info=True,
            )
            if isinstance(error, PurgeNotDelivered):
                undelivered.append(error)
    return undelivered


def purge_backends() -> list[Callable]:
    """Every tier told of invalidated keys, each a `backend(keys, *, hard)`: the
    in-app page cache, then the HTTP purges of NEWSROOM_PURGE_URLS (Varnish nodes,
    a CDN; `core.purge`), which block until every node has acknowledged."""
    from core import page_cache

    backends = [page_cache.invalidate_keys]
    if settings.NEWSROOM_PURGE_URLS:  # shared caches in front: Varnish, a CDN
        backends.append(send_purges)
    return backends
