"""List pages: their records (links to notices), their further pages, and whether a page
is a list at all — found generically, with the CMS idioms in ``rules.yaml`` (``listing``):

* notice links, decided link by link from several signals (``crawler/extraction/links.py``);
* ``下一页`` / ``尾页`` / numbered page links (TRS, JCMS and ASP templates, ``?page=N``,
  ``pageNo=N``, ``index_N.html``, ``column-index-N.shtml``);
* TRS WCM's ``createPageHTML(total, current, "index", "html")`` → ``index_1.html`` … (a total
  of 1 still marks a list);
* 大汉 JCMS records kept as CDATA in ``<script type="text/xml">``, and further record groups
  from ``dataproxy.jsp?startrecord=…&endrecord=…&perpage=…``;
* ``javascript:goPage(3)`` pagers whose URL the page's script builds (``"list_" + n + ".html"``);
* ``第1页/共N页`` pager text (a list even with one page; ``last_page`` on the last).

The crawl never loops: a further page is asked once per start URL (the spider's set of
asked pages), and the page itself is never its own next page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from crawler.extraction.links import LinkDecision, LinkGroups, RegionFinder, anchor_label, decide_link, find_groups
from crawler.extraction.rules import Rules

_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
# A JCMS record: <record><![CDATA[<li>…</li>]]></record> (the <nextgroup> CDATA is not one).
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.DOTALL | re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^\[?\s*\d{1,3}\s*\]?$")
_BLANKS = re.compile(r"\s+")
# A text node this long is prose (a sentence of a notice), not a link label, date or menu.
PROSE_NODE_CHARS = 40


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
    prose_chars: int = 0  # outside the largest group of repeated rows (a list's summaries are the list's)
    home_url: str | None = None
    # Every headline-like link and what was decided about it (``yuqing explain`` prints them).
    links: list[LinkDecision] = field(default_factory=list)
    main_group_size: int = 0
    last_page: bool = False  # the pager says this is the last page (第2页/共2页)

    @property
    def notices(self) -> list[LinkDecision]:
        """The links followed as notices, once each."""
        seen, out = set(), []
        for link in self.links:
            if link.kind == "headline" and link.follow and link.url not in seen:
                seen.add(link.url)
                out.append(link)
        return out

    @property
    def dated_records(self) -> int:
        return sum(1 for r in self.records if r.dated)


def _skip(href: str, rules: Rules) -> bool:
    return any(p.search(href.strip()) for p in rules.listing.skip_link_patterns)


def prose_chars(tree: lxml_html.HtmlElement, groups: LinkGroups | None = None) -> int:
    """Characters of prose outside links (and outside the rows of the page's largest group of
    repeated structures): high on an article, near zero on a list."""
    skip = set(groups.rows.get(groups.largest, ())) if groups is not None and groups.main_size >= 2 else set()
    total = 0
    for text in tree.xpath("//body//text()[not(ancestor::a) and not(ancestor::script)"
                           " and not(ancestor::style)]"):
        if skip and any(a in skip for a in text.getparent().iterancestors()) or text.getparent() in skip:
            continue
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


def js_pager_template(scripts: str, rules: Rules) -> tuple[str, str] | None:
    """The (prefix, suffix) a page's pager function puts around the page number, if any."""
    for pattern in rules.listing.js_pager_url_patterns:
        match = pattern.search(scripts)
        if match:
            return match.group("prefix"), match.group("suffix")
    return None


def _js_page(href: str, template: tuple[str, str] | None, rules: Rules) -> str | None:
    """``javascript:goPage(3)`` → ``list_3.html`` when the page's script says how. Page 1 is
    the page itself on every such pager seen (its function special-cases it), so not asked."""
    if template is None:
        return None
    for pattern in rules.listing.js_pager_call_patterns:
        match = pattern.match(href)
        if match and int(match.group("n")) >= 2:
            return f"{template[0]}{match.group('n')}{template[1]}"
    return None


