"""The web benchmark behind `make bench`: real pages against a bare "hello" view.

One run, on PostgreSQL by default (`--database sqlite` for the embedded default):

1. fills the benchmark database with `make_synthetic` (100,000 stories, 10,000
   people, 1,000 races, 500 tags) unless it holds that already, then ANALYZE;
2. in-process: each reader page's render time (p50 over random rows) and query
   count, search, and the admin story list and change form as an editor;
3. gunicorn with 2 sync workers and production settings, loaded by wrk: the hello
   view and every page, interleaved round by round, first uncached (with, for the
   main pages, their recorded SQL replayed alone: the database's part), then with
   the page cache on Redis, then through Varnish (with a static 20 KB page Varnish
   keeps: the machine's limit); each page's requests/s as a share of a bare
   Django hello's (`benchmarks/bare_hello.py`, same gunicorn, same rounds), and
   the CPU each request cost gunicorn and PostgreSQL (`benchmarks.cpu`);
4. the election-night load test: an editor publishes, edits and unpublishes a
   story every second while readers hammer the cached site; it counts 5xx and
   every page that showed a story after its unpublish had returned;
5. the mention finder (`benchmarks.mention_scan`);
6. with valgrind, the instructions the app server runs per request of each main
   page (`benchmarks.instructions`): a count the machine's speed does not move.

Results: printed, and written to bench/results.json and bench/results.md.
"""

import argparse
import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks import instructions
from benchmarks.cpu import cpu_seconds, per_request_ms

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
REDIS_URL = "redis://127.0.0.1:6379/7"
PAGES = [
    "front",
    "front p.2,001",
    "article",
    "person",
    "person, most covered",
    "race",
    "race, most covered",
    "tag",
    "search",
    "search, common word",
]
CACHED_PAGES = ["front", "article", "person", "race", "tag"]
# Pages whose SQL is also replayed alone (core.views.page_sql): the database's
# and driver's part of each, and so the most any code could serve with that SQL.
SQL_PAGES = ["front", "article", "person", "race", "tag"]
SQL_ALONE = "{}: its SQL alone"
# Fewer samples of the slow ones (searches, the crawlers' files).
IN_PROCESS_REPEATS = {
    "search": 30,
    "search, common word": 30,
    "sitemap index": 20,
    "sitemap, a month": 20,
}
CRAWLER_FILES = ["sitemap index", "sitemap, a month"]
HEADERS = {"X-Forwarded-Proto": "https"}  # the server sits behind a TLS proxy
BARE_HELLO = "hello, bare Django (no middleware)"
STATIC_20K = "static 20 KB page"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default=None)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--races", type=int, default=1_000)
    parser.add_argument("--tags", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=5, help="per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--load-seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--out", type=Path, default=ROOT / "bench")
    options = parser.parse_args()
    options.database = options.database or os.environ.get(
        "BENCH_DATABASE", "postgresql"
    )
    return options


def benchmark_environment(options) -> dict:
    """Production settings, as `make serve` runs them, on the benchmark database."""
    if options.database == "postgresql":
        database_url = os.environ.get("BENCH_DATABASE_URL", POSTGRES_URL)
    else:
        database_url = f"sqlite:///{options.out / 'bench.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_PROXY_SSL_HEADER="1",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_STATIC_ROOT=str(options.out / "static"),
        DJANGO_MEDIA_ROOT=str(options.out / "media"),
        DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", REDIS_URL),
        NEWSROOM_PAGE_CACHE_SECONDS="0",
        NEWSROOM_BENCHMARK_VIEWS="1",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def create_postgres_database(url: str, *, fresh=False) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
        if fresh:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = "SELECT 1 FROM pg_database WHERE datname = %s"
        if not db.execute(exists, [name]).fetchone():
            db.execute(f'CREATE DATABASE "{name}"')


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


# --- data -----------------------------------------------------------------------


def filled(options) -> bool:
    """Whether the database holds a synthetic newsroom of this size, its pictures
    in the media folder (a fill from before stories had lead images has none)."""
    from django.core.files.storage import default_storage

    from articles.management.commands.make_synthetic import MARQUEE_RACE_SHARE
    from articles.models import Article, RaceCoverage

    synthetic = Article.objects.filter(slug__startswith="synthetic-")
    if synthetic.count() != options.articles:
        return False
    # A fill from before the marquee race has none.
    marquee = RaceCoverage.objects.filter(race__slug="synthetic-race-0")
    if options.races and marquee.count() < options.articles * MARQUEE_RACE_SHARE / 5:
        return False
    pictured = synthetic.exclude(lead_image="").first()
    return pictured is not None and default_storage.exists(pictured.lead_image.name)


