"""Where a request's CPU goes: the app server or the database.

Throughput on a 2-core machine that runs gunicorn, PostgreSQL and the load tool is
bounded by the CPU each request costs all of them. Read around each wrk run, these
counters split that cost between the app server (gunicorn's master and workers) and
the database (local `postgres` processes), so the benchmark can say how much of a
page's budget is Python and how much the database, and what a share of the hello
view leaves for each.

Linux only (from /proc); elsewhere, or with a database on another machine, the
missing side reads as 0 and the report leaves it out.
"""

import os
from pathlib import Path

PROC = Path("/proc")


def _stat(pid: int) -> tuple[str, int, float] | None:
    """(command name, parent pid, CPU seconds used) of a live process."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:  # gone, or no /proc
        return None
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    ticks = os.sysconf("SC_CLK_TCK")
    # Fields after the name: state, ppid, ..., utime (12th) and stime (13th).
    return name, int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks


def cpu_seconds(app_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the app server (`app_pid` and its children) and
    by the local database's processes."""
    used = {"app": 0.0, "database": 0.0}
    if not PROC.is_dir():
        return used
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        if stat is None:
            continue
        name, parent, seconds = stat
        if int(entry.name) == app_pid or parent == app_pid:
            used["app"] += seconds
        elif name.startswith("postgres"):
            used["database"] += seconds
    return used


def per_request_ms(used: dict[str, float], requests: int) -> dict[str, float]:
    """CPU milliseconds per request on each side, from the seconds `used` by all."""
    if requests <= 0:
        return dict.fromkeys(used, 0.0)
    return {side: round(seconds * 1000 / requests, 3) for side, seconds in used.items()}
