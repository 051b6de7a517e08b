"""Crawl-run response model."""

from __future__ import annotations

from pydantic import Field

from api.models.common import Identified


class CrawlRunPublic(Identified):
    spider: str
    started_at: str
    finished_at: str | None = None
    status: str = Field(description="running, finished, partial or failed.")
    counts: dict = Field(default_factory=dict, description="Pages, items, stored documents, blocks, errors.")
    errors: list[str] = Field(default_factory=list)
    args: dict = Field(default_factory=dict)
