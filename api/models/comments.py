"""Comment response models."""

from __future__ import annotations

from pydantic import Field

from api.models.common import Identified, PublicModel


class CommentBase(PublicModel):
    post_id: str
    platform: str
    text: str
    reply_to: str | None = Field(None, description="Parent comment id for a second-level reply.")
    created_at: str | None = None
    likes: int = 0
    author_hash: str | None = None
    author_region: str | None = Field(None, description="Commenter's IP-location province.")
    weak_id: bool = Field(False, description="The site has no user ids: author_hash is the keyed hash of a nickname "
                          "(people may share one), so distinct-author counts over these are estimates.")
    province: str | None = None
    city: str | None = Field(None, description="Subject city, from the post.")
    themes: list[str] = Field(default_factory=list)
    platforms: list[str] = Field(default_factory=list, description="Platforms the text names: wechat, weibo, douyin, app…")
    sentiment: float | None = None
    sentiment_label: str | None = None
    sentiment_model: str | None = None
    stance: str | None = None
    stance_model: str | None = None  # which stance model scored it
    crawled_at: str | None = None


class CommentPublic(CommentBase, Identified):
    score: float | None = None
    highlights: dict[str, list[str]] = Field(default_factory=dict)