def fill(options, env):
    """The synthetic newsroom, made afresh (empty database) when the size differs."""
    from django.core.management import call_command
    from django.db import connection, connections

    if not filled(options):
        print(f"Filling a fresh benchmark database ({options.articles:,} stories)...")
        connections.close_all()
        if options.database == "postgresql":
            create_postgres_database(env["DATABASE_URL"], fresh=True)
        else:
            (options.out / "bench.sqlite3").unlink(missing_ok=True)
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        started = time.perf_counter()
        call_command(
            "make_synthetic",
            articles=options.articles,
            people=options.people,
            races=options.races,
            tags=options.tags,
        )
        print(f"  make_synthetic: {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        # As autovacuum would have by now: statistics, and the search index's
        # pending list merged.
        cursor.execute(
            "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
        )


def sample_urls(rng) -> dict[str, list[str]]:
    """Random published rows of each kind, as reader URLs."""
    from django.db.models import Count
    from taggit.models import Tag

    from articles.models import Article
    from articles.sitemaps import month_path
    from core.keyset import cursor_of
    from people.models import Person, Race

    published = Article.objects.published()
    ids = list(published.values_list("pk", flat=True))
    stories = published.filter(pk__in=rng.sample(ids, min(200, len(ids))))
    people = Person.objects.filter(slug__startswith="synthetic-").values_list(
        "pk", flat=True
    )
    races = Race.objects.values_list("pk", flat=True)
    tags = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).filter(n__gt=0)
    deep = published.newest_first().only("published_at", "pk")[
        20 * 2000 - 1 : 20 * 2000
    ]
    words = ["runoff", "turnout", "recount certified", "governor debate", "ballot"]
    names = list(Person.objects.order_by("?").values_list("name", flat=True)[:5])
    return {
        "front": ["/"],
        "front p.2,001": [f"/?before={cursor_of(s)}" for s in deep] or ["/"],
        "article": [s.get_absolute_url() for s in stories],
        "person": [
            p.get_absolute_url()
            for p in Person.objects.filter(
                pk__in=rng.sample(list(people), min(100, len(people)))
            )
        ],
        # The headliners: a page over tens of thousands of mentions.
        "person, most covered": [
            p.get_absolute_url()
            for p in Person.objects.annotate(n=Count("mentions")).order_by("-n")[:3]
        ],
        # The race of the year: a page over thousands of stories.
        "race, most covered": [
            r.get_absolute_url()
            for r in Race.objects.annotate(n=Count("articles")).order_by("-n")[:1]
        ],
        "race": [
            r.get_absolute_url()
            for r in Race.objects.filter(
                pk__in=rng.sample(list(races), min(100, len(races)))
            )
        ],
        "tag": [f"/tags/{t.slug}/" for t in tags.order_by("?")[:50]],
        "search": ["/search/?q=" + urllib.request.quote(q) for q in words + names],
        # Words in about one story in ten: the newest matches take longest to find.
        "search, common word": ["/search/?q=runoff", "/search/?q=turnout"],
        "hello": ["/bench/hello"],
        # For crawlers, in-process only: the index and a month's stories.
        "sitemap index": ["/sitemap.xml"],
        "sitemap, a month": [
            month_path(moment)
            for moment in published.order_by("?").values_list(
                "published_at", flat=True
            )[:5]
        ],
    }


# --- in-process -----------------------------------------------------------------


class SQLTimer:
    """A database execute wrapper: seconds spent executing SQL (sending it, the
    database's work, reading rows back), not building queries or objects."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def timed_requests(client, choices, rng, repeat):
    """Seconds, query count and seconds of SQL of `repeat` GETs of random
    `choices`. Each choice is requested once first, as the throughput and
    instruction runs warm theirs (rows read into the database's memory,
    statements prepared, renditions found): the render time of a page, not of a
    first visit. The timed requests run bare; their queries are counted and their
    SQL timed in a second pass of the same requests (capturing queries costs a
    request about 5%)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in choices:
        client.get(url)
    chosen = [rng.choice(choices) for _ in range(repeat)]
    samples = []
    for url in chosen:
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    queries, sql = [], []
    for url in chosen:
        timer = SQLTimer()
        with CaptureQueriesContext(connection) as captured:
            with connection.execute_wrapper(timer):
                client.get(url)
        queries.append(len(captured))
        sql.append(timer.seconds)
    return samples, queries, sql


def in_process(urls, rng, repeat=100) -> dict:
    """Render time p50/p99 (ms) and queries per request, no page cache, no network."""
    from django.test import Client

    client = Client(headers=HEADERS)
    results = {}
    for page, choices in urls.items():
        samples, queries, sql = timed_requests(
            client, choices, rng, IN_PROCESS_REPEATS.get(page, repeat)
        )
        results[page] = {
            "render_p50_ms": round(statistics.median(samples) * 1000, 2),
            "render_p99_ms": round(percentile(samples, 99) * 1000, 2),
            "sql_p50_ms": round(statistics.median(sql) * 1000, 2),
            "queries_max": max(queries),
        }
    return results


