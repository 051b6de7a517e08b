"""Query-string parameters per resource, validated once, turned into a store ``Query``.

Each resource declares one pydantic model used as ``Annotated[Model, Query()]``: FastAPI
lists its fields in OpenAPI and reports bad values as 422 with the parameter and reason.
Models forbid unknown parameters, so a typo (``cty=昆明``) is an error rather than a
silently unfiltered answer. Checks that depend on settings or on two parameters at once
(``size`` ≤ ``max_page_size``, ``date_from`` ≤ ``date_to``, the paging window) live in
``to_query`` and raise the same 422 shape.
"""

from __future__ import annotations

import re

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.errors import DATE_ORDER, NOT_ALLOWED, PAGE_WINDOW, TOO_LARGE, UNKNOWN_PARAMETER, InvalidParameters, problem
from api.vocabularies import allowed_values
from store.base import Query
from core.config import Settings
from core.limits import MAX_QUERY_CHARS, MAX_RESULT_WINDOW
from core.schema import FILTER_FIELDS
from core.vocabulary import AccountAction as Action
from core.vocabulary import AnnouncementStatus
from core.vocabulary import AnalysedKind as KindParam
from core.vocabulary import SentimentLabel, Stance

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

Sort = Literal["relevance", "date_desc", "date_asc"]

# API parameter -> store field, where the names differ. Parameters are singular
# (``theme=formalism``) even where the stored field is a list (``themes``).
FIELD_OF_PARAM: dict[str, dict[str, str]] = {
    "announcement": {"platform": "platforms", "theme": "themes"},
    "post": {"theme": "themes"},
    "comment": {"theme": "themes"},
}


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_absent(cls, value: Any) -> Any:
        # An HTML form submits untouched fields as ``city=``: that means "any", not "empty".
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, list):
            kept = [v.strip() if isinstance(v, str) else v for v in value if not (isinstance(v, str) and not v.strip())]
            return kept or None
        return value.strip() if isinstance(value, str) else value


class PagingParams(Params):
    page: int = Field(1, ge=1, description="Page number, from 1 (page × size ≤ 10,000; use `cursor` past that).")
    size: int = Field(20, ge=1, description="Results per page (at most the server's `max_page_size`, 100 by default).")
    cursor: str | None = Field(None, description="`next_cursor` of the previous page, for deep paging; replaces `page`.")


class DateParams(Params):
    date_from: date | None = Field(None, description="Earliest date, inclusive (YYYY-MM-DD; blank: no bound). "
                                   "Example: 2024-05-01")
    date_to: date | None = Field(None, description="Latest date, inclusive (YYYY-MM-DD, not before date_from; "
                                 "blank: no bound). Example: 2024-06-30")

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def _iso_day_only(cls, value: Any) -> Any:
        # pydantic would read `date_to=0` as 1970-01-01 (a Unix time); a date here is written as one.
        if isinstance(value, str) and value.strip() and not ISO_DAY.fullmatch(value.strip()):
            raise ValueError("expected a date written YYYY-MM-DD")
        return value


class SearchParams(PagingParams, DateParams):
    q: str | None = Field(None, max_length=MAX_QUERY_CHARS, description=(
        'Full-text search. Terms separated by spaces must all match; "quoted phrase", OR, and -term '
        "are supported. Any Chinese term of two or more characters matches. Example: 关停 微信"))
    sort: Sort = Field("relevance", description="relevance (best match first; newest first without q), date_desc or date_asc.")


class AnnouncementParams(SearchParams):
    city: list[str] | None = Field(None, description="Prefecture-level city, e.g. 昆明市; repeat for any of several.")
    province: list[str] | None = Field(None, description="Province, e.g. 云南省.")
    district: list[str] | None = Field(None, description="County-level unit, e.g. 雁塔区.")
    platform: list[str] | None = Field(None, description="Platform named in the announcement: wechat, weibo, douyin, app…")
    theme: list[str] | None = Field(None, description="Theme id: formalism, duplication_waste, consolidation…")
    issuer: list[str] | None = Field(None, description="Issuing body, exactly as stored.")
    sentiment_label: list[SentimentLabel] | None = Field(None, description="positive, neutral or negative.")
    status: list[AnnouncementStatus] | None = Field(None, description="live, edited (a re-fetch found the text "
                                                    "changed) or taken_down. Example: status=taken_down")


class AccountParams(SearchParams):
    city: list[str] | None = Field(None, description="City of the issuer, e.g. 长沙市.")
    province: list[str] | None = Field(None, description="Province of the issuer.")
    platform: list[str] | None = Field(None, description="Platform of the closed account: wechat, weibo, douyin, app…")
    action: list[Action] | None = Field(None, description="stop_updating, deregister or merge.")
    announcement_id: list[str] | None = Field(None, description="Only the accounts of this announcement.")


class AccountSummaryParams(DateParams):
    q: str | None = Field(None, max_length=MAX_QUERY_CHARS, description="Only accounts whose name or successor matches.")
    city: list[str] | None = Field(None, description="City of the issuer.")
    province: list[str] | None = Field(None, description="Province of the issuer.")
    platform: list[str] | None = Field(None, description="Platform of the closed account.")
    action: list[Action] | None = Field(None, description="stop_updating, deregister or merge.")


