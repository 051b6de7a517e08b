"""Carry an announcement's history onto its re-fetched version (``crawler/history.py``):
first seen, earlier versions when the text changed, status back to live when a missing notice
answers again."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from core.schema import Announcement, now_iso, to_document
from crawler.history import carry_history
from crawler.storage import CrawlStorage


class HistoryPipeline:
    def __init__(self, storage: CrawlStorage, stats=None):
        self.storage = storage
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(CrawlStorage.of(crawler), crawler.stats)

    def process_item(self, item: Any, spider=None):
        if not isinstance(item, Announcement):
            return item
        stored = self.storage.get("announcement", item.id)
        doc = carry_history(asdict(item), stored, now_iso())
        if stored is not None and len(doc["versions"]) > len(stored.get("versions") or []) and self.stats:
            self.stats.inc_value("yuqing/history/edited")
        return replace(item, **{k: doc[k] for k in ("first_seen", "status", "versions", "missing_since",
                                                     "missing_count", "missing_reason")})
