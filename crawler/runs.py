"""The record of each crawl run: opened when the spider opens, completed when it closes.

A Scrapy extension, not a pipeline: it follows the spider's life (``spider_opened`` /
``spider_closed``), not items. The run's arguments are the spider's ``run_args`` (every
spider sets them; never cookies or credentials), its figures come from the crawl's stats,
and it is written through the crawl's one storage (``crawler/storage.py``), so a run whose
store is down is spilled like its documents.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import logging
import os

from scrapy import signals
from twisted.internet import task

from core.schema import CrawlRun, now_iso
from crawler.storage import SPILL_FILE_STAT, UNSAVED_STAT_PREFIX, CrawlStorage
from store.crawl_runs import mark_interrupted, this_process
from store.errors import StoreError

logger = logging.getLogger(__name__)

# Seconds between heartbeats (YUQING_HEARTBEAT_INTERVAL): one small write per half minute
# costs nothing, and a killed crawl is recognised by the next run within minutes even from
# another host (store/crawl_runs.py: five missed beats); on the same host, at once.
HEARTBEAT_INTERVAL = 30.0

# Errors listed in a run's record; the rest are counted in its stats.
MAX_RUN_ERRORS = 100
# Stats that make a run incomplete although it finished: a block, a thread cut short, a
# start URL that failed.
INCOMPLETE_STATS = ("yuqing/coverage/partial_threads", "yuqing/start_failed")
INCOMPLETE_PREFIXES = ("yuqing/blocked",)
# Stats a run record keeps.
KEPT_STATS = ("yuqing/", "item_scraped_count", "item_dropped_count", "response_received_count",
              "downloader/request_count", "log_count/ERROR", "robotstxt/forbidden", "retry/count",
              "spider_exceptions/count")


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


class CrawlRunRecorder:
    def __init__(self, storage: CrawlStorage, stats, heartbeat_interval: float = HEARTBEAT_INTERVAL):
        self.storage = storage
        self.stats = stats
        self.run: dict | None = None
        self.heartbeat_interval = heartbeat_interval
        self._heartbeat: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(CrawlStorage.of(crawler), crawler.stats,
                  heartbeat_interval=crawler.settings.getfloat("YUQING_HEARTBEAT_INTERVAL", HEARTBEAT_INTERVAL))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        started = now_iso()
        args = {k: _plain(v) for k, v in (getattr(spider, "run_args", None) or {}).items() if v not in (None, [], "")}
        self._settle_dead_runs()
        # The process id in the run's id: two crawlers started in the same second keep a run each.
        run = CrawlRun(id=f"{spider.name}:{started}:{os.getpid()}", spider=spider.name, started_at=started,
                       args=args, heartbeat_at=started, heartbeat_every=self.heartbeat_interval,
                       process=this_process())
        self.run = asdict(run)
        self.storage.run_id = run.id
        self.storage.write("crawl_run", [self.run])
        if self.heartbeat_interval > 0:
            self._heartbeat = task.LoopingCall(self.beat)
            self._heartbeat.start(self.heartbeat_interval, now=False)

    def _settle_dead_runs(self) -> None:
        """Earlier runs whose process died (kill -9, a crash) stop saying "running"."""
        try:
            for run_id in mark_interrupted(self.storage.store):
                logger.warning("crawl run %s had stopped without closing (process gone): marked interrupted", run_id)
        except StoreError as exc:
            logger.warning("cannot check earlier crawl runs (store unavailable: %s)", exc)

    def beat(self) -> None:
        """Renew the run's heartbeat; best effort (a store that is down misses a beat, no spill)."""
        if self.run is None:
            return
        self.run["heartbeat_at"] = now_iso()
        try:
            self.storage.store.upsert("crawl_run", [self.run])
        except StoreError:
            pass

    def spider_closed(self, spider, reason):
        if self._heartbeat is not None and self._heartbeat.running:
            self._heartbeat.stop()
        if self.run is None:
            return
        self.storage.flush()  # the run's counts include every document
        stats = self.stats.get_stats()
        errors = [f"{doc_id}: {why}" for doc_id, why in self.storage.report.errors[:MAX_RUN_ERRORS]]
        incomplete = any(v for k, v in stats.items() if k in INCOMPLETE_STATS or k.startswith(INCOMPLETE_PREFIXES))
        spill = stats.get(SPILL_FILE_STAT)
        if spill:
            errors.append(f"store unavailable: documents saved to {spill}")
        finished = reason == "finished" and not errors and not incomplete
        spilled = sum(v for k, v in stats.items()  # documents, not this run's own record
                      if k.startswith(UNSAVED_STAT_PREFIX) and k != f"{UNSAVED_STAT_PREFIX}crawl_run" and isinstance(v, int))
        self.run.update(finished_at=now_iso(), heartbeat_at=now_iso(), status="finished" if finished else "partial",
                        counts=run_counts(stats), errors=errors, spill_file=spill, spilled=spilled)
        self.storage.write("crawl_run", [self.run])


def run_counts(stats: dict) -> dict:
    """The figures a crawl run keeps: pages, items, stored docs, blocks and errors."""
    return {k: v for k, v in stats.items() if isinstance(v, (int, float)) and k.startswith(KEPT_STATS)}
