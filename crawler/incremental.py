"""Fetch only what changed: a re-crawl of a notice list stops where it meets what it already has.

Two Scrapy components over one shared state (``Incremental.of(crawler)``), both for the gov
spider's requests (those carrying ``meta["gov"]``):

- ``IncrementalListMiddleware`` (spider middleware) reads what a list page yields. Each record
  (a notice link) already seen by an earlier run is asked for with the validators its page
  sent last time (``If-None-Match`` / ``If-Modified-Since``), or — for a page that sent
  none — only when it was last checked longer ago than the refresh interval. The list's further
  pages are walked one at a time, in page order; once ``recheck_depth`` list pages of a start
  URL held nothing but known notices, the walk stops there (the older pages were read before).
- ``ConditionalRequestMiddleware`` (downloader middleware) adds the validators, keeps what each
  notice page answered (``page`` documents: validators, fetched/checked times), turns a 304
  into "unchanged" without parsing anything, and counts a known notice that answers 404/410 or
  is redirected to the site's home page as missing (``crawler/history.py`` decides when that is
  a takedown). When the crawl ends, a known notice that should have been on the list pages
  walked — newer than the oldest known notice seen there — and was not, is missing too
  ("gone from its list"); never when one of that start URL's list pages failed.

``yuqing crawl gov --full`` (``YUQING_INCREMENTAL=False``) switches both off: every page again.

Stats: ``yuqing/incremental/not_modified`` (304s), ``…/fresh`` (known notices not asked for,
checked within the refresh interval), ``…/refetched`` (asked for again), ``…/list_stop`` (list
pages not walked), ``yuqing/history/missing/<why>`` and ``yuqing/history/taken_down``.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

from core.schema import now_iso, url_id
from crawler.history import DEFAULT_TAKEDOWN_CONFIRMATIONS, mark_missing
from crawler.project import yuqing_settings
from crawler.storage import CrawlStorage
from store.errors import StoreError

logger = logging.getLogger(__name__)

# List pages in a row holding only known notices before a re-crawl stops walking a list. One:
# notice lists are newest first, so a page of known notices means the rest was read before;
# raise it where a site re-dates or re-orders old notices (YUQING_RECHECK_DEPTH).
DEFAULT_RECHECK_DEPTH = 1
# A notice page that sends no validators is fetched again after this many hours: notices are
# rarely edited after their first days, and a daily look finds an edit within a day.
DEFAULT_REFRESH_HOURS = 24.0
TAKEDOWN_STATUSES = (404, 410)


class IncrementalSkip(IgnoreRequest):
    """A request not made (or a 304): what it would fetch is already stored and unchanged."""


@dataclass
class StartWalk:
    """One start URL's list walk in this run."""

    pending: deque = field(default_factory=deque)  # list requests not yet made, in page order
    asked: set = field(default_factory=set)
    known_pages: int = 0  # list pages so far holding only known notices
    caught_up: bool = False
    list_failed: bool = False
    seen: set = field(default_factory=set)  # ids of the records on the pages walked
    scope: Any = None


