"""Reading government pages: articles (title, date, issuer, text), list pages (records and
pagination) and the closure decision. All patterns live in ``crawler/rules.yaml``."""

from crawler.extraction.article import Article, ExtractionError, extract_article, parse_html
from crawler.extraction.closure import ClosureDecision, decide_closure
from crawler.extraction.listing import ListSignals, PageKind, classify_page, list_signals, parse_datastore
from crawler.extraction.rules import Rules, RulesError, load_rules, reset_rules

__all__ = [
    "Article", "ClosureDecision", "ExtractionError", "ListSignals", "PageKind", "Rules", "RulesError",
    "classify_page", "decide_closure", "extract_article", "list_signals", "load_rules", "parse_datastore",
    "parse_html", "reset_rules",
]