class PostParams(SearchParams):
    city: list[str] | None = Field(None, description="Subject city of the post.")
    province: list[str] | None = Field(None, description="Subject province of the post.")
    platform: list[str] | None = Field(None, description="weibo or news.")
    theme: list[str] | None = Field(None, description="Theme id.")
    sentiment_label: list[SentimentLabel] | None = Field(None, description="positive, neutral or negative.")
    stance: list[Stance] | None = Field(None, description="Stance toward the closure: support, oppose, neutral.")
    partial: bool | None = Field(None, description="true: only threads whose comments were cut short.")


class CommentParams(SearchParams):
    city: list[str] | None = Field(None, description="Subject city (the city the post is about).")
    province: list[str] | None = Field(None, description="Subject province.")
    post_id: list[str] | None = Field(None, description="Only comments on this post, e.g. weibo:5012345678.")
    platform: list[str] | None = Field(None, description="weibo or news.")
    theme: list[str] | None = Field(None, description="Theme id.")
    sentiment_label: list[SentimentLabel] | None = Field(None, description="positive, neutral or negative.")
    stance: list[Stance] | None = Field(None, description="support, oppose or neutral.")
    author_region: list[str] | None = Field(None, description="Commenter's IP-location province, e.g. 云南.")


class CrawlRunParams(PagingParams, DateParams):
    spider: list[str] | None = Field(None, description="gov, weibo or news.")
    status: list[str] | None = Field(None, description="running, finished, partial or failed.")


class AlertParams(PagingParams, DateParams):
    rule: list[str] | None = Field(None, description="comment_spike, negative_jump, oppose_jump or watched_closure.")
    city: list[str] | None = Field(None, description="City the alert is about, e.g. 昆明市.")


class SourceParams(Params):
    needs_attention: bool | None = Field(None, description="true: only the sources that need attention.")


class SummaryFilters(DateParams):
    """The filters of every kind; a filter the chosen kind lacks is a 422."""

    kind: KindParam = Field("announcement", description="What to summarise: announcement, post or comment.")
    q: str | None = Field(None, max_length=MAX_QUERY_CHARS, description="Only documents matching this search.")
    city: list[str] | None = Field(None, description="City filter.")
    province: list[str] | None = Field(None, description="Province filter.")
    district: list[str] | None = Field(None, description="District filter (announcements).")
    platform: list[str] | None = Field(None, description="Platform filter.")
    theme: list[str] | None = Field(None, description="Theme filter.")
    sentiment_label: list[SentimentLabel] | None = Field(None, description="Sentiment label filter.")
    stance: list[Stance] | None = Field(None, description="Stance filter (posts, comments).")
    post_id: list[str] | None = Field(None, description="Post filter (comments).")
    author_region: list[str] | None = Field(None, description="Commenter IP-location filter (comments).")


class SummaryParams(SummaryFilters):
    top: int = Field(5, ge=1, le=50, description="How many top themes per city / top cities per theme.")


class TimelineParams(SummaryFilters):
    interval: Literal["day", "week", "month"] = Field("month", description="Bucket width: day, week or month.")


# Fields of a params model that are not filters.
NOT_FILTERS = frozenset({"q", "sort", "page", "size", "cursor", "date_from", "date_to", "kind", "top", "interval"})


def to_query(params: Params, kind: str, settings: Settings, *, paged: bool = True) -> Query:
    """Build the store query; every problem found is reported at once as one 422."""
    problems: list[dict] = []
    values = params.model_dump(exclude_none=True)

    date_from, date_to = values.get("date_from"), values.get("date_to")
    if date_from and date_to and date_from > date_to:
        problems.append(problem("date_from", DATE_ORDER, f"date_from ({date_from}) is after date_to ({date_to})",
                                date_from.isoformat()))
    page, size = values.get("page", 1), values.get("size", 20)
    if paged:
        if size > settings.max_page_size:
            problems.append(problem("size", TOO_LARGE, f"size must be at most {settings.max_page_size}", size))
        elif not values.get("cursor") and page * size > MAX_RESULT_WINDOW:
            problems.append(problem("page", PAGE_WINDOW,
                                    f"page × size must be at most {MAX_RESULT_WINDOW}; page on with `cursor` "
                                    "(the `next_cursor` of each page) instead", page))

    filters: dict[str, Any] = {}
    renames = FIELD_OF_PARAM.get(kind, {})
    for name, value in values.items():
        if name in NOT_FILTERS:
            continue
        store_field = renames.get(name, name)
        if store_field not in FILTER_FIELDS[kind]:
            problems.append(problem(name, UNKNOWN_PARAMETER, f"not a filter of kind {kind}", value))
            continue
        allowed = allowed_values(name, kind, settings)
        unknown = [v for v in (value if isinstance(value, list) else [value]) if allowed and v not in allowed]
        if unknown:
            problems.append(problem(name, NOT_ALLOWED, f"unknown {name} {', '.join(map(str, unknown))}; "
                                    f"one of: {', '.join(allowed)}", unknown[0]))
            continue
        filters[store_field] = value[0] if isinstance(value, list) and len(value) == 1 else value

    if problems:
        names = ", ".join(dict.fromkeys(p["parameter"] for p in problems))
        raise InvalidParameters(f"invalid parameters: {names}", problems)
    return Query(
        q=values.get("q"), filters=filters,
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
        page=page, size=size, cursor=values.get("cursor"),
        sort=values.get("sort", "relevance"),
    )