class Incremental:
    """What the two components share for one crawl."""

    def __init__(self, storage: CrawlStorage, stats, *, recheck_depth: int = DEFAULT_RECHECK_DEPTH,
                 refresh: timedelta = timedelta(hours=DEFAULT_REFRESH_HOURS),
                 confirmations: int = DEFAULT_TAKEDOWN_CONFIRMATIONS, crawler=None):
        self.storage = storage
        self.stats = stats
        self.recheck_depth = recheck_depth
        self.refresh = refresh
        self.confirmations = confirmations
        self.crawler = crawler  # its engine schedules the next list page when one fails
        self.walks: dict[str, StartWalk] = {}
        self.missed: set[str] = set()  # announcements counted missing in this run (once each)

    @classmethod
    def of(cls, crawler) -> "Incremental":
        state = getattr(crawler, "yuqing_incremental", None)
        if state is None:
            settings = yuqing_settings(crawler)
            if not crawler.settings.getbool("YUQING_INCREMENTAL", settings.incremental):
                raise NotConfigured("incremental fetching is off (--full)")
            state = cls(CrawlStorage.of(crawler), crawler.stats,
                        recheck_depth=crawler.settings.getint("YUQING_RECHECK_DEPTH", settings.recheck_depth),
                        refresh=timedelta(hours=crawler.settings.getfloat("YUQING_REFRESH_HOURS",
                                                                           settings.refresh_hours)),
                        confirmations=settings.takedown_confirmations, crawler=crawler)
            crawler.yuqing_incremental = state
            crawler.signals.connect(state.spider_closed, signal=signals.spider_closed)
        return state

    def count(self, key: str, n: int = 1) -> None:
        self.stats.inc_value(key, n)

    def walk(self, start: str) -> StartWalk:
        return self.walks.setdefault(start, StartWalk())

    # -- records ------------------------------------------------------------------------
    def page_doc(self, url: str) -> dict | None:
        return self.storage.get("page", url_id(url))

    def fresh(self, page: dict) -> bool:
        checked = page.get("checked_at") or page.get("fetched_at")
        if not checked:
            return False
        return datetime.now(timezone.utc) - datetime.fromisoformat(checked) < self.refresh

    # -- missing notices ------------------------------------------------------------------
    def missing(self, doc_id: str, reason: str) -> None:
        if doc_id in self.missed:
            return
        stored = self.storage.get("announcement", doc_id)
        if stored is None:
            return
        self.missed.add(doc_id)
        marked = mark_missing(stored, reason, now_iso(), self.confirmations)
        self.count(f"yuqing/history/missing/{reason.split()[0].lower()}")
        if marked["status"] == "taken_down" and stored.get("status") != "taken_down":
            self.count("yuqing/history/taken_down")
            logger.warning("gov: notice %s is taken down (%s since %s, confirmed by %d runs)", stored.get("url"),
                           reason, marked["missing_since"], marked["missing_count"])
        else:
            logger.info("gov: notice %s is missing (%s; %d of %d confirmations)", stored.get("url"), reason,
                        marked["missing_count"], self.confirmations)
        self.storage.add("announcement", [marked])

    def alive(self, doc_id: str) -> None:
        """A known notice answered unchanged (304): any missing count it had is forgotten."""
        stored = self.storage.get("announcement", doc_id)
        if stored and (stored.get("missing_count") or stored.get("status") == "taken_down"):
            restored = "edited" if stored.get("versions") else "live"
            self.storage.add("announcement", [{**stored, "missing_since": None, "missing_count": 0,
                                               "missing_reason": None, "status": restored}])

    def spider_closed(self, spider, reason):
        """Known notices gone from the list pages walked (see the module docstring)."""
        if reason != "finished":
            return
        for start, walk in self.walks.items():
            if walk.list_failed or walk.scope is None or not walk.seen:
                continue
            known = [d for d in (self.storage.get("announcement", i) for i in walk.seen) if d]
            dates = [d["published_at"] for d in known if d.get("published_at")]
            if not dates:
                continue
            floor = min(dates)
            try:
                stored = list(self.storage.store.iterate("announcement"))
            except StoreError as exc:
                logger.warning("gov: cannot check %s's list for missing notices: %s", start, exc)
                continue
            for doc in stored:
                if (doc["id"] not in walk.seen and walk.scope.allows(doc.get("url", ""))
                        and (doc.get("published_at") or "") > floor and doc.get("status") != "taken_down"):
                    self.missing(doc["id"], "gone from its list")


def _gov(request: Request) -> dict | None:
    return request.meta.get("gov")