def record_page_sql(urls, path) -> dict[str, list[str]]:
    """The SQL that one request of each of `SQL_PAGES` sends, as sent, written to
    `path` for the server's replay view; returns that view's URL for each page."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers=HEADERS)
    recorded = {}
    for page in SQL_PAGES:
        url = urls[page][0]
        client.get(url)  # warm: nothing the first request alone asks for
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        recorded[page] = [query["sql"] for query in captured.captured_queries]
    path.write_text(json.dumps(recorded, indent=1))
    return {SQL_ALONE.format(page): [f"/bench/sql/{page}"] for page in SQL_PAGES}


def admin_in_process(rng) -> dict:
    """The editor's story list (first and deep page, filtered, sorted, searched) and
    change form, the people list, the people autocomplete, and the backfill and the
    form of the most covered people."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from articles.models import Article, Section
    from core.admin_paging import CAP
    from people.models import Person

    user, _ = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(headers=HEADERS)
    client.force_login(user)
    # The headliners: every person's mentions counted once, for both their pages.
    most_covered = list(Person.objects.annotate(n=Count("mentions")).order_by("-n")[:3])
    ids = rng.sample(list(Article.objects.values_list("pk", flat=True)), 50)
    section = Section.objects.get(slug="synthetic-news").pk
    # The admin counts up to CAP stories, list_per_page (100) to a page.
    deepest = max(1, -(-min(CAP, Article.objects.count()) // 100))
    pages = {
        "admin story list": ["/admin/articles/article/"],
        "admin story list, deepest page": [f"/admin/articles/article/?p={deepest}"],
        "admin story list, filtered": [
            "/admin/articles/article/?status__exact=published&section__id__exact="
            f"{section}"
        ],
        # A click on a column's header: headline and section have no index order
        # of their own in the list's query (section sorts the joined rows).
        "admin story list, by headline": ["/admin/articles/article/?o=1"],
        "admin story list, by section": ["/admin/articles/article/?o=3"],
        "admin story search": ["/admin/articles/article/?q=runoff"],
        "admin change form": [f"/admin/articles/article/{pk}/change/" for pk in ids],
        # Every person's story count: the headliner alone is in 30,000 stories.
        "admin people list": ["/admin/people/person/"],
        "admin people list, by story count": ["/admin/people/person/?o=-4"],
        # Each keystroke in a story's people inline: a name as it is typed.
        "admin people autocomplete": [
            "/admin/autocomplete/?app_label=articles&model_name=mention"
            f"&field_name=person&term={urllib.request.quote(term)}"
            for term in ("os", "oss", "osso", "ana", "jon a", "jon ab", "ana chen")
        ],
        # Earlier stories naming someone, offered after a rename or a new alias.
        "admin backfill, most covered": [
            f"/admin/articles/article/backfill/{person.pk}/" for person in most_covered
        ],
        "admin person form, most covered": [
            f"/admin/people/person/{person.pk}/change/" for person in most_covered
        ],
    }
    results = {}
    for page, choices in pages.items():
        samples, queries, _sql = timed_requests(client, choices, rng, 15)
        results[page] = {
            "p50_ms": round(statistics.median(samples) * 1000, 1),
            "queries_max": max(queries),
        }
    return results


# --- gunicorn and wrk -----------------------------------------------------------


class Server:
    """gunicorn, 2 sync workers, as `make serve` starts it (`app`: the project's,
    or the bare yardstick's)."""

    def __init__(self, env, port, log, app="newsroom.wsgi"):
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), app,
             "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log, stderr=log,
        )  # fmt: skip
        self.wait_until_serving("gunicorn")

    def wait_until_serving(self, name):
        """Return once the hello page answers; stop and raise after 30 s."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                fetch(self.url + "/bench/hello")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{name} did not start; see the server log in bench/")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


class VarnishServer(Server):
    """varnishd with the project's VCL (deploy/varnish/newsroom.vcl) in front of
    `backend`, its own working directory, 256 MB of pages, as `make serve-cache`."""

    def __init__(self, backend, port, workdir, log):
        from newsroom.varnish import render

        self.url = f"http://127.0.0.1:{port}"
        directory = Path(workdir) / f"varnish-{port}"
        directory.mkdir()
        vcl = directory / "newsroom.vcl"
        vcl.write_text(render(backend.url.removeprefix("http://")))
        self.process = subprocess.Popen(
            [VARNISHD, "-F", "-j", "none", "-n", str(directory), "-f", str(vcl),
             "-a", f"127.0.0.1:{port}", "-T", "none", "-s", "malloc,256m"],
            stdout=log, stderr=log,
        )  # fmt: skip
        self.wait_until_serving("varnishd")


VARNISHD = shutil.which("varnishd") or (
    "/usr/sbin/varnishd" if os.access("/usr/sbin/varnishd", os.X_OK) else None
)


def hit_share(server, paths) -> float:
    """The share of `paths` the server answers from its cache (X-Cache: HIT)."""
    hits = 0
    for path in paths:
        fetch(server.url + path)  # cached now, if it may be
        request = urllib.request.Request(server.url + path, headers=HEADERS)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                hits += response.headers.get("X-Cache") == "HIT"
        except urllib.error.HTTPError:
            pass
    return round(hits / len(paths), 3) if paths else 0.0


def fetch(url, timeout=10):
    request = urllib.request.Request(url, headers=HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# wrk asks for compressed pages, as every browser does (Varnish keeps them gzipped).
LUA = """
local paths = {%(paths)s}
local headers = {["X-Forwarded-Proto"] = "https", ["Accept-Encoding"] = "gzip"}
request = function()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.timeout))
end
"""


def wrk(server, paths, seconds, connections, workdir) -> dict:
    script = Path(workdir) / "paths.lua"
    script.write_text(LUA % {"paths": ", ".join(json.dumps(p) for p in paths)})
    duration = f"-d{max(1, round(seconds))}s"
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", duration, "-s", str(script), server.url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = next(x for x in output.splitlines() if x.startswith("RESULT"))
    requests, micros, p50, p99, errors = (int(x) for x in line.split()[1:])
    return {"requests": requests, "seconds": micros / 1e6, "p50_us": p50,
            "p99_us": p99, "errors": errors}  # fmt: skip


def throughput(server, urls, pages, options, workdir, bare_server, others=None) -> dict:
    """Every page and hello, interleaved: round 1 of each, round 2 of each, ...

    Shares are of the bare Django hello (`bare_server`: no middleware, no project
    settings) in the same rounds, so that a machine that speeds up or slows down
    between server runs moves both alike."""
    servers = dict.fromkeys(["hello", *pages], server)
    servers[BARE_HELLO] = bare_server
    servers.update(others or {})  # pages another server answers
    urls = {**urls, BARE_HELLO: urls["hello"]}
    runs = {page: [] for page in servers}
    for page in runs:  # warm-up: workers import everything, caches fill
        for url in urls[page]:
            fetch(servers[page].url + url)
    cpu_used = {page: {"app": 0.0, "database": 0.0} for page in servers}
    for _ in range(options.rounds):
        for page in runs:
            app_pid = servers[page].process.pid
            before = cpu_seconds(app_pid)
            runs[page].append(
                wrk(servers[page], urls[page], options.seconds, options.connections,
                    workdir)
            )  # fmt: skip
            after = cpu_seconds(app_pid)
            for side in after:
                cpu_used[page][side] += after[side] - before[side]
    results = {}
    for page, page_runs in runs.items():
        requests = sum(r["requests"] for r in page_runs)
        seconds = sum(r["seconds"] for r in page_runs)
        results[page] = {
            "requests_per_second": round(requests / seconds, 1),
            "cpu_ms_per_request": per_request_ms(cpu_used[page], requests),
            "p50_ms": round(
                statistics.median(r["p50_us"] for r in page_runs) / 1000, 2
            ),
            "p99_ms": round(
                statistics.median(r["p99_us"] for r in page_runs) / 1000, 2
            ),
            "errors": sum(r["errors"] for r in page_runs),
        }
    hello = results[BARE_HELLO]["requests_per_second"]
    for page in results:
        results[page]["share_of_hello"] = round(
            results[page]["requests_per_second"] / hello, 3
        )
    return results


def through_varnish(server, yardstick, urls, options, workdir, log, running):
    """The cached pages through Varnish (its VCL, in front of `server`), and a
    static 20 KB page Varnish keeps (the machine's limit), as shares of the bare
    Django hello; with the share of each page's sample Varnish answered itself."""
    varnish = VarnishServer(server, options.port + 3, workdir, log)
    running.callback(varnish.stop)
    static = VarnishServer(yardstick, options.port + 4, workdir, log)
    running.callback(static.stop)
    urls = {**urls, STATIC_20K: ["/bench/static-20k"]}
    results = throughput(
        varnish, urls, [*CACHED_PAGES, STATIC_20K], options, workdir, yardstick,
        others={STATIC_20K: static},
    )  # fmt: skip
    for page in [*CACHED_PAGES, STATIC_20K]:
        answering = static if page == STATIC_20K else varnish
        results[page]["varnish_hits"] = hit_share(answering, urls[page])
    return results


# --- election night -------------------------------------------------------------


def load_test(server, seconds, readers=6, varnish=None, pages=None, workdir=None):
    """An editor changes a story every second while readers hammer the site.

    Every page a reader fetched is checked: none may show a story whose unpublish
    had returned before that request started.

    With `pages` (the sampled URLs), readers also read the whole archive (story
    pages by Zipf's law, newest first, and `pages`' person, race and tag pages:
    a fixed sample of 20,000 requests, fetched once before the clock starts),
    wrk loads the same mix for the throughput, and the share of requests a cache
    answered is counted (Varnish's X-Cache or the page cache's X-Page-Cache).
    With `varnish`, readers go through it, the app purges it after each change,
    and each edit's delay until Varnish serves it is measured.
    """
    from django.contrib.auth import get_user_model
    from django.db import close_old_connections, transaction

    from articles.models import Article
    from articles.services import article_publish, article_unpublish
    from articles.story_copies import refresh_story_links
    from core.page_cache import wait_for_readers

    editor = get_user_model().objects.get(username="bench-editor")
    latest = list(Article.objects.published().newest_first()[:60])
    drafts = list(Article.objects.filter(status="draft")[:60])
    unpublished: list[tuple[float, str]] = []  # (returned at, "/slug/")
    published_drafts: list[int] = []
    watched = [story.get_absolute_url() for story in latest]
    tag_urls = [f"/tags/{t.slug}/" for t in latest[0].tags.all()]
    lock = threading.Lock()
    stop = threading.Event()
    stats = {"requests": 0, "5xx": 0, "stale": [], "edits": 0, "errors": []}
    stats.update(answered_by_cache=0, fresh_after=[])
    target = varnish or server
    archive = zipf_archive() if pages else None
    others = [
        u for kind in ("person", "race", "tag") for u in (pages or {}).get(kind, [])
    ]

    def draw_url(rng):
        if archive is None:
            return rng.choice(["/", "/", *tag_urls, *watched[-40:]])
        draw = rng.random()
        if draw < 0.15:
            return "/"
        if draw < 0.35:
            return rng.choice(watched[-40:])
        if draw < 0.5 and others:
            return rng.choice([*others, *tag_urls])
        return archive(rng)

    # The readers' requests: a fixed sample of the mix (20,000 draws), which wrk
    # and the checked readers both read, fetched once before the clock starts, as
    # hours of traffic leave a cache on election night. Each later miss is then
    # what the editor's changes cost, not a first read.
    mix = [draw_url(random.Random(n)) for n in range(20_000)] if archive else None
    warmed = warm(target, set(mix)) if mix else 0

    def reader_url(rng):
        return rng.choice(mix) if mix else draw_url(rng)

    def served_fresh(url, headline, started):
        """Until Varnish serves the edit: its delay from the save's start."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if headline in fetch(target.url + url)[1].decode("utf-8", "replace"):
                stats["fresh_after"].append(time.monotonic() - started)
                return
            time.sleep(0.005)

    def editor_loop():
        tick = 0
        while not stop.is_set():
            started = time.monotonic()
            try:
                if tick % 3 == 0 and latest:
                    story = latest.pop(0)  # a front-page story goes
                    article_unpublish(article=story, user=editor)
                    wait_for_readers()  # as the admin does before it answers
                    with lock:
                        unpublished.append((time.monotonic(), f"/{story.slug}/"))
                elif tick % 3 == 1 and drafts:
                    story = article_publish(article=drafts.pop(), user=editor)
                    published_drafts.append(story.pk)
                    with lock:
                        watched.append(story.get_absolute_url())
                elif latest:
                    story = Article.objects.get(pk=latest[-1].pk)
                    with transaction.atomic():
                        story.headline = f"Updated {tick}: {story.headline[:80]}"
                        story.save()
                    if varnish:
                        wait_for_readers()
                        served_fresh(
                            story.get_absolute_url(),
                            f"Updated {tick}:",
                            started,
                        )
                wait_for_readers()  # every action returns as the admin's would
                stats["edits"] += 1
            except Exception as error:  # noqa: BLE001  (reported, not fatal)
                stats["errors"].append(repr(error))
            tick += 1
            close_old_connections()
            stop.wait(max(0.0, 1 - (time.monotonic() - started)))

    def reader_loop(seed):
        rng = random.Random(seed)
        while not stop.is_set():
            started = time.monotonic()
            with lock:
                url = reader_url(rng)
                gone_before = [s for when, s in unpublished if when < started]
            try:
                status, body, cache_state = fetch_with_state(target.url + url)
            except OSError as error:
                status, body, cache_state = 599, repr(error).encode(), None
            text = body.decode("utf-8", "replace")
            with lock:
                stats["requests"] += 1
                stats["answered_by_cache"] += cache_state in ("HIT", "HIT-STALE", "hit")
                if status >= 500:
                    stats["5xx"] += 1
                for slug in gone_before:
                    # Its own page: served at all (a 404 page names its address);
                    # any other: linking to it.
                    shown = status == 200 if url.endswith(slug) else slug in text
                    if shown:
                        stats["stale"].append({"url": url, "story": slug})

    threads = [threading.Thread(target=editor_loop)] + [
        threading.Thread(target=reader_loop, args=(n,)) for n in range(readers)
    ]
    for thread in threads:
        thread.start()
    if archive is not None:
        # Reader throughput: wrk on the same mix, alongside the checked readers.
        loaded = wrk(target, mix, seconds, 8, workdir)
    else:
        time.sleep(seconds)
        loaded = None
    stop.set()
    for thread in threads:
        thread.join()
    # Put the archive back as it was, so the next run measures the same data.
    restored = Article.objects.filter(slug__in=[s.strip("/") for _, s in unpublished])
    restored_ids = list(restored.values_list("pk", flat=True))
    restored.update(status="published")
    Article.objects.filter(pk__in=published_drafts).update(
        status="draft", published_at=None
    )
    refresh_story_links(restored_ids + published_drafts)
    return {
        "seconds": seconds,
        "reader_threads": readers,
        "requests": stats["requests"],
        "requests_per_second": round(stats["requests"] / seconds, 1),
        "editor_actions": stats["edits"],
        "unpublished": len(unpublished),
        "responses_5xx": stats["5xx"],
        "stale_pages_after_unpublish": len(stats["stale"]),
        "stale_examples": stats["stale"][:5],
        "editor_errors": stats["errors"][:5],
        **(
            {
                "answered_by_cache": round(
                    stats["answered_by_cache"] / max(1, stats["requests"]), 4
                ),
                "warmed_pages": warmed,
                "wrk_requests_per_second": round(
                    loaded["requests"] / loaded["seconds"], 1
                ),
                "fresh_after_ms": {
                    "p50": round(percentile(stats["fresh_after"], 50) * 1000, 1),
                    "p99": round(percentile(stats["fresh_after"], 99) * 1000, 1),
                    "edits": len(stats["fresh_after"]),
                }
                if stats["fresh_after"]
                else None,
            }
            if loaded
            else {}
        ),
    }


def warm(server, paths, workers=4) -> int:
    """Fetch each of `paths` once through `server` (a cache fills); their number."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda path: fetch(server.url + path), sorted(paths)))
    return len(paths)


def zipf_archive():
    """A function drawing a published story's page by Zipf's law (the newest the
    most read), over the whole archive."""
    import bisect
    import itertools

    from articles.models import Article

    stories = [
        story.get_absolute_url()
        for story in Article.objects.published()
        .newest_first()
        .only("slug", "published_at")
    ]
    weights = list(
        itertools.accumulate(1 / rank for rank in range(1, len(stories) + 1))
    )

    def draw(rng):
        return stories[bisect.bisect(weights, rng.random() * weights[-1])]

    return draw


def fetch_with_state(url, timeout=10):
    """(status, body, X-Cache) of a GET."""
    request = urllib.request.Request(url, headers=HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            headers = response.headers
            return response.status, response.read(), _cache_state(headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), _cache_state(error.headers)


def _cache_state(headers):
    return headers.get("X-Cache") or headers.get("X-Page-Cache")


# --- report ---------------------------------------------------------------------


@contextlib.contextmanager
def phase(title):
    print(f"{title}...", flush=True)
    started = time.perf_counter()
    yield
    print(f"  {time.perf_counter() - started:.0f} s", flush=True)


def percentile(samples, pct):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def markdown(results) -> str:
    lines = [
        f"# Newsroom benchmark ({results['database']}, "
        f"{results['size']['articles']:,} stories, {results['size']['people']:,} "
        f"people), {results['when']}",
        "",
        "gunicorn 2 sync workers, production settings, wrk "
        f"({results['wrk']['connections']} connections, {results['wrk']['rounds']} "
        f"interleaved rounds of {results['wrk']['seconds']} s) on the same 2-core "
        "machine.",
        "",
        "Shares are of the bare Django hello's requests/s in the same rounds (a tiny "
        "WSGI app, no middleware, no project settings, under the same gunicorn: "
        "`benchmarks/bare_hello.py`); the project's own hello row shows what its "
        "middleware costs, the cached server's what a page-cache hit "
        'costs. A page\'s "SQL alone" row replays the queries one request of that '
        "page sent, raw, and answers with hello's page: no ORM, no template, so the "
        "most any code could serve with those queries on this machine.",
        "",
        "CPU per request is read from /proc around the uncached runs: the app "
        "server's (gunicorn) and the local database's. The machine's two cores are "
        "the budget: a page at a quarter of hello's rate may cost four times "
        "hello's CPU in all, app and database together.",
        "",
        "| page | queries | render p50 ms (in-process) | of which SQL | "
        "req/s uncached | p50 / p99 ms | share of hello | CPU ms app / database | "
        "req/s cached | share of hello |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    uncached, cached, inproc = (
        results["uncached"],
        results["cached"],
        results["in_process"],
    )
    sql_alone = [SQL_ALONE.format(page) for page in SQL_PAGES]
    for page in ["hello", BARE_HELLO, *PAGES, *sql_alone]:
        if page not in uncached and page not in cached:
            continue
        u, c, i = uncached.get(page, {}), cached.get(page, {}), inproc.get(page, {})
        lines.append(
            f"| {page} | {i.get('queries_max', '')} | {i.get('render_p50_ms', '')} | "
            f"{i.get('sql_p50_ms', '')} | {u.get('requests_per_second', '')} | "
            f"{u.get('p50_ms', '')} / "
            f"{u.get('p99_ms', '')} | {pct(u.get('share_of_hello'))} | "
            f"{cpu_cell(u.get('cpu_ms_per_request'))} | "
            f"{c.get('requests_per_second', '')} | {pct(c.get('share_of_hello'))} |"
        )
    if counted := results.get("instructions"):
        lines += [
            "",
            "## Instructions per request (app server, callgrind)",
            "",
            "Counted by valgrind, not timed: the same code and rows give the same "
            "count however busy the machine is (`benchmarks/instructions.py`). The "
            "app's side only; the database's is in the CPU column above.",
            "",
            "| page | instructions | × hello |",
            "|---|---:|---:|",
        ]
        for page, count in counted.items():
            times = count / counted["hello"] if counted.get("hello") else 0
            lines.append(f"| {page} | {count / 1e6:.2f} M | {times:.1f} |")
    lines += ["", "## Files for crawlers (in-process)", "",
              "| file | p50 ms | queries |", "|---|---:|---:|"]  # fmt: skip
    for page in CRAWLER_FILES:
        row = inproc.get(page, {})
        p50, queries = row.get("render_p50_ms", ""), row.get("queries_max", "")
        lines.append(f"| {page} | {p50} | {queries} |")
    lines += ["", "## Admin (in-process, as an editor)", "",
              "| page | p50 ms | queries |", "|---|---:|---:|"]  # fmt: skip
    for page, row in results["admin"].items():
        lines.append(f"| {page} | {row['p50_ms']} | {row['queries_max']} |")
    if varnish := results.get("varnish"):
        lines += [
            "",
            "## Through Varnish (deploy/varnish/newsroom.vcl)",
            "",
            "Varnish 7 in front of the cached server, the same wrk runs; the static "
            "page is Varnish keeping the bare app's 20 KB page: the machine's limit. "
            '"Answered by Varnish": the share of the page\'s sample URLs that '
            "came back `X-Cache: HIT` (a page the app sends without `s-maxage` "
            "passes to it).",
            "",
            "| page | req/s | p50 / p99 ms | share of bare hello | "
            "answered by Varnish |",
            "|---|---:|---:|---:|---:|",
        ]
        for page, row in varnish.items():
            lines.append(
                f"| {page} | {row['requests_per_second']} | {row['p50_ms']} / "
                f"{row['p99_ms']} | {row['share_of_hello']:.1f}× | "
                f"{pct(row.get('varnish_hits'))} |"
            )
    load = results["load_test"]
    lines += [
        "",
        "## Election night (page cache on Redis)",
        "",
        f"{load['seconds']:.0f} s, {load['reader_threads']} reader threads: "
        f"{load['requests']:,} requests ({load['requests_per_second']}/s), "
        f"{load['editor_actions']} editor actions ({load['unpublished']} unpublished), "
        f"**{load['responses_5xx']} 5xx**, **{load['stale_pages_after_unpublish']} "
        "pages showing a story after its unpublish returned**; readers over a "
        f"20,000-request sample of the archive (Zipf) whose "
        f"{load.get('warmed_pages', 0):,} pages were fetched once before the clock "
        "started, "
        f"**{pct(load.get('answered_by_cache'))} answered by the page cache**, "
        f"wrk {load.get('wrk_requests_per_second', '–')}/s.",
        "",
    ]
    if through := results.get("load_test_varnish"):
        fresh = through.get("fresh_after_ms") or {}
        lines += [
            "",
            "## Election night through Varnish",
            "",
            f"{through['seconds']:.0f} s, the same editor and readers' sample "
            f"({through.get('warmed_pages', 0):,} pages, fetched once before the "
            "clock started) through Varnish, purged by the app after each change. "
            f"wrk: **{through['wrk_requests_per_second']}/s** "
            f"(**{through['share_of_hello']}×** the bare hello); checked readers: "
            f"{through['requests']:,} requests, "
            f"**{pct(through['answered_by_cache'])} answered by Varnish**, "
            f"**{through['responses_5xx']} 5xx**, "
            f"**{through['stale_pages_after_unpublish']} pages showing a story after "
            "its unpublish returned**; an edit served by Varnish "
            f"{fresh.get('p50', '–')} ms (p50) / {fresh.get('p99', '–')} ms (p99) "
            "after its save began.",
        ]
    lines += [
        "",
        "## Mention finder (names only / full scan, per 1,000-word story)",
        "",
        "| people | build s | find ms | scan ms |",
        "|---:|---:|---:|---:|",
    ]
    for row in results["mention_scan"]:
        lines.append(
            f"| {row['people']:,} | {row['build_seconds']} | "
            f"{row['find_ms_per_1000_words']} | {row['scan_ms_per_1000_words']} |"
        )
    return "\n".join(lines) + "\n"


def cpu_cell(cpu):
    """ "0.39 / 0.00": app and database CPU ms per request; blank when unread."""
    if not cpu or not any(cpu.values()):
        return ""
    return f"{cpu['app']:.2f} / {cpu['database']:.2f}"


def pct(share):
    return "" if share is None else f"{share:.0%}"


def mention_scan() -> list[dict]:
    from benchmarks.mention_scan import measure

    return measure([1_000, 10_000, 100_000])


def main():
    options = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    options.out.mkdir(parents=True, exist_ok=True)
    env = benchmark_environment(options)
    if options.database == "postgresql":
        create_postgres_database(env["DATABASE_URL"])
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")

    import django

    django.setup()
    from django.conf import settings

    rng = random.Random(2017)
    with phase("Data"):
        fill(options, env)
    urls = sample_urls(rng)
    results = {
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1],
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "size": {
            k: getattr(options, k) for k in ("articles", "people", "races", "tags")
        },
        "wrk": {
            "connections": options.connections,
            "rounds": options.rounds,
            "seconds": options.seconds,
        },  # fmt: skip
    }
    with phase("In-process render times"):
        results["in_process"] = in_process(urls, rng)
    with phase("Admin at full size"):
        results["admin"] = admin_in_process(rng)
    if instructions.available():
        with phase("Instructions per request (callgrind)"):
            results["instructions"] = instructions.per_request(urls, env)
    else:
        print("valgrind is missing: no instruction counts (apt-get install valgrind)")
    sql_file = options.out / "page_sql.json"
    sql_urls = record_page_sql(urls, sql_file)
    env = {**env, "NEWSROOM_BENCHMARK_SQL_FILE": str(sql_file)}
    log = open(options.out / "server.log", "a")
    with tempfile.TemporaryDirectory() as workdir, contextlib.ExitStack() as running:
        print("gunicorn, the bare Django hello (the yardstick)...")
        yardstick = Server(env, options.port + 2, log, app="benchmarks.bare_hello")
        running.callback(yardstick.stop)
        print("gunicorn, no page cache...")
        bare = Server(env, options.port, log)
        running.callback(bare.stop)
        results["uncached"] = throughput(
            bare, {**urls, **sql_urls}, [*PAGES, *sql_urls], options, workdir,
            yardstick,
        )  # fmt: skip
        print("gunicorn, page cache on Redis...")
        server = Server(
            {**env, "NEWSROOM_PAGE_CACHE_SECONDS": "300"}, options.port + 1, log
        )
        running.callback(server.stop)
        results["cached"] = throughput(
            server, urls, CACHED_PAGES, options, workdir, yardstick
        )
        print(f"Election night: {options.load_seconds:.0f} s...")
        results["load_test"] = load_test(
            server, options.load_seconds, pages=urls, workdir=workdir
        )
        if VARNISHD:
            print("Varnish in front of the cached server...")
            results["varnish"] = through_varnish(
                server, yardstick, urls, options, workdir, log, running
            )
            print(f"Election night through Varnish: {options.load_seconds:.0f} s...")
            front = VarnishServer(server, options.port + 5, workdir, log)
            running.callback(front.stop)
            settings.NEWSROOM_PURGE_URLS = [front.url + "/"]
            results["load_test_varnish"] = load_test(
                server, options.load_seconds, varnish=front, pages=urls,
                workdir=workdir,
            )  # fmt: skip
            results["load_test_varnish"]["share_of_hello"] = round(
                results["load_test_varnish"]["wrk_requests_per_second"]
                / results["varnish"][BARE_HELLO]["requests_per_second"],
                2,
            )
        else:
            print("varnishd is missing: no Varnish figures (apt-get install varnish)")
    print("Mention finder...")
    results["mention_scan"] = mention_scan()
    (options.out / "results.json").write_text(json.dumps(results, indent=2))
    report = markdown(results)
    (options.out / "results.md").write_text(report)
    print(report)
    load = results["load_test"]
    through = results.get("load_test_varnish", {})
    if (
        load["responses_5xx"]
        or load["stale_pages_after_unpublish"]
        or through.get("responses_5xx")
        or through.get("stale_pages_after_unpublish")
    ):
        sys.exit("The load test failed: see bench/results.md")


if __name__ == "__main__":
    main()
