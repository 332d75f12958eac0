"""Tells the cache tier in front of the app (Varnish nodes, a CDN) what changed.

Reader responses name the content they were built from as keys (`xkey`,
`Surrogate-Key`, `Cache-Tag`); after an editorial change commits, the code that
made it calls `send_purges(keys, hard=...)`, and every node in
``NEWSROOM_PURGE_URLS`` drops (hard) or marks stale (soft) every object carrying
any of those keys. Each node is sent ``PURGE <its URL>`` with the keys, space
separated, in the header ``xkey-purge`` (hard) or ``xkey-softpurge`` (soft), as
`deploy/varnish/newsroom.vcl` reads them, and must answer 2xx.

- Hard purges are for what must vanish (an unpublish, a delete): the next request
  for any page carrying the key goes to the app. Soft purges are for edits: the old
  page may still be served, in grace, to the requests that arrive while one of them
  fetches the new one, so a purge of a hot page does not send a herd to the app.
- `send_purges` blocks until every node has acknowledged (the nodes are asked side
  by side), so when an editor's save returns, no tier serves what it replaced.
  Each request is bounded (``NEWSROOM_PURGE_TIMEOUT`` seconds) and retried
  (``NEWSROOM_PURGE_ATTEMPTS`` in all, with a short pause between).

Why after the commit, and what a failure does. A purge sent before the commit
would let a reader's request, arriving in between, cache the old rows again under
the same keys; so purges go after it, and by then the change is saved: it cannot be
rolled back, and pretending "Not saved" would be a lie (the editor would retype a
change readers may already see). A purge that cannot be delivered to a node after
its retries is therefore never silent, and never lost:

1. it is logged as an error (logger ``core.purge``) and counted: `failures()`,
   shown by /healthz as ``purges_failed``, and /healthz's ``purge`` state is
   "down" while any remains undelivered;
2. its keys are kept for that node and delivered again, as a hard purge (always
   safe), before the next purge this process sends and on every /healthz check
   (load balancers poll it every few seconds), until the node acknowledges;
3. `send_purges` raises `PurgeNotDelivered`. In an editor's request (the purge
   runs in `transaction.on_commit`, without ``robust``) it reaches
   `core.views.server_error`, which answers 503 with Retry-After and a page
   saying the change IS saved but may not be live everywhere yet, and that it is
   retried automatically; `NotSavedMixin` is not involved, as nothing is left to
   roll back. A management command stops with the error, its change saved.

Keys kept for redelivery live in this process's memory: a worker restarted while
a node is down loses them, and the error it logged says which keys to purge by
hand (``varnishadm`` or ``curl -X PURGE -H 'xkey-purge: …'``).
"""

import http.client
import logging
import threading
import time
import urllib.parse
from collections.abc import Collection, Iterable

from django.conf import settings

logger = logging.getLogger(__name__)

HARD_HEADER = "xkey-purge"
SOFT_HEADER = "xkey-softpurge"
# Varnish refuses request headers over 8 KB (`http_req_hdr_len`): long key lists
# go in several requests.
MAX_HEADER_CHARS = 4000
RETRY_PAUSE_SECONDS = 0.1  # times the attempt number

_lock = threading.Lock()
_pending: dict[str, set[str]] = {}  # node URL -> keys it has not acknowledged
_failures = 0


class PurgeNotDelivered(Exception):
    """Some node of the cache tier did not acknowledge a purge after its retries.
    The change it was for is saved; its keys are kept and delivered again."""

    def __init__(self, nodes: dict[str, str], keys: Collection[str]):
        self.nodes = nodes  # node URL -> why
        self.keys = sorted(keys)
        reasons = "; ".join(f"{url}: {why}" for url, why in nodes.items())
        super().__init__(f"Purge not delivered ({reasons})")


def send_purges(keys: Collection[str], *, hard: bool) -> None:
    """Purge `keys` from every node of the tier; return once each acknowledged.

    Raises `PurgeNotDelivered` when a node did not, after logging and counting it
    and keeping its keys for redelivery. No tier configured: nothing to do.
    """
    keys = _checked(keys)
    urls = purge_urls()
    if not keys or not urls:
        return
    _deliver_everywhere(urls, keys, hard)


