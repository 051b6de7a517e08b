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
