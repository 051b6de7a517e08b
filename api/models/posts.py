"""Post (Weibo post, news article) response models."""

from __future__ import annotations

from pydantic import Field

from api.models.common import Identified, PublicModel


class PostBase(PublicModel):
    url: str
    platform: str = Field(description="weibo or news.")
    text: str = Field(description="Full text (long posts complete, never the truncated preview).")
    title: str | None = None
    author_hash: str | None = Field(None, description="Salted hash of the author: counts voices, names no one.")
    created_at: str | None = None
    province: str | None = None
    city: str | None = Field(None, description="Subject city.")
    region: str | None = Field(None, description="Poster's IP-location province (发布于).")
    links: list[str] = Field(default_factory=list, description="Outside links in the post; an announcement among them gives the city.")
    themes: list[str] = Field(default_factory=list)
    platforms: list[str] = Field(default_factory=list, description="Platforms the text names: wechat, weibo, douyin, app…")
    sentiment: float | None = None
    sentiment_label: str | None = None
    sentiment_model: str | None = None
    stance: str | None = None
    reposts: int = 0
    likes: int = 0
    comments_reported: int | None = Field(None, description="Comment count the platform reports.")
    comments_fetched: int = Field(0, description="Comments actually crawled.")
    partial: bool = Field(False, description="True when the thread was cut short (block, page limit, error).")
    partial_reason: str | None = None
    keyword: str | None = None
    crawled_at: str | None = None


class PostPublic(PostBase, Identified):
    score: float | None = None
    highlights: dict[str, list[str]] = Field(default_factory=dict)


class PostDetail(PostBase, Identified):
    comments_stored: int = Field(description="Comments of this post in the store (GET /comments?post_id=…).")