def _records_from(anchors: list[lxml_html.HtmlElement], base: str, rules: Rules, signals: ListSignals,
                  seen: dict[str, int], groups: LinkGroups, js_template: tuple[str, str] | None,
                  regions: dict) -> None:
    for anchor in anchors:
        href = (anchor.get("href") or "").strip()
        if not href:
            continue
        label = anchor_label(anchor)
        is_pager_label = label in rules.listing.next_page_texts or bool(_PAGE_NUMBER.match(label))
        if _skip(href, rules):
            target = _js_page(href, js_template, rules) if is_pager_label else None
            if target is None:
                signals.links.append(LinkDecision(href, label, False, "skip_pattern", kind="link"))
                continue
            href = target
            signals.pagination.append("javascript")
        url = urljoin(base, href).split("#", 1)[0]
        if is_pager_label:
            signals.pagination.append("next" if label in rules.listing.next_page_texts else "numbers")
            signals.links.append(LinkDecision(url, label, True, "pager", kind="page"))
            if url not in signals.pages:
                signals.pages.append(url)
            continue
        if any(p.match(label) for p in rules.listing.more_link_patterns):
            signals.links.append(LinkDecision(url, label, True, "more_link", kind="more"))
            if url not in signals.more_lists:
                signals.more_lists.append(url)
            continue
        if label in rules.listing.home_link_texts and signals.home_url is None:
            signals.links.append(LinkDecision(url, label, False, "home_link", kind="home"))
            signals.home_url = url
            continue
        if len(label) < rules.listing.min_headline_chars:
            signals.links.append(LinkDecision(url, label, False, "short_label", kind="link"))
            continue
        decision = decide_link(anchor, url, label, rules, groups, regions[anchor])
        signals.links.append(decision)
        dated = decision.dated
        if url in seen:
            # The same notice in a sidebar (undated) and in the list (dated): dated wins.
            at = seen[url]
            if dated and not signals.records[at].dated:
                signals.records[at] = RecordLink(url, signals.records[at].text, True)
            continue
        seen[url] = len(signals.records)
        signals.records.append(RecordLink(url, label, dated))


def _pager_text(tree: lxml_html.HtmlElement, rules: Rules) -> tuple[int, int] | None:
    """(current, total) from "第1页/共2页"-style pager text, if the page prints one."""
    # Only the elements whose own text says 页 or 条 (the pager line), not the whole page.
    holders = set()
    for node in tree.xpath("//body//text()[(contains(., '页') or contains(., '条')) and not(ancestor::script)]"):
        holder = node.getparent()
        holders.add(holder.getparent() if node.is_tail and holder is not None else holder)
    text = " ".join(_BLANKS.sub(" ", h.text_content()) for h in holders if h is not None)
    for pattern in rules.listing.pager_text_patterns:
        match = pattern.search(text)
        if match:
            return int(match.group("current")), int(match.group("total"))
    return None


def list_signals(tree: lxml_html.HtmlElement, page_url: str, rules: Rules) -> ListSignals:
    """Records, further pages and prose of a page, read from its markup and scripts."""
    scripts = "\n".join(s.text or "" for s in tree.xpath("//script[not(@type='text/xml')]"))
    seen: dict[str, int] = {}
    base = (tree.xpath("//base/@href") or [page_url])[0]
    base = urljoin(page_url, base)
    fragments, datastore = jcms_fragments(tree, rules)
    # JCMS records are one CDATA fragment each: put them side by side so that they form the
    # repeated group they are on the rendered page.
    records_box = lxml_html.Element("div")
    for fragment in fragments:
        records_box.append(fragment)
    body_anchors = tree.xpath("//body//a[@href]")
    jcms_anchors = records_box.xpath(".//a[@href]")
    # Furniture (a sidebar of five hot items) must not outnumber a list of one or three rows.
    finder = RegionFinder(rules)
    regions = {a: finder.of(a) for a in body_anchors + jcms_anchors}
    groups = find_groups([a for a in body_anchors + jcms_anchors
                          if regions[a] is None and len(anchor_label(a)) >= rules.listing.min_headline_chars])
    signals = ListSignals(prose_chars=prose_chars(tree, groups), main_group_size=groups.main_size)
    js_template = js_pager_template(scripts, rules)
    _records_from(body_anchors, base, rules, signals, seen, groups, js_template, regions)
    _records_from(jcms_anchors, base, rules, signals, seen, groups, js_template, regions)
    if any(p.search(scripts) for p in rules.listing.trs_page_patterns):
        signals.pagination.append("trs")  # createPageHTML(1, 0, …): a one-page TRS list is a list
    for url in trs_pages(page_url, scripts, rules):
        if url not in signals.pages:
            signals.pages.append(url)
    if fragments:
        signals.pagination.append("jcms")
        for url in jcms_pages(page_url, fragments, datastore, scripts, rules):
            if url not in signals.pages:
                signals.pages.append(url)
    pager = _pager_text(tree, rules)
    if pager is not None:
        signals.pagination.append("pager_text")
        signals.last_page = pager[0] >= pager[1]
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
    ASP list has two rows and only a "上一页" link). A start URL is a list when it links to
    notices and has no prose of its own — whatever its row count (the last page of a column,
    a new column, a 专题 page): the user pointed at it as a list.
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
    notices = len(signals.notices)
    if reached_as == "start" and notices and not prose:
        return PageKind("list", f"start URL linking to {notices} notice(s)")
    if signals.dated_records >= rules.listing.min_dated_links and not prose:
        return PageKind("list", f"{signals.dated_records} dated links")
    return PageKind("article", f"{signals.prose_chars} chars of prose")


def parse_datastore(xml_text: str) -> str:
    """A dataproxy.jsp answer (XML) as an HTML page whose script holds the datastore, so
    that the same code reads column pages and proxy answers."""
    return f'<html><body><script type="text/xml">{xml_text}</script></body></html>'
