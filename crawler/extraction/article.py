"""Title, date, issuer and main text of a government article page.

Why trafilatura and htmldate: they are the maintained, evaluated extractors for exactly
this job (main text without navigation, sidebars and footers; publication dates from
markup and URLs), they work on an lxml tree we already have, and both are tested on
non-English pages. They miss what is particular to Chinese government sites, which this
module adds from ``rules.yaml``: the guideline meta tags (``ArticleTitle``, ``PubDate``,
``ContentSource``, ``ColumnName``, ``SiteName``), dates written with labels
(``发布时间：``) or as ``2024年5月10日``, ``<title>`` suffixes naming the site, the
``来源：`` line and the signature (落款) as the issuer, and WeChat article pages.

Stages of ``extract_article`` (numbers match the comments in the code):

1. parse the page (broken HTML is repaired by lxml; an empty page is an ``ExtractionError``);
2. read the guideline meta tags;
3. WeChat article pages: their fixed ids and ``var ct`` publish time;
4. trafilatura: main text and a fallback title;
5. title: ArticleTitle > WeChat title > trafilatura's > ``<title>``, then the site suffix is cut;
6. date: PubDate > a labelled date on the page (or WeChat's ``ct``) > htmldate (markup and
   URL only) > the last date of the body (the signature date);
7. issuer: signature line > ContentSource > ``来源：`` line > SiteName > WeChat account name;
   in a forwarded notice (转发/转载) ContentSource and ``来源：`` come before the signature
   (why: see ``rules.yaml``, section ``issuer``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import htmldate
import trafilatura
from lxml import etree
from lxml import html as lxml_html

from crawler.extraction.dates import date_at_start, labelled_date, last_date
from crawler.extraction.rules import IssuerRules, Rules
from crawler.extraction.titles import clean_title, strip_site_suffix
from crawler.extraction.wechat import extract_wechat, is_wechat_url, looks_like_wechat

logger = logging.getLogger(__name__)

_BLANKS = re.compile(r"[ \t\u3000\xa0]+")
_SPACES = re.compile(r"\s+")
# Where a 来源 value stops: spaces, separators, or the next label of the info line.
_VALUE_END = re.compile(r"[\s|｜,，;；]|浏览|点击|字号|发布|作者|责任编辑|编辑")


# Below this, precision mode kept less than one sentence of a notice (the shortest closure
# notices seen, "本公众号自即日起停止更新，感谢关注！", are about 20 characters; 40 leaves room for
# a heading that precision mode keeps on its own).
PRECISE_TEXT_MIN_CHARS = 40


class ExtractionError(ValueError):
    """The page holds nothing to extract (empty, or not HTML)."""


@dataclass(frozen=True)
class Article:
    url: str
    title: str
    body: str
    published_at: str | None
    issuer: str | None
    site_name: str | None
    column: str | None
    date_source: str | None  # meta | label | wechat | htmldate | signature
    issuer_source: str | None  # meta | label | signature | site_name | wechat_account
    wechat: bool
    wechat_account: str | None = None  # the publishing official account, on WeChat article pages
    title_source: str | None = None  # meta | wechat | trafilatura | html_title
    # The date the other source gave when the sources disagreed (shown by ``yuqing explain``).
    date_overruled: str | None = None


# Two dates a day apart are one date across time zones or a late edit; further apart, the
# meta date is the record's last edit (republished, corrected) and the page shows the real one.
DATE_DISAGREEMENT_DAYS = 1
_TAGS = re.compile(r"<[^>]*>")


def parse_html(html: str) -> lxml_html.HtmlElement:
    if not html or not html.strip():
        raise ExtractionError("empty page")
    if "\x00" in html[:2048]:
        raise ExtractionError("binary content, not HTML")
    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparseable HTML: {exc}") from None
    return tree


def meta_content(tree: lxml_html.HtmlElement, names: tuple[str, ...]) -> str | None:
    for name in names:
        for value in tree.xpath("//meta[@name=$n or @property=$n]/@content", n=name):
            value = _BLANKS.sub(" ", value).strip()
            if value:
                return value
    return None


def visible_lines(tree: lxml_html.HtmlElement) -> list[str]:
    """The page's visible text as lines, in document order (scripts and styles left out)."""
    texts = tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)"
                       " and not(ancestor::noscript)]")
    lines = []
    for text in texts:
        for line in str(text).split("\n"):
            line = _BLANKS.sub(" ", line).strip()
            if line:
                lines.append(line)
    return lines


