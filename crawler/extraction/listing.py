"""List pages: their records (links to notices), their further pages, and whether a page
is a list at all — found generically, with the CMS idioms in ``rules.yaml`` (``listing``):

* headline links with a date in their row (every CMS);
* ``下一页`` / ``尾页`` / numbered page links (TRS, JCMS and ASP templates);
* TRS WCM's ``createPageHTML(total, current, "index", "html")`` → ``index_1.html`` …;
* 大汉 JCMS records kept as CDATA in ``<script type="text/xml">``, and further record groups
  from ``dataproxy.jsp?startrecord=…&endrecord=…&perpage=…``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from crawler.extraction.dates import parse_date
from crawler.extraction.rules import Rules

_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
# A JCMS record: <record><![CDATA[<li>…</li>]]></record> (the <nextgroup> CDATA is not one).
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.DOTALL | re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^\[?\s*\d{1,3}\s*\]?$")
_BLANKS = re.compile(r"\s+")
# A text node this long is prose (a sentence of a notice), not a link label, date or menu.
PROSE_NODE_CHARS = 40
# A list row's text is its headline, date and perhaps a column tag; longer text is a
# paragraph that merely contains a link.
MAX_ROW_CHARS = 160
# How far up from a headline link its row (li/tr/dd) may be: the templates seen wrap the link
# in at most a span and a td (ASP tables) or a div and an h3 (JCMS records).
ROW_SEARCH_DEPTH = 3


@dataclass(frozen=True)
class RecordLink:
    url: str
    text: str
    dated: bool


@dataclass
class ListSignals:
    """What a page offers as a list (used to classify it and to follow it)."""

    records: list[RecordLink] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # further list pages, in page order
    # "更多>>" links: from a home page or a block of several columns to a column's full list.
    # Followed as lists, but not pagination: an article's sidebar has them too.
    more_lists: list[str] = field(default_factory=list)
    pagination: list[str] = field(default_factory=list)  # which idioms were seen: trs, jcms, next, numbers
    prose_chars: int = 0
    home_url: str | None = None

    @property
    def dated_records(self) -> int:
        return sum(1 for r in self.records if r.dated)


def _text(element: lxml_html.HtmlElement) -> str:
    return _BLANKS.sub(" ", element.text_content()).strip()


def _row_text(anchor: lxml_html.HtmlElement) -> str:
    """The text of the list row holding ``anchor``: its li/tr/dd (a few levels up, since the
    headline sits in one cell and the date in the next), else its parent's."""
    for depth, ancestor in enumerate(anchor.iterancestors()):
        if ancestor.tag in ("li", "tr", "dd"):
            return _text(ancestor)[:MAX_ROW_CHARS]
        if ancestor.tag in ("ul", "ol", "table", "body") or depth >= ROW_SEARCH_DEPTH:
            break
    parent = anchor.getparent()
    return _text(parent)[:MAX_ROW_CHARS] if parent is not None else _text(anchor)


def _anchor_label(anchor: lxml_html.HtmlElement) -> str:
    # TRS lists cut long headlines ("关于…的公…") and keep the whole one in @title.
    return _BLANKS.sub(" ", anchor.get("title") or "").strip() or _text(anchor)


def _skip(href: str, rules: Rules) -> bool:
    return any(p.search(href.strip()) for p in rules.listing.skip_link_patterns)


def prose_chars(tree: lxml_html.HtmlElement) -> int:
    """Characters of prose outside links: high on an article, near zero on a list."""
    total = 0
    for text in tree.xpath("//body//text()[not(ancestor::a) and not(ancestor::script)"
                           " and not(ancestor::style)]"):
        text = _BLANKS.sub("", str(text))
        if len(text) >= PROSE_NODE_CHARS:
            total += len(text)
    return total


def jcms_fragments(tree: lxml_html.HtmlElement, rules: Rules) -> tuple[list[lxml_html.HtmlElement], str]:
    """The record fragments of every JCMS datastore on the page, and the datastores' raw text."""
    fragments, raw = [], []
    for script in tree.xpath(rules.listing.jcms_record_xpath):
        text = script.text or ""
        raw.append(text)
        for cdata in _RECORD.findall(text) or _CDATA.findall(text):
            if cdata.strip():
                try:
                    fragments.append(lxml_html.fragment_fromstring(cdata, create_parent="div"))
                except (etree.ParserError, ValueError):
                    continue
    return fragments, "\n".join(raw)


def _jcms_param(name: str, text: str, rules: Rules) -> int | None:
    for pattern in rules.listing.jcms_param_patterns.get(name, ()):
        match = pattern.search(text)
        if match:
            return int(match.group("v"))
    return None


def jcms_pages(page_url: str, fragments: list[lxml_html.HtmlElement], datastore: str, scripts: str,
               rules: Rules) -> list[str]:
    """dataproxy.jsp requests for the record groups the page does not carry itself."""
    if urlsplit(page_url).path.endswith(rules.listing.jcms_proxy_path.rsplit("/", 1)[-1]):
        return []  # a proxy answer: the column page already asked for every group
    records_here = sum(1 for f in fragments if f.xpath(".//a[@href]"))
    total = _jcms_param("totalRecord", datastore + "\n" + scripts, rules)
    if not total or total <= records_here or records_here == 0:
        return []
    per_page = _jcms_param("perPage", scripts, rules) or records_here
    # The proxy's own address, as the page states it in <nextgroup> (real sites: site-absolute).
    proxy = None
    for href in re.findall(r'href\s*=\s*["\']([^"\']*dataproxy\.jsp[^"\']*)["\']', datastore + scripts):
        proxy = urljoin(page_url, href.replace("&amp;", "&"))
        break
    if proxy is None:
        proxy = urljoin(page_url, rules.listing.jcms_proxy_path)
    parts = urlsplit(proxy)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    for name in ("columnid", "unitid", "webid"):
        value = _jcms_param(name, scripts + "\n" + datastore, rules)
        if value is not None and name not in params:
            params[name] = str(value)
    group = max(records_here, per_page)
    urls = []
    for start in range(records_here + 1, total + 1, group):
        query = dict(params, startrecord=str(start), endrecord=str(min(start + group - 1, total)),
                     perpage=str(per_page))
        urls.append(urlunsplit(parts._replace(query=urlencode(query))))
    return urls


