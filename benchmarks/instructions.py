"""Instructions the app server runs per request, counted by valgrind's callgrind.

Requests per second on these shared machines move by half between runs of the
same code; the instructions a request costs do not. Each page is requested through
the same WSGI handler gunicorn calls, in a process run under
`valgrind --tool=callgrind` with counting off until the pages are warm (templates
compiled, statements prepared, caches filled), then on for `--requests` requests
of random rows. Same code, same rows: the same count within a fraction of a
percent, whatever else the machine is doing. It counts the app's side only (the
database's work is another process), and instructions, not cache misses or waits.

    python -m benchmarks.instructions --urls urls.json   # from benchmarks.web
"""

import argparse
import gc
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PAGES = ["hello", "front", "article", "person", "race", "tag"]
HEADERS = {"HTTP_X_FORWARDED_PROTO": "https"}  # as benchmarks.web sends


def available() -> bool:
    return bool(shutil.which("valgrind") and shutil.which("callgrind_control"))


def per_request(urls: dict[str, list[str]], env: dict, requests=60) -> dict:
    """{page: instructions per request} for each of `PAGES` in `urls`; each page
    in a process of its own under callgrind, the same random rows every run."""
    results = {}
    with tempfile.TemporaryDirectory() as workdir:
        url_file = Path(workdir) / "urls.json"
        url_file.write_text(json.dumps(urls))
        for page in PAGES:
            if page not in urls:
                continue
            out = Path(workdir) / f"{page}.out"
            subprocess.run(
                ["valgrind", "--tool=callgrind", "--instr-atstart=no",
                 f"--callgrind-out-file={out}", sys.executable, "-m",
                 "benchmarks.instructions", "--urls", str(url_file), "--page", page,
                 "--requests", str(requests)],
                # One hash seed: sets and dicts of strings in the same order.
                env={**env, "PYTHONHASHSEED": "0"}, check=True, capture_output=True,
            )  # fmt: skip
            # Dump 1: the requests, with switching counting on and off around
            # them; dump 2: the switching alone.
            measured = _totals(Path(f"{out}.1")) - _totals(Path(f"{out}.2"))
            results[page] = round(measured / requests)
    return results


def _totals(path: Path) -> int:
    for line in path.read_text().splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise RuntimeError(f"No totals in {path}")


def _callgrind(*args):
    subprocess.run(["callgrind_control", *args, str(os.getpid())], check=True,
                   capture_output=True)  # fmt: skip


def _measure(urls: list[str], requests: int) -> None:
    """In the process under callgrind: warm up, then count `requests` requests."""
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()

    def get(path):
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000", "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
            "wsgi.multithread": False, "wsgi.multiprocess": True,
            "wsgi.run_once": False, **HEADERS,
        }  # fmt: skip
        statuses = []
        b"".join(
            app(environ, lambda status, headers, exc=None: statuses.append(status))
        )
        if not statuses[0].startswith("200"):
            raise RuntimeError(f"{path}: {statuses[0]}")

    for _ in range(2):
        for url in urls:
            get(url)
    # As the app server does once it has loaded (`newsroom.wsgi`): what the start-up
    # and the warm-up left is collected and frozen, so no full collection of it
    # falls among the counted requests.
    gc.collect()
    gc.freeze()
    rng = random.Random(2017)
    chosen = [rng.choice(urls) for _ in range(requests)]
    _callgrind("--zero")
    _callgrind("--instr=on")
    for url in chosen:
        get(url)
    _callgrind("--instr=off")
    _callgrind("--dump=requests")
    # The same switching with nothing between: what the calls themselves cost
    # (a process started each time), taken off the requests' count.
    _callgrind("--instr=on")
    _callgrind("--instr=off")
    _callgrind("--dump=switching")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=Path, required=True)
    parser.add_argument("--page", required=True)
    parser.add_argument("--requests", type=int, default=60)
    options = parser.parse_args()
    urls = json.loads(options.urls.read_text())[options.page]
    _measure(urls, options.requests)


if __name__ == "__main__":
    main()
