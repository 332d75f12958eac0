"""Whole-page caching for anonymous readers, made fresh by any editorial change.

Every cached page is stored under the current "content version"; any save or delete
of a story, person, race, tag or link bumps the version, so the next request renders
anew. Entries also expire before the next scheduled story is due, so scheduled
stories appear on time with no job. Staff, POSTs, the admin and anything that sets a
cookie are never cached.

Each worker also keeps the pages it served in its own memory (a near cache), so a hit
need not cross the network. It trusts the version it last read for a short lease
(``NEWSROOM_PAGE_CACHE_LEASE_SECONDS``, counted from before it asked); a request that
changed content holds its response until one lease has passed since its commit. Every
lease taken before the change has then run out, so once an editor's save has returned,
no worker on any machine serves what it replaced.

Each page is also kept as its last good copy (`stale_key`, for
``NEWSROOM_PAGE_CACHE_STALE_SECONDS``, whatever the version): when the database
cannot render the page afresh (down, or a query past its timeout), readers get that
copy, marked `X-Page-Cache: stale`, rather than a 503. An edit leaves these copies
servable (as Varnish's grace after a soft purge); a story withdrawn from readers
(unpublished, put back to draft or scheduled, or anything deleted) is a hard purge:
it moves `WITHDRAWN_KEY`, and no copy made before that is served again.
"""

import atexit
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.encoding import escape_uri_path

from newsroom.cache import RedisSkipped
from newsroom.db_router import remember_primary_position
from newsroom.etags import set_content_etag

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:version"
WITHDRAWN_KEY = "page-cache:withdrawn"  # moves on every hard purge
NEXT_DUE_KEY = "page-cache:next-due:{version}"
# Headers set inside the cached part of the stack; the outer middleware (security
# headers, CSP, conditional GET) run on hits as on misses.
STORED_HEADERS = (
    "Content-Type", "Content-Language", "Link", "X-Robots-Tag", "X-Frame-Options",
    "Cache-Control", "Vary", "ETag",
)  # fmt: skip


def page_key(version, path) -> str:
    return f"page-cache:{version}:{path}"


def stale_key(path) -> str:
    return f"page-cache:stale:{path}"


# Query parameters that only tell analytics where a reader came from. No page reads
# them, so one cached page serves every value: a story shared on social media
# arrives as /story/?utm_source=…&fbclid=… with a new value per click, and every
# such reader missed the cache, on election night too.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "twclid",
     "igshid", "mc_cid", "mc_eid", "_ga", "_gl"}
)  # fmt: skip


def is_tracking(parameter: str) -> bool:
    return parameter.startswith("utm_") or parameter in TRACKING_PARAMETERS


def reads_query(*parameters):
    """Declares the query parameters a function view reads (a class-based view sets
    `query_parameters`; a decorator placed outside this one keeps the mark). The
    page cache keys that view's pages on these alone."""

    def mark(view):
        view.query_parameters = frozenset(parameters)
        return view

    return mark


