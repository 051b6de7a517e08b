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

from scrapy import signals

from core.schema import CrawlRun, now_iso
from crawler.storage import SPILL_FILE_STAT, CrawlStorage

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
    def __init__(self, storage: CrawlStorage, stats):
        self.storage = storage
        self.stats = stats
        self.run: dict | None = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(CrawlStorage.of(crawler), crawler.stats)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        started = now_iso()
        args = {k: _plain(v) for k, v in (getattr(spider, "run_args", None) or {}).items() if v not in (None, [], "")}
        run = CrawlRun(id=f"{spider.name}:{started}", spider=spider.name, started_at=started, args=args)
        self.run = asdict(run)
        self.storage.run_id = run.id
        self.storage.write("crawl_run", [self.run])

    def spider_closed(self, spider, reason):
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
        self.run.update(finished_at=now_iso(), status="finished" if finished else "partial",
                        counts=run_counts(stats), errors=errors)
        self.storage.write("crawl_run", [self.run])


def run_counts(stats: dict) -> dict:
    """The figures a crawl run keeps: pages, items, stored docs, blocks and errors."""
    return {k: v for k, v in stats.items() if isinstance(v, (int, float)) and k.startswith(KEPT_STATS)}