def labelled_value(lines: list[str], rules: IssuerRules) -> str | None:
    """The value after a ``来源：``-like label, labels tried in the rules' order of preference
    (an uninformative value such as 本站 is skipped)."""
    for label in rules.labels:
        for line in lines:
            at = line.find(label)
            while at >= 0:
                rest = line[at + len(label):]
                if rest[:1] in (":", "：") or rest.lstrip()[:1] in (":", "："):
                    value = rest.lstrip()[1:].lstrip()
                    end = _VALUE_END.search(value)
                    value = value[: end.start()] if end else value
                    value = value.strip("　 ")
                    if len(value) >= 2 and value not in rules.uninformative:
                        return value
                at = line.find(label, at + len(label))
    return None


def signature_line(body: str, rules: Rules) -> str | None:
    """The signing office in the last lines of a notice (dates on those lines ignored)."""
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    for line in reversed(lines[-rules.issuer.max_signature_lines:]):
        for pattern in rules.dates.value_patterns:
            line = pattern.sub("", line).strip()
        if line and any(p.search(line) for p in rules.issuer.signature_patterns):
            return line
    return None


def clean_body(text: str, rules: Rules) -> str:
    """The main text without the navigation lines extractors keep (上一篇/下一篇, 打印…)."""
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(line for line in lines
                     if line and not any(p.search(line) for p in rules.body.drop_line_patterns))


def without_heading(body: str, titles: tuple[str, ...]) -> str:
    """The body without a first line that only repeats the title: TRS and JCMS templates put
    the headline (h1) inside the article container, so trafilatura returns it as the first
    line, while ASP and WeChat pages do not; stripping it makes bodies alike everywhere."""
    first, _, rest = body.partition("\n")
    heading = _SPACES.sub("", first)
    if heading and any(heading == _SPACES.sub("", t) for t in titles if t):
        return rest.lstrip("\n")
    return body


def _html_title(tree: lxml_html.HtmlElement) -> str | None:
    found = tree.xpath("//title/text()")
    return clean_title(found[0]) if found and found[0].strip() else None


def _htmldate(tree: lxml_html.HtmlElement, url: str) -> str | None:
    # extensive_search=False: only what the markup and the URL state. The extensive
    # search reads free text, where sidebars and footers hold other articles' dates.
    try:
        return htmldate.find_date(tree, url=url, extensive_search=False, original_date=True)
    except Exception as exc:  # htmldate raises assorted errors on odd markup; a date is optional
        logger.debug("htmldate failed on %s: %s", url, exc)
        return None


def uses_layout_tables(tree: lxml_html.HtmlElement) -> bool:
    """Old ASP/IIS templates lay the whole page out in nested tables."""
    return bool(tree.xpath("//table[.//table]"))


