"""A crawl's one handle on its store: batched writes, and a spill file when the store is down.

Opened once per crawl (``CrawlStorage.of(crawler)``) and shared by the components that
need the store — the place pipeline reads through it, the store pipeline and the crawl-run
extension write through it — so no component owns a database client of its own. It is
closed when the engine stops, after every ``close_spider`` and ``spider_closed`` have run.

A store that refuses a write (down, unreachable) loses nothing: the batch is appended to
``<spill_dir>/<run>.jsonl`` in the format of ``core/spill.py``, counted in the crawl's
stats (``yuqing/unsaved/<kind>``), and ``yuqing index load FILE`` stores it later.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from core.spill import spill_line, spill_path
from crawler.project import yuqing_settings
from store import open_store
from store.base import Store, UpsertReport
from store.errors import StoreError

logger = logging.getLogger(__name__)

# Documents held before one upsert: large enough to amortise a store round trip (an
# Elasticsearch bulk request), small enough that a killed crawl loses little.
DEFAULT_BATCH = 100
# Stats keys other components read.
SPILL_FILE_STAT = "yuqing/spill_file"
STORE_ERRORS_STAT = "yuqing/store_errors"
UNSAVED_STAT_PREFIX = "yuqing/unsaved/"  # + kind: documents spilled


class CrawlStorage:
    def __init__(self, store: Store, *, batch_size: int = DEFAULT_BATCH, spill_dir: Path = Path("data/unsaved"),
                 stats=None):
        self.store = store
        self.batch_size = batch_size
        self.spill_dir = Path(spill_dir)
        self.spill_file: Path | None = None
        self.stats = stats
        self.run_id = "crawl"  # names the spill file; the crawl-run extension sets it
        self.report = UpsertReport()
        self._pending: dict[str, dict[str, dict]] = {}  # kind -> id -> document, in arrival order
        self._closed = False

    @classmethod
    def of(cls, crawler) -> "CrawlStorage":
        """The crawler's storage, opened on first use."""
        storage = getattr(crawler, "yuqing_storage", None)
        if storage is None:
            settings = yuqing_settings(crawler)
            url = crawler.settings.get("YUQING_STORE") or settings.store
            if not url:
                raise NotConfigured("no store URL")
            storage = cls(open_store(url, **settings.store_options()),
                          batch_size=crawler.settings.getint("YUQING_STORE_BATCH", DEFAULT_BATCH),
                          spill_dir=settings.spill_dir, stats=crawler.stats)
            crawler.yuqing_storage = storage
            crawler.signals.connect(storage.close, signal=signals.engine_stopped)
        return storage

    # --- reading ---------------------------------------------------------------------

    def get(self, kind: str, doc_id: str) -> dict | None:
        """A document of this crawl not yet written, else the stored one; None when the store
        cannot be asked (it is down: the caller goes on without it)."""
        try:
            return self.lookup(kind, doc_id)
        except StoreError as exc:
            logger.warning("store unavailable, cannot look up %s %s: %s", kind, doc_id, exc)
            return None

    def lookup(self, kind: str, doc_id: str) -> dict | None:
        """As ``get``, but a store that cannot be asked raises StoreError (the caller may retry later)."""
        pending = self._pending.get(kind, {}).get(doc_id)
        if pending is not None:
            return pending
        return self.store.get(kind, doc_id)

    # --- writing ---------------------------------------------------------------------

    def add(self, kind: str, docs: list[dict]) -> None:
        """Queue documents; a full batch is written. A later version of a queued id replaces it."""
        queue = self._pending.setdefault(kind, {})
        for doc in docs:
            queue[doc["id"]] = doc
        if sum(len(q) for q in self._pending.values()) >= self.batch_size:
            self.flush()

    def amend(self, kind: str, doc_id: str, fields: dict[str, Any], written: dict | None = None) -> bool:
        """Change fields of a document on its way to the store: in the queue if it is still
        there (written once, with the change), else ``written`` (the version this crawl sent,
        when the caller kept it) or the stored version, queued again. False when there is no
        such document."""
        queued = self._pending.get(kind, {}).get(doc_id)
        if queued is not None:
            queued.update(fields)
            return True
        base = written if written is not None else self.get(kind, doc_id)
        if base is None:
            return False
        self.add(kind, [{**base, **fields}])
        return True

    def flush(self) -> None:
        pending, self._pending = self._pending, {}
        for kind, queue in pending.items():
            if queue:
                self.write(kind, list(queue.values()))

    def write(self, kind: str, docs: list[dict]) -> UpsertReport | None:
        """Upsert now, or — when the store is down — append to the spill file. None: spilled."""
        try:
            report = self.store.upsert(kind, docs)
        except StoreError as exc:
            self._spill(kind, docs, exc)
            return None
        self.report.merge(report)
        if self.stats:
            self.stats.inc_value(f"yuqing/stored/{kind}/inserted", report.inserted)
            self.stats.inc_value(f"yuqing/stored/{kind}/updated", report.updated)
            self.stats.inc_value(f"yuqing/stored/{kind}/unchanged", report.unchanged)
            self.stats.inc_value(STORE_ERRORS_STAT, len(report.errors))
        for doc_id, reason in report.errors:
            logger.error("store rejected %s %s: %s", kind, doc_id, reason)
        return report

    def _spill(self, kind: str, docs: list[dict], exc: StoreError) -> None:
        if self.spill_file is None:
            self.spill_file = spill_path(self.spill_dir, self.run_id)
            self.spill_file.parent.mkdir(parents=True, exist_ok=True)
            logger.error("store unavailable (%s): documents go to %s; load them later with "
                         "`yuqing index load %s`", exc, self.spill_file, self.spill_file)
            if self.stats:
                self.stats.set_value(SPILL_FILE_STAT, str(self.spill_file))
        with self.spill_file.open("a", encoding="utf-8") as out:
            for doc in docs:
                out.write(spill_line(kind, doc))
        if self.stats:
            self.stats.inc_value(f"{UNSAVED_STAT_PREFIX}{kind}", len(docs))

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.flush()
        finally:
            self.store.close()
