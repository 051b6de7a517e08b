"""Summary (aggregate) response models."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Share(BaseModel):
    count: int
    ratio: float = Field(description="count / documents of the group (0 when the group is empty).")


class Ranked(BaseModel):
    key: str
    count: int


class GroupSummary(BaseModel):
    documents: int
    sentiment_mean: float | None = None
    labels: dict[str, Share] = Field(description="positive / neutral / negative.")
    stances: dict[str, Share] = Field(description="support / oppose / neutral (posts and comments).")


class CitySummary(GroupSummary):
    city: str
    top_themes: list[Ranked]


class ThemeSummary(GroupSummary):
    theme: str
    top_cities: list[Ranked]


class RegionShare(BaseModel):
    region: str
    count: int
    ratio: float


class _SummaryEnvelope(BaseModel):
    kind: str
    count: int = Field(description="Number of groups.")
    total: int = Field(description="Documents matching the filters (a document with several themes counts once).")
    author_regions: list[RegionShare] | None = Field(None, description=(
        "Comments only: share of comments by the commenter's IP-location province."))


class CitySummaryList(_SummaryEnvelope):
    data: list[CitySummary]


class ThemeSummaryList(_SummaryEnvelope):
    data: list[ThemeSummary]


class TimelineBucket(BaseModel):
    start: str = Field(description="First day of the bucket (ISO date).")
    documents: int
    sentiment_mean: float | None = None
    labels: dict[str, Share]


class Timeline(BaseModel):
    kind: str
    interval: str
    total: int
    data: list[TimelineBucket]
