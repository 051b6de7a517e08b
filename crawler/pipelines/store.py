"""Store each labelled document (and an announcement's account documents) through the crawl's storage."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from analysis.labelling import account_docs
from core.schema import kind_of
from crawler.storage import CrawlStorage


class StorePipeline:
    def __init__(self, storage: CrawlStorage):
        self.storage = storage

    @classmethod
    def from_crawler(cls, crawler):
        return cls(CrawlStorage.of(crawler))

    def process_item(self, item: Any, spider=None):
        kind = kind_of(item)
        if kind is None:  # bookkeeping (a thread's coverage), already applied to its post
            return item
        doc = asdict(item)
        self.storage.add(kind, [doc])
        if kind == "announcement":
            self.storage.add("account", account_docs(doc))
        return item

    def close_spider(self, spider=None):
        self.storage.flush()
