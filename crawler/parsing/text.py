"""Weibo-style HTML fragments to plain text.

Weibo (and the comment systems copying it) send ``text`` as a small HTML fragment:

* emoji as ``<img alt="[允悲]" src="…/yunbei.png">``, usually wrapped in
  ``<span class="url-icon">`` — the alt text *is* the opinion ("[怒]", "[赞]"), so it is kept;
* link cards as ``<a href="https://weibo.cn/sinaurl?u=…"><span class="url-icon"><img src="…card…"></span>
  <span class="surl-text">网页链接</span></a>`` — the card icon has no alt and is dropped;
* topics ``<a href="…search?…">#话题#</a>`` and mentions ``<a href="/n/某某">@某某</a>``;
* ``<br />`` for line breaks, and a trailing ``…<a href="/status/…">全文</a>`` on truncated
  previews of long posts.

Mentions name other users. Authors are pseudonymised everywhere, so a screen name must not
slip into the store through the text: mentions are masked (``@某用户``) and the
``回复@某某:`` prefix of replies is dropped (``reply_to`` keeps the link instead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import lxml.html
from lxml import etree

MENTION_MASK = "@某用户"

# "回复@某某:" / "回复@某某：" opens a second-level reply on Weibo (and on many news sites).
_REPLY_PREFIX = re.compile(r"^\s*回复\s*@[^:：\s]{1,40}\s*[:：]\s*")
# A mention ends at whitespace or punctuation; Weibo nicknames are 4–30 characters of
# letters, digits, CJK, "_" and "-".
_MENTION = re.compile(r"@[\w\-\u4e00-\u9fff]{1,30}")
# The truncated preview of a long post ends with "…全文" / "...全文".
_FULL_TEXT_TAIL = re.compile(r"(\.\.\.|…)\s*全文\s*$")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


@dataclass
class FragmentText:
    """A fragment's visible text and the outside links it carried."""

    text: str
    links: list[str] = field(default_factory=list)


def fragment_text(html: str | None) -> FragmentText:
    """Plain text of a Weibo HTML fragment, with emoji as alt text and mentions masked."""
    if not html:
        return FragmentText("")
    root = lxml.html.fragment_fromstring(f"<div>{html}</div>")
    links: list[str] = []
    for node in list(root.iter()):
        if not isinstance(node.tag, str):
            continue  # comments and processing instructions
        if node.tag == "img":
            _replace_with_text(node, node.get("alt") or "")
        elif node.tag == "br":
            _replace_with_text(node, "\n")
        elif node.tag == "a":
            href = outside_link(node.get("href") or "")
            if href:
                links.append(href)
    text = root.text_content()
    text = _REPLY_PREFIX.sub("", text)
    text = _MENTION.sub(MENTION_MASK, text)
    text = _FULL_TEXT_TAIL.sub("", text)
    return FragmentText(normalise_space(text), links)


def html_to_text(html: str | None) -> str:
    """Shorthand for :func:`fragment_text` when only the text matters."""
    return fragment_text(html).text


def is_truncated_preview(html: str | None) -> bool:
    """True when the fragment is a long post's preview (ends with a 全文 link)."""
    return bool(html) and bool(_FULL_TEXT_TAIL.search(lxml.html.fragment_fromstring(f"<div>{html}</div>").text_content()))


def outside_link(href: str) -> str | None:
    """The real target of a link leaving Weibo, or None for Weibo's own links.

    Link cards point at ``weibo.cn/sinaurl?u=<target>``; topic and mention links stay on
    Weibo and say nothing about the subject.
    """
    if not href or href.startswith(("/", "#")):
        return None
    parts = urlsplit(href)
    if parts.path.endswith("/sinaurl"):
        target = parse_qs(parts.query).get("u")
        return target[0] if target else None
    host = (parts.hostname or "").lower()
    if host.endswith(("weibo.cn", "weibo.com", "sinaimg.cn")):
        return None
    return href if parts.scheme in ("http", "https") else None


def normalise_space(text: str) -> str:
    """Collapse runs of spaces and blank lines; strip each line."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r", "").split("\n")]
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()


def _replace_with_text(node: etree._Element, text: str) -> None:
    """Put ``text`` (plus the node's tail) where ``node`` was, then remove the node."""
    parent = node.getparent()
    if parent is None:
        return
    joined = text + (node.tail or "")
    prev = node.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + joined
    else:
        parent.text = (parent.text or "") + joined
    parent.remove(node)
