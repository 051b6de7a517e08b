"""A comment thread's end updates its post: comments fetched, reported, and why it is partial."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from core.schema import OBSERVED_FIELD, Post, observed_now
from crawler.items import ThreadCoverageItem
from crawler.storage import CrawlStorage

logger = logging.getLogger(__name__)


class CoveragePipeline:
    def __init__(self, storage: CrawlStorage):
        self.storage = storage
        # This crawl's posts: amended from here when already written (or spilled: the store may be down).
        self._posts: dict[str, Post] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(CrawlStorage.of(crawler))

    def process_item(self, item: Any, spider=None):
        if isinstance(item, Post):
            self._posts[item.id] = item
        if not isinstance(item, ThreadCoverageItem):
            return item
        fields = {"comments_fetched": item.comments_fetched, "partial": item.partial,
                  "partial_reason": item.partial_reason}
        if item.comments_reported is not None:
            fields["comments_reported"] = item.comments_reported
        # The thread's end is a newer observation of the post: a store that already holds the
        # version without it (written, or spilled and loaded later) takes this one over it.
        fields[OBSERVED_FIELD] = observed_now()
        # The post is usually still in the write queue: it is then written once, complete.
        post = self._posts.get(item.post_id)
        if post is not None:
            for name, value in fields.items():
                setattr(post, name, value)
        if not self.storage.amend("post", item.post_id, fields, written=asdict(post) if post else None):
            logger.warning("coverage for unknown post %s", item.post_id)
        return item