def deliver_pending() -> bool:
    """Deliver again what some node did not acknowledge; True when nothing remains
    undelivered. /healthz calls it, so a node that comes back is soon told."""
    with _lock:
        nodes = [url for url, keys in _pending.items() if keys]
    if not nodes:
        return True
    try:
        _deliver_everywhere(nodes, set(), hard=True)
    except PurgeNotDelivered:
        return False
    return True


def failures() -> int:
    """Purges (one per node and call) not delivered since this process started."""
    return _failures


def undelivered() -> dict[str, list[str]]:
    """The keys each node has not acknowledged yet."""
    with _lock:
        return {url: sorted(keys) for url, keys in _pending.items() if keys}


def purge_urls() -> list[str]:
    return list(settings.NEWSROOM_PURGE_URLS)


def _checked(keys: Iterable[str]) -> set[str]:
    keys = set(keys)
    for key in keys:
        if not key or any(c.isspace() or c == "," for c in key):
            raise ValueError(f"A purge key has no spaces or commas: {key!r}")
    return keys


def _deliver_everywhere(urls: list[str], keys: set[str], hard: bool) -> None:
    failed: dict[str, str] = {}

    def deliver(url):
        why = _deliver(url, keys, hard)
        if why is not None:
            failed[url] = why

    threads = [threading.Thread(target=deliver, args=(url,)) for url in urls[1:]]
    for thread in threads:
        thread.start()
    if urls:
        deliver(urls[0])
    for thread in threads:
        thread.join()
    if failed:
        raise PurgeNotDelivered(failed, keys)


def _deliver(url: str, keys: set[str], hard: bool) -> str | None:
    """Deliver this node's pending keys (hard), then `keys`; None when it
    acknowledged all, else why not (logged, counted, the keys kept)."""
    global _failures
    with _lock:
        pending = set(_pending.get(url, ()))
    why = None
    if pending:
        why = _send(url, pending, hard=True)
        if why is None:
            with _lock:
                _pending[url] -= pending
    if why is None and keys:
        why = _send(url, keys, hard)
    if why is None:
        return None
    with _lock:
        _pending.setdefault(url, set()).update(keys)
        if keys:  # a redelivery failing again is not another lost purge
            _failures += 1
        kept = sorted(_pending[url])
    logger.error(
        "Purge not delivered to %s (%s): %s; kept for redelivery: %s",
        url,
        why,
        "hard" if hard else "soft",
        " ".join(kept),
    )
    return why


def _send(url: str, keys: set[str], hard: bool) -> str | None:
    """PURGE `url` with `keys`, in as many requests as their length needs, each
    retried; None when all were acknowledged, else the last reason."""
    header = HARD_HEADER if hard else SOFT_HEADER
    for batch in _batches(sorted(keys)):
        why = None
        for attempt in range(1, settings.NEWSROOM_PURGE_ATTEMPTS + 1):
            why = _request(url, header, batch)
            if why is None:
                break
            logger.warning("Purge attempt %d to %s failed: %s", attempt, url, why)
            if attempt < settings.NEWSROOM_PURGE_ATTEMPTS:
                time.sleep(RETRY_PAUSE_SECONDS * attempt)
        if why is not None:
            return why
    return None


def _batches(keys: list[str]) -> Iterable[str]:
    batch = ""
    for key in keys:
        if batch and len(batch) + 1 + len(key) > MAX_HEADER_CHARS:
            yield batch
            batch = ""
        batch = f"{batch} {key}" if batch else key
    if batch:
        yield batch


def _request(url: str, header: str, value: str) -> str | None:
    parts = urllib.parse.urlsplit(url)
    kind = (
        http.client.HTTPSConnection
        if parts.scheme == "https"
        else http.client.HTTPConnection
    )
    connection = kind(parts.netloc, timeout=settings.NEWSROOM_PURGE_TIMEOUT)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("PURGE", path, headers={header: value})
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException) as error:
        return f"{type(error).__name__}: {error}"
    finally:
        connection.close()
    if not 200 <= response.status < 300:
        return f"answered {response.status} {response.reason}"
    return None
