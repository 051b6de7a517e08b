"""Crawl-run response model."""

from __future__ import annotations

from pydantic import Field

from api.models.common import Identified


class CrawlRunPublic(Identified):
    spider: str
    started_at: str
    finished_at: str | None = None
    status: str = Field(description="running, finished, partial, failed or interrupted (the process died: "
                        "noticed by the next crawl run or `yuqing serve` from its missing heartbeat).")
    counts: dict = Field(default_factory=dict, description="Pages, items, stored documents, blocks, errors.")
    errors: list[str] = Field(default_factory=list)
    args: dict = Field(default_factory=dict)
    heartbeat_at: str | None = Field(None, description="Last sign of life of the crawl process.")
    heartbeat_every: float | None = Field(None, description="Seconds between heartbeats.")
    process: str | None = Field(None, description="host:pid of the crawl process.")
    spill_file: str | None = Field(None, description="Where the documents went that the store could not take "
                                   "(load them with `yuqing index load FILE`).")
    spilled: int = Field(0, description="Documents written to spill_file instead of the store.")
