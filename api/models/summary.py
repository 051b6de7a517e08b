"""Summary (aggregate) response models.

Normalised counts, one rule everywhere: a count ``X`` comes with ``X_share``, a
``Share`` ``{count, total, ratio}`` naming the total it is out of, and the ratio
``count / total`` (0 when the total is 0). Breakdowns (``labels``, ``stances``) and
rankings (``top_themes``, ``top_cities``) are Shares too. A researcher comparing two
cities compares ratios, never raw counts of different-sized groups.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class Share(BaseModel):
    count: int
    total: int = Field(description="What the count is out of (named in the field's description).")
    ratio: float = Field(description="count / total, 4 decimals (0 when total is 0).")


class Ranked(Share):
    key: str


class GroupSummary(BaseModel):
    documents: int = Field(description="Documents in the group.")
    documents_share: Share = Field(description=(
        "Out of all documents matching the filters (the envelope's `total`). A document with "
        "several themes counts in each theme, so theme shares can add up to more than 1."))
    authors: int | None = Field(None, description=(
        "Posts and comments: distinct authors (pseudonymised) who wrote the group's documents. "
        "Null for announcements."))
    authors_share: Share | None = Field(None, description=(
        "Out of distinct authors of all matching documents (the envelope's `authors`)."))
    sentiment_mean: float | None = Field(None, description=(
        "Posts and comments: mean snownlp score. Null for announcements: snownlp scores formal notices "
        "near 0 or 1 whatever they say, so their tone is not summarised."))
    labels: dict[str, Share] = Field(description=(
        "positive / neutral / negative, out of the group's documents; empty for announcements."))
    stances: dict[str, Share] = Field(description=(
        "support / oppose / neutral (posts and comments), out of the group's documents; empty for announcements."))


class CitySummary(GroupSummary):
    city: str
    top_themes: list[Ranked] = Field(description="Most frequent themes, out of the city's documents.")


class ThemeSummary(GroupSummary):
    theme: str
    top_cities: list[Ranked] = Field(description="Cities with most documents of the theme, out of the theme's documents.")


class RegionSummary(GroupSummary):
    region: str = Field(description="Commenter's IP-location province, e.g. 云南.")


class RegionShare(BaseModel):
    region: str = Field(description="Commenter's IP-location province, e.g. 云南.")
    comments: int
    comments_share: Share = Field(description="Out of the matching comments whose IP location is known.")
    commenters: int = Field(description="Distinct commenters seen with this IP location.")
    commenters_share: Share = Field(description=(
        "Out of distinct commenters with a known IP location. Someone whose IP location "
        "changed counts in each province, so these ratios can add up to slightly more than 1."))


class _SummaryEnvelope(BaseModel):
    kind: str
    count: int = Field(description="Number of groups.")
    total: int = Field(description="Documents matching the filters (a document with several themes counts once).")
    authors: int | None = Field(None, description=(
        "Posts and comments: distinct authors of the matching documents (the total of `authors_share`)."))
    author_regions: list[RegionShare] | None = Field(None, description=(
        "Comments only: comments and distinct commenters by the commenter's IP-location province."))


class CitySummaryList(_SummaryEnvelope):
    data: list[CitySummary]


class ThemeSummaryList(_SummaryEnvelope):
    data: list[ThemeSummary]


class RegionSummaryList(_SummaryEnvelope):
    data: list[RegionSummary]


class TimelineBucket(BaseModel):
    start: str = Field(description="First day of the bucket (ISO date).")
    documents: int
    documents_share: Share = Field(description="Out of all matching dated documents (the timeline's `total`).")
    sentiment_mean: float | None = None
    labels: dict[str, Share] = Field(description="positive / neutral / negative, out of the bucket's documents.")


class Timeline(BaseModel):
    kind: str
    interval: str
    total: int = Field(description="Documents matching the filters (undated ones included).")
    dated: int = Field(description="Matching documents with a date, i.e. in some bucket.")
    data: list[TimelineBucket]
