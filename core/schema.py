"""The documents yuqing stores, as the store and the API see them.

Documents travel as plain JSON-ready dicts (``dataclasses.asdict`` of these classes);
dates are ISO-8601 strings (``published_at`` etc. with timezone where known, dates
``YYYY-MM-DD``). Ids are stable so a re-crawl updates instead of duplicating:
announcements and posts from news sites hash their canonical URL, platform objects
use ``platform:native_id``.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

Kind = Literal["announcement", "account", "post", "comment", "crawl_run", "alert", "page"]
KINDS: tuple[Kind, ...] = ("announcement", "account", "post", "comment", "crawl_run", "alert", "page")

# The date each kind is filtered and bucketed by (date_from / date_to, timelines).
DATE_FIELD: dict[str, str] = {
    "announcement": "published_at",
    "account": "effective_date",
    "post": "created_at",
    "comment": "created_at",
    "crawl_run": "started_at",
    "alert": "day",
    "page": "checked_at",
}

# Fields searched full-text per kind (title first: a title hit ranks higher).
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "announcement": ("title", "body"),
    "account": ("name", "successor"),
    "post": ("title", "text"),
    "comment": ("text",),
    "crawl_run": (),
    "alert": (),
    "page": (),
}

# Exact-match filter fields per kind. A list-valued field (themes, platforms) matches
# when it contains the value.
FILTER_FIELDS: dict[str, tuple[str, ...]] = {
    "announcement": ("city", "province", "district", "platforms", "themes", "issuer", "sentiment_label", "status"),
    "account": ("city", "province", "platform", "action", "announcement_id"),
    "post": ("city", "province", "platform", "themes", "sentiment_label", "stance", "partial"),
    "comment": ("city", "province", "platform", "post_id", "themes", "sentiment_label", "stance", "author_region"),
    "crawl_run": ("spider", "status"),
    "alert": ("rule", "city", "kind"),
    "page": ("source",),
}

LIST_FIELDS = frozenset({"platforms", "themes", "accounts", "reasons"})

# Fields that change on every crawl without the document changing. A re-sent document
# that differs only in these counts as unchanged and is not rewritten, so a scheduled
# re-crawl reports what is really new; ``crawled_at`` is when this version was fetched.
VOLATILE_FIELDS = frozenset({"crawled_at"})

# The time the crawler observed a document. Every store keeps the newest observation of an
# id whatever order writes arrive in (a spill loaded after a re-crawl, two crawlers on one
# store): an older observation never replaces a newer one. Microseconds, because a post and
# its thread-end amendment are observed within the same second.
OBSERVED_FIELD = "crawled_at"


@dataclass
class Announcement:
    id: str
    url: str
    title: str
    body: str
    published_at: str | None = None
    issuer: str | None = None
    site_name: str | None = None
    column: str | None = None
    province: str | None = None
    city: str | None = None
    district: str | None = None
    admin_code: str | None = None
    place_ambiguous: bool = False
    platforms: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    accounts: list[dict] = field(default_factory=list)
    sentiment: float | None = None
    sentiment_label: str | None = None
    sentiment_model: str | None = None
    crawled_at: str | None = None
    content_hash: str | None = None
    source: str | None = None  # sources.yaml id or "adhoc"
    wechat_account: str | None = None  # WeChat article pages: the publishing account (issue 18)
    # History (crawler/history.py): live | edited | taken_down (ANNOUNCEMENT_STATUSES).
    status: str = "live"
    first_seen: str | None = None  # when this notice was first stored
    # Earlier versions, oldest first: {title, body, content_hash, first_seen, last_seen}.
    versions: list[dict] = field(default_factory=list)
    # Takedown evidence: when the notice was first found missing (404/410, redirected to the
    # site's home page, gone from its list), how many runs in a row confirmed it, and why.
    missing_since: str | None = None
    missing_count: int = 0
    missing_reason: str | None = None


@dataclass
class Account:
    id: str  # "{announcement_id}:{n}"
    name: str
    platform: str
    action: str  # stop_updating | deregister | merge
    announcement_id: str
    issuer: str | None = None
    province: str | None = None
    city: str | None = None
    effective_date: str | None = None
    successor: str | None = None
    reasons: list[str] = field(default_factory=list)
    confidence: float | None = None  # 0–1, how sure the registry is (analysis/account_mentions.py)
    evidence: str | None = None  # the notice's sentence that closes it


@dataclass
class Post:
    id: str  # "weibo:{mid}" or "news:{url hash}"
    url: str
    platform: str  # weibo | news
    text: str
    title: str | None = None
    author_hash: str | None = None
    created_at: str | None = None
    province: str | None = None
    city: str | None = None
    region: str | None = None  # 发布于 X (IP location of the poster, province level)
    links: list[str] = field(default_factory=list)  # outside links; an announcement among them gives the city
    themes: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)  # platforms the text names (wechat, weibo…)
    sentiment: float | None = None
    sentiment_label: str | None = None
    sentiment_model: str | None = None
    stance: str | None = None
    stance_model: str | None = None  # which stance model scored it (like sentiment_model)
    reposts: int = 0
    likes: int = 0
    comments_reported: int | None = None
    comments_fetched: int = 0
    partial: bool = False
    partial_reason: str | None = None
    keyword: str | None = None
    crawled_at: str | None = None


@dataclass
class Comment:
    id: str  # "weibo:{id}" / "news:{site}:{id}"
    post_id: str
    platform: str
    text: str
    reply_to: str | None = None
    created_at: str | None = None
    likes: int = 0
    author_hash: str | None = None
    author_region: str | None = None  # IP 属地, province only
    # The site gives no user id, so author_hash is the keyed hash of a nickname: two people may
    # share one and one may change it, so distinct-voice counts over these are estimates.
    weak_id: bool = False
    province: str | None = None  # subject place, from the post
    city: str | None = None
    themes: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)  # platforms the text names (wechat, weibo…)
    sentiment: float | None = None
    sentiment_label: str | None = None
    sentiment_model: str | None = None
    stance: str | None = None
    stance_model: str | None = None  # which stance model scored it (like sentiment_model)
    crawled_at: str | None = None


@dataclass
class CrawlRun:
    id: str
    spider: str
    started_at: str
    finished_at: str | None = None
    status: str = "running"  # core/vocabulary.CRAWL_STATUSES
    counts: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    args: dict = field(default_factory=dict)
    # Liveness (store/crawl_runs.py): a run whose process died is settled as "interrupted".
    heartbeat_at: str | None = None
    heartbeat_every: float | None = None  # seconds between heartbeats
    process: str | None = None  # "host:pid"
    # The store was down: where the documents it could not take went, and how many.
    spill_file: str | None = None
    spilled: int = 0


@dataclass
class Alert:
    """Something a rule of ``alert_rules`` found after a crawl run (analysis/alerts.py)."""

    id: str  # "{rule}:{key}:{day}": one alert per rule, subject and day, however many runs see it
    rule: str  # comment_spike | negative_jump | oppose_jump | watched_closure
    kind: str  # the kind of document the rule read
    day: str  # the day the spike or notice is about (YYYY-MM-DD)
    message: str
    city: str | None = None
    value: float | None = None  # what was measured that day
    baseline: float | None = None  # what it was held against (trailing median, share)
    threshold: float | None = None
    document_id: str | None = None  # watched_closure: the notice
    created_at: str | None = None
    run_id: str | None = None
    delivered: bool = False  # POSTed to the webhook


@dataclass
class FetchedPage:
    """What a notice page answered when last fetched (crawler/incremental.py): the validators a
    re-crawl sends back, and when it was fetched and last found unchanged."""

    id: str  # url_id of the URL the list links to
    url: str
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None  # last 200
    checked_at: str | None = None  # last 200 or 304
    source: str | None = None


SCHEMAS: dict[str, type] = {
    "announcement": Announcement,
    "account": Account,
    "post": Post,
    "comment": Comment,
    "crawl_run": CrawlRun,
    "alert": Alert,
    "page": FetchedPage,
}

KIND_OF_SCHEMA: dict[type, str] = {cls: kind for kind, cls in SCHEMAS.items()}


def kind_of(document: object) -> str | None:
    """The kind of a document dataclass (None for anything else)."""
    return KIND_OF_SCHEMA.get(type(document))


def to_document(kind: str, doc: dict):
    """A document dict as its kind's dataclass; ValueError naming fields the schema lacks
    (a label added in analysis must be declared here too, so every store and the API know it)."""
    cls = SCHEMAS[kind]
    unknown = sorted(set(doc) - set(cls.__dataclass_fields__))
    if unknown:
        raise ValueError(f"{kind} has fields core/schema.py does not declare: {', '.join(unknown)}")
    return cls(**doc)


def observed_now() -> str:
    """Now in UTC to the microsecond: a document's observation time (OBSERVED_FIELD)."""
    return datetime.now(timezone.utc).isoformat()


def now_iso() -> str:
    """Now in UTC, to the second: the time a document was crawled or a run started."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# Kinds whose documents carry a pseudonymised author: summaries count distinct voices.
AUTHORED_KINDS = frozenset(kind for kind, cls in SCHEMAS.items() if "author_hash" in cls.__dataclass_fields__)

# Query-string parameters that decide identity on real sites; everything else
# (tracking, session ids) is dropped before hashing.
_KEEP_QUERY = frozenset({"id", "articleid", "artid", "infoid", "docid", "uid", "p", "page", "mid"})


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop fragment, default ports and tracking parameters."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if k.lower() in _KEEP_QUERY))
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, query, ""))


def url_id(url: str) -> str:
    """Stable document id: first 16 hex digits of SHA-256 of the canonical URL."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:16]


def content_hash(*parts: str | None) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update((p or "").encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()[:16]


def pseudonymise(platform: str, user_id: str | int, salt: str) -> str:
    """Salted hash of an author: count distinct voices without knowing names."""
    msg = f"{platform}:{user_id}".encode("utf-8")
    return hmac.new(salt.encode("utf-8"), msg, hashlib.sha256).hexdigest()[:16]