class _QuietDiscard(logging.Filter):
    """trafilatura warns "discarding data: URL" whenever one mode finds no text; here that is
    expected (precision mode on old table layouts, which the default mode then reads) and
    handled, so the warning only makes a clean crawl look troubled (and counts as a
    WARNING in the crawl's stats). Every other trafilatura message goes through."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("discarding data")


_TRAFILATURA_LOGGER = logging.getLogger("trafilatura.core")
if not any(isinstance(f, _QuietDiscard) for f in _TRAFILATURA_LOGGER.filters):
    _TRAFILATURA_LOGGER.addFilter(_QuietDiscard())


def _trafilatura(tree: lxml_html.HtmlElement, url: str, want_title: bool = True) -> tuple[str, str | None]:
    """Main text (and trafilatura's idea of the title).

    Precision mode first: on short notices in simple templates the default mode finds too
    little in the article and falls back to the whole body, menus and footer included.
    When precision mode keeps less than a sentence, the default mode's text is used.
    Tables are content on modern templates (the list of closed accounts), but on a page laid
    out in nested tables the table mode returns the whole page; there tables are left out
    and the prose inside them is kept.
    The precision pass skips trafilatura's comparison with its fallback extractors (``fast``):
    that comparison (justext's paragraph classifier, mostly) was 8 of the 13 s trafilatura
    spent on the 722 notices of the layout corpus, and the default pass that follows a short
    precise text still has it.
    """
    tables = not uses_layout_tables(tree)
    best: tuple[str, str | None] = ("", None)
    for precision in (True, False):
        # A deep copy each time: trafilatura prunes the tree it is given.
        result = trafilatura.bare_extraction(
            lxml_html.fromstring(lxml_html.tostring(tree)), url=url, with_metadata=want_title,
            include_comments=False, include_tables=tables, include_images=False, deduplicate=False,
            favor_precision=precision, fast=precision,
        )
        if result is None:
            continue
        text = (result.text or "").strip()
        if len(text) >= PRECISE_TEXT_MIN_CHARS:
            return text, result.title
        if len(text) > len(best[0]):
            best = (text, result.title)
    return best


def extract_article(html: str, url: str, rules: Rules, tree: lxml_html.HtmlElement | None = None) -> Article:
    """Everything the spider keeps from one article page (see the module docstring).

    ``tree``: the page already parsed by ``parse_html`` (the spider parses each page once and
    reads it as a list first); it is read, not changed, up to htmldate (step 6)."""
    # 1. parse
    tree = parse_html(html) if tree is None else tree
    # 2. guideline meta tags
    meta_title = meta_content(tree, rules.meta.title)
    meta_date = meta_content(tree, rules.meta.published)
    meta_issuer = meta_content(tree, rules.meta.issuer)
    column = meta_content(tree, rules.meta.column)
    site_name = meta_content(tree, rules.meta.site_name)
    lines = visible_lines(tree)
    # 3. WeChat article pages
    wechat = None
    if is_wechat_url(url, rules) or looks_like_wechat(tree, rules):
        wechat = extract_wechat(lxml_html.fromstring(lxml_html.tostring(tree)), html, rules)
    # 4. main text
    # trafilatura's metadata pass (an eighth of its time) only serves as a title fallback: not
    # needed when the page states ArticleTitle.
    body, extracted_title = _trafilatura(tree, url, want_title=not meta_title)
    if wechat is not None and wechat.body:
        body = wechat.body
    body = clean_body(body, rules)
    # 5. title (and the body without a first line repeating it)
    if meta_title and "<" in meta_title:
        # Some TRS templates write a two-line headline into ArticleTitle with its markup:
        # content="关于…的通知<div>——解读</div>". The words are the title; the tags are not.
        meta_title = _SPACES.sub(" ", _TAGS.sub("", meta_title)).strip() or None
    title_source, raw_title = next(((source, value) for source, value in (
        ("meta", meta_title), ("wechat", wechat.title if wechat else None),
        ("trafilatura", extracted_title), ("html_title", _html_title(tree))) if value), (None, ""))
    title = strip_site_suffix(raw_title, rules.titles, (site_name, column))
    body = without_heading(body, (title, raw_title, extracted_title or ""))
    # 6. date
    published, date_source = None, None
    candidates = (
        ("meta", lambda: date_at_start(meta_date, rules.dates) if meta_date else None),
        ("wechat", lambda: wechat.published_at if wechat else None),
        ("label", lambda: labelled_date("\n".join(lines), rules.dates)),
        ("htmldate", lambda: _htmldate(tree, url)),
        ("signature", lambda: last_date(body, rules.dates)),
    )
    for source, find in candidates:
        published = find()
        if published:
            date_source = source
            break
    overruled = None
    if date_source == "meta":
        shown = labelled_date("\n".join(lines), rules.dates)
        if shown and _days_apart(shown, published) > DATE_DISAGREEMENT_DAYS:
            # The date printed under the title is what the reader sees and what the notice
            # was published on; PubDate was rewritten by a later edit.
            overruled, published, date_source = published, shown, "label (over meta)"
    # 7. issuer
    signed = ("signature", signature_line(body, rules))
    stated = [("meta", meta_issuer), ("label", labelled_value(lines, rules.issuer))]
    forwarded = any(title.startswith(term) for term in rules.issuer.forward_title_terms)
    ordered = stated + [signed] if forwarded else [signed] + stated
    issuer, issuer_source = None, None
    for source, value in (
        *ordered,
        ("site_name", site_name),
        ("wechat_account", wechat.account if wechat else None),
    ):
        if value and value not in rules.issuer.uninformative:
            issuer, issuer_source = value, source
            break
    return Article(url=url, title=title, body=body, published_at=published, issuer=issuer,
                   site_name=site_name or (wechat.account if wechat else None), column=column,
                   date_source=date_source, issuer_source=issuer_source, wechat=wechat is not None,
                   wechat_account=wechat.account if wechat else None,
                   title_source=title_source, date_overruled=overruled)


def _days_apart(a: str, b: str) -> float:
    from datetime import datetime

    try:
        return abs((datetime.fromisoformat(a[:10]) - datetime.fromisoformat(b[:10])).days)
    except ValueError:
        return 0.0