def parameters_read(request) -> frozenset | None:
    """The query parameters the view at this path declares it reads, or None when
    it declares nothing (or nothing is there: a 404, never cached)."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return None
    return getattr(getattr(view, "view_class", view), "query_parameters", None)


def cache_path(request) -> str:
    """What a page is kept under: method, path and the query parameters its view
    reads, in name order, as the view reads them (so spellings and orders of the
    same query share a page). A parameter the view does not read shares the page
    without it: a tracking tag, or a random one added to miss the cache (on
    election night, `?x=1`, `?x=2`... would each have rendered afresh). A view that
    declares nothing is keyed on every parameter but the tracking ones."""
    path = f"{request.method}:{escape_uri_path(request.path)}"
    if not request.GET:  # most hits: no query to copy and sift on every request
        return path
    read = parameters_read(request)
    query = QueryDict(mutable=True)
    for name in sorted(request.GET):
        keep = name in read if read is not None else not is_tracking(name)
        if keep:
            query.setlist(name, request.GET.getlist(name))
    return f"{path}?{query.urlencode()}" if query else path


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_content_version() -> None:
    _bump(VERSION_KEY)


def _bump(key) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, None)


def content_changed(**kwargs) -> None:
    """Signal receiver: something readers can see may have changed.

    The version moves twice: now, and again once the transaction commits. Between the
    two, a reader on another connection still sees the old rows and could cache them
    under the new version; the second bump throws that page away, so once a save (an
    unpublish, say) has returned, no reader is served what it replaced.
    """
    bump_content_version()
    transaction.on_commit(_after_commit, robust=True)


def content_removed(**kwargs) -> None:
    """Signal receiver (deletes): a change no stale copy may outlive."""
    content_changed()
    withdraw_stale_pages()


def story_may_be_withdrawn(sender, instance, raw=False, **kwargs) -> None:
    """pre_save receiver for stories: a story readers can see now that this save
    hides (unpublished, back to draft, moved to a future time) must not come back
    from a stale copy of any page that listed it while the database is down."""
    if raw or instance.pk is None:
        return
    now = timezone.now()
    stays_visible = (
        instance.status == sender.Status.PUBLISHED
        and instance.published_at is not None
        and instance.published_at <= now
    )
    if stays_visible:
        return
    if sender.objects.published(now=now).filter(pk=instance.pk).exists():
        withdraw_stale_pages()


def withdraw_stale_pages() -> None:
    """Hard purge: no stale copy kept so far is served again. Now, and again once
    the transaction commits (a copy rendered in between, from the rows before the
    commit, would otherwise carry the new mark)."""
    _bump(WITHDRAWN_KEY)
    transaction.on_commit(lambda: _bump(WITHDRAWN_KEY), robust=True)


_changes = threading.local()  # when this thread's change may return (monotonic)
_process_release_at = 0.0  # the same for the whole process, for scripts at exit


def _after_commit() -> None:
    # The primary's position first: a reader who sees the new version must not
    # render it from a replica that has not caught up.
    remember_primary_position()
    bump_content_version()
    # Workers may trust the old version for one more lease: whoever made the change
    # must not report it done before that has run out.
    lease = settings.NEWSROOM_PAGE_CACHE_LEASE_SECONDS
    if lease:
        global _process_release_at
        release_at = time.monotonic() + lease
        _changes.release_at = max(getattr(_changes, "release_at", 0.0), release_at)
        _process_release_at = max(_process_release_at, release_at)


def wait_for_readers() -> None:
    """Block until no worker can still serve a page this thread's changes replaced.

    The page-cache middleware calls it before a request that changed content
    answers; code that changes content outside a request and reports it done (a
    script, a worker thread) calls it before saying so. A process waits at exit too.
    """
    hold = getattr(_changes, "release_at", 0.0) - time.monotonic()
    _changes.release_at = 0.0
    if hold > 0:
        time.sleep(hold)


@atexit.register
def _wait_at_exit() -> None:
    hold = _process_release_at - time.monotonic()
    if hold > 0:
        time.sleep(hold)


def _seconds_until_next_scheduled(version) -> float | None:
    """Seconds until the next scheduled story is due (None: none is scheduled),
    remembered per content version. Once the remembered one is out, the next is
    looked for: else no page would be kept until that memory expired."""
    key = NEXT_DUE_KEY.format(version=version)
    now = timezone.now()
    due = cache.get(key, "unknown")
    if due == "unknown" or (due is not None and due <= now):
        from articles.models import Article  # a project module may use both apps

        due = (
            Article.objects.filter(
                status=Article.Status.PUBLISHED, published_at__gt=now
            )
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        cache.set(key, due, settings.NEWSROOM_PAGE_CACHE_SECONDS)
    if due is None:
        return None
    return (due - now).total_seconds()


class AnonymousPageCacheMiddleware:
    """Early in the stack (before sessions, auth, CSRF): a hit costs at most one cache
    round trip and none of the middleware behind it, and none at all when this worker
    holds the page and a lease on the version. A reader with no session cookie is
    anonymous; anyone with one (staff) goes past the cache."""

    def __init__(self, get_response):
        self.get_response = get_response
        # This worker's latest sighting of the version, until when it may trust it
        # without asking, and the pages it holds for that version. One tuple, swapped
        # whole, so threads never see half an update.
        self.near = (None, 0.0, {}, 0)

    def __call__(self, request):
        _changes.release_at = 0.0
        response = self._respond(request)
        wait_for_readers()  # if this request changed content, outlast every lease
        return response

    def _respond(self, request):
        seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
        if not seconds or not self._cacheable_request(request):
            return self.get_response(request)
        path = cache_path(request)
        try:
            version, stored = self._lookup(path)
        except Exception as error:  # noqa: BLE001  (the cache is down: pages still)
            logger.warning(
                "Page cache unreachable; page served fresh (%r)",
                error,
                exc_info=not isinstance(error, RedisSkipped),
            )
            return self.get_response(request)
        if stored is not None:
            return self._replay(stored, "hit")
        withdrawn = self.near[3]  # the hard purges this page is rendered after
        response = self.get_response(request)
        if getattr(response, "database_outage", False):
            return self._stale(path) or response
        if self._cacheable_response(response):
            # Browsers revalidate every time (a cheap 304 with the ETag), so an
            # unpublished story never lingers in a reader's cache.
            patch_cache_control(response, public=True, max_age=0)
            # The ETag is stored with the page, so a hit does not hash it again.
            set_content_etag(response)
            try:
                self._store(version, withdrawn, path, response, seconds)
            except Exception as error:  # noqa: BLE001  (not kept; the reader has it)
                logger.warning(
                    "Page cache unreachable; page not kept (%r)",
                    error,
                    exc_info=not isinstance(error, RedisSkipped),
                )
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _replay(stored, how):
        response = HttpResponse(stored["content"], status=200)
        for header, value in stored["headers"].items():
            response[header] = value
        response["X-Page-Cache"] = how
        return response

    def _stale(self, path):
        """The last good copy of the page, if no hard purge came after it, for a
        reader the database cannot serve; None when there is none (or no cache)."""
        try:
            found = cache.get_many([WITHDRAWN_KEY, stale_key(path)])
        except Exception as error:  # noqa: BLE001  (no cache either: the 503 stands)
            logger.warning("No stale copy: page cache unreachable too (%r)", error)
            return None
        stored = found.get(stale_key(path))
        if stored is None or stored["withdrawn"] != found.get(WITHDRAWN_KEY, 0):
            return None
        logger.warning("Database unavailable; stale copy of %s served", path)
        response = self._replay(stored, "stale")
        response["Warning"] = '110 - "Response is Stale"'
        return response

    def _store(self, version, withdrawn, path, response, seconds):
        headers = {h: response[h] for h in STORED_HEADERS if h in response}
        # The last good copy, kept longer than the fresh one and past any version.
        cache.set(
            stale_key(path),
            {"content": response.content, "headers": headers, "withdrawn": withdrawn},
            settings.NEWSROOM_PAGE_CACHE_STALE_SECONDS,
        )
        until_due = _seconds_until_next_scheduled(version)
        timeout = seconds if until_due is None else max(0, min(seconds, until_due))
        if timeout >= 1:
            stored = {
                "content": response.content,
                "headers": headers,
                "expires": time.time() + timeout,
            }
            cache.set(page_key(version, path), stored, timeout)
            self._keep(version, path, stored)

    def _lookup(self, path):
        """(current version, stored page or None): from this worker's memory while
        its lease on the version holds, else in one round trip when the version has
        not moved since this worker last looked."""
        version, lease_until, pages, _ = self.near
        if time.monotonic() < lease_until:
            stored = pages.get(path)
            if stored is not None and stored["expires"] > time.time():
                return version, stored
            stored = cache.get(page_key(version, path))
        else:
            version, stored = self._ask(version, pages, path)
        self._keep(version, path, stored)
        return version, stored

    def _ask(self, guess, pages, path):
        """The current version from the shared cache, and the page stored under it;
        one round trip when the version is still `guess`. Renews this worker's lease
        and forgets the pages it held if the version moved."""
        keys = [VERSION_KEY, WITHDRAWN_KEY]
        keys += [page_key(guess, path)] if guess else []
        asked_at = time.monotonic()  # the lease counts from before the question
        found = cache.get_many(keys)
        version = found.get(VERSION_KEY) or content_version()
        lease_until = asked_at + settings.NEWSROOM_PAGE_CACHE_LEASE_SECONDS
        pages = pages if version == guess else {}
        self.near = (version, lease_until, pages, found.get(WITHDRAWN_KEY, 0))
        if version == guess:
            return version, found.get(page_key(guess, path))
        return version, cache.get(page_key(version, path))

    def _keep(self, version, path, stored):
        """Hold a page in this worker's memory, a bounded number of them."""
        held, lease_until, pages, _ = self.near
        limit = settings.NEWSROOM_PAGE_CACHE_LOCAL_PAGES
        if (
            stored is None
            or held != version
            or not settings.NEWSROOM_PAGE_CACHE_LEASE_SECONDS
            or "expires" not in stored
            or not limit
        ):
            return
        if len(pages) >= limit and path not in pages:
            try:
                del pages[next(iter(pages))]  # the oldest
            except (KeyError, RuntimeError, StopIteration):
                pass  # another thread got there first
        pages[path] = stored

    @staticmethod
    def _cacheable_request(request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(("/admin/", "/healthz"))
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    @staticmethod
    def _cacheable_response(response) -> bool:
        return (
            response.status_code == 200
            and not response.cookies
            and not response.streaming
            and "private" not in response.get("Cache-Control", "")
        )
