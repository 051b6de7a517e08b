"""News pages and their comment threads to yuqing items.

Two ways news sites serve comments, both common on Chinese sites:

* server-rendered WordPress comment lists (``<ol class="commentlist">``, replies nested in
  ``<ul class="children">``, pages ``…/comment-page-2/``): WordPress's default themes and
  most themes copying them;
* a JSON API the page's script calls, with cursor paging (``next_cursor`` / ``has_more``),
  announced by a ``data-api`` attribute on the comment box (portals built on
  Changyan-like comment widgets).

Selectors live in :data:`SELECTORS`, grouped by purpose; each names the markup it matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector

from crawler.items import CommentItem
from crawler.parsing.counts import count, count_or_none
from crawler.parsing.regions import ip_region
from crawler.parsing.text import html_to_text, normalise_space
from crawler.parsing.times import iso_time
from core.schema import pseudonymise

PLATFORM = "news"

SELECTORS: dict[str, tuple[str, ...]] = {
    # og:type=article on article pages, "website" on home and list pages (WordPress SEO
    # plugins and portal templates both emit it).
    "is_article": ('meta[property="og:type"][content="article"]', "body.single", "[data-article-id]"),
    "title": ("h1.entry-title::text", "h1::text", 'meta[property="og:title"]::attr(content)', "title::text"),
    "body": (".entry-content p", ".article-body p", "article p"),
    "published": ('meta[property="article:published_time"]::attr(content)', "time.entry-date::attr(datetime)"),
    # The subject city as the site files the article: WordPress category, portal section.
    "section": ('a[rel~="category"]::text', 'meta[property="article:section"]::attr(content)'),
    # List pages: links to articles, and the next list page.
    "article_links": ('h2.entry-title a[rel="bookmark"]::attr(href)', "ul.news-list li a::attr(href)"),
    "next_list_page": ('.pagination a.next::attr(href)', '.nav-links a.next::attr(href)', 'a[rel="next"]::attr(href)'),
    # WordPress comments.
    "wp_comment_total": ("h2.comments-title::text",),
    "wp_next_comment_page": (".comment-navigation a.next::attr(href)", ".comment-pagination a.next::attr(href)"),
    # The JSON comment API announced by the comment box.
    "api_box": ("#comments[data-api]", "[data-comments-api]"),
}

# Words that make a news article about account closures (title or body). From the notices
# themselves (停止更新/注销/关停) and how news reports name them (政务新媒体/政务号/僵尸号).
CLOSURE_WORDS: tuple[str, ...] = (
    "政务新媒体", "政务号", "政务公众号", "政务微博", "政务抖音", "僵尸号", "停更", "停止更新", "注销", "关停",
    "清理整合", "账号整合",
)
_FIRST_NUMBER = re.compile(r"(\d+)\s*条")


@dataclass
class ArticleFields:
    title: str
    text: str
    published_at: str | None
    section: str | None


@dataclass
class ApiPage:
    comments: list[dict]
    next_cursor: str | None
    total: int | None = None


def first(sel: Selector, purpose: str) -> str | None:
    for css in SELECTORS[purpose]:
        value = sel.css(css).get()
        if value and value.strip():
            return value.strip()
    return None


def is_article(sel: Selector) -> bool:
    return any(sel.css(css) for css in SELECTORS["is_article"])


def article_fields(sel: Selector) -> ArticleFields:
    paragraphs: list[str] = []
    for css in SELECTORS["body"]:
        paragraphs = [normalise_space(" ".join(p.css("::text").getall())) for p in sel.css(css)]
        paragraphs = [p for p in paragraphs if p]
        if paragraphs:
            break
    return ArticleFields(
        title=first(sel, "title") or "",
        text="\n".join(paragraphs),
        published_at=iso_time(first(sel, "published")),
        section=first(sel, "section"),
    )


def is_about_closures(fields: ArticleFields) -> bool:
    text = f"{fields.title}\n{fields.text}"
    return any(word in text for word in CLOSURE_WORDS)


def list_links(sel: Selector) -> tuple[list[str], list[str]]:
    """(article links, next list pages) on a list page, as written (relative or absolute)."""
    articles = [h for css in SELECTORS["article_links"] for h in sel.css(css).getall()]
    pages = [h for css in SELECTORS["next_list_page"] for h in sel.css(css).getall()]
    return list(dict.fromkeys(articles)), list(dict.fromkeys(pages))  # several selectors may match one link


def site_key(url: str) -> str:
    """The site part of comment ids (``news:{site}:{id}``): the host without port, so the same
    site crawled through another port keeps its ids."""
    return (urlsplit(url).hostname or "unknown").lower()


def comment_id(site: str, native: Any) -> str:
    return f"{PLATFORM}:{site}:{native}"


def news_author(site: str, user_key: Any, salt: str) -> str | None:
    """Keyed hash (HMAC) of a commenter: the API's user id, or the nickname where a site has no
    ids (the comment is then marked ``weak_id``)."""
    if user_key in (None, ""):
        return None
    return pseudonymise(PLATFORM, f"{site}/{user_key}", salt)


# -- WordPress -----------------------------------------------------------------------------
def wp_comment_total(sel: Selector) -> int | None:
    """The count in "“标题”上有37条评论" (WordPress's comments title)."""
    title = " ".join(sel.css(SELECTORS["wp_comment_total"][0]).getall())
    match = _FIRST_NUMBER.search(title)
    return int(match[1]) if match else None


def wp_next_comment_page(sel: Selector) -> str | None:
    return first(sel, "wp_next_comment_page")


def wp_comments(sel: Selector, post_id: str, site: str, salt: str) -> list[CommentItem]:
    """Every comment on one WordPress comment page, replies linked to their parents."""
    items: list[CommentItem] = []
    for li in sel.css("ol.commentlist > li.comment"):
        _wp_walk(li, None, post_id, site, salt, items)
    return items


def _wp_walk(li: Selector, parent: str | None, post_id: str, site: str, salt: str, out: list[CommentItem]) -> None:
    native = (li.attrib.get("id") or "").removeprefix("comment-")
    if not native:
        return
    body = li.xpath("./article")  # the comment's own body, not its children's
    nickname = normalise_space(" ".join(body.css(".comment-author .fn ::text").getall()))
    text_html = "".join(body.css(".comment-content").xpath("./node()").getall())
    item = CommentItem(
        id=comment_id(site, native),
        post_id=post_id,
        platform=PLATFORM,
        text=html_to_text(text_html),
        reply_to=parent,
        created_at=iso_time(body.css(".comment-metadata time::attr(datetime)").get()),
        author_hash=news_author(site, nickname, salt),
        author_region=ip_region(body.css(".comment-ip::text").get()),
        weak_id=bool(nickname),  # WordPress threads carry names only
    )
    out.append(item)
    for child in li.xpath("./ul[contains(@class, 'children')]/li[contains(@class, 'comment')]"):
        _wp_walk(child, item.id, post_id, site, salt, out)


# -- JSON comment API ----------------------------------------------------------------------
def api_box(sel: Selector) -> tuple[str, str] | None:
    """(API URL as written, article id) from the page's comment box, if it has one."""
    for css in SELECTORS["api_box"]:
        box = sel.css(css)
        if box:
            api = box.attrib.get("data-api") or box.attrib.get("data-comments-api")
            article = box.attrib.get("data-article-id") or sel.css("[data-article-id]::attr(data-article-id)").get()
            if api and article:
                return api, article
    return None


def parse_api_page(data: Any) -> ApiPage | None:
    """A page of the comment API, or None when the answer is not one (error codes, HTML)."""
    if not isinstance(data, dict) or data.get("code") not in (0, "0") or not isinstance(data.get("data"), dict):
        return None
    body = data["data"]
    rows = [c for c in body.get("comments") or [] if isinstance(c, dict)]
    cursor = body.get("next_cursor") if body.get("has_more", True) else None
    total = body.get("total")
    return ApiPage(rows, cursor or None, count_or_none(total))


def api_comments(rows: list[dict], post_id: str, site: str, salt: str) -> list[CommentItem]:
    """Comments and their inline replies from one API page."""
    items: list[CommentItem] = []
    for row in rows:
        parent = _api_item(row, post_id, site, salt, None)
        items.append(parent)
        for reply in row.get("replies") or []:
            if isinstance(reply, dict):
                items.append(_api_item(reply, post_id, site, salt, parent.id))
    return items


def _api_item(row: dict, post_id: str, site: str, salt: str, parent: str | None) -> CommentItem:
    user = row.get("user") if isinstance(row.get("user"), dict) else {}
    reply_to = comment_id(site, row["reply_to"]) if row.get("reply_to") else parent
    return CommentItem(
        id=comment_id(site, row.get("id")),
        post_id=post_id,
        platform=PLATFORM,
        text=html_to_text(str(row.get("content") or "")),
        reply_to=reply_to,
        created_at=iso_time(row.get("created_at")),
        likes=count(row.get("like_count")),
        author_hash=news_author(site, user.get("uid") or user.get("nickname"), salt),
        author_region=ip_region(row.get("ip_location")),
        weak_id=not user.get("uid") and bool(user.get("nickname")),
    )
