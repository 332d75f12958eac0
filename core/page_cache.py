"""Whole-page caching for anonymous readers, made fresh by keys.

A page is kept with the keys it was built from (`core.cache_keys`: the
`xkey` header its view declared) and each key's generation when it was rendered.
`invalidate_keys()`, called after an editorial change commits, moves the
generations of the keys the change touched (to the value of one shared clock); a
kept page is a hit only while its keys' generations are unchanged, checked in the
same round trip that fetches it. An edit of one story drops the pages that show
it, and only those. Entries also expire before the next scheduled story is due, so
scheduled stories appear on time with no job. Staff, POSTs, the admin, anything
that sets a cookie, and responses without keys (search) are never kept.

A page rendered while a change touching it was committed could hold the rows
before the commit: the clock is read before rendering, and a page one of whose
keys moved past it meanwhile is not kept.

Each worker also keeps the pages it served in its own memory (a near cache), and
trusts one it checked for a short lease (``NEWSROOM_PAGE_CACHE_LEASE_SECONDS``,
counted from before it asked); a request that changed content holds its response
until one lease has passed since its invalidation. Every lease taken before the
change has then run out, so once an editor's save has returned, no worker on any
machine serves what it replaced.

Each page is also kept as its last good copy (`stale_key`, for
``NEWSROOM_PAGE_CACHE_STALE_SECONDS``): when the database cannot render the page
afresh (down, or a query past its timeout), readers get that copy, marked
`X-Page-Cache: stale`, rather than a 503. A soft invalidation leaves these copies
servable (as Varnish's grace after a soft purge); a hard one (a story unpublished,
put back to draft or scheduled, anything deleted) moves the keys' hard
generations too, and no copy carrying one of those keys is served again.
"""

import atexit
import logging
import threading
import time
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import set_response_etag
from django.utils.encoding import escape_uri_path

from core.cache import RedisSkipped
from core.cache_keys import KEY_HEADERS, SCHEDULE, keys_of
from core.db_router import remember_primary_position

logger = logging.getLogger(__name__)

CLOCK_KEY = "page-cache:clock"  # moves on every invalidation
NEXT_DUE_KEY = "page-cache:next-due"
# Headers set inside the cached part of the stack; the outer middleware (security
# headers, CSP, conditional GET) run on hits as on misses.
STORED_HEADERS = (
    "Content-Type", "Content-Language", "Link", "X-Robots-Tag", "X-Frame-Options",
    "Cache-Control", "Vary", "ETag", *KEY_HEADERS,
)  # fmt: skip


def page_key(path) -> str:
    return f"page-cache:page:{path}"


def stale_key(path) -> str:
    return f"page-cache:stale:{path}"


def generation_key(key) -> str:
    """Where the generation of a cache key is kept: the clock's value when the key
    was last invalidated (None: never, as far as the cache remembers)."""
    return f"page-cache:gen:{key}"


def hard_generation_key(key) -> str:
    """The same for hard invalidations alone (`stale_key` copies)."""
    return f"page-cache:hard:{key}"


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


def invalidate_keys(keys, *, hard: bool) -> None:
    """A purge backend (`core.cache_keys.purge_backends`), run after the
    commit: the kept pages built from any of `keys` are no longer hits, and with
    `hard` their last good copies are not served either."""
    # The primary's position first: a reader who finds the page gone must not
    # render it again from a replica that has not caught up.
    remember_primary_position()
    moved = [generation_key(key) for key in keys]
    if hard:
        moved += [hard_generation_key(key) for key in keys]
    _tick(moved)
    # Workers may trust what they checked for one more lease: whoever made the
    # change must not report it done before that has run out.
    lease = settings.NEWSROOM_PAGE_CACHE_LEASE_SECONDS
    if lease:
        global _process_release_at
        release_at = time.monotonic() + lease
        _changes.release_at = max(getattr(_changes, "release_at", 0.0), release_at)
        _process_release_at = max(_process_release_at, release_at)


_ticking = threading.Lock()


