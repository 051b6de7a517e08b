"""Corpus markup to the HTML each platform sends, and to the text a careful reader sees.

Markup is plain text with three kinds of tokens: ``[允悲]`` emoji, ``#话题#`` topics and
``{link:URL}`` link cards. :func:`plain_text` is the gold text the spiders must recover.

A link card's URL may be root-relative (``{link:/gov/kunming/…}``): it points at a page of
the offline web itself (an announcement a post discusses), and the app serving the post
makes it absolute on the host the request came to (:func:`absolute_links`), as a real post
links to the real site. Live-looking URLs (``http://www.km.gov.cn/…``) are served as written.
"""

from __future__ import annotations

import re
import zlib
from html import escape
from urllib.parse import quote

_LOCAL_LINK = re.compile(r"\{link:(/[^}]*)\}")
_TOKEN = re.compile(r"(\[[^\[\]\s]{1,8}\]|#[^#\s]{1,30}#|\{link:[^}]+\})")

# m.weibo.cn's emoji images (the file names differ per emoji; one pattern is enough here).
EMOJI_SRC = "https://h5.sinaimg.cn/m/emoticon/icon/default/d_{slug}-{size}.png"
LINK_ICON_SRC = "https://h5.sinaimg.cn/upload/2015/09/25/3/timeline_card_small_web_default.png"


def tokens(markup: str) -> list[str]:
    return [t for t in _TOKEN.split(markup) if t]


def absolute_links(markup: str, origin: str | None) -> str:
    """``{link:/path}`` cards made absolute on ``origin`` (``http://127.0.0.1:8765``);
    unchanged without an origin or for links that are absolute already."""
    if not origin:
        return markup
    return _LOCAL_LINK.sub(lambda m: "{link:" + origin.rstrip("/") + m[1] + "}", markup)


def local_links(markup: str) -> list[str]:
    """The root-relative link targets in ``markup`` (pages of the offline web)."""
    return _LOCAL_LINK.findall(markup)


def weibo_html(markup: str, origin: str | None = None) -> str:
    """As m.weibo.cn sends ``text``: emoji as ``<span class="url-icon"><img alt>``, topics and
    link cards as ``<a>`` with ``<span class="surl-text">`` (local links made absolute on
    ``origin``)."""
    out = []
    for token in tokens(absolute_links(markup, origin)):
        if token.startswith("[") and token.endswith("]"):
            slug = _stable(token) % 997  # any stable-looking file name
            out.append(f'<span class="url-icon"><img alt="{escape(token)}" src="{EMOJI_SRC.format(slug=slug, size=72)}" '
                       f'style="width:1em; height:1em;" /></span>')
        elif token.startswith("#") and token.endswith("#"):
            q = quote(f"100103type=1&q={token}", safe="")
            out.append(f'<a  href="https://m.weibo.cn/search?containerid={q}&extparam={quote(token[1:-1])}" '
                       f'data-hide=""><span class="surl-text">{escape(token)}</span></a>')
        elif token.startswith("{link:"):
            url = token[len("{link:"):-1]
            out.append(f'<a data-url="http://t.cn/A6{_stable(url) % 99999:05d}" '
                       f'href="https://weibo.cn/sinaurl?u={quote(url, safe="")}" data-hide="">'
                       f'<span class=\'url-icon\'><img style=\'width: 1rem;height: 1rem\' src=\'{LINK_ICON_SRC}\'></span>'
                       f'<span class="surl-text">网页链接</span></a>')
        else:
            out.append(escape(token, quote=False))
    return "".join(out)


def weibo_preview(markup: str, post_id: str, limit: int, origin: str | None = None) -> str | None:
    """The truncated preview of a post longer than ``limit`` characters, ending in "…全文"
    like the real one (cut only between tokens), or None when the post is short."""
    if len(plain_text(markup)) <= limit:
        return None
    kept, length = [], 0
    for token in tokens(markup):
        visible = len(_plain_token(token))
        if length + visible > limit:
            if not _TOKEN.fullmatch(token):
                kept.append(token[: max(limit - length, 0)])
            break
        kept.append(token)
        length += visible
    return weibo_html("".join(kept), origin) + f'...<a href="/status/{post_id}">全文</a>'


def wordpress_html(markup: str) -> str:
    """As WordPress renders a comment: smilies as ``<img class="wp-smiley" alt>``."""
    out = []
    for token in tokens(markup):
        if token.startswith("[") and token.endswith("]"):
            out.append(f'<img src="/news/static/smilies/{_stable(token) % 97}.png" alt="{escape(token)}" '
                       f'class="wp-smiley" style="height: 1em; max-height: 1em;" />')
        else:
            out.append(escape(_plain_token(token), quote=False))
    return "".join(out)


def plain_text(markup: str) -> str:
    """What a reader sees: emoji as their alt text, topics as written, link cards as 网页链接."""
    return "".join(_plain_token(t) for t in tokens(markup))


def _plain_token(token: str) -> str:
    return "网页链接" if token.startswith("{link:") else token


def _stable(text: str) -> int:
    """A hash that is the same in every process (``hash()`` is salted per process)."""
    return zlib.crc32(text.encode("utf-8"))
