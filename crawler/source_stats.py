"""Per-source figures of a crawl run, and the sources that need attention.

A spider middleware counts, per source (the gov spider's ``sources.yaml`` id or ``adhoc``;
the spider's name for the others): pages answered, list records seen, items yielded, and
requests that failed, as ``yuqing/source/<id>/<figure>`` stats — which the crawl-run record
keeps with its other counts (``crawler/runs.py`` keeps every ``yuqing/`` stat). When the run
ends, ``store/source_health.py`` reads the source's recent runs; one that found no list
records for several runs, or whose error rate jumped, is logged as needing attention, with
the command that shows what the crawler reads on its page.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured

from crawler.storage import CrawlStorage
from store.errors import StoreError
from store.source_health import SOURCE_STAT, recent_health

logger = logging.getLogger(__name__)


def source_key(source: str | None, start: str | None) -> str:
    """A source's name in stats: its sources.yaml id, or for an ad-hoc start URL its host and
    path (``adhoc:www.km.gov.cn_zwgk_tzgg``), so two ad-hoc sites are two sources."""
    if source == "adhoc" and start:
        parts = urlsplit(start)
        return "adhoc:" + (parts.netloc + parts.path.rstrip("/")).replace("/", "_")
    return source or ""


def _source(request_or_response, spider) -> str:
    gov = (request_or_response.meta.get("gov") if request_or_response is not None else None) or {}
    return source_key(gov.get("source"), gov.get("start")) or getattr(spider, "name", "crawl")


class SourceStatsMiddleware:
    def __init__(self, stats, storage: CrawlStorage | None = None):
        self.stats = stats
        self.storage = storage
        self.start_urls: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler):
        try:
            storage = CrawlStorage.of(crawler)
        except NotConfigured:
            storage = None
        mw = cls(crawler.stats, storage)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(mw.response_received, signal=signals.response_received)
        return mw

    def _inc(self, source: str, figure: str, n: int = 1) -> None:
        self.stats.inc_value(f"{SOURCE_STAT}{source}/{figure}", n)

    def response_received(self, response, request, spider=None):
        """Every answer, before any middleware judges it: an HTTP error is an error, else a page."""
        if request.url.endswith("/robots.txt"):
            return  # the politeness file, not a page of any source
        self._inc(_source(request, spider), "errors" if response.status >= 400 else "pages")

    def process_spider_input(self, response, spider=None):
        gov = response.meta.get("gov") or {}
        if gov.get("role") == "start":
            self.start_urls.setdefault(_source(response, spider), gov.get("start") or response.url)
        return None

    async def process_spider_output(self, response, result, spider=None):
        source = _source(response, spider)
        async for out in result:
            if isinstance(out, Request):
                if (out.meta.get("gov") or {}).get("role") == "record":
                    self._inc(source, "list_records")
            elif out is not None:
                self._inc(source, "items")
            yield out

    def spider_closed(self, spider, reason):
        """Log the sources of this run that need attention (their recent runs, this one included)."""
        if self.storage is None:
            return
        sources = {key.split("/")[2] for key in self.stats.get_stats() if key.startswith(SOURCE_STAT)}
        if not sources:
            return
        try:
            runs = self.storage.store.search("crawl_run", _recent_runs_query(spider.name)).hits
        except StoreError as exc:
            logger.warning("source health not checked, the store did not answer: %s", exc)
            return
        for health in recent_health([h.doc for h in runs]):
            if health.source in sources and health.needs_attention:
                url = self.start_urls.get(health.source) or next(
                    (u for u, s in getattr(spider, "starts", []) if source_key(s, u) == health.source), None)
                logger.warning("source %s needs attention: %s; see what the crawler reads there with "
                               "`yuqing explain %s`", health.source, health.reason, url or "URL")
                self.stats.inc_value("yuqing/sources/needs_attention")


def _recent_runs_query(spider: str):
    from store.base import Query

    return Query(filters={"spider": spider}, sort="date_desc", size=50, highlight=False)
