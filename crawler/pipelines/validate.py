"""Drop items that lack what every later stage relies on, saying why."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from crawler.items import ITEM_KIND

REQUIRED = {
    "announcement": ("url", "title", "body"),
    "post": ("id", "url", "text"),
    "comment": ("id", "post_id", "text"),
    "coverage": ("post_id",),
}
# A closure notice shorter than this is a list stub or an error page, not an announcement.
MIN_ANNOUNCEMENT_BODY = 20


class ValidatePipeline:
    def __init__(self, stats=None):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(stats=crawler.stats)

    def process_item(self, item: Any, spider=None):
        kind = ITEM_KIND.get(type(item))
        if kind is None:
            raise DropItem(f"unknown item type {type(item).__name__}")
        missing = [f for f in REQUIRED[kind] if not getattr(item, f, None)]
        if kind == "announcement" and not missing and len(item.body.strip()) < MIN_ANNOUNCEMENT_BODY:
            missing.append("body (too short)")
        if missing:
            if self.stats:
                self.stats.inc_value(f"yuqing/invalid/{kind}")
            raise DropItem(f"{kind} {getattr(item, 'url', None) or getattr(item, 'id', '?')} lacks {', '.join(missing)}")
        return item