class IncrementalListMiddleware:
    """Spider middleware: known records asked for conditionally or not at all; list pages one at
    a time, stopping after ``recheck_depth`` pages of known notices."""

    def __init__(self, state: Incremental):
        self.state = state

    @classmethod
    def from_crawler(cls, crawler):
        return cls(Incremental.of(crawler))

    async def process_spider_output(self, response, result, spider=None):
        meta = response.meta.get("gov")
        if not meta or meta.get("role") not in ("start", "list"):
            async for out in result:
                yield out
            return
        records, lists = [], []
        walk = self.state.walk(meta["start"])
        async for out in result:
            gov = _gov(out) if isinstance(out, Request) else None
            if gov and walk.scope is None:
                walk.scope = gov.get("scope")
            if gov and gov.get("role") == "record":
                records.append(out)
            elif gov and gov.get("role") == "list":
                lists.append(out)
            else:
                yield out
        if meta.get("role") == "start" and records:
            for request in self.rechecks(records[0], walk):
                yield request
        known = 0
        for request in records:
            decided = self._record(request, walk)
            known += decided is not True
            if isinstance(decided, Request):
                yield decided
            elif decided is True:
                yield request
        if records and known == len(records):
            walk.known_pages += 1
            if walk.known_pages >= self.state.recheck_depth and not walk.caught_up:
                walk.caught_up = True
                logger.info("gov: %s: %d list page(s) of known notices; the rest of the list was read before",
                            meta["start"], walk.known_pages)
        for request in lists:
            if request.url not in walk.asked:
                walk.asked.add(request.url)
                walk.pending.append(request)
        next_page = self.next_list(walk)
        if next_page is not None:
            yield next_page

    def rechecks(self, template: Request, walk: StartWalk) -> list[Request]:
        """Known notices of this list found missing by an earlier run and not yet confirmed
        taken down: asked for again, whatever the list shows, so a second run confirms (or
        clears) the first one's miss even when the list walk stops before their place."""
        if walk.scope is None:
            return []
        try:
            missing = [d for d in self.state.storage.store.iterate("announcement")
                       if d.get("missing_count") and d.get("status") != "taken_down"
                       and walk.scope.allows(d.get("url", ""))]
        except StoreError:
            return []
        out = []
        for doc in missing:
            self.state.count("yuqing/incremental/recheck_missing")
            out.append(template.replace(url=doc["url"], headers={}, dont_filter=True,
                                        meta={**template.meta, "yuqing_known": doc["id"]}))
        return out

    def next_list(self, walk: StartWalk) -> Request | None:
        if walk.caught_up:
            if walk.pending:
                self.state.count("yuqing/incremental/list_stop", len(walk.pending))
                walk.pending.clear()
            return None
        return walk.pending.popleft() if walk.pending else None

    def _record(self, request: Request, walk: StartWalk) -> Request | bool | None:
        """The request to make for a record: True (as it is: a new notice), a conditional copy,
        or None (known and fresh: not asked for)."""
        doc_id = url_id(request.url)
        walk.seen.add(doc_id)
        page = self.state.page_doc(request.url)
        if page is None:
            return True
        headers = {}
        if page.get("etag"):
            headers["If-None-Match"] = page["etag"]
        if page.get("last_modified"):
            headers["If-Modified-Since"] = page["last_modified"]
        if not headers and self.state.fresh(page):
            self.state.count("yuqing/incremental/fresh")
            return None
        self.state.count("yuqing/incremental/refetched")
        conditional = request.replace(meta={**request.meta, "yuqing_known": doc_id})
        for name, value in headers.items():
            conditional.headers[name] = value
        return conditional


class ConditionalRequestMiddleware:
    """Downloader middleware: remembers each notice page's validators, turns a 304 into
    "unchanged", counts a known notice that is gone, and keeps a list walk going past a
    list page that failed."""

    def __init__(self, state: Incremental):
        self.state = state

    @classmethod
    def from_crawler(cls, crawler):
        return cls(Incremental.of(crawler))

    def process_response(self, request, response, spider=None):
        gov = _gov(request)
        if not gov:
            return response
        if gov.get("role") == "list" and response.status >= 400:
            self._list_failed(request)
            return response
        if gov.get("role") != "record":
            return response
        known = request.meta.get("yuqing_known")
        now = now_iso()
        page_id = url_id((request.meta.get("redirect_urls") or [request.url])[0])
        if response.status == 304:
            self.state.count("yuqing/incremental/not_modified")
            stored = self.state.storage.get("page", page_id) or {}
            self.state.storage.add("page", [{**stored, "id": page_id, "url": request.url, "checked_at": now}])
            if known:
                self.state.alive(known)
            raise IncrementalSkip(f"not modified: {request.url}")
        if known and response.status in TAKEDOWN_STATUSES:
            self.state.missing(known, f"HTTP {response.status}")
            return response
        if known and request.meta.get("redirect_urls") and self._is_home(response.url, gov):
            self.state.missing(known, "redirected to the home page")
            return response
        if 200 <= response.status < 300:
            headers = response.headers
            self.state.storage.add("page", [{
                "id": page_id, "url": (request.meta.get("redirect_urls") or [request.url])[0],
                "etag": _header(headers, b"ETag"), "last_modified": _header(headers, b"Last-Modified"),
                "fetched_at": now, "checked_at": now, "source": gov.get("source")}])
        return response

    def process_exception(self, request, exception, spider=None):
        gov = _gov(request)
        if gov and gov.get("role") == "list" and not isinstance(exception, IgnoreRequest):
            self._list_failed(request)
        return None

    def _list_failed(self, request) -> None:
        """A list page that got no page: the walk goes on with the next one (the spider's
        callback, which would have asked for it, never runs), and no notice of that list is
        called gone in this run."""
        walk = self.state.walk(request.meta["gov"]["start"])
        walk.list_failed = True
        if walk.pending and not walk.caught_up:
            self.state.crawler.engine.crawl(walk.pending.popleft())

    @staticmethod
    def _is_home(url: str, gov: dict) -> bool:
        scope = gov.get("scope")
        if scope is None:
            return False
        path = url.split("://", 1)[-1].partition("/")[2]
        path = "/" + path.split("?", 1)[0]
        return path in (scope.prefix, scope.prefix + "index.html", scope.prefix + "index.htm", "/", "/index.html")


def _header(headers, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value else None

