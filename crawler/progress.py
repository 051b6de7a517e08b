"""Progress on long crawls: a line every few seconds with pages, items and problems.

Scheduled jobs read it in their logs; ``yuqing crawl`` also shows it on the terminal.
Switched off with ``YUQING_PROGRESS_INTERVAL = 0``. "stored" counts documents the store has
written; the store pipeline writes in batches, so during a short crawl it trails "items"
and catches up in the final line.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

logger = logging.getLogger("yuqing.progress")


class ProgressReporter:
    def __init__(self, stats, interval: float):
        self.stats = stats
        self.interval = interval
        self._task: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("YUQING_PROGRESS_INTERVAL", 5.0)
        if interval <= 0:
            raise NotConfigured("progress reporting switched off")
        ext = cls(crawler.stats, interval)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def line(self) -> str:
        s = self.stats.get_stats()
        stored = sum(v for k, v in s.items() if k.startswith("yuqing/stored/") and k.endswith(("/inserted", "/updated")))
        blocked = sum(v for k, v in s.items() if k.startswith("yuqing/blocked"))
        parts = [
            f"pages {s.get('response_received_count', 0)}",
            f"items {s.get('item_scraped_count', 0)}",
            f"stored {stored}",
            f"skipped {s.get('yuqing/not_closure', 0) + s.get('item_dropped_count', 0)}",
            f"errors {s.get('log_count/ERROR', 0)}",
        ]
        # Pages that could not be fetched (a start URL's failure is also an error; a
        # record's is a warning only): said here so a long crawl's trouble shows early.
        failed = s.get("yuqing/request_failed", 0) + s.get("yuqing/start_failed", 0)
        if failed:
            parts.append(f"failed {failed}")
        if blocked:
            parts.append(f"blocked {blocked}")
        return " | ".join(parts)

    def spider_opened(self, spider):
        self._task = task.LoopingCall(lambda: logger.info("progress: %s", self.line()))
        self._task.start(self.interval, now=False)

    def spider_closed(self, spider, reason):
        if self._task and self._task.running:
            self._task.stop()
        logger.info("done (%s): %s", reason, self.line())
