"""What the gov spider sees on one page, for ``yuqing explain URL``.

The page is fetched once (plain HTTP, the crawl's User-Agent), turned into the Scrapy
response the crawl would get (``responsetypes`` picks text or binary from the headers and
bytes, as the downloader does), decoded by the spider's own ``_html`` and read by
``read_page`` — the functions the crawl runs, so the explanation cannot drift from the
crawl. The result is a plain dict (what ``--json`` prints; the table is drawn from it).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

from scrapy.http import HtmlResponse, XmlResponse
from scrapy.responsetypes import responsetypes

from crawler.extraction import ExtractionError
from crawler.extraction.page import PageReading, read_page
from crawler.settings import USER_AGENT
from crawler.spiders.gov import GovSpider, check_start_url, reachable, site_scope

# A page that has not answered in this long will not answer a crawl either.
FETCH_TIMEOUT_SECONDS = 20
# Larger than any list or notice page seen (the biggest, a 信息公开 table, was ~400 KB).
MAX_PAGE_BYTES = 10 * 2**20


class ExplainError(RuntimeError):
    """The page cannot be explained: unreachable, not HTML, or binary (one line, for the user)."""


def fetch(url: str):
    """The Scrapy response the crawl would get for ``url`` (raises ``ExplainError``)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as answer:
            body = answer.read(MAX_PAGE_BYTES)
            headers = {k: v for k, v in answer.headers.items()}
            final_url = answer.geturl()
    except urllib.error.HTTPError as exc:
        raise ExplainError(f"{url} answered HTTP {exc.code} ({exc.reason})") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ExplainError(f"cannot reach {url}: {reason}") from None
    cls = responsetypes.from_args(headers=headers, url=final_url, body=body)
    return cls(url=final_url, body=body, headers=headers, status=200)


def _link(link, scope, rules) -> dict[str, Any]:
    follow, rule = link.follow, link.rule
    if scope is not None and follow and link.kind == "headline" and not reachable(link.url, scope, rules):
        follow, rule = False, "offsite"
    if scope is not None and follow and link.kind in ("page", "more") and not scope.allows(link.url):
        follow, rule = False, "offsite"
    return {"follow": follow, "kind": link.kind, "rule": rule, "signals": list(link.signals),
            "text": link.text, "url": link.url}


def explain(url: str, reached_as: str = "start") -> dict[str, Any]:
    """Everything the crawl decides about ``url`` (raises ``StartUrlError`` for a bad URL,
    ``ExplainError`` for a page that cannot be read)."""
    check_start_url(url)
    spider = GovSpider(start_urls=url)
    response = fetch(url)
    # The crawl reads any text response; explain is for pages, so plain text and JSON are refused too.
    if not isinstance(response, (HtmlResponse, XmlResponse)):
        kind = response.headers.get("Content-Type", b"?").decode("latin-1")
        raise ExplainError(f"{response.url} is not an HTML page (Content-Type: {kind})")
    html = spider._html(response)
    try:
        reading = read_page(html, response.url, spider.rules, reached_as=reached_as)
    except ExtractionError as exc:
        raise ExplainError(f"{response.url} cannot be read: {exc}") from None
    return _as_dict(reading, spider, reached_as)


def _as_dict(reading: PageReading, spider: GovSpider, reached_as: str = "start") -> dict[str, Any]:
    s = reading.signals
    # A start URL sets the crawl's scope; a record or further page is judged within the scope
    # of the start URL that led there, which one page cannot know: then nothing is offsite.
    scope = site_scope(reading.url, s.home_url) if reached_as == "start" else None
    out: dict[str, Any] = {
        "url": reading.url,
        "kind": reading.kind.kind,
        "reason": reading.kind.reason,
        "signals": {"prose_chars": s.prose_chars, "largest_repeated_group": s.main_group_size,
                    "pagination": sorted(set(s.pagination)), "last_page": s.last_page,
                    "notice_links": len(s.notices), "article_meta": reading.has_article_meta},
        "scope": scope.scheme_host + scope.prefix if scope is not None else None,
    }
    if reading.kind.kind == "list":
        out["links"] = [_link(link, scope, spider.rules) for link in s.links]
        out["next_pages"] = [u for u in s.pages if scope is None or scope.allows(u)]
        out["more_lists"] = [u for u in s.more_lists if scope is None or scope.allows(u)]
        return out
    a, d = reading.article, reading.decision
    if a is not None:
        out["article"] = {
            "title": {"value": a.title, "source": a.title_source},
            "date": {"value": a.published_at, "source": a.date_source, "overruled": a.date_overruled},
            "issuer": {"value": a.issuer, "source": a.issuer_source},
            "body_chars": len(a.body),
        }
    out["closure"] = (None if d is None else {"closure": d.closure, "reason": d.reason, "sentence": d.evidence,
                                              "platform_term": d.platform_term, "action_term": d.action_term})
    return out
