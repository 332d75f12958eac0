"""The fault run's election-night outage, for real: production settings, a Redis
page cache and a PostgreSQL cluster of the test's own, an editor's save just before
the database stops. Readers keep the pages they had (stale); a page never rendered
gets a 503 with Retry-After, and so does the health check."""

import json
import select
import subprocess
import sys
from pathlib import Path

from tests.fault_servers import production_environment

ROOT = Path(__file__).resolve().parents[2]
READER = """
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.test import Client, override_settings
# Static files unhashed: no collectstatic before this run.
override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}).enable()
call_command("migrate", verbosity=0)
from articles.models import Article
from core.page_cache import wait_for_readers
from tests.factories import ArticleFactory

story = ArticleFactory(headline="Ossoff forces a runoff")
reader = Client(raise_request_exception=False)
for path in ("/", story.get_absolute_url()):
    reader.get(path)
ArticleFactory(headline="Saved just before the outage")
wait_for_readers()
print("ready", flush=True)
sys.stdin.readline()  # the database is stopped meanwhile
seen = {}
for name, path in [("front", "/"), ("story", story.get_absolute_url()),
                   ("never rendered", "/races/"), ("health", "/healthz")]:
    response = reader.get(path)
    seen[name] = [response.status_code, response.get("X-Page-Cache"),
                  response.get("Retry-After"),
                  "Ossoff forces a runoff" in response.content.decode()]
print(json.dumps(seen), flush=True)
"""


def test_a_save_just_before_a_database_outage_leaves_readers_their_pages(
    own_postgresql, own_redis
):
    environment = production_environment(own_postgresql.url, own_redis.url)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        # Ready after its migrations and first pages; never wait without a bound.
        assert select.select([reader.stdout], [], [], 120)[0], "reader hung"
        assert reader.stdout.readline().strip() == "ready"
        own_postgresql.stop()
        output, _ = reader.communicate("go\n", timeout=60)
    finally:
        reader.kill()
    seen = json.loads(output.strip().splitlines()[-1])

    assert seen["front"] == [200, "stale", None, True]
    # The save touched the front page, not the story's: that page is still fresh.
    assert seen["story"] == [200, "hit", None, True]
    assert seen["never rendered"][:3] == [503, None, "30"]
    assert seen["health"][:3] == [503, None, "30"]
