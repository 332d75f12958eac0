"""A real varnishd for the tests: started with its own working directory on a free
port (in the foreground, in a subprocess), in front of a backend of the test's
choice, stopped after. Skips when varnishd or the xkey vmod is missing."""

import http.client
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsroom.varnish import render
from tests.fault_servers import free_port, wait_for_port

VARNISHD = shutil.which("varnishd") or shutil.which("/usr/sbin/varnishd")
TIMEOUT = 5  # seconds, for every request a test sends


class Varnish:
    def __init__(self, backend: str, purge_acl: str = "127.0.0.1 ::1", port=None):
        self.backend, self.purge_acl = backend, purge_acl
        self.port = port or free_port()
        self.workdir = tempfile.mkdtemp(prefix="newsroom-varnish-")
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Varnish":
        vcl = Path(self.workdir) / "newsroom.vcl"
        vcl.write_text(render(self.backend, self.purge_acl))
        self.process = subprocess.Popen(
            [VARNISHD, "-F", "-j", "none", "-n", self.workdir, "-f", str(vcl)]
            + ["-a", f"127.0.0.1:{self.port}", "-T", "none", "-s", "malloc,32m"]
            + ["-p", "thread_pools=1", "-p", "thread_pool_min=10"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_for_port(self.port, self.process)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def _processes(self) -> list[int]:
        """The manager and its child (which serves)."""
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        return [self.process.pid, *map(int, children)]

    def freeze(self) -> None:
        """Unreachable but keeping its cache, as behind a network partition."""
        for pid in self._processes():
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self._processes():
            os.kill(pid, signal.SIGCONT)

    def cleanup(self) -> None:
        if self.process is not None:
            self.thaw()
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def request(self, method="GET", path="/", headers=None, body=None):
        """(status, headers as a dict of lowercase names, body text)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            text = response.read().decode()
            found = {name.lower(): value for name, value in response.getheaders()}
            return response.status, found, text
        finally:
            connection.close()

    def purge(self, keys: str, hard=True, headers=None):
        header = "xkey-purge" if hard else "xkey-softpurge"
        return self.request("PURGE", "/", {header: keys, **(headers or {})})


def _xkey_missing() -> str | None:
    if VARNISHD is None:
        return "varnishd is not installed (Debian: apt-get install varnish)"
    with tempfile.TemporaryDirectory() as workdir:
        vcl = Path(workdir) / "check.vcl"
        vcl.write_text(render())
        compiled = subprocess.run(
            [VARNISHD, "-C", "-j", "none", "-n", workdir, "-f", str(vcl)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    if compiled.returncode != 0:
        return "the xkey vmod is missing (Debian: apt-get install varnish-modules)"
    return None


@pytest.fixture(scope="session")
def varnish_ready():
    missing = _xkey_missing()
    if missing:
        pytest.skip(missing)


@pytest.fixture
def start_varnish(varnish_ready):
    """start_varnish(backend="host:port", purge_acl=...) -> a running Varnish."""
    started = []

    def start(backend, purge_acl="127.0.0.1 ::1", port=None):
        varnish = Varnish(backend, purge_acl, port)
        started.append(varnish)
        return varnish.start()

    yield start
    for varnish in started:
        varnish.cleanup()


class Backend:
    """A tiny app: each path answers its version (bumped by `change`) with the
    headers given, and the requests it saw are counted."""

    def __init__(self):
        self.pages: dict[str, dict] = {}
        self.hits: dict[str, int] = {}
        self.seen: list[tuple[str, str, dict]] = []
        self.versions: dict[str, int] = {}
        self.delays: dict[str, float] = {}  # seconds a path takes to answer
        self.statuses: dict[str, int] = {}  # 200 unless set
        self.lock = threading.Lock()
        backend = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def answer(self):
                path = self.path.split("?")[0]
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                with backend.lock:
                    backend.hits[path] = backend.hits.get(path, 0) + 1
                    backend.seen.append((self.command, self.path, dict(self.headers)))
                    version = backend.versions.get(path, 1)
                headers = backend.pages.get(path, {})
                time.sleep(backend.delays.get(path, 0))
                body = f"{path} version {version}".encode()
                self.send_response(backend.statuses.get(path, 200))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_HEAD = do_POST = answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def page(self, path, keys="", seconds=60, **headers):
        self.pages[path] = {
            "Cache-Control": f"public, max-age=0, s-maxage={seconds}",
            "xkey": keys,
            "Surrogate-Key": keys,
            "Cache-Tag": keys.replace(" ", ","),
            **headers,
        }

    def change(self, path):
        with self.lock:
            self.versions[path] = self.versions.get(path, 1) + 1

    def hits_of(self, path) -> int:
        with self.lock:
            return self.hits.get(path, 0)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def backend():
    server = Backend()
    yield server
    server.close()


@pytest.fixture
def varnish(start_varnish, backend):
    return start_varnish(backend.address)
