"""Follow a government site's list pages the way its CMS paginates, collecting detail links.

Test-side only: it knows each style's idiom on purpose (the spider must not), so that the
gold data can be checked against what the lists really lead to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from demo.sites import GovSite

Fetch = Callable[[str], bytes]

CREATE_PAGE = re.compile(r'createPageHTML\((\d+),\s*(\d+),\s*"(\w+)",\s*"(\w+)"\)')
RECORD_HREF = re.compile(r'<record><!\[CDATA\[.*?href="([^"]+)"', re.S)
TOTAL = re.compile(r"<totalrecord>(\d+)</totalrecord>")


def _path(base: str, href: str) -> str:
    parts = urlsplit(urljoin(base, href))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def detail_paths(site: GovSite, base_url: str, fetch: Fetch) -> tuple[set[str], list[str]]:
    """(detail page paths linked from the lists, list page URLs visited)."""
    start = base_url + site.list_path
    if site.style == "trs":
        return _trs(start, fetch)
    if site.style == "jcms":
        return _jcms(start, fetch)
    return _asp(site, start, fetch)


def _trs(start: str, fetch: Fetch) -> tuple[set[str], list[str]]:
    first = fetch(start).decode("utf-8")
    count, _, name, ext = CREATE_PAGE.search(first).groups()
    pages = [urljoin(start, f"{name}.{ext}" if i == 0 else f"{name}_{i}.{ext}") for i in range(int(count))]
    found: set[str] = set()
    for url in pages:
        sel = Selector(text=fetch(url).decode("utf-8"))
        found |= {_path(url, h) for h in sel.css("div.list ul a::attr(href)").getall()}
    return found, pages


def _jcms(start: str, fetch: Fetch) -> tuple[set[str], list[str]]:
    page = fetch(start).decode("utf-8")
    sel = Selector(text=page)
    store = sel.css('script[type="text/xml"]::text').get()
    hrefs = RECORD_HREF.findall(store)
    total = int(TOTAL.search(store).group(1))
    proxy = re.search(r'proxyUrl:\s*"([^"]+)"', page).group(1)
    column = re.search(r"columnid:\s*(\d+)", page).group(1)
    per_page = int(re.search(r"perPage:\s*(\d+)", page).group(1))
    visited = [start]
    while len(hrefs) < total:
        url = urljoin(start, f"{proxy}?startrecord={len(hrefs) + 1}&endrecord={len(hrefs) + per_page}"
                             f"&perpage={per_page}&columnid={column}&webid=1&path=/")
        visited.append(url)
        more = RECORD_HREF.findall(fetch(url).decode("utf-8"))
        assert more, f"dataproxy returned no records at {url}"
        hrefs += more
    return {_path(start, h) for h in hrefs}, visited


def _asp(site: GovSite, start: str, fetch: Fetch) -> tuple[set[str], list[str]]:
    found: set[str] = set()
    visited: list[str] = []
    url: str | None = start
    while url:
        visited.append(url)
        sel = Selector(text=fetch(url).decode(site.encoding))
        found |= {_path(url, h) for h in sel.css("td.listA a::attr(href)").getall()}
        nxt = sel.xpath('//a[text()="下一页"]/@href').get()
        url = urljoin(url, nxt) if nxt else None
    return found, visited
