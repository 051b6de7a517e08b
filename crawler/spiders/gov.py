"""The generic government-notice spider: closure announcements from any government site.

    scrapy crawl gov -a start_urls=URL1,URL2
    scrapy crawl gov -a sources=xian-gsgg            # ids or groups from crawler/sources.yaml
    scrapy crawl gov -a sources=demo -a base_url=http://127.0.0.1:8765
    yuqing crawl gov --start-url URL [--source ID]

No per-site selectors: every page is read by ``crawler.extraction`` with the rules in
``crawler/rules.yaml``. A page is a list or an article by its content; lists give records,
further pages and "更多>>" links to fuller lists (so a site's home page works as a start
URL), articles are extracted and kept only when the closure rules accept them (so a single
notice works as a start URL too). The crawl stays on the start URL's site: its host, under
the folder of the site's home link (or of the start URL), plus WeChat articles a list
links to. A start URL that cannot be fetched is logged as an error (``yuqing crawl`` then
exits 1); a record that cannot be fetched is a warning. A page whose HTTP header names the
wrong charset is decoded with the one its ``<meta>`` declares.

Stats: ``yuqing/list_pages``, ``yuqing/articles``, ``yuqing/not_closure``,
``yuqing/excluded/<rule>``, ``yuqing/no_date``, ``yuqing/malformed/<why>``,
``yuqing/offsite``, ``yuqing/list_page_limit``, ``yuqing/start_failed``,
``yuqing/request_failed``, ``yuqing/recoded``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.extraction import ExtractionError, load_rules, parse_datastore
from crawler.extraction.page import PageReading, read_page
from crawler.extraction.encoding import decode_page
from crawler.extraction.rules import RULES_FILE
from crawler.extraction.wechat import is_wechat_url
from crawler.items import AnnouncementItem
from crawler.sources import SOURCES_FILE, load_sources, select_sources

logger = logging.getLogger(__name__)

# List pages followed per start URL. A city portal's notice list shows 15-20 rows a page and
# gains one or two notices a day, so 50 pages reach back about two years — the period of the
# closure wave — while a misread pager cannot walk a site's whole archive.
DEFAULT_MAX_LIST_PAGES = 50


@dataclass(frozen=True)
class Scope:
    """Where a crawl may go: one host, under one path prefix, over http or https (sites
    moved to https keep absolute http:// links in old templates, and the reverse)."""

    scheme_host: str  # "http://www.km.gov.cn" (port included)
    prefix: str  # "/", or "/gov/kunming/" on a host serving several sites

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        return (parts.scheme in ("http", "https") and parts.netloc == urlsplit(self.scheme_host).netloc
                and (parts.path or "/").startswith(self.prefix))


def _folder(path: str) -> str:
    return path[: path.rfind("/") + 1] or "/"


def site_scope(start_url: str, home_url: str | None) -> Scope:
    """The start URL's site: under its home link when that link is on the same host and
    above the start URL, else under the start URL's folder."""
    start = urlsplit(start_url)
    scheme_host = f"{start.scheme}://{start.netloc}"
    prefix = _folder(start.path or "/")
    if home_url:
        home = urlsplit(home_url)
        home_folder = _folder(home.path or "/")
        if f"{home.scheme}://{home.netloc}" == scheme_host and prefix.startswith(home_folder):
            prefix = home_folder
    return Scope(scheme_host, prefix)


def reachable(url: str, scope: Scope, rules) -> bool:
    """A notice link the crawl may follow: on the site, or a WeChat article the site links to."""
    return scope.allows(url) or is_wechat_url(url, rules)


class StartUrlError(ValueError):
    """A start URL the spider cannot request (no http(s) scheme or no host)."""


def check_start_url(url: str) -> str:
    """``url`` if it can start a crawl, else a ``StartUrlError`` saying what is wrong."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StartUrlError(f"start URL {url!r} is not an http(s) URL with a host "
                            "(example: http://www.km.gov.cn/zwgk/tzgg/)")
    return url


def _split(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(",") if v.strip()]


class GovSpider(scrapy.Spider):
    name = "gov"

    def __init__(self, start_urls: Any = None, sources: Any = None, base_url: str | None = None,
                 max_list_pages: Any = DEFAULT_MAX_LIST_PAGES, sources_file: str | None = None,
                 rules_file: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.rules = load_rules(rules_file or RULES_FILE)
        try:
            self.max_list_pages = int(max_list_pages)
        except (TypeError, ValueError):
            self.max_list_pages = 0
        if self.max_list_pages < 1:
            raise ValueError(f"max_list_pages must be a whole number of at least 1, not {max_list_pages!r}")
        adhoc = [(check_start_url(url), "adhoc") for url in _split(start_urls)]
        chosen = []
        source_ids = _split(sources)
        if source_ids or not adhoc:
            every = load_sources(sources_file or SOURCES_FILE)
            picked = select_sources(every, source_ids) if source_ids else [s for s in every if s.group == "live"]
            chosen = [(s.start_url(base_url), s.id) for s in picked]
        self.starts: list[tuple[str, str]] = adhoc + chosen
        self.run_args = {"start_urls": [u for u, _ in adhoc], "sources": source_ids, "base_url": base_url}
        # List pages asked for, per start URL. A set, not a count: every TRS page repeats the
        # whole createPageHTML pager, and a repeat must not use up the limit.
        self._list_pages: dict[str, set[str]] = {}

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        settings = crawler.settings.get("YUQING_SETTINGS")
        if settings is not None and getattr(settings, "sources_file", None) and "sources_file" not in kwargs:
            kwargs["sources_file"] = str(settings.sources_file)
        return super().from_crawler(crawler, *args, **kwargs)

    async def start(self):
        for url, source in self.starts:
            yield scrapy.Request(url, callback=self.parse, errback=self.failed,
                                 meta={"gov": {"source": source, "start": url, "role": "start", "scope": None}})

    # -- helpers ----------------------------------------------------------------------------
    def _count(self, key: str, n: int = 1) -> None:
        if self.crawler is not None:
            self.crawler.stats.inc_value(key, n)

    def failed(self, failure) -> None:
        """A request that got no usable page. A start URL that fails is an error (the source
        is broken or gone: the crawl exits non-zero so a scheduler notices); a record or a
        further list page that fails is a warning (the rest of the crawl stands)."""
        request = failure.request
        if failure.check(IgnoreRequest) and "robots.txt" in failure.getErrorMessage():
            # Counted by Scrapy as robotstxt/forbidden; not a failure, the site asked for it.
            logger.info("gov: %s is disallowed by robots.txt; not fetched", request.url)
            return
        if failure.check(HttpError):
            why = f"the site answered HTTP {failure.value.response.status}"
        else:
            why = failure.getErrorMessage() or type(failure.value).__name__
        role = (request.meta.get("gov") or {}).get("role", "start")
        if role == "start":
            self._count("yuqing/start_failed")
            logger.error("gov: start URL %s could not be fetched: %s", request.url, why)
        else:
            self._count("yuqing/request_failed")
            logger.warning("gov: could not fetch %s (%s): %s", request.url, role, why)

    def _html(self, response: Response) -> str | None:
        if not isinstance(response, TextResponse):
            self._count("yuqing/malformed/not_text")
            logger.warning("gov: %s is not a text page (%s); skipped", response.url,
                           response.headers.get("Content-Type", b"?").decode("latin-1"))
            return None
        decoded = decode_page(response.body, response.text, response.encoding)
        if decoded.recoded:
            self._count("yuqing/recoded")
            logger.info("gov: %s declares %s but is %s; decoded as %s", response.url, response.encoding,
                        decoded.encoding, decoded.encoding)
        text = decoded.text
        head = text.lstrip()[:200].lower()
        if "<datastore" in text[:2000].lower() and (head.startswith("<?xml") or head.startswith("<datastore")):
            return parse_datastore(text)  # a JCMS dataproxy.jsp answer
        return text

    # -- parsing ------------------------------------------------------------------------------
    def parse(self, response: Response, **kwargs: Any):
        meta = dict(response.meta.get("gov") or {"source": "adhoc", "start": response.url, "role": "start"})
        html = self._html(response)
        if html is None:
            return
        reached_as = {"record": "record", "list": "page"}.get(meta["role"], "start")
        try:
            reading = read_page(html, response.url, self.rules, reached_as=reached_as)
        except ExtractionError as exc:
            self._count(f"yuqing/malformed/{'empty' if 'empty' in str(exc) else 'unparseable'}")
            logger.warning("gov: %s: %s; skipped", response.url, exc)
            return
        signals, kind = reading.signals, reading.kind
        # The start page's own URL, after redirects (http → https, a folder → its index page):
        # the site is where the page is, not where the start URL pointed.
        scope = meta.get("scope") or site_scope(response.url, signals.home_url)
        meta["scope"] = scope
        logger.debug("gov: %s is %s (%s)", response.url, kind.kind, kind.reason)
        if kind.kind == "list":
            yield from self._follow_list(response, meta, signals, scope)
        else:
            item = self._article(response, reading, meta, kind.reason)
            if item is not None:
                yield item

    def _follow_list(self, response: Response, meta: dict, signals, scope: Scope):
        self._count("yuqing/list_pages")
        if meta["role"] == "start" and not (signals.records or signals.pages or signals.more_lists):
            logger.warning("gov: start URL %s looks like a list but links to no notices or further pages; "
                           "`yuqing explain %s` shows each link and the rule that turned it down",
                           response.url, response.url)
        if meta["role"] == "record" and not scope.allows(response.url):
            return  # a list reached off-site (a WeChat "account home"): not ours to walk
        # Which links are notices is decided link by link (crawler/extraction/links.py):
        # furniture is turned down, a headline link with a date, an article-shaped URL or a
        # place in the page's largest group of repeated rows is followed.
        for record in signals.notices:
            if reachable(record.url, scope, self.rules):
                yield response.follow(record.url, callback=self.parse, errback=self.failed,
                                      meta={"gov": dict(meta, role="record")})
            else:
                self._count("yuqing/offsite")
        for page in [*signals.pages, *signals.more_lists]:
            if not scope.allows(page):
                self._count("yuqing/offsite")
                continue
            asked = self._list_pages.setdefault(meta["start"], set())
            page = response.urljoin(page)
            if page in asked:
                continue
            if len(asked) >= self.max_list_pages:
                self._count("yuqing/list_page_limit")
                logger.info("gov: %s reached %d list pages; not following %s", meta["start"], len(asked), page)
                break
            asked.add(page)
            yield response.follow(page, callback=self.parse, errback=self.failed,
                                  meta={"gov": dict(meta, role="list")})

    def _article(self, response: Response, reading: PageReading, meta: dict,
                 why_article: str = "") -> AnnouncementItem | None:
        self._count("yuqing/articles")
        article, decision = reading.article, reading.decision
        if article is None or decision is None:
            self._count("yuqing/malformed/no_text")
            logger.warning("gov: %s has no main text; skipped", response.url)
            return None
        if not decision.closure:
            self._count("yuqing/not_closure")
            if decision.reason.startswith("excluded: "):
                self._count(f"yuqing/excluded/{decision.reason.split()[1]}")
            if meta["role"] == "start":
                # Said out loud: the user pointed at this page and would otherwise see "stored nothing".
                logger.warning("gov: start URL %s is not a notice list (read as an article: %s) and not a "
                               "closure notice (%s); give the URL of the notice list (通知公告), or run "
                               "`yuqing explain %s` to see what the spider reads there",
                               response.url, why_article, decision.reason, response.url)
            else:
                logger.debug("gov: %s is not a closure notice (%s)", response.url, decision.reason)
            return None
        if not article.published_at:
            self._count("yuqing/no_date")
            logger.warning("gov: closure notice %s states no publication date", response.url)
        logger.info("gov: closure notice %s (%s: %s + %s)", response.url, decision.reason,
                    decision.platform_term, decision.action_term)
        return AnnouncementItem(url=response.url, title=article.title, body=article.body,
                                published_at=article.published_at, issuer=article.issuer,
                                site_name=article.site_name, column=article.column, source=meta["source"],
                                wechat_account=article.wechat_account)