def _tick(moved) -> int:
    """Move the clock and set the `moved` generations to it, as one step: with
    Redis in one script; with a cache private to this process, under a lock."""
    tick = getattr(cache, "tick", None)
    if tick is not None:
        return tick(CLOCK_KEY, moved)
    with _ticking:
        cache.add(CLOCK_KEY, 0, None)
        clock = cache.incr(CLOCK_KEY)
        cache.set_many(dict.fromkeys(moved, clock), None)
    return clock


_changes = threading.local()  # when this thread's change may return (monotonic)
_process_release_at = 0.0  # the same for the whole process, for scripts at exit


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


# What is scheduled belongs to the apps that schedule it: each registers a
# function of `now` giving the earliest time still to come that a page changes
# (None: nothing due), in its `AppConfig.ready()`. The shared layer imports no app.
_schedules: list = []


def register_schedule(source):
    """Count `source(now)` among the times a cached page stops being fresh."""
    if source not in _schedules:
        _schedules.append(source)
    return source


def seconds_until_next_scheduled() -> float | None:
    """Seconds until the next scheduled story is due (None: none is scheduled),
    remembered in the cache until a story is scheduled or unscheduled (the
    `SCHEDULE` key moves) or the remembered one is due."""
    now = timezone.now()
    try:
        found = cache.get_many([NEXT_DUE_KEY, generation_key(SCHEDULE)])
    except Exception as error:  # noqa: BLE001  (the cache is down: ask the database)
        logger.warning("Page cache unreachable; next story due looked up (%r)", error)
        found = {"unreachable": True}
    generation = found.get(generation_key(SCHEDULE))  # read before the query
    memo = found.get(NEXT_DUE_KEY)
    if (
        memo is None
        or memo["generation"] != generation
        or (memo["due"] is not None and memo["due"] <= now)
    ):
        dues = [source(now) for source in _schedules]
        due = min((due for due in dues if due is not None), default=None)
        memo = {"due": due, "generation": generation}
        if "unreachable" not in found:
            cache.set(NEXT_DUE_KEY, memo, settings.NEWSROOM_PAGE_CACHE_SECONDS or 300)
    if memo["due"] is None:
        return None
    return (memo["due"] - now).total_seconds()


class Near(NamedTuple):
    """A page this worker holds, and until when it trusts it without asking."""

    stored: dict
    trusted_until: float


def _make_room(entries: dict, path, limit: int) -> None:
    """Drop the oldest of a worker's `entries` when `path` would take them past
    `limit` (dicts keep insertion order); shared by threads, so a racing delete is
    no error."""
    if len(entries) >= limit and path not in entries:
        try:
            del entries[next(iter(entries))]
        except (KeyError, RuntimeError, StopIteration):
            pass  # another thread got there first


