"""Runs whose process died: marked ``interrupted``, so no run says ``running`` forever.

A crawl's run record carries a heartbeat (``heartbeat_at``, renewed every
``heartbeat_every`` seconds by ``crawler/runs.py``) and the process that runs it
(``host:pid``). A process killed with ``kill -9`` cannot close its record; the next crawl
run and ``yuqing serve`` call :func:`mark_interrupted`, which settles a ``running`` record
as ``interrupted`` when its process is gone (same host: the pid no longer exists) or its
heartbeat is older than ``STALE_BEATS`` beats (another host, or a pid reused).
"""

from __future__ import annotations

import errno
import os
import socket
from datetime import datetime, timedelta, timezone
from typing import Callable

from store.base import Query, Store

# Beats a run may miss before it counts as dead: a busy crawl can be late once or twice,
# not five times.
STALE_BEATS = 5
# A record without a heartbeat interval (written before heartbeats existed) is judged by this.
DEFAULT_BEAT_SECONDS = 30.0


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def process_gone(process: str | None) -> bool:
    """True only when ``process`` ("host:pid") is on this host and no longer exists."""
    host, _, pid = (process or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except OSError as exc:
        return exc.errno == errno.ESRCH
    return _zombie(int(pid))


def _zombie(pid: int) -> bool:
    # A killed child not yet reaped by its parent still has a pid; it runs nothing.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _time(value: str | None) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def is_dead(run: dict, now: datetime) -> bool:
    if process_gone(run.get("process")):
        return True
    last = _time(run.get("heartbeat_at")) or _time(run.get("started_at"))
    beat = float(run.get("heartbeat_every") or DEFAULT_BEAT_SECONDS)
    return last is not None and now - last > timedelta(seconds=beat * STALE_BEATS)


def mark_interrupted(store: Store, now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> list[str]:
    """Settle every ``running`` run whose process died as ``interrupted``; their ids."""
    moment = now()
    dead = [run for run in store.iterate("crawl_run", Query(filters={"status": "running"}, highlight=False))
            if is_dead(run, moment)]
    for run in dead:
        last = run.get("heartbeat_at") or run["started_at"]
        run.update(status="interrupted", finished_at=last,
                   errors=[*run.get("errors", []),
                           f"interrupted: the crawl process stopped without closing its run (last heartbeat {last}); "
                           "what it stored before is kept, a new run picks up the rest"])
    if dead:
        store.upsert("crawl_run", dead)
    return [run["id"] for run in dead]
