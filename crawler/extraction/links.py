"""Which links of a list page are notices: several signals read together, each decision
named by the rule that made it (``yuqing explain`` prints them; the spider follows them).

A link is a *candidate* when its label (text, or ``title=`` when the text is cut short)
reads like a headline. A candidate is turned down by a negative — it sits in navigation, a
breadcrumb, a footer, 友情链接 or a sidebar box of hot/related items (found by the box's tag,
class/id words or heading, ``rules.yaml`` ``listing.regions``), or it is an article's
上一篇/下一篇 link. Otherwise it is followed when at least one positive holds:

* ``date`` — a date in its row, or in a sibling of the link or of the link's cell (card
  layouts put ``<time>`` next to ``<a><h2>``; tables put the date in the next ``<td>``;
  ``<dl>`` lists in the ``<dd>``);
* ``url_shape`` — the URL has the shape of an article on a government CMS
  (``listing.article_url_patterns``);
* ``main_group`` — the link belongs to the largest group of repeated sibling structures
  on the page (the way record-region detectors find the records of a list), with at least
  two members.

The largest group is also what the page classifier leaves out of a list's "prose": the
summary under every row of a list is the list's, not an article's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from lxml import html as lxml_html

from crawler.extraction.dates import parse_date
from crawler.extraction.rules import Rules

_BLANKS = re.compile(r"\s+")
_WORDS = re.compile(r"[^a-z0-9]+")
# A list row's text is its headline, date and perhaps a column tag; longer text is a
# paragraph that merely contains a link.
MAX_ROW_CHARS = 160
# How far up from a headline link its row (li/tr/dd) may be: the templates seen wrap the link
# in at most a span and a td (ASP tables) or a div and an h3 (JCMS records).
ROW_SEARCH_DEPTH = 3
# How far up from the link the sibling holding its date may hang: <a>'s own sibling (<time>
# after <a><h2>), its cell's (<td> after <td>, <dd> after <dt>), its cell's parent's.
SIBLING_DATE_DEPTH = 2
# A group of repeated structures is a list's record region from this many members on.
MIN_GROUP = 2


@dataclass(frozen=True)
class LinkDecision:
    url: str
    text: str
    follow: bool  # followed as a notice
    rule: str  # what decided: a negative ("region:nav", "prev_next") or "signals"/"no_signal"
    signals: tuple[str, ...] = ()  # the positives seen: date, url_shape, main_group
    dated: bool = False
    # headline: a headline-like link (follow = followed as a notice); page / more: followed as a
    # further list page; home: the site's home link (sets the crawl's scope); link: anything else.
    kind: str = "headline"


@dataclass
class LinkGroups:
    """The repeated sibling structures of a page: the group of every anchor, and the largest."""

    group_of: dict[lxml_html.HtmlElement, tuple] = field(default_factory=dict)
    sizes: dict[tuple, int] = field(default_factory=dict)
    rows: dict[tuple, list[lxml_html.HtmlElement]] = field(default_factory=dict)
    largest: tuple | None = None

    def in_main_group(self, anchor: lxml_html.HtmlElement) -> bool:
        key = self.group_of.get(anchor)
        return key is not None and key == self.largest and self.sizes[key] >= MIN_GROUP

    @property
    def main_size(self) -> int:
        return self.sizes.get(self.largest, 0) if self.largest is not None else 0


def text_of(element: lxml_html.HtmlElement) -> str:
    return _BLANKS.sub(" ", element.text_content()).strip()


def anchor_label(anchor: lxml_html.HtmlElement) -> str:
    # TRS lists cut long headlines ("关于…的公…") and keep the whole one in @title.
    return _BLANKS.sub(" ", anchor.get("title") or "").strip() or text_of(anchor)


def row_text(anchor: lxml_html.HtmlElement) -> str:
    """The text of the list row holding ``anchor``: its li/tr/dd (a few levels up, since the
    headline sits in one cell and the date in the next), else its parent's."""
    for depth, ancestor in enumerate(anchor.iterancestors()):
        if ancestor.tag in ("li", "tr", "dd"):
            return text_of(ancestor)[:MAX_ROW_CHARS]
        if ancestor.tag in ("ul", "ol", "table", "body") or depth >= ROW_SEARCH_DEPTH:
            break
    parent = anchor.getparent()
    return text_of(parent)[:MAX_ROW_CHARS] if parent is not None else text_of(anchor)


def _sibling_dated(anchor: lxml_html.HtmlElement, rules: Rules) -> bool:
    node = anchor
    for _ in range(SIBLING_DATE_DEPTH + 1):
        for sibling in (node.getnext(), node.getprevious()):
            # A sibling with a link of its own is another row; its date is not this link's.
            if (sibling is not None and isinstance(sibling.tag, str) and sibling.tag != "a"
                    and not sibling.xpath(".//a")):
                text = text_of(sibling)
                if len(text) <= 40 and parse_date(text, rules.dates) is not None:
                    return True
        node = node.getparent()
        if node is None or node.tag in ("ul", "ol", "table", "body"):
            break
    return False


