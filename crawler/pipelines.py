"""Item pipelines: validate → analyse → store.

Thin classes. Each takes plain values in ``__init__`` and reads settings only in
``from_crawler``. The store is opened once (``StorePipeline``) from the store URL;
no pipeline owns a database client of its own.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem, NotConfigured

from analysis.enrich import AnalysisOptions, enrich, warm_up
from crawler.items import ITEM_KIND, AnnouncementItem, CommentItem, PostItem, ThreadCoverageItem
from store import open_store
from store.base import Store, UpsertReport
from store.errors import StoreError
from core.schema import SCHEMAS, content_hash, url_id
from core.config import Settings

logger = logging.getLogger(__name__)

REQUIRED = {
    "announcement": ("url", "title", "body"),
    "post": ("id", "url", "text"),
    "comment": ("id", "post_id", "text"),
    "coverage": ("post_id",),
}
# Spider arguments worth keeping with a crawl run (never cookies or credentials).
RUN_ARGS = ("start_urls", "sources", "keywords", "max_pages", "since", "base_url")
# A closure notice shorter than this is a list stub or an error page, not an announcement.
MIN_ANNOUNCEMENT_BODY = 20


def yuqing_settings(crawler) -> Settings:
    """The Settings object the CLI put on the crawler, else one read from the environment."""
    return crawler.settings.get("YUQING_SETTINGS") or Settings()


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, (list, tuple, set)) else str(value)


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class ValidatePipeline:
    """Drop items that lack what every later stage relies on, saying why."""

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


class AnalysePipeline:
    """Turn an item into a store document with its labels (sentiment, places, themes…)."""

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
        crawled_at = now_iso()
        if isinstance(item, AnnouncementItem):
            doc = asdict(item)
            doc.update(id=url_id(item.url), crawled_at=crawled_at,
                       content_hash=content_hash(item.title, item.body, item.published_at))
            return ("announcement", enrich("announcement", doc, self.options))
        if isinstance(item, PostItem):
            doc = asdict(item)
            hint = doc.pop("subject_city_hint", None)
            doc["crawled_at"] = crawled_at
            return ("post", enrich("post", doc, self.options, subject_city=hint))
        if isinstance(item, CommentItem):
            doc = asdict(item)
            doc["crawled_at"] = crawled_at
            return ("comment", enrich("comment", doc, self.options))
        raise DropItem(f"cannot analyse {type(item).__name__}")


class StorePipeline:
    """Upsert documents in batches; record the crawl run; update thread coverage.

    It also settles places that need the store: a post whose text names no city takes the
    city of the announcement it links to, and a comment's subject city is its post's
    (spiders yield a post before its comments)."""

    def __init__(self, store: Store, batch_size: int = 100, stats=None, crawler=None,
                 spill_dir: Path = Path("data/unsaved")):
        self.store = store
        self.batch_size = batch_size
        self.stats = stats
        # A store that is down loses nothing: what it refuses goes to a JSON Lines file here.
        self.spill_dir = Path(spill_dir)
        self.spill_path: Path | None = None
        self._posts: dict[str, dict] = {}  # this crawl's posts, for their coverage updates
        # Recent Scrapy calls open_spider() without the spider; the crawler knows it.
        self.crawler = crawler
        self._buffer: dict[str, list[dict]] = {}
        self._post_places: dict[str, tuple[str | None, str | None]] = {}  # post id -> (province, city)
        self.report = UpsertReport()
        self.run: dict | None = None
        self._closed = False

    @classmethod
    def from_crawler(cls, crawler):
        settings = yuqing_settings(crawler)
        url = crawler.settings.get("YUQING_STORE") or settings.store
        if not url:
            raise NotConfigured("no store URL")
        store = open_store(url, **settings.store_options())
        return cls(store, batch_size=crawler.settings.getint("YUQING_STORE_BATCH", 100), stats=crawler.stats,
                   crawler=crawler, spill_dir=settings.spill_dir)

    def open_spider(self, spider=None):
        started = now_iso()
        spider = spider or getattr(self.crawler, "spider", None)
        name = getattr(spider, "name", "spider")
        args = {k: _plain(getattr(spider, k)) for k in RUN_ARGS if getattr(spider, k, None)}
        self.run = asdict(SCHEMAS["crawl_run"](id=f"{name}:{started}", spider=name, started_at=started, args=args))
        self._write("crawl_run", [self.run])

    def process_item(self, item: Any, spider=None):
        if isinstance(item, ThreadCoverageItem):
            self._update_coverage(item)
            return item
        kind, doc = item
        if kind == "post":
            self._place_from_links(doc)
            self._post_places[doc["id"]] = (doc.get("province"), doc.get("city"))
            self._posts[doc["id"]] = doc
        elif kind == "comment" and not doc.get("city"):
            province, city = self._post_places.get(doc["post_id"]) or self._stored_post_place(doc["post_id"])
            doc.update(province=province, city=city)
        self._buffer.setdefault(kind, []).append(doc)
        if kind == "announcement":
            self._buffer.setdefault("account", []).extend(account_docs(doc))
        if sum(len(v) for v in self._buffer.values()) >= self.batch_size:
            self.flush()
        return item

    def _place_from_links(self, post: dict) -> None:
        if post.get("city"):
            return
        for link in post.get("links") or []:
            announcement = self._get("announcement", url_id(link))
            if announcement and announcement.get("city"):
                post.update(province=announcement.get("province"), city=announcement["city"])
                return

    def _stored_post_place(self, post_id: str) -> tuple[str | None, str | None]:
        """A comment whose post came in an earlier crawl (a resumed thread)."""
        self.flush()
        post = self._get("post", post_id) or {}
        place = (post.get("province"), post.get("city"))
        self._post_places[post_id] = place
        return place

    def flush(self) -> None:
        for kind, docs in list(self._buffer.items()):
            if not docs:
                continue
            report = self._write(kind, docs)
            if report is None:
                self._buffer[kind] = []
                continue
            self.report.merge(report)
            if self.stats:
                self.stats.inc_value(f"yuqing/stored/{kind}/inserted", report.inserted)
                self.stats.inc_value(f"yuqing/stored/{kind}/updated", report.updated)
                self.stats.inc_value(f"yuqing/stored/{kind}/unchanged", report.unchanged)
                self.stats.inc_value("yuqing/store_errors", len(report.errors))
            for doc_id, reason in report.errors:
                logger.error("store rejected %s %s: %s", kind, doc_id, reason)
            self._buffer[kind] = []

    def _get(self, kind: str, doc_id: str) -> dict | None:
        try:
            return self.store.get(kind, doc_id)
        except StoreError as exc:
            logger.warning("store unavailable, cannot look up %s %s: %s", kind, doc_id, exc)
            return None

    def _write(self, kind: str, docs: list[dict]) -> UpsertReport | None:
        """Upsert, or — when the store is down — append the documents to the spill file."""
        try:
            return self.store.upsert(kind, docs)
        except StoreError as exc:
            if self.spill_path is None:
                run_id = (self.run or {}).get("id", "crawl")
                self.spill_path = self.spill_dir / (run_id.replace(":", "_").replace("+", "_") + ".jsonl")
                self.spill_path.parent.mkdir(parents=True, exist_ok=True)
                logger.error("store unavailable (%s): documents go to %s; load them later with "
                             "`yuqing index load %s`", exc, self.spill_path, self.spill_path)
            with self.spill_path.open("a", encoding="utf-8") as out:
                for doc in docs:
                    out.write(json.dumps({"kind": kind, "doc": doc}, ensure_ascii=False) + "\n")
            if self.stats:
                self.stats.inc_value(f"yuqing/unsaved/{kind}", len(docs))
            return None

    def _update_coverage(self, item: ThreadCoverageItem) -> None:
        post = self._posts.get(item.post_id)
        if post is None:
            self.flush()
            post = self._get("post", item.post_id)
        if post is None:
            logger.warning("coverage for unknown post %s", item.post_id)
            return
        post.update(comments_fetched=item.comments_fetched, partial=item.partial,
                    partial_reason=item.partial_reason)
        if item.comments_reported is not None:
            post["comments_reported"] = item.comments_reported
        pending = self._buffer.setdefault("post", [])
        if not any(doc is post for doc in pending):  # updated in place if not yet written
            pending.append(post)

    def close_spider(self, spider=None):
        if self._closed:
            return
        self._closed = True
        try:
            self.flush()
        finally:
            if self.run is not None:
                stats = self.stats.get_stats() if self.stats else {}
                reason = stats.get("finish_reason", "finished")
                errors = [f"{doc_id}: {why}" for doc_id, why in self.report.errors[:100]]
                # Anything that leaves the run incomplete: a block, a thread cut short, a rejected doc.
                incomplete = any(v for k, v in stats.items()
                                 if k.startswith("yuqing/blocked")
                                 or k in ("yuqing/coverage/partial_threads", "yuqing/start_failed"))
                self.run.update(
                    finished_at=now_iso(),
                    status="finished" if reason == "finished" and not errors and not incomplete else "partial",
                    counts=run_counts(stats),
                    errors=errors,
                )
                if self.spill_path is not None:
                    self.run["errors"].append(f"store unavailable: documents saved to {self.spill_path}")
                    self.run["status"] = "partial"
                self._write("crawl_run", [self.run])
            self.store.close()


def account_docs(announcement: dict) -> list[dict]:
    """One account document per account the announcement closes."""
    out = []
    for n, acc in enumerate(announcement.get("accounts") or []):
        out.append({
            "id": f"{announcement['id']}:{n}",
            "announcement_id": announcement["id"],
            "issuer": announcement.get("issuer"),
            "province": announcement.get("province"),
            "city": announcement.get("city"),
            **{k: acc.get(k) for k in ("name", "platform", "action", "effective_date", "successor",
                                       "confidence", "evidence")},
            "reasons": list(acc.get("reasons") or []),
        })
    return out


def run_counts(stats: dict) -> dict:
    """The figures a crawl run keeps: pages, items, stored docs, blocks and errors."""
    keep = {}
    for key, value in stats.items():
        if not isinstance(value, (int, float)):
            continue
        if key.startswith(("yuqing/", "item_scraped_count", "item_dropped_count", "response_received_count",
                           "downloader/request_count", "log_count/ERROR", "robotstxt/forbidden",
                           "retry/count", "spider_exceptions/count")):
            keep[key] = value
    return keep
