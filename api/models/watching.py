"""Response models of what yuqing watches over time: announcement history, alerts, source health."""

from __future__ import annotations

from pydantic import Field

from api.models.common import Identified, PublicModel


class VersionPublic(PublicModel):
    title: str | None = None
    body: str | None = None
    published_at: str | None = None
    content_hash: str | None = None
    first_seen: str | None = Field(None, description="When this version was first stored.")
    last_seen: str | None = Field(None, description="The last crawl that stored this version.")
    replaced_at: str | None = Field(None, description="When a re-fetch found the next version; null: current.")


class DiffLine(PublicModel):
    op: str = Field(description="equal, insert or delete (against the version before).")
    text: str


class VersionDiff(PublicModel):
    from_hash: str | None = None
    to_hash: str | None = None
    title_changed: bool = False
    lines: list[DiffLine] = Field(default_factory=list, description="The body, line by line, with what changed.")


class AnnouncementHistory(Identified):
    url: str
    title: str
    status: str = Field(description="live, edited or taken_down.")
    first_seen: str | None = None
    missing_since: str | None = Field(None, description="When a crawl first found the notice gone (404/410, "
                                      "redirected to the home page, off its list).")
    missing_count: int = Field(0, description="Runs in a row that found it gone.")
    missing_reason: str | None = None
    versions: list[VersionPublic] = Field(description="Every version, oldest first; the last is the current one.")
    diffs: list[VersionDiff] = Field(default_factory=list, description="Each version against the one before.")


class AlertPublic(Identified):
    rule: str = Field(description="comment_spike, negative_jump, oppose_jump or watched_closure.")
    kind: str
    day: str
    message: str
    city: str | None = None
    value: float | None = None
    baseline: float | None = None
    threshold: float | None = None
    document_id: str | None = None
    created_at: str | None = None
    run_id: str | None = None
    delivered: bool = False


class SourceRunPublic(PublicModel):
    run_id: str
    started_at: str
    status: str
    pages: int
    list_records: int
    items: int
    errors: int


class SourcePublic(PublicModel):
    source: str
    spider: str
    last_success: str | None = None
    needs_attention: bool
    reason: str = ""
    explain: str | None = Field(None, description="The command that shows what the crawler reads on the source's page.")
    runs: list[SourceRunPublic] = Field(description="Recent runs, newest first.")


class SourcesEnvelope(PublicModel):
    data: list[SourcePublic]
    count: int
