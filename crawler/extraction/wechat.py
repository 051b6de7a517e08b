"""WeChat official-account article pages (``mp.weixin.qq.com/s/…``).

Government sites link to the article where a notice first appeared. Its data sits in
fixed places: ``#activity-name`` (title), ``#js_name`` (the account), ``#js_content``
(the text, hidden until scripts run, so generic extractors often return nothing) and the
publish time as epoch seconds in ``var ct = "…"``. Selectors come from ``rules.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import html as lxml_html

from crawler.extraction.dates import epoch_to_iso
from crawler.extraction.rules import Rules

_BLANKS = re.compile(r"[ \t\u3000\xa0]+")


@dataclass(frozen=True)
class WeChatArticle:
    title: str | None
    account: str | None
    body: str
    published_at: str | None


def is_wechat_url(url: str, rules: Rules) -> bool:
    return any(p.search(url) for p in rules.wechat.url_patterns)


def looks_like_wechat(tree: lxml_html.HtmlElement, rules: Rules) -> bool:
    """True when the page has WeChat's article body, wherever it is served from."""
    return any(tree.cssselect(css) for css in rules.wechat.body_css)


def block_text(element: lxml_html.HtmlElement) -> str:
    """Text of an element with one line per block (p, section, br…), blank lines dropped."""
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines: list[str] = []
    for block in element.iter("p", "section", "div", "li", "h1", "h2", "h3", "h4", "tr", "blockquote"):
        block.tail = "\n" + (block.tail or "")
        if block.text:
            block.text = "\n" + block.text
    for line in element.text_content().split("\n"):
        line = _BLANKS.sub(" ", line).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def _first_text(tree: lxml_html.HtmlElement, selectors: tuple[str, ...]) -> str | None:
    for css in selectors:
        for element in tree.cssselect(css):
            text = _BLANKS.sub(" ", element.text_content()).strip()
            if text:
                return text
    return None


def extract_wechat(tree: lxml_html.HtmlElement, html: str, rules: Rules) -> WeChatArticle:
    published = None
    for pattern in rules.wechat.publish_time_patterns:
        match = pattern.search(html)
        if match:
            published = epoch_to_iso(int(match.group("epoch")), rules.dates)
            break
    body = ""
    for css in rules.wechat.body_css:
        found = tree.cssselect(css)
        if found:
            body = block_text(found[0])
            break
    return WeChatArticle(
        title=_first_text(tree, rules.wechat.title_css),
        account=_first_text(tree, rules.wechat.account_css),
        body=body,
        published_at=published,
    )
