"""Settle the subject place of commentary from what the store knows.

A post whose text names no city takes the city of the announcement it links to; a comment
takes its post's (spiders yield a post before its comments; a resumed thread's post comes
from the store). When the store cannot be asked (it is down) the post and its comments go
on without a place and are remembered: when the spider closes, the lookup is tried again
and, if the store answers now, they are amended on their way to the store. What is still
unsettled then (spilled) is settled by ``yuqing index load`` and ``yuqing reanalyze``
(``yuqing/settling.py``), by the one rule of ``analysis/subject_places.py``.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from analysis.subject_places import place_from_links
from core.schema import OBSERVED_FIELD, Comment, Post, observed_now
from crawler.storage import CrawlStorage
from store.errors import StoreError

logger = logging.getLogger(__name__)


class SubjectPlacePipeline:
    def __init__(self, storage: CrawlStorage):
        self.storage = storage
        self._post_places: dict[str, tuple[str | None, str | None]] = {}  # post id -> (province, city)
        # Posts whose notice could not be looked up (store down), and their comments, as sent.
        self._unsettled: dict[str, dict] = {}
        self._waiting: dict[str, list[dict]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(CrawlStorage.of(crawler))

    def process_item(self, item: Any, spider=None):
        if isinstance(item, Post):
            if not item.city:
                self._place_from_links(item)
            self._post_places[item.id] = (item.province, item.city)
        elif isinstance(item, Comment) and not item.city:
            item.province, item.city = self._post_places.get(item.post_id) or self._stored_post_place(item.post_id)
            if not item.city and item.post_id in self._unsettled:
                self._waiting.setdefault(item.post_id, []).append(item)
        return item

    def _place_from_links(self, post: Post) -> None:
        try:
            place = place_from_links({"links": post.links}, lambda doc_id: self.storage.lookup("announcement", doc_id))
        except StoreError as exc:
            logger.warning("store unavailable, the place of %s waits: %s", post.id, exc)
            self._unsettled[post.id] = post
            return
        if place:
            post.province, post.city = place

    def _stored_post_place(self, post_id: str) -> tuple[str | None, str | None]:
        post = self.storage.get("post", post_id) or {}
        place = (post.get("province"), post.get("city"))
        self._post_places[post_id] = place
        return place

    def close_spider(self, spider=None):
        """Try the lookups the outage made wait; amend what the store can settle now."""
        for post_id, post in self._unsettled.items():
            try:
                place = place_from_links({"links": post.links}, lambda i: self.storage.lookup("announcement", i))
            except StoreError:
                continue  # still down: `yuqing index load` settles the spilled documents
            if not place:
                continue
            fields = {"province": place[0], "city": place[1], OBSERVED_FIELD: observed_now()}
            post.province, post.city = place
            self.storage.amend("post", post_id, fields, written=asdict(post))
            for comment in self._waiting.get(post_id, []):
                comment.province, comment.city = place
                self.storage.amend("comment", comment.id, fields, written=asdict(comment))
