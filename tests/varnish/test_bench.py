"""`make bench`'s yardstick and its Varnish phase: the bare Django hello under
gunicorn, and Varnish keeping what the app lets a shared cache keep."""

import contextlib
import os
import subprocess
import sys
import tempfile

from benchmarks import web

ASK_BARE = """
from wsgiref.util import setup_testing_defaults
from django.conf import settings
from benchmarks.bare_hello import HELLO, application
environ = {}
setup_testing_defaults(environ)
environ.update(PATH_INFO="/bench/hello", HTTP_HOST="127.0.0.1")
statuses = []
body = b"".join(application(environ, lambda status, headers: statuses.append(status)))
print(statuses[0], body == HELLO, settings.MIDDLEWARE)
"""


def bare_environment() -> dict:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "NEWSROOM_"))
    }
    environment["PYTHONPATH"] = str(web.ROOT)
    return environment


def test_the_bare_hello_is_django_with_no_middleware():
    printed = subprocess.run(
        [sys.executable, "-c", ASK_BARE],
        cwd=web.ROOT,
        env=bare_environment(),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout

    assert printed.strip() == "200 OK True []"


def test_varnish_keeps_only_what_the_app_lets_it_keep(varnish_ready, tmp_path):
    with contextlib.ExitStack() as running, open(tmp_path / "log", "a") as log:
        yardstick = web.Server(
            bare_environment(), web_port(), log, app="benchmarks.bare_hello"
        )
        running.callback(yardstick.stop)
        workdir = running.enter_context(tempfile.TemporaryDirectory())
        varnish = web.VarnishServer(yardstick, web_port(), workdir, log)
        running.callback(varnish.stop)

        shares = [
            web.hit_share(varnish, ["/bench/static-20k"]),
            web.hit_share(varnish, ["/bench/hello"]),  # no s-maxage: passed
        ]

    assert shares == [1.0, 0.0]


def web_port() -> int:
    from tests.fault_servers import free_port

    return free_port()


def test_the_report_shows_pages_through_varnish_as_shares_of_the_bare_hello():
    row = {"requests_per_second": 30000.0, "p50_ms": 0.1, "p99_ms": 1.0}
    results = {
        "database": "sqlite",
        "when": "now",
        "size": {"articles": 1, "people": 1, "races": 1, "tags": 1},
        "wrk": {"connections": 8, "rounds": 1, "seconds": 1},
        "uncached": {},
        "cached": {},
        "in_process": {},
        "admin": {},
        "varnish": {"front": {**row, "share_of_hello": 9.5, "varnish_hits": 1.0}},
        "load_test": {
            "seconds": 1, "reader_threads": 1, "requests": 1,
            "requests_per_second": 1, "editor_actions": 1, "unpublished": 0,
            "responses_5xx": 0, "stale_pages_after_unpublish": 0,
        },
        "mention_scan": [],
    }  # fmt: skip

    report = web.markdown(results)

    assert "| front | 30000.0 | 0.1 / 1.0 | 9.5× | 100% |" in report