def trs_pages(page_url: str, scripts: str, rules: Rules) -> list[str]:
    """``createPageHTML(5, 0, "index", "html")`` → index_1.html … index_4.html next to the page."""
    for pattern in rules.listing.trs_page_patterns:
        match = pattern.search(scripts)
        if match:
            total, name, ext = int(match.group("total")), match.group("name"), match.group("ext")
            return [urljoin(page_url, f"{name}_{n}.{ext}") for n in range(1, total)]
    return []


def _records_from(anchors: list[lxml_html.HtmlElement], base: str, rules: Rules,
                  signals: ListSignals, seen: dict[str, int]) -> None:
    for anchor in anchors:
        href = (anchor.get("href") or "").strip()
        if not href or _skip(href, rules):
            continue
        url = urljoin(base, href).split("#", 1)[0]
        label = _anchor_label(anchor)
        if label in rules.listing.next_page_texts or _PAGE_NUMBER.match(label):
            signals.pagination.append("next" if label in rules.listing.next_page_texts else "numbers")
            if url not in signals.pages:
                signals.pages.append(url)
            continue
        if any(p.match(label) for p in rules.listing.more_link_patterns):
            if url not in signals.more_lists:
                signals.more_lists.append(url)
            continue
        if label in rules.listing.home_link_texts and signals.home_url is None:
            signals.home_url = url
            continue
        if len(label) < rules.listing.min_headline_chars:
            continue
        dated = parse_date(_row_text(anchor), rules.dates) is not None
        if url in seen:
            # The same notice in a sidebar (undated) and in the list (dated): dated wins.
            at = seen[url]
            if dated and not signals.records[at].dated:
                signals.records[at] = RecordLink(url, signals.records[at].text, True)
            continue
        seen[url] = len(signals.records)
        signals.records.append(RecordLink(url, label, dated))


def list_signals(tree: lxml_html.HtmlElement, page_url: str, rules: Rules) -> ListSignals:
    """Records, further pages and prose of a page, read from its markup and scripts."""
    signals = ListSignals(prose_chars=prose_chars(tree))
    scripts = "\n".join(s.text or "" for s in tree.xpath("//script[not(@type='text/xml')]"))
    seen: dict[str, int] = {}
    base = (tree.xpath("//base/@href") or [page_url])[0]
    base = urljoin(page_url, base)
    _records_from(tree.xpath("//body//a[@href]"), base, rules, signals, seen)
    fragments, datastore = jcms_fragments(tree, rules)
    for fragment in fragments:
        _records_from(fragment.xpath(".//a[@href]"), base, rules, signals, seen)
    for url in trs_pages(page_url, scripts, rules):
        signals.pagination.append("trs")
        if url not in signals.pages:
            signals.pages.append(url)
    if fragments:
        signals.pagination.append("jcms")
        for url in jcms_pages(page_url, fragments, datastore, scripts, rules):
            if url not in signals.pages:
                signals.pages.append(url)
    here = page_url.split("#", 1)[0]
    signals.pages = [u for u in signals.pages if u.split("#", 1)[0] != here]
    signals.more_lists = [u for u in signals.more_lists if u.split("#", 1)[0] != here and u not in signals.pages]
    return signals


@dataclass(frozen=True)
class PageKind:
    kind: str  # "list" or "article"
    reason: str


def classify_page(signals: ListSignals, rules: Rules, *, has_article_meta: bool, wechat: bool,
                  reached_as: str = "start") -> PageKind:
    """List or article, from the page's content (``reached_as``: start | record | page).

    An article states itself (ArticleTitle meta, a WeChat body) or has prose; a list has
    pagination or many dated headline links and little prose. A page reached as a list's
    record is an article unless it paginates (records are articles; a sub-column is a list);
    one reached through a list's pager is a list unless it has prose (the last page of an
    ASP list has two rows and only a "上一页" link).
    """
    if has_article_meta or wechat:
        return PageKind("article", "article meta" if has_article_meta else "wechat article")
    prose = signals.prose_chars >= rules.listing.article_min_chars
    if signals.pagination and not prose:
        return PageKind("list", f"pagination ({', '.join(sorted(set(signals.pagination)))})")
    if reached_as == "page" and not prose:
        return PageKind("list", "reached through a pager")
    if reached_as == "record":
        return PageKind("article", "reached as a record")
    if signals.dated_records >= rules.listing.min_dated_links and not prose:
        return PageKind("list", f"{signals.dated_records} dated links")
    return PageKind("article", f"{signals.prose_chars} chars of prose")


def parse_datastore(xml_text: str) -> str:
    """A dataproxy.jsp answer (XML) as an HTML page whose script holds the datastore, so
    that the same code reads column pages and proxy answers."""
    return f'<html><body><script type="text/xml">{xml_text}</script></body></html>'
