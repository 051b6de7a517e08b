"""Settle the subject place of commentary from what the store knows.

A post whose text names no city takes the city of the announcement it links to; a comment
takes its post's (spiders yield a post before its comments; a resumed thread's post comes
from the store). When the store cannot be asked (it is down) the document goes on without
a place; ``yuqing index load`` and ``yuqing reanalyze`` settle it later
(``analysis/subject_places.py``).
"""

from __future__ import annotations

from typing import Any

from analysis.subject_places import place_from_links
from core.schema import Comment, Post
from crawler.storage import CrawlStorage


class SubjectPlacePipeline:
    def __init__(self, storage: CrawlStorage):
        self.storage = storage
        self._post_places: dict[str, tuple[str | None, str | None]] = {}  # post id -> (province, city)

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
        return item

    def _place_from_links(self, post: Post) -> None:
        place = place_from_links({"links": post.links}, lambda doc_id: self.storage.get("announcement", doc_id))
        if place:
            post.province, post.city = place

    def _stored_post_place(self, post_id: str) -> tuple[str | None, str | None]:
        post = self.storage.get("post", post_id) or {}
        place = (post.get("province"), post.get("city"))
        self._post_places[post_id] = place
        return place
