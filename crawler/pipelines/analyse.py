"""Turn a spider's item into a labelled document (a ``core.schema`` dataclass)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from scrapy.exceptions import DropItem

from analysis.enrich import AnalysisOptions, enrich, warm_up
from core.schema import content_hash, observed_now, to_document, url_id
from crawler.items import AnnouncementItem, CommentItem, PostItem, ThreadCoverageItem
from crawler.project import yuqing_settings


# Where AnalyseBatchMiddleware (crawler/analysis_batches.py) leaves a post's or comment's
# analysed document, analysed with the rest of its response's.
ANALYSED = "_yuqing_analysed"


def commentary_input(item: PostItem | CommentItem) -> tuple[str, dict, str | None]:
    """(kind, the document analysis reads, the post's subject-city hint) of a post or comment."""
    doc = asdict(item)
    doc["crawled_at"] = observed_now()  # the observation time: the store keeps the newest
    if isinstance(item, PostItem):
        return "post", doc, doc.pop("subject_city_hint", None)
    return "comment", doc, None


def mark_analysed(item: PostItem | CommentItem, document: Any) -> None:
    setattr(item, ANALYSED, document)


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
        if isinstance(item, AnnouncementItem):
            doc = asdict(item)
            doc.update(id=url_id(item.url), crawled_at=observed_now(),
                       content_hash=content_hash(item.title, item.body, item.published_at))
            return to_document("announcement", enrich("announcement", doc, self.options))
        if isinstance(item, (PostItem, CommentItem)):
            analysed = getattr(item, ANALYSED, None)
            if analysed is not None:  # with the rest of its response's posts or comments
                return analysed
            kind, doc, hint = commentary_input(item)
            return to_document(kind, enrich(kind, doc, self.options, subject_city=hint))
        raise DropItem(f"cannot analyse {type(item).__name__}")
