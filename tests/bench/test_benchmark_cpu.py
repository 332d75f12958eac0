"""The benchmark's CPU accounting (`benchmarks.cpu`): what each side of a request
costs, read from /proc around a load run."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.cpu import cpu_seconds, per_request_ms

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="Linux")

BURN = """
import time
end = time.process_time() + 0.3
while time.process_time() < end:
    pass
time.sleep(30)
"""


@pytest.fixture
def app_server():
    """A stand-in app server: a parent process whose child burns 0.3 s of CPU."""
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import subprocess, sys; subprocess.run([sys.executable, '-c', {BURN!r}])",
        ],
        start_new_session=True,
    )
    yield parent
    os.killpg(parent.pid, signal.SIGKILL)  # the worker too
    parent.wait()


@needs_proc
def test_cpu_used_by_an_app_servers_workers_counts_on_the_app_side(app_server):
    start = cpu_seconds(app_server.pid)
    deadline = time.monotonic() + 10
    while cpu_seconds(app_server.pid)["app"] - start["app"] < 0.25:
        assert time.monotonic() < deadline, "the worker's CPU never showed"
        time.sleep(0.05)


@needs_proc
def test_a_server_that_is_not_running_used_no_cpu():
    assert cpu_seconds(4_000_000_000)["app"] == 0


def test_per_request_divides_each_sides_cpu_among_the_requests():
    used = {"app": 0.5, "database": 0.1}

    assert per_request_ms(used, 100) == {"app": 5.0, "database": 1.0}


def test_per_request_with_no_requests_is_zero_not_a_division_error():
    assert per_request_ms({"app": 1.0}, 0) == {"app": 0.0}
