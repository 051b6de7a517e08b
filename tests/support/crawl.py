"""Run a real Scrapy crawl from a test, in a subprocess.

Twisted's reactor cannot be restarted inside one process, so every crawl a test makes is
``python -m scrapy crawl SPIDER`` in a child process, run from the repository root (where
``scrapy.cfg`` is) with the project's own settings plus the overrides given here. Shared
by the gov, weibo and news spider tests:

    result = run_crawl("gov", {"start_urls": ",".join(web.gov_start_urls())},
                       store_url=f"sqlite:///{tmp_path / 'crawl.db'}")
    assert result.returncode == 0, result.stderr
    result.stats["item_scraped_count"]

``store_url=None`` runs without the storing pipelines and writes a JSON-lines feed instead
(``result.items``), for spiders whose downstream is not ready or not under test.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]

# One author key for every crawl of the test session (so hashes agree across a test's crawls),
# random like an installation's: no salt file is written into the repository.
SESSION_AUTHOR_SALT = secrets.token_hex(32)
# What every test crawl overrides: no politeness delays against 127.0.0.1, no progress lines.
TEST_SETTINGS: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "YUQING_PROGRESS_INTERVAL": 0,
    "RETRY_TIMES": 1,
    "YUQING_RETRY_BACKOFF_BASE": 0.05,  # a real wait, kept short
    "DOWNLOAD_TIMEOUT": 20,
    "LOG_LEVEL": "INFO",
    "TELNETCONSOLE_ENABLED": False,
}
# Generous: a crawl of the whole offline web takes a few seconds; a hang must not stall CI.
CRAWL_TIMEOUT_SECONDS = 240
STATS_EXTENSION = "tests.support.crawl.StatsToFile"


class StatsToFile:
    """A test-only Scrapy extension: the crawl's final stats as JSON in
    ``YUQING_TEST_STATS_FILE`` (what the parent process reads back)."""

    def __init__(self, stats, path: str):
        self.stats = stats
        self.path = path

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        path = crawler.settings.get("YUQING_TEST_STATS_FILE")
        if not path:
            raise NotConfigured("no stats file")
        ext = cls(crawler.stats, path)
        # engine_stopped comes after spider_closed, when every stat has its final value.
        crawler.signals.connect(ext.stopped, signal=signals.engine_stopped)
        return ext

    def stopped(self):
        stats = dict(self.stats.get_stats())
        Path(self.path).write_text(json.dumps(stats, default=str, ensure_ascii=False), encoding="utf-8")


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str
    stats: dict[str, Any] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)

    def stat(self, key: str, default: Any = 0) -> Any:
        return self.stats.get(key, default)


def run_crawl(spider: str, args: dict[str, Any] | None = None, store_url: str | None = None,
              extra_settings: dict[str, Any] | None = None, env: dict[str, str] | None = None,
              feed: Path | None = None, workdir: Path | None = None) -> CrawlResult:
    """Crawl ``spider`` with spider arguments ``args`` to completion in a child process.

    ``store_url``: the store the pipelines write to (``sqlite:///…``); None switches the
    item pipelines off; items are then read from a JSON-lines feed (``feed``, default
    ``workdir/items.jl``). ``extra_settings`` override the project's Scrapy settings (after
    ``TEST_SETTINGS``); ``env`` adds environment variables (``YUQING_*``). ``workdir`` (default:
    a temporary folder removed afterwards) receives the stats file and the feed.
    """
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="yuqing-crawl-") as scratch:
            return run_crawl(spider, args, store_url, extra_settings, env, feed, Path(scratch))
    command, child_env, stats_file, feed = crawl_command(spider, args, store_url, extra_settings, env, feed, workdir)
    done = subprocess.run(command, cwd=REPO_ROOT, env=child_env, capture_output=True, text=True,
                          timeout=CRAWL_TIMEOUT_SECONDS)
    return crawl_result(done.returncode, done.stdout, done.stderr, stats_file, feed if store_url is None else None)


def crawl_result(returncode: int, stdout: str, stderr: str, stats_file: Path, feed: Path | None) -> CrawlResult:
    stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.exists() else {}
    result = CrawlResult(returncode, stdout, stderr, stats)
    if feed is not None and feed.exists():
        result.items = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines() if line.strip()]
    return result


def crawl_command(spider: str, args: dict[str, Any] | None, store_url: str | None,
                  extra_settings: dict[str, Any] | None, env: dict[str, str] | None, feed: Path | None,
                  workdir: Path) -> tuple[list[str], dict[str, str], Path, Path | None]:
    """The child's command line, environment, stats file and feed (for tests that start the
    child themselves, e.g. to kill it)."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    stats_file = workdir / f"{spider}-stats.json"
    stats_file.unlink(missing_ok=True)
    settings = {**TEST_SETTINGS, "YUQING_TEST_STATS_FILE": str(stats_file), **(extra_settings or {})}
    # -s EXTENSIONS replaces the project's dict, so start from it.
    from crawler import settings as project_settings

    settings["EXTENSIONS"] = {**project_settings.EXTENSIONS, STATS_EXTENSION: 0, **settings.get("EXTENSIONS", {})}
    command = [sys.executable, "-m", "scrapy", "crawl", spider]
    for key, value in (args or {}).items():
        command += ["-a", f"{key}={value}"]
    if store_url is None:
        settings["ITEM_PIPELINES"] = {}
        feed = Path(feed or workdir / "items.jl")
        command += ["-O", f"{feed}:jsonlines"]
    child_env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings", "YUQING_AUTHOR_SALT": SESSION_AUTHOR_SALT,
                 "PYTHONPATH": str(REPO_ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    # Without a store for the documents, the crawl's own records (its run, what the incremental
    # fetching learnt) go to a file of this workdir: never the checkout's data/yuqing.db, where
    # one crawl's state made the next crawl of the same pages stop early (826 pages, then 79).
    settings["YUQING_STORE"] = store_url or f"sqlite:///{workdir.resolve() / 'crawl-state.db'}"
    child_env.update(env or {})
    for key, value in settings.items():
        command += ["-s", f"{key}={json.dumps(value) if isinstance(value, (dict, list)) else value}"]
    return command, child_env, stats_file, feed
