"""GET /summary/cities, /summary/themes, /summary/timeline: reaction in numbers.

Every figure comes from the store's aggregations (``summarize``/``timeline``/``count``),
never from pulling documents into Python, so the same code answers on SQLite and on an
Elasticsearch cluster. Shares are given as counts and as ratios of the group's documents.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SettingsDep, StoreDep
from api.models.common import ERROR_RESPONSES
from api.models.summary import CitySummaryList, ThemeSummaryList, Timeline
from api.params import SummaryParams, TimelineParams, to_query
from store.base import Group, Query as StoreQuery, Store

router = APIRouter(prefix="/summary", tags=["summary"])

SENTIMENT_LABELS = ("positive", "neutral", "negative")
STANCES = ("support", "oppose", "neutral")


def ratio(count: int, total: int) -> float:
    return round(count / total, 4) if total else 0.0


def shares(counts: dict[str, int], total: int, keys: tuple[str, ...]) -> dict[str, dict]:
    """Every expected key (zero when absent) plus any other the store reported."""
    names = list(keys) + [k for k in counts if k not in keys]
    return {k: {"count": counts.get(k, 0), "ratio": ratio(counts.get(k, 0), total)} for k in names}


def group_fields(group: Group, kind: str) -> dict:
    return {
        "documents": group.count,
        "sentiment_mean": None if group.sentiment_mean is None else round(group.sentiment_mean, 4),
        "labels": shares(group.labels, group.count, SENTIMENT_LABELS),
        # Announcements carry no stance; an empty dict says "not applicable", zeros would mislead.
        "stances": shares(group.stances, group.count, STANCES) if kind != "announcement" else {},
    }


def author_regions(store: Store, query: StoreQuery) -> list[dict]:
    groups = store.summarize("comment", "author_region", query)
    known = sum(g.count for g in groups)
    return [{"region": g.key, "count": g.count, "ratio": ratio(g.count, known)} for g in groups]


def _envelope(store: Store, kind: str, query: StoreQuery, rows: list[dict]) -> dict:
    return {"kind": kind, "data": rows, "count": len(rows), "total": store.count(kind, query),
            "author_regions": author_regions(store, query) if kind == "comment" else None}


@router.get("/cities", response_model=CitySummaryList, responses=ERROR_RESPONSES,
            summary="Per city: documents, sentiment, stance, top themes")
def by_city(params: Annotated[SummaryParams, Query()], store: StoreDep, settings: SettingsDep) -> dict:
    """Cities with most documents first. For ``kind=comment`` the envelope also gives
    ``author_regions``: the share of comments by the commenter's IP-location province, out
    of the comments whose location is known. Example: ``/summary/cities?kind=comment&theme=formalism``"""
    query = to_query(params, params.kind, settings, paged=False)
    rows = [{"city": g.key, **group_fields(g, params.kind),
             "top_themes": [{"key": k, "count": n} for k, n in g.top]}
            for g in store.summarize(params.kind, "city", query, top=params.top)]
    return _envelope(store, params.kind, query, rows)


@router.get("/themes", response_model=ThemeSummaryList, responses=ERROR_RESPONSES,
            summary="Per theme: documents, sentiment, stance, top cities")
def by_theme(params: Annotated[SummaryParams, Query()], store: StoreDep, settings: SettingsDep) -> dict:
    """A document with several themes counts once in each. Example: ``/summary/themes?kind=post``"""
    query = to_query(params, params.kind, settings, paged=False)
    rows = [{"theme": g.key, **group_fields(g, params.kind),
             "top_cities": [{"key": k, "count": n} for k, n in g.top]}
            for g in store.summarize(params.kind, "theme", query, top=params.top)]
    return _envelope(store, params.kind, query, rows)


@router.get("/timeline", response_model=Timeline, responses=ERROR_RESPONSES,
            summary="Documents and sentiment per day, week or month")
def timeline(params: Annotated[TimelineParams, Query()], store: StoreDep, settings: SettingsDep) -> dict:
    """Example: ``/summary/timeline?kind=comment&interval=week&city=西安市``"""
    query = to_query(params, params.kind, settings, paged=False)
    buckets = store.timeline(params.kind, params.interval, query)
    return {"kind": params.kind, "interval": params.interval, "total": store.count(params.kind, query),
            "data": [{"start": b.start, "documents": b.count,
                      "sentiment_mean": None if b.sentiment_mean is None else round(b.sentiment_mean, 4),
                      "labels": shares(b.labels, b.count, SENTIMENT_LABELS)} for b in buckets]}
