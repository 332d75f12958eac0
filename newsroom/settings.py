"""Newsroom settings, read from the environment.

Only safe values have defaults: DEBUG is off unless DJANGO_DEBUG asks for it, and a
production deployment (DEBUG off) must name its secret key and allowed hosts or it
refuses to start. See README.md, "Configuration".
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be a boolean (1/0, true/false), not {value!r}"
    )


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default or [])


def env_urls(name: str) -> list[str]:
    """A comma-separated list of http(s) URLs."""
    urls = env_list(name)
    for url in urls:
        if not re.match(r"https?://[^/\s]+", url):
            raise ImproperlyConfigured(f"{name} holds http(s) URLs, not {url!r}")
    return urls


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",  # django.contrib.admin, its site ours
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "tagging",
    "nested_admin",
    "reversion",
    "axes",
    "django_prose_editor",  # the body editor's bundle (`articles.body_editor`)
    "core",  # the shared layer: its system checks
    "django_guid",  # request ids (DJANGO_GUID below)
    "people",
    "articles",
]

MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",  # the request id, for every log line
    "core.middleware.AdminMethodsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # CONTENT_SECURITY_POLICY below
    "core.middleware.PrivateStaffResponsesMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",  # ETags, 304s
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.cache_keys.CacheKeysMiddleware",  # knows who is signed in
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.revisions.RevisionMiddleware",  # none kept for a failed request
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    # Django's engine for the admin, sitemaps and error pages; Jinja2 for the
    # reader pages (`templates/jinja2/`, `newsroom/jinja2.py`): rendered on every
    # page view, and Jinja2 renders them in about half the time.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.newsroom",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "newsroom.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "articles.context_processors.newsroom",
            ],
        },
    },
]

# One URL for the database. The default is a SQLite file beside manage.py so that
# `make run` works on a bare machine; production uses PostgreSQL with persistent
# connections that are health-checked before reuse.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(
            os.environ.get("DJANGO_CONN_MAX_AGE", "0" if DEBUG else "600")
        ),
        conn_health_checks=True,
    )
}
# A read replica, when there is one, serves anonymous readers' pages; editors and
# every write stay on the primary (core/db_router.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.db_router.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "core.db_router.ReaderRequestMiddleware",
    )


def prepare_threshold() -> int | None:
    """DJANGO_PG_PREPARE_THRESHOLD: after how many runs on a connection psycopg
    prepares a query (5, psycopg's default); "off" for none, as a connection pooler
    in transaction mode without prepared-statement support needs."""
    value = os.environ.get("DJANGO_PG_PREPARE_THRESHOLD", "5").strip().lower()
    if value in {"off", "none", ""}:
        return None
    try:
        threshold = int(value)
    except ValueError:
        threshold = -1
    if threshold < 0:
        raise ImproperlyConfigured(
            f'DJANGO_PG_PREPARE_THRESHOLD must be a count or "off", not {value!r}'
        )
    return threshold


def random_page_cost() -> str:
    """DJANGO_PG_RANDOM_PAGE_COST: PostgreSQL's price of a random page read
    against a sequential one (1.1: data in memory or on SSD)."""
    value = os.environ.get("DJANGO_PG_RANDOM_PAGE_COST", "1.1").strip()
    try:
        cost = float(value)
    except ValueError:
        cost = -1.0
    if not 0 < cost < 1000:
        raise ImproperlyConfigured(
            f"DJANGO_PG_RANDOM_PAGE_COST must be a positive number, not {value!r}"
        )
    return repr(cost)


# Bounded waits on PostgreSQL. A web request waits at most DJANGO_PG_STATEMENT_TIMEOUT
# for a query and DJANGO_PG_LOCK_TIMEOUT for a lock (one held by a migration or a long
# transaction), then answers 503 or a stale page (core/page_cache.py); without,
# a lock held every uncached page until gunicorn killed the worker. manage.py's
# commands (migrations, imports: NEWSROOM_PROCESS=command, set by manage.py) wait
# longer, as their own DJANGO_PG_COMMAND_* say ("0": no limit).
NEWSROOM_PROCESS = os.environ.get("NEWSROOM_PROCESS", "web")
if NEWSROOM_PROCESS not in {"web", "command"}:
    raise ImproperlyConfigured(
        f'NEWSROOM_PROCESS must be "web" or "command", not {NEWSROOM_PROCESS!r}'
    )
PG_WAITS = {
    # setting: (web default, command default)
    "statement_timeout": ("5s", "0"),
    "lock_timeout": ("2s", "30s"),
}


def pg_wait(name: str) -> str:
    """A PostgreSQL duration ("5s", "500ms", "0" for none) for this process."""
    web, command = PG_WAITS[name]
    variable = f"DJANGO_PG_{name.upper()}"
    if NEWSROOM_PROCESS == "command":
        variable, default = f"DJANGO_PG_COMMAND_{name.upper()}", command
    else:
        default = web
    value = os.environ.get(variable, default).strip()
    if not re.fullmatch(r"[0-9]+ ?(us|ms|s|min|h|d)?", value):
        raise ImproperlyConfigured(
            f'{variable} must be a duration such as "5s" or "500ms", not {value!r}'
        )
    return value.replace(" ", "")


# Seconds to wait for a connection to PostgreSQL (libpq counts at least 2).
PG_CONNECT_TIMEOUT = int(os.environ.get("DJANGO_PG_CONNECT_TIMEOUT", "3"))

for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {}).update(
            # Parameters sent apart from the SQL, so a page's queries have the same
            # text on every request and PostgreSQL keeps their plans as prepared
            # statements: half the database's CPU per reader page (README,
            # "Benchmark"). Persistent connections keep the statements warm.
            server_side_binding=True,
            prepare_threshold=prepare_threshold(),
            # No parallel workers for web queries: starting them costs 10-20 ms,
            # more than the indexed, LIMITed queries a page runs. A random read
            # priced as the data in memory or on SSD (PostgreSQL's default, 4,
            # prices a spinning disk): else the story page joined its tags by
            # reading every tag (0.64 ms of the database's time, not 0.23).
            options=" ".join(
                [
                    "-c max_parallel_workers_per_gather="
                    + os.environ.get("DJANGO_PG_PARALLEL_WORKERS", "0"),
                    f"-c random_page_cost={random_page_cost()}",
                    f"-c statement_timeout={pg_wait('statement_timeout')}",
                    f"-c lock_timeout={pg_wait('lock_timeout')}",
                ]
            ),
            connect_timeout=PG_CONNECT_TIMEOUT,
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Redis answers in bounded time or is taken as down: a Redis that accepts connections
# but never answers held every worker for redis-py's 5 s a command. After a failure a
# worker skips Redis for NEWSROOM_REDIS_RETRY_SECONDS, as if it were down
# (core/cache.py), rather than wait on it again for every key of every page.
REDIS_TIMEOUT = float(os.environ.get("NEWSROOM_REDIS_TIMEOUT", "0.5"))
NEWSROOM_REDIS_RETRY_SECONDS = float(
    os.environ.get("NEWSROOM_REDIS_RETRY_SECONDS", "2")
)


def redis_cache(url: str) -> dict:
    """The cache settings for the Redis at `url`, its waits bounded."""
    return {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "newsroom",
        # Entries are pickles of the project's classes: when one moves module
        # (2: renditions moved to core), the version changes, so a deploy reads
        # none of the old entries instead of failing to unpickle each once.
        "VERSION": 2,
        "OPTIONS": {
            "socket_timeout": REDIS_TIMEOUT,
            "socket_connect_timeout": REDIS_TIMEOUT,
        },
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins: five wrong passwords lock that username *from that address* for 15
# minutes. Addresses come from REMOTE_ADDR, so a forged X-Forwarded-For changes
# nothing; behind a proxy, DJANGO_TRUSTED_PROXY_COUNT says how many hops to trust.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("DJANGO_LOCKOUT_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
_trusted_proxies = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
if _trusted_proxies:
    AXES_IPWARE_PROXY_COUNT = _trusted_proxies
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The newsroom's own clock: publication dates in URLs and on pages are in this zone.
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Media (photos, lead images, their renditions): a local folder by default, which
# several app servers must share (a mounted volume), or an S3-compatible bucket
# through django-storages when NEWSROOM_S3_BUCKET is set. boto3 reads the
# credentials itself (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or an instance role).
S3_BUCKET = os.environ.get("NEWSROOM_S3_BUCKET", "")


def s3_client_config():
    """botocore's client settings for the bucket: NEWSROOM_S3_TIMEOUT seconds at
    most to connect and for each read, one retry."""
    from botocore.config import Config

    seconds = float(os.environ.get("NEWSROOM_S3_TIMEOUT", "5"))
    return Config(
        connect_timeout=seconds,
        read_timeout=seconds,
        retries={"max_attempts": 2, "mode": "standard"},
    )


if S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("NEWSROOM_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("NEWSROOM_S3_REGION") or None,
            "custom_domain": os.environ.get("NEWSROOM_S3_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("NEWSROOM_S3_PREFIX", "media"),
            "querystring_auth": False,  # published photos are public
            "file_overwrite": False,
            # Bounded waits (boto's own: 60 s each, retried): a hung bucket must
            # not hold a worker making a page's renditions.
            "client_config": s3_client_config(),
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploads: photos and lead images only (core/uploads.py checks them).
NEWSROOM_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Pixels counted over all the frames of an animation, and frames capped: a small
# GIF can hold hundreds of full-size frames, each decoded to re-encode it.
NEWSROOM_MAX_IMAGE_PIXELS = 40_000_000
NEWSROOM_MAX_IMAGE_FRAMES = 100
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security. Production defaults are strict; a deployment behind a TLS-terminating
# proxy sets DJANGO_SECURE_PROXY_SSL_HEADER=1.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers check over plain HTTP
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The Content-Security-Policy (django-csp). No page has an inline script (the
# JSON-LD blocks are data, not run), so no nonce: a nonce would also differ on every
# response, which the page cache and Varnish serve to many readers. Inline styles
# stay allowed: the admin sets style attributes, and the error pages carry theirs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "style-src": [SELF, UNSAFE_INLINE],
        "script-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Request ids (django-guid): the proxy's X-Request-ID when it is a UUID (nginx's
# $request_id is one), else a new one; sent back on the response, so a reader's
# error report can be matched to the server's log lines.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    "UUID_LENGTH": 32,
    "UUID_FORMAT": "hex",
}

# Logs go to stdout, one JSON object a line in production (python-json-logger;
# plain text when debugging), each with the request id.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {
            "()": "django_guid.log_filters.CorrelationId",
            "correlation_id_field": "request_id",
        }
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "exc_info": "exception",
            },
        },
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
    },
    # django-guid logs at INFO whether each request brought its id.
    "loggers": {"axes": {"level": "WARNING"}, "django_guid": {"level": "WARNING"}},
}

# Newsroom's own settings.
# How long /healthz waits for each dependency before it reports "timeout".
NEWSROOM_HEALTH_TIMEOUT = float(os.environ.get("NEWSROOM_HEALTH_TIMEOUT", "2"))
# What /healthz needs "ok" to answer 200: the database by default. Not the cache:
# without it pages are rendered fresh, slower but served, and a Redis outage must
# not take every app server out of rotation. "none" keeps app servers in through
# a database outage too, serving cached and stale pages.
NEWSROOM_HEALTH_REQUIRED = [
    name
    for name in env_list("NEWSROOM_HEALTH_REQUIRED", default=["database"])
    if name != "none"
]
if not set(NEWSROOM_HEALTH_REQUIRED) <= {"database", "cache"}:
    raise ImproperlyConfigured(
        'NEWSROOM_HEALTH_REQUIRED names "database" and "cache" only, not '
        f"{NEWSROOM_HEALTH_REQUIRED!r}"
    )
# Whole pages for anonymous readers; a change makes fresh the pages that show what it
# changed, at once (`core.cache_keys`).
# On by default only with a shared cache (Redis): each gunicorn worker has its own
# local-memory cache, so one worker could not tell the others that a page went stale.
NEWSROOM_PAGE_CACHE_SECONDS = int(
    os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", "300" if REDIS_URL else "0")
)
# How long shared caches (Varnish, a CDN) keep a reader's page: its `s-maxage`.
# Pages carry keys (`core.cache_keys`), purged after every change, so this
# bounds only what a lost purge could leave; search results carry no keys and are
# kept NEWSROOM_SEARCH_SHARED_MAX_AGE.
NEWSROOM_SHARED_MAX_AGE = int(os.environ.get("NEWSROOM_SHARED_MAX_AGE", "300"))
NEWSROOM_SEARCH_SHARED_MAX_AGE = int(
    os.environ.get("NEWSROOM_SEARCH_SHARED_MAX_AGE", "30")
)
# How long a worker trusts a page it checked against its keys' generations and serves
# it from its own memory without asking Redis; a request that changes content waits
# this long before it answers, so no reader sees the old page after it returns. 0 asks
# every time.
NEWSROOM_PAGE_CACHE_LEASE_SECONDS = float(
    os.environ.get("NEWSROOM_PAGE_CACHE_LEASE_SECONDS", "0.2" if REDIS_URL else "0")
)
# How long each page's last good copy is kept, served when the database cannot
# render the page afresh (core/page_cache.py).
NEWSROOM_PAGE_CACHE_STALE_SECONDS = int(
    os.environ.get("NEWSROOM_PAGE_CACHE_STALE_SECONDS", "3600")
)
# Pages each worker holds in its own memory (about 30 KB each).
NEWSROOM_PAGE_CACHE_LOCAL_PAGES = int(
    os.environ.get("NEWSROOM_PAGE_CACHE_LOCAL_PAGES", "1000")
)
# Memory each worker gives to its own copies of the Redis entries whose keys name
# their content (renditions, linked story bodies: `core.cache`), and how long it
# keeps one at most. Off without Redis: local memory is already the worker's own.
NEWSROOM_WORKER_CACHE_MB = float(
    os.environ.get("NEWSROOM_WORKER_CACHE_MB", "32" if REDIS_URL else "0")
)
NEWSROOM_WORKER_CACHE_SECONDS = float(
    os.environ.get("NEWSROOM_WORKER_CACHE_SECONDS", "300")
)
# The cache tier in front of the app (Varnish nodes, a CDN's purge endpoint):
# comma-separated URLs, each sent a PURGE with the keys an editorial change touched,
# after it commits (core/purge.py). Empty: no tier. Each request waits
# NEWSROOM_PURGE_TIMEOUT seconds at most, NEWSROOM_PURGE_ATTEMPTS times.
NEWSROOM_PURGE_URLS = env_urls("NEWSROOM_PURGE_URLS")
NEWSROOM_PURGE_TIMEOUT = float(os.environ.get("NEWSROOM_PURGE_TIMEOUT", "2"))
NEWSROOM_PURGE_ATTEMPTS = max(1, int(os.environ.get("NEWSROOM_PURGE_ATTEMPTS", "3")))
# `make bench` only: route the bare "hello" view it measures real pages against, and
# the replay of each page's SQL, which it records in NEWSROOM_BENCHMARK_SQL_FILE.
NEWSROOM_BENCHMARK_VIEWS = env_bool("NEWSROOM_BENCHMARK_VIEWS", default=False)
NEWSROOM_BENCHMARK_SQL_FILE = os.environ.get("NEWSROOM_BENCHMARK_SQL_FILE", "")
NEWSROOM_NAME = os.environ.get("NEWSROOM_NAME", "Newsroom")
# The publisher's logo in a story's JSON-LD: a static file (a plain mark, the
# name is given beside it) and its size in pixels, "WIDTHxHEIGHT".
NEWSROOM_LOGO = os.environ.get("NEWSROOM_LOGO", "img/logo.png")
NEWSROOM_LOGO_SIZE = tuple(
    int(side) for side in os.environ.get("NEWSROOM_LOGO_SIZE", "192x192").split("x")
)
ARTICLES_PER_PAGE = 20
TAGGIT_CASE_INSENSITIVE = True
TAGGIT_TAGS_FROM_STRING = "core.tags.parse_tags"
# Where `load_demo` keeps the demo editor's login for `make run` (git-ignored).
NEWSROOM_DEMO_LOGIN_FILE = BASE_DIR / ".demo-login"
