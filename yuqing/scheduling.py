"""The jobs of `yuqing schedule`: read from YAML, run as `yuqing …` child processes.

Each run is a child process because Twisted's reactor cannot restart inside one process, and
because a crawl that crashes must not take the scheduler with it. APScheduler decides when
(cron or interval triggers, jitter), keeps one run per job at a time (``max_instances=1``) and
folds missed runs into one (``coalesce``); this module says what a run is and logs it.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from core.config import ROOT
from core.vocabulary import BEIJING
from yuqing.exit_codes import BAD_ARGUMENTS, COMPLETE, COMPLETED_WITH_ERRORS, STORE_UNUSABLE

logger = logging.getLogger("yuqing.schedule")

JOBS_FILE = ROOT / "yuqing" / "jobs.yaml"
MEANINGS = {COMPLETE: "complete", COMPLETED_WITH_ERRORS: "completed with errors (see its log)",
            BAD_ARGUMENTS: "bad arguments", STORE_UNUSABLE: "store unusable, nothing crawled"}
_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# `--since -2d` in a job: a date relative to the day the run starts (a fixed date would make
# every later run fetch ever more of the past, a fixed "today" would miss yesterday evening).
_RELATIVE_DAYS = re.compile(r"^-(\d+)d$")
# How long a stopping scheduler lets a running crawl close itself (Scrapy finishes the
# requests in flight and writes its run record) before it is killed.
STOP_GRACE_SECONDS = 60


class JobsError(ValueError):
    """A jobs file that cannot be run; the message names the job and the field."""


@dataclass(frozen=True)
class Job:
    name: str
    args: tuple[str, ...]
    interval_s: int | None = None
    cron: str | None = None
    jitter_s: int = 0

    def trigger(self):
        from apscheduler.triggers.cron import CronTrigger
        from apscheduler.triggers.interval import IntervalTrigger

        if self.cron:
            trigger = CronTrigger.from_crontab(self.cron, timezone=BEIJING)
            trigger.jitter = self.jitter_s or None
            return trigger
        return IntervalTrigger(seconds=self.interval_s, jitter=self.jitter_s or None)

    def command(self, today: date | None = None) -> list[str]:
        """The child's command line, relative dates (``-2d``) resolved."""
        today = today or date.today()
        out = []
        for arg in self.args:
            match = _RELATIVE_DAYS.match(arg)
            out.append((today - timedelta(days=int(match[1]))).isoformat() if match else arg)
        return [sys.executable, "-m", "yuqing.cli", *out]


def parse_duration(value: Any) -> int:
    if isinstance(value, int) and value > 0:
        return value
    match = _DURATION.match(str(value))
    if not match or int(match[1]) == 0:
        raise JobsError(f"interval {value!r} is not a duration such as 30s, 15m, 6h or 1d")
    return int(match[1]) * _UNITS[match[2]]


def load_jobs(path: Path | str = JOBS_FILE) -> list[Job]:
    """The jobs of a YAML file, every field checked (a typo is one clear line, not a crash at 3 am)."""
    from apscheduler.triggers.cron import CronTrigger

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise JobsError(f"cannot read jobs file {path}: {' '.join(str(exc).split())}") from None
    entries = data.get("jobs") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise JobsError(f"jobs file {path} has no `jobs:` list")
    jobs, names = [], set()
    for n, entry in enumerate(entries, 1):
        where = f"{path}: job {entry.get('name', n) if isinstance(entry, dict) else n}"
        if not isinstance(entry, dict) or not entry.get("name"):
            raise JobsError(f"{where} needs a name")
        if entry["name"] in names:
            raise JobsError(f"{where} is named twice")
        names.add(entry["name"])
        args = entry.get("args")
        if not isinstance(args, list) or not args or not all(isinstance(a, (str, int)) for a in args):
            raise JobsError(f"{where} needs `args`, the yuqing command line as a list, e.g. [crawl, gov]")
        if ("cron" in entry) == ("interval" in entry):
            raise JobsError(f"{where} needs exactly one of `cron` or `interval`")
        cron = entry.get("cron")
        if cron is not None:
            try:
                CronTrigger.from_crontab(str(cron), timezone=BEIJING)
            except ValueError as exc:
                raise JobsError(f"{where}: cron {cron!r} is not a five-field crontab line ({exc})") from None
        try:
            interval = parse_duration(entry["interval"]) if "interval" in entry else None
            jitter = int(entry.get("jitter", 0))
        except (JobsError, ValueError) as exc:
            raise JobsError(f"{where}: {exc}") from None
        if jitter < 0:
            raise JobsError(f"{where}: jitter must be 0 or more seconds")
        jobs.append(Job(str(entry["name"]), tuple(str(a) for a in args), interval, cron and str(cron), jitter))
    return jobs


@dataclass
class RunRecord:
    job: str
    code: int
    seconds: float


@dataclass
class JobRunner:
    """Runs one job's command as a child process and logs it; stops children on request."""

    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    cwd: Path = ROOT
    log_dir: Path | None = None  # a log file per job (appended); None: the child inherits stderr
    history: list[RunRecord] = field(default_factory=list)
    _children: dict[str, subprocess.Popen] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)

    def run(self, job: Job) -> int:
        """Run the job once; its exit code (never raises: a failing job must not stop the others)."""
        if self.stopping.is_set():
            return -1
        command = job.command()
        started = time.monotonic()
        logger.info("job %s: starting `yuqing %s`", job.name, " ".join(command[3:]))
        try:
            out = self._log_file(job)
            child = subprocess.Popen(command, cwd=self.cwd, env=self.env, stdout=out, stderr=out)
        except OSError as exc:
            logger.error("job %s: could not start: %s", job.name, exc)
            return -1
        with self._lock:
            self._children[job.name] = child
        try:
            code = child.wait()
        finally:
            with self._lock:
                self._children.pop(job.name, None)
            if out is not None:
                out.close()
        seconds = time.monotonic() - started
        self.history.append(RunRecord(job.name, code, seconds))
        meaning = MEANINGS.get(code, "stopped" if code < 0 else "failed")
        level = logging.INFO if code == COMPLETE else logging.WARNING
        logger.log(level, "job %s: exit %d (%s) after %.1fs", job.name, code, meaning, seconds)
        return code

    def _log_file(self, job: Job):
        if self.log_dir is None:
            return None
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return (self.log_dir / f"{job.name}.log").open("ab")

    def stop(self, grace_s: float = STOP_GRACE_SECONDS) -> None:
        """No new runs; running children get SIGTERM (Scrapy closes the spider cleanly and
        writes its run record), then SIGKILL after ``grace_s``."""
        self.stopping.set()
        with self._lock:
            children = list(self._children.items())
        for name, child in children:
            logger.info("job %s: stopping the running crawl (pid %d)", name, child.pid)
            child.send_signal(signal.SIGTERM)
        for name, child in children:
            try:
                child.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                logger.warning("job %s: did not stop within %ss; killed", name, grace_s)
                child.kill()