def is_dated(anchor: lxml_html.HtmlElement, rules: Rules) -> bool:
    return parse_date(row_text(anchor), rules.dates) is not None or _sibling_dated(anchor, rules)


def _words(element: lxml_html.HtmlElement) -> set[str]:
    return set(_WORDS.split(f"{element.get('class') or ''} {element.get('id') or ''}".lower())) - {""}


def _heading(element: lxml_html.HtmlElement) -> str:
    """The box's heading: the text of its first child element when that is short (read only
    as far as needed: the first child of a page wrapper holds the whole page)."""
    for child in element.iterchildren():
        if not isinstance(child.tag, str):
            continue
        text = ""
        for piece in child.itertext():
            text += piece.strip()
            if len(text) > 12:
                return ""
        return text
    return ""


def _own_region(element: lxml_html.HtmlElement, rules: Rules) -> str | None:
    regions = rules.listing.regions
    if element.tag in regions.tags:
        return regions.tags[element.tag]
    words = _words(element)
    for name, names in regions.class_words.items():
        if words & names:
            return name
    heading = _heading(element)
    if heading:
        for name, pattern in regions.heading_patterns.items():
            if pattern.search(heading):
                return name
    return None


class RegionFinder:
    """The furniture an anchor sits in (nav, breadcrumb, footer, friends, sidebar), or None:
    the nearest ancestor that names one by tag, class/id word or heading. Each element is
    looked at once per page (a page has hundreds of links under the same few boxes)."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self._cache: dict[lxml_html.HtmlElement, str | None] = {}

    def of(self, anchor: lxml_html.HtmlElement) -> str | None:
        path = []
        found = None
        for ancestor in anchor.iterancestors():
            if ancestor.tag in ("body", "html"):
                break
            if ancestor in self._cache:
                found = self._cache[ancestor]
                break
            path.append(ancestor)
        # Resolve from the top down: an element's region is its own, else its parent's.
        for element in reversed(path):
            found = _own_region(element, self.rules) or found
            self._cache[element] = found
        return found


def region_of(anchor: lxml_html.HtmlElement, rules: Rules) -> str | None:
    """The furniture ``anchor`` sits in (one-off; a page's links use one ``RegionFinder``)."""
    return RegionFinder(rules).of(anchor)


def _prefix_words(anchor: lxml_html.HtmlElement, rules: Rules) -> bool:
    """上一篇：/下一篇： in front of the link (an article's neighbours, not a list's rows)."""
    parent = anchor.getparent()
    before = (anchor.getprevious().tail if anchor.getprevious() is not None else parent.text if parent is not None else "") or ""
    return any(p.search(before.strip()[-8:]) for p in rules.listing.prev_next_patterns)


def find_groups(anchors: list[lxml_html.HtmlElement]) -> LinkGroups:
    """Group anchors by (container, row tag and class, path from row to anchor): the row is the
    lowest ancestor that has a sibling of its own tag, the container that sibling's parent."""
    groups = LinkGroups()
    urls: dict[tuple, set[str]] = defaultdict(set)
    for anchor in anchors:
        node, path = anchor, [anchor.tag]
        row = None
        while True:
            parent = node.getparent()
            if parent is None or parent.tag in ("body", "html"):
                break
            if sum(1 for c in parent.iterchildren(node.tag)) >= 2:
                row = node
                break
            node = parent
            path.append(node.tag)
        if row is None:
            continue
        # The parent element itself (not its id(): lxml makes a new proxy per access).
        key = (row.getparent(), row.tag, row.get("class") or "", "/".join(reversed(path)))
        groups.group_of[anchor] = key
        urls[key].add(anchor.get("href") or "")
        groups.rows.setdefault(key, [])
        if row not in groups.rows[key]:
            groups.rows[key].append(row)
    groups.sizes = {k: len(v) for k, v in urls.items()}
    if groups.sizes:
        groups.largest = max(groups.sizes, key=lambda k: groups.sizes[k])
    return groups


def decide_link(anchor: lxml_html.HtmlElement, url: str, label: str, rules: Rules, groups: LinkGroups,
                region: str | None) -> LinkDecision:
    """Follow a headline-like link as a notice or not, and the rule that decided."""
    dated = is_dated(anchor, rules)
    if region is not None:
        return LinkDecision(url, label, False, f"region:{region}", (), dated)
    if _prefix_words(anchor, rules):
        return LinkDecision(url, label, False, "prev_next", (), dated)
    signals = []
    if dated:
        signals.append("date")
    if any(p.search(url) for p in rules.listing.article_url_patterns):
        signals.append("url_shape")
    if groups.in_main_group(anchor):
        signals.append("main_group")
    if not signals:
        return LinkDecision(url, label, False, "no_signal", (), dated)
    return LinkDecision(url, label, True, "signals", tuple(signals), dated)
