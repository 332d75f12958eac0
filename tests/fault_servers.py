"""Servers of a test's own, to stop and freeze: a Redis and a PostgreSQL cluster on
free high ports, never the shared ones. Each fixture skips when its binaries are
missing, and cleans up whatever state the test left its server in."""

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

STARTUP_SECONDS = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process=None) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"server on port {port} exited at start-up")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"nothing listens on port {port}")


class OwnServer:
    """A server process the test may stop (SIGSTOP) and let go on (SIGCONT)."""

    def __init__(self, port: int, pid: int):
        self.port = port
        self.pid = pid

    def freeze(self) -> None:
        os.kill(self.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.pid, signal.SIGCONT)


@pytest.fixture
def own_redis():
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--daemonize", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        server = OwnServer(port, process.pid)
        server.url = f"redis://127.0.0.1:{port}/0"
        yield server
    finally:
        process.send_signal(signal.SIGCONT)
        process.terminate()
        process.wait(timeout=10)


def _postgresql_binaries() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as `postgres` then."""
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        pytest.skip("running as root without runuser")
    return ["runuser", "-u", "postgres", "--", *command]


@pytest.fixture
def own_postgresql():
    """A fresh PostgreSQL cluster (trust login as `postgres`), started on a free
    port; `server.stop()` shuts it down, `freeze()` stops its postmaster."""
    binaries = _postgresql_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL's server binaries are not installed")
    folder = tempfile.mkdtemp(prefix="newsroom-own-pg-")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data = os.path.join(folder, "data")
    port = free_port()
    pg_ctl = os.path.join(binaries, "pg_ctl")
    run = {"check": True, "capture_output": True, "timeout": 60}
    try:
        subprocess.run(
            _as_postgres(
                [os.path.join(binaries, "initdb"), "-D", data, "-A", "trust"]
                + ["-U", "postgres", "--no-sync", "-E", "UTF8"]
            ),
            **run,
        )
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off"
        subprocess.run(
            _as_postgres([pg_ctl, "-D", data, "-o", options, "-w"])
            + ["-l", os.path.join(folder, "log"), "start"],
            **run,
        )
        with open(os.path.join(data, "postmaster.pid")) as pid_file:
            server = OwnServer(port, int(pid_file.readline()))
        server.url = f"postgres://postgres@127.0.0.1:{port}/postgres"

        def stop():
            subprocess.run(
                _as_postgres([pg_ctl, "-D", data, "-m", "immediate", "stop"]),
                capture_output=True,
                timeout=30,
            )

        server.stop = stop
        yield server
    finally:
        try:
            os.kill(server.pid, signal.SIGCONT)
        except (NameError, ProcessLookupError):
            pass
        else:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def production_environment(database_url, redis_url, **settings) -> dict:
    """The environment of a process with production settings on `database_url` and
    `redis_url`, nothing inherited from this one's project settings."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NEWSROOM_", "DATABASE_", "REDIS_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_SECRET_KEY="fault-test-key",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="CRITICAL",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        NEWSROOM_HEALTH_TIMEOUT="1",
        **settings,
    )
    return environment
