"""What spiders yield. Spiders only parse: no analysis, no storage, no pseudonymisation
of anything but authors (which must never leave the spider in the clear)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class AnnouncementItem:
    """A government page the closure rules accepted."""

    url: str
    title: str
    body: str
    published_at: str | None = None  # ISO date or datetime (+08:00 when the page gives a time)
    issuer: str | None = None  # signature line, else ContentSource / 来源, else SiteName (see crawler/rules.yaml)
    site_name: str | None = None
    column: str | None = None
    source: str | None = None  # sources.yaml id, or "adhoc"
    # WeChat article pages only: the official account that published it (#js_name); the account
    # "本公众号" in the notice refers to (issue 18).
    wechat_account: str | None = None


@dataclass
class PostItem:
    id: str
    url: str
    platform: str
    text: str
    title: str | None = None
    author_hash: str | None = None
    created_at: str | None = None
    region: str | None = None
    subject_city_hint: str | None = None  # a city the page/post names explicitly (news section, category)
    links: list[str] = field(default_factory=list)  # outside links (e.g. the announcement a post discusses)
    reposts: int = 0
    likes: int = 0
    comments_reported: int | None = None
    comments_fetched: int = 0
    partial: bool = False
    partial_reason: str | None = None
    keyword: str | None = None


@dataclass
class CommentItem:
    id: str
    post_id: str
    platform: str
    text: str
    reply_to: str | None = None
    created_at: str | None = None
    likes: int = 0
    author_hash: str | None = None
    author_region: str | None = None
    weak_id: bool = False  # author_hash is of a nickname (the site has no user ids): guessable, not stable


@dataclass
class ThreadCoverageItem:
    """Sent when a post's comment thread ends (fully or not): updates the post's coverage."""

    post_id: str
    comments_fetched: int
    comments_reported: int | None = None
    partial: bool = False
    partial_reason: str | None = None


ITEM_KIND: dict[type, str] = {
    AnnouncementItem: "announcement",
    PostItem: "post",
    CommentItem: "comment",
    ThreadCoverageItem: "coverage",
}
