"""`yuqing schedule`: run the configured crawl jobs for ever (the docker-compose crawler service).

    yuqing schedule                          # the jobs of $YUQING_JOBS_FILE (default yuqing/jobs.yaml)
    yuqing schedule --jobs my-jobs.yaml --run-now
    yuqing schedule --once                   # every job once, in order, then exit (worst exit code)
"""

from __future__ import annotations

import logging
import signal
from pathlib import Path

import typer

from core.config import Settings

logger = logging.getLogger("yuqing.schedule")


def schedule(
    jobs: Path | None = typer.Option(None, "--jobs", metavar="FILE", help="Jobs YAML (default: $YUQING_JOBS_FILE, "
                                     "else yuqing/jobs.yaml). Example: --jobs /etc/yuqing/jobs.yaml"),
    run_now: bool = typer.Option(False, "--run-now", help="Start every job once right away, then on its schedule."),
    once: bool = typer.Option(False, "--once", help="Run every job once, one after another, and exit with the "
                              "worst exit code (for cron or a quick check of the jobs file)."),
    log_dir: Path | None = typer.Option(None, "--log-dir", metavar="DIR", help="Append each job's output to "
                                        "DIR/<job>.log instead of this process's output. Example: --log-dir logs"),
    migrate: bool = typer.Option(False, "--migrate", help="First run `yuqing index migrate` (retried while "
                                 "Elasticsearch is still starting), as the docker-compose crawler service does."),
    store: str | None = typer.Option(None, "--store", help="Store URL the jobs crawl into (default: $YUQING_STORE)."),
) -> None:
    """Run crawl jobs on their cron or interval schedule: one run at a time per job, a failing job
    logged and retried at its next time, SIGTERM or Ctrl-C stops cleanly (a running crawl closes
    its spider and writes its run record)."""
    import os

    from yuqing.scheduling import JOBS_FILE, JobRunner, JobsError, load_jobs

    settings = Settings().with_options(store=store)
    path = jobs or settings.jobs_file or JOBS_FILE
    try:
        loaded = load_jobs(path)
    except JobsError as exc:
        raise typer.BadParameter(str(exc), param_hint="--jobs") from None
    env = {**os.environ, "YUQING_STORE": settings.store}
    runner = JobRunner(env=env, log_dir=log_dir)
    if migrate:
        _migrate(runner)

    if once:
        codes = [runner.run(job) for job in loaded]
        raise typer.Exit(code=max((c for c in codes if c > 0), default=0 if all(c == 0 for c in codes) else 1))

    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = BlockingScheduler(job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 3600},
                                  executors={"default": {"type": "threadpool", "max_workers": max(2, len(loaded))}})
    from datetime import datetime

    for job in loaded:
        first = {"next_run_time": datetime.now().astimezone()} if run_now else {}
        scheduler.add_job(runner.run, job.trigger(), args=[job], id=job.name, name=job.name, **first)
        logger.info("job %s: `yuqing %s` %s", job.name, " ".join(job.args),
                    f"cron {job.cron!r} (Beijing time)" if job.cron else f"every {job.interval_s}s"
                    + (f", jitter {job.jitter_s}s" if job.jitter_s else ""))

    def _stop(signum, _frame):
        logger.info("schedule: %s received; stopping", signal.Signals(signum).name)
        runner.stop()
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    logger.info("schedule: %d jobs from %s", len(loaded), path)
    scheduler.start()  # blocks until _stop
    logger.info("schedule: stopped")


# Elasticsearch may still be electing a master when the container starts: 10 tries, 10 s apart.
MIGRATE_TRIES, MIGRATE_WAIT_S = 10, 10


def _migrate(runner) -> None:
    import time

    from yuqing.scheduling import Job

    job = Job("migrate", ("index", "migrate"), interval_s=1)
    for attempt in range(1, MIGRATE_TRIES + 1):
        if runner.run(job) == 0:
            return
        if attempt < MIGRATE_TRIES:
            time.sleep(MIGRATE_WAIT_S)
    logger.warning("schedule: index migrate kept failing; crawling anyway (the store creates missing indices)")


def register(app: typer.Typer) -> None:
    app.command("schedule")(schedule)
