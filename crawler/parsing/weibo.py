"""Weibo mobile JSON (m.weibo.cn) answers to yuqing items.

The answers, as the real endpoints send them:

* search ``/api/container/getIndex?containerid=100103type=1&q=…&page_type=searchall&page=N``:
  ``{"ok":1,"data":{"cardlistInfo":{"page":N+1},"cards":[{"card_type":9,"mblog":{…}}, …]}}``;
  some cards are groups (``card_type`` 11) whose ``card_group`` holds more type-9 cards.
* long text ``/statuses/extend?id=…``: ``{"ok":1,"data":{"longTextContent":"…html…"}}``.
* comments ``/comments/hotflow?id=…&mid=…&max_id=…&max_id_type=…``:
  ``{"ok":1,"data":{"data":[…],"total_number":N,"max_id":X,"max_id_type":T}}``.
* replies ``/comments/hotFlowChild?cid=…&max_id=…``:
  ``{"ok":1,"data":[…],"total_number":N,"max_id":X,"max_id_type":T}`` (no inner ``data``).

Ids are ``weibo:{id}``; authors become a salted hash here, so a screen name or user id
never reaches an item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from crawler.items import CommentItem, PostItem
from crawler.parsing.counts import count, count_or_none
from crawler.parsing.regions import ip_region
from crawler.parsing.text import fragment_text, html_to_text
from crawler.parsing.times import iso_time, parse_weibo_time
from core.schema import pseudonymise

PLATFORM = "weibo"
# Search result cards holding a post, and the group cards wrapping them.
CARD_POST = 9
CARD_GROUP = 11


def weibo_id(native: Any) -> str:
    return f"{PLATFORM}:{native}"


def search_url(base_url: str, keyword: str, page: int) -> str:
    """The keyword search (``type=1``: all results) as m.weibo.cn pages it."""
    containerid = quote(f"100103type=1&q={keyword}", safe="")
    url = f"{base_url}/api/container/getIndex?containerid={containerid}&page_type=searchall"
    return url if page <= 1 else f"{url}&page={page}"


def extend_url(base_url: str, post_id: str) -> str:
    return f"{base_url}/statuses/extend?id={post_id}"


def hotflow_url(base_url: str, post_id: str, mid: str, max_id: int = 0, max_id_type: int = 0) -> str:
    url = f"{base_url}/comments/hotflow?id={post_id}&mid={mid}"
    return url + (f"&max_id={max_id}&max_id_type={max_id_type}" if max_id else f"&max_id_type={max_id_type}")


def child_url(base_url: str, comment_id: str, max_id: int = 0) -> str:
    return f"{base_url}/comments/hotFlowChild?cid={comment_id}&max_id={max_id}&max_id_type=0"


def detail_url(base_url: str, mid: str) -> str:
    """A post's public page. The ``/detail/{mid}`` form is used because the
    ``weibo.com/{uid}/{bid}`` form would put the author's user id in the store."""
    return f"{base_url}/detail/{mid}"


@dataclass
class SearchPage:
    mblogs: list[dict]
    next_page: int | None


@dataclass
class CommentPage:
    comments: list[dict]
    max_id: int
    max_id_type: int
    total_number: int | None = None


@dataclass
class MblogInfo:
    """What the spider needs from a search card before it builds the item."""

    id: str
    mid: str
    is_long: bool
    created: datetime | None
    comments_count: int


def parse_search(data: dict) -> SearchPage:
    """Posts on one search page and the next page number (None when there is none)."""
    body = data.get("data") or {}
    mblogs: list[dict] = []
    for card in body.get("cards") or []:
        if card.get("card_type") == CARD_POST and isinstance(card.get("mblog"), dict):
            mblogs.append(card["mblog"])
        elif card.get("card_type") == CARD_GROUP:
            mblogs.extend(c["mblog"] for c in card.get("card_group") or []
                          if c.get("card_type") == CARD_POST and isinstance(c.get("mblog"), dict))
    next_page = (body.get("cardlistInfo") or {}).get("page")
    try:
        next_page = int(next_page) if next_page else None
    except (TypeError, ValueError):
        next_page = None
    return SearchPage(mblogs, next_page)


def mblog_info(mblog: dict, now: datetime | None = None) -> MblogInfo:
    return MblogInfo(
        id=str(mblog.get("id") or mblog.get("mid")),
        mid=str(mblog.get("mid") or mblog.get("id")),
        is_long=bool(mblog.get("isLongText")),
        created=parse_weibo_time(mblog.get("created_at"), now),
        comments_count=count(mblog.get("comments_count")),
    )


def long_text(data: dict) -> str | None:
    """The full HTML of a long post from a ``/statuses/extend`` answer, if it has one."""
    content = (data.get("data") or {}).get("longTextContent")
    return content if isinstance(content, str) and content.strip() else None


def parse_hotflow(data: dict) -> CommentPage:
    body = data.get("data") or {}
    return CommentPage(
        comments=[c for c in body.get("data") or [] if isinstance(c, dict)],
        max_id=count(body.get("max_id")),
        max_id_type=count(body.get("max_id_type")),
        total_number=count_or_none(body.get("total_number")),
    )


def parse_child(data: dict) -> CommentPage:
    rows = data.get("data")
    return CommentPage(
        comments=[c for c in rows or [] if isinstance(c, dict)] if isinstance(rows, list) else [],
        max_id=count(data.get("max_id")),
        max_id_type=count(data.get("max_id_type")),
        total_number=count_or_none(data.get("total_number")),
    )


def post_item(mblog: dict, base_url: str, salt: str, full_html: str | None = None,
              keyword: str | None = None, now: datetime | None = None) -> PostItem:
    """A PostItem from a search card's mblog (and the long text, when fetched)."""
    info = mblog_info(mblog, now)
    parsed = fragment_text(full_html if full_html is not None else mblog.get("text"))
    return PostItem(
        id=weibo_id(info.id),
        url=detail_url(base_url, info.mid),
        platform=PLATFORM,
        text=parsed.text,
        author_hash=author_hash(mblog.get("user"), salt),
        created_at=info.created.isoformat() if info.created else None,
        region=ip_region(mblog.get("region_name")),
        reposts=count(mblog.get("reposts_count")),
        likes=count(mblog.get("attitudes_count")),
        comments_reported=info.comments_count,
        keyword=keyword,
        links=parsed.links,
    )


def comment_item(comment: dict, post_id: str, salt: str, reply_to: str | None = None,
                 now: datetime | None = None) -> CommentItem:
    """A CommentItem from a hotflow / hotFlowChild row. ``reply_to`` is the parent
    comment's item id for second-level replies."""
    return CommentItem(
        id=weibo_id(comment.get("id") or comment.get("mid")),
        post_id=post_id,
        platform=PLATFORM,
        text=html_to_text(comment.get("text")),
        reply_to=reply_to,
        created_at=iso_time(comment.get("created_at"), now),
        likes=count(comment.get("like_count", comment.get("like_counts"))),
        author_hash=author_hash(comment.get("user"), salt),
        author_region=ip_region(comment.get("source")),
    )


def inline_replies(comment: dict) -> list[dict]:
    """Replies a hotflow row carries inline (``comments`` is ``false`` when there are none)."""
    rows = comment.get("comments")
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def reply_count(comment: dict) -> int:
    return count(comment.get("total_number"))


def author_hash(user: Any, salt: str) -> str | None:
    """Salted hash of the user id; None for deleted accounts (``user`` null)."""
    if not isinstance(user, dict) or user.get("id") in (None, ""):
        return None
    return pseudonymise(PLATFORM, user["id"], salt)