class AnonymousPageCacheMiddleware:
    """Early in the stack (before sessions, auth, CSRF): a hit costs at most one cache
    round trip and none of the middleware behind it, and none at all when this worker
    holds the page and its lease on it has not run out. A reader with no session
    cookie is anonymous; anyone with one (staff) goes past the cache."""

    def __init__(self, get_response):
        self.get_response = get_response
        # The pages this worker holds, by path (oldest first); and the keys of
        # more pages than it holds, so one round trip finds a page and checks it.
        self.near: dict[str, Near] = {}
        self.known_keys: dict[str, tuple] = {}

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
            clock, stored = self._lookup(path)
        except Exception as error:  # noqa: BLE001  (the cache is down: pages still)
            logger.warning(
                "Page cache unreachable; page served fresh (%r)",
                error,
                exc_info=not isinstance(error, RedisSkipped),
            )
            return self.get_response(request)
        if stored is not None:
            return self._replay(stored, "hit")
        response = self.get_response(request)
        if getattr(response, "database_outage", False):
            return self._stale(path) or response
        keys = keys_of(response)
        if keys and self._cacheable_response(response):
            # The ETag is stored with the page, so a hit does not hash it again.
            set_response_etag(response)
            try:
                self._store(clock, keys, path, response, seconds)
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
        """The last good copy of the page, if none of its keys was invalidated hard
        since, for a reader the database cannot serve; None when there is none (or
        no cache)."""
        try:
            stored = cache.get(stale_key(path))
            if stored is None:
                return None
            hard = cache.get_many([hard_generation_key(k) for k in stored["keys"]])
        except Exception as error:  # noqa: BLE001  (no cache either: the 503 stands)
            logger.warning("No stale copy: page cache unreachable too (%r)", error)
            return None
        now = tuple(hard.get(hard_generation_key(k)) for k in stored["keys"])
        if now != stored["hard"]:
            return None
        logger.warning("Database unavailable; stale copy of %s served", path)
        response = self._replay(stored, "stale")
        response["Warning"] = '110 - "Response is Stale"'
        return response

    def _store(self, clock, keys, path, response, seconds):
        soft = [generation_key(key) for key in keys]
        hard = [hard_generation_key(key) for key in keys]
        asked_at = time.monotonic()
        found = cache.get_many(soft + hard)
        if any(found.get(name, 0) > clock for name in soft):
            # A change to what the page shows committed while it was rendered: it
            # may hold the rows from before. The next reader renders it again.
            return
        for name in soft + hard:
            # A key never invalidated gets a generation of 0, kept until replaced:
            # were it evicted later, the page would miss (None is not 0) rather
            # than match a generation that came and went.
            if name not in found:
                if not cache.add(name, 0, None):
                    return  # invalidated meanwhile: keep nothing this time
                found[name] = 0
        headers = {h: response[h] for h in STORED_HEADERS if h in response}
        keys = tuple(keys)
        self._remember_keys(path, keys)
        # The last good copy, kept longer than the fresh one and past soft
        # invalidations.
        cache.set(
            stale_key(path),
            {
                "content": response.content,
                "headers": headers,
                "keys": keys,
                "hard": tuple(found.get(name) for name in hard),
            },
            settings.NEWSROOM_PAGE_CACHE_STALE_SECONDS,
        )
        until_due = seconds_until_next_scheduled()
        timeout = seconds if until_due is None else max(0, min(seconds, until_due))
        if timeout >= 1:
            stored = {
                "content": response.content,
                "headers": headers,
                "keys": keys,
                "generations": tuple(found.get(name) for name in soft),
                "expires": time.time() + timeout,
            }
            cache.set(page_key(path), stored, timeout)
            self._keep(path, stored, asked_at)

    def _lookup(self, path):
        """(the clock before rendering, the stored page or None): from this
        worker's memory while its lease on the page holds, else in one round trip
        that asks for the page and the generations of the keys it had."""
        near = self.near.get(path)
        if near is not None and near.stored["expires"] > time.time():
            if time.monotonic() < near.trusted_until:
                return None, near.stored
        known = self.known_keys.get(path, ())
        asked_at = time.monotonic()  # the lease counts from before the question
        found = cache.get_many(
            [page_key(path), CLOCK_KEY, *(generation_key(k) for k in known)]
        )
        clock = found.get(CLOCK_KEY, 0)
        stored = found.get(page_key(path))
        if stored is not None:
            missing = [
                generation_key(k)
                for k in stored["keys"]
                if generation_key(k) not in found and k not in known
            ]
            if missing:  # a page this worker did not render, or whose keys changed
                found.update(cache.get_many(missing))
                self._remember_keys(path, stored["keys"])
            generations = tuple(found.get(generation_key(k)) for k in stored["keys"])
            if generations != stored["generations"]:
                stored = None
        if stored is None:
            self.near.pop(path, None)
        else:
            self._keep(path, stored, asked_at)
        return clock, stored

    def _remember_keys(self, path, keys):
        known = self.known_keys
        _make_room(known, path, 10 * settings.NEWSROOM_PAGE_CACHE_LOCAL_PAGES)
        known[path] = keys

    def _keep(self, path, stored, asked_at):
        """Hold a page in this worker's memory, a bounded number of them, trusted
        for one lease from `asked_at` (0: checked with the next request)."""
        limit = settings.NEWSROOM_PAGE_CACHE_LOCAL_PAGES
        lease = settings.NEWSROOM_PAGE_CACHE_LEASE_SECONDS
        if not lease or not limit:
            return
        pages = self.near
        _make_room(pages, path, limit)
        pages[path] = Near(stored, asked_at + lease if asked_at else 0.0)

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
