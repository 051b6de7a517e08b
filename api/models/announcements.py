"""Announcement response models."""

from __future__ import annotations

from pydantic import Field

from api.models.accounts import AccountPublic
from api.models.common import Identified, PublicModel


class AnnouncementBase(PublicModel):
    url: str = Field(description="Source page, for citing.")
    title: str
    published_at: str | None = Field(None, description="ISO date or datetime of publication.")
    issuer: str | None = None
    site_name: str | None = None
    column: str | None = None
    province: str | None = None
    city: str | None = Field(None, description="Prefecture-level city of the issuer.")
    district: str | None = None
    admin_code: str | None = None
    place_ambiguous: bool = False
    platforms: list[str] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    sentiment: float | None = Field(None, description=(
        "snownlp's raw score, 0 (negative) … 1 (positive). Not meaningful for formal notices (snownlp scores "
        "them near 0 or 1 whatever they say): kept for research, never labelled or summarised."))
    sentiment_label: str | None = Field(None, description=(
        "Always null for announcements since issue 18 (see `sentiment`); documents stored before may carry one."))
    sentiment_model: str | None = None
    crawled_at: str | None = None
    content_hash: str | None = None
    source: str | None = None
    wechat_account: str | None = Field(None, description=(
        "WeChat article pages: the official account that published the notice (本公众号 refers to it)."))
    status: str = Field("live", description="live, edited (earlier versions kept: /announcements/{id}/history) "
                        "or taken_down.")
    first_seen: str | None = Field(None, description="When the notice was first stored.")
    missing_since: str | None = Field(None, description="When a crawl first found it gone (404/410, redirected "
                                      "home, off its list); set for taken_down.")
    missing_count: int = Field(0, description="Runs in a row that found it gone.")
    missing_reason: str | None = Field(None, description="How it was found gone: HTTP 404, redirected to the "
                                       "home page, gone from its list.")


class AnnouncementHit(AnnouncementBase, Identified):
    """One search result: the document without its body, plus highlighted snippets."""

    score: float | None = None
    highlights: dict[str, list[str]] = Field(default_factory=dict, description=(
        "Field → snippets; matches wrapped in <mark>…</mark>, the rest HTML-escaped."))
    excerpt: str = Field("", description="Start of the body, for results without a body highlight.")


class AnnouncementPublic(AnnouncementBase, Identified):
    """The full document, with its body and the closed accounts stored for it."""

    body: str
    accounts: list[AccountPublic] = Field(default_factory=list)
