"""Turn a spider's item into a labelled document (a ``core.schema`` dataclass)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from scrapy.exceptions import DropItem

from analysis.enrich import AnalysisOptions, enrich, warm_up
from core.schema import content_hash, observed_now, to_document, url_id
from crawler.items import AnnouncementItem, CommentItem, PostItem, ThreadCoverageItem
from crawler.project import yuqing_settings


class AnalysePipeline:
    def __init__(self, options: AnalysisOptions):
        self.options = options

    @classmethod
    def from_crawler(cls, crawler):
        return cls(AnalysisOptions.from_settings(yuqing_settings(crawler)))

    def open_spider(self, spider=None):
        warm_up(self.options)

    def process_item(self, item: Any, spider=None):
        if isinstance(item, ThreadCoverageItem):
            return item
        crawled_at = observed_now()  # the observation time: the store keeps the newest
        if isinstance(item, AnnouncementItem):
            doc = asdict(item)
            doc.update(id=url_id(item.url), crawled_at=crawled_at,
                       content_hash=content_hash(item.title, item.body, item.published_at))
            return to_document("announcement", enrich("announcement", doc, self.options))
        if isinstance(item, PostItem):
            doc = asdict(item)
            hint = doc.pop("subject_city_hint", None)
            doc["crawled_at"] = crawled_at
            return to_document("post", enrich("post", doc, self.options, subject_city=hint))
        if isinstance(item, CommentItem):
            doc = asdict(item)
            doc["crawled_at"] = crawled_at
            return to_document("comment", enrich("comment", doc, self.options))
        raise DropItem(f"cannot analyse {type(item).__name__}")
