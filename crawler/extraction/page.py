"""One page as the gov spider reads it: list or article, and what follows from that.

The spider (``crawler/spiders/gov.py``) and ``yuqing explain`` both call :func:`read_page`,
so what explain prints is what the crawl does: the list signals and the page kind, and for
an article the extracted fields and the closure decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.extraction.article import Article, extract_article, parse_html
from crawler.extraction.closure import ClosureDecision, decide_closure
from crawler.extraction.listing import ListSignals, PageKind, classify_page, list_signals
from crawler.extraction.rules import Rules
from crawler.extraction.wechat import is_wechat_url


@dataclass(frozen=True)
class PageReading:
    url: str
    kind: PageKind
    signals: ListSignals
    has_article_meta: bool
    # For an article page (None on a list): the extraction and the closure decision.
    article: Article | None = None
    decision: ClosureDecision | None = None


def read_page(html: str, url: str, rules: Rules, *, reached_as: str = "start") -> PageReading:
    """Classify ``html`` and read it as the crawl would (``reached_as``: start | record | page).

    Raises ``ExtractionError`` for an empty or binary page."""
    tree = parse_html(html)
    signals = list_signals(tree, url, rules)
    has_meta = any(tree.xpath("//meta[@name=$n]/@content", n=name) for name in rules.meta.title)
    kind = classify_page(signals, rules, has_article_meta=has_meta, wechat=is_wechat_url(url, rules),
                         reached_as=reached_as)
    if kind.kind == "list":
        return PageReading(url, kind, signals, has_meta)
    article = extract_article(html, url, rules, tree)
    decision = decide_closure(article.title, article.body, rules.closure) if article.body else None
    return PageReading(url, kind, signals, has_meta, article, decision)
