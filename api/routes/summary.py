"""GET /summary/cities, /themes, /regions, /timeline: reaction in numbers, as JSON or CSV.

Every figure comes from the store's aggregations (``summarize``/``timeline``/``count``),
never from pulling documents into Python, so the same code answers on SQLite and on an
Elasticsearch cluster. Every count comes with the total it is out of and the ratio
(``api/models/summary.py``). ``format=csv`` (or ``Accept: text/csv``) returns the rows as
a flat CSV with the columns listed in ``CSV_COLUMNS`` below.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Callable, Literal

from fastapi import APIRouter, Query, Request
from pydantic import Field

from api.csv_output import CSV_RESPONSE, OutputFormat, csv_response, wants_csv, without_format
from api.deps import SettingsDep, StoreDep
from api.models.common import ERROR_RESPONSES
from api.models.summary import CitySummaryList, RegionSummaryList, ThemeSummaryList, Timeline
from api.normalise import share, shares
from core.schema import AUTHORED_KINDS
from core.vocabulary import SENTIMENT_LABELS, STANCES
from api.params import SummaryParams, TimelineParams, to_query
from api.provenance import provenance, stamp
from store.base import Group, Query as StoreQuery, Store

router = APIRouter(prefix="/summary", tags=["summary"])

FORMAT_HELP = "json (default) or csv; `Accept: text/csv` also asks for CSV."


class SummaryQuery(SummaryParams):
    format: OutputFormat | None = Field(None, description=FORMAT_HELP)


class RegionQuery(SummaryQuery):
    kind: Literal["comment"] = Field("comment", description="Only comments carry the commenter's IP location.")


class TimelineQuery(TimelineParams):
    format: OutputFormat | None = Field(None, description=FORMAT_HELP)


# --- normalised counts -----------------------------------------------------------------

def group_fields(group: Group, kind: str, total: int, authors: int | None) -> dict:
    counted = kind in AUTHORED_KINDS and group.authors is not None
    toned = kind != "announcement"
    return {
        "documents": group.count,
        "documents_share": share(group.count, total),
        "authors": group.authors if counted else None,
        "authors_share": share(group.authors, authors or 0) if counted else None,
        # snownlp scores formal notices near 0 or 1 whatever they say (issue 18): an announcement's
        # tone is not summarised, its raw score stays in the document only.
        "sentiment_mean": None if group.sentiment_mean is None or not toned else round(group.sentiment_mean, 4),
        "labels": shares(group.labels, group.count, SENTIMENT_LABELS) if toned else {},
        # Announcements carry no stance; an empty dict says "not applicable", zeros would mislead.
        "stances": shares(group.stances, group.count, STANCES) if kind != "announcement" else {},
    }


def ranked(group: Group) -> list[dict]:
    return [{"key": k, **share(n, group.count)} for k, n in group.top]


def author_regions(store: Store, query: StoreQuery) -> list[dict]:
    """Comments and distinct commenters per IP-location province, out of those whose
    location is known."""
    groups = store.summarize("comment", "author_region", query, top=0)
    comments_known = sum(g.count for g in groups)
    commenters_known = 0
    if groups:
        # Restrict to the provinces found: "commenters with a known location".
        known = replace(query, filters={**query.filters, "author_region": [g.key for g in groups]})
        commenters_known = store.authors("comment", known) or 0
    return [{"region": g.key, "comments": g.count, "comments_share": share(g.count, comments_known),
             "commenters": g.authors or 0, "commenters_share": share(g.authors or 0, commenters_known)}
            for g in groups]


# --- CSV -------------------------------------------------------------------------------

def _breakdown_columns(prefix: str, keys: tuple[str, ...]) -> list[str]:
    return [c for k in keys for c in (f"{prefix}_{k}", f"{prefix}_{k}_ratio")]


GROUP_COLUMNS = (["documents", "documents_total", "documents_ratio", "authors", "authors_total", "authors_ratio",
                  "sentiment_mean"] + _breakdown_columns("label", SENTIMENT_LABELS)
                 + _breakdown_columns("stance", STANCES))
# The columns of each CSV, in order. Ratios of labels and stances are out of `documents`;
# `top_themes` / `top_cities` hold `key:count` pairs joined with `|`.
CSV_COLUMNS: dict[str, list[str]] = {
    "cities": ["city", *GROUP_COLUMNS, "top_themes"],
    "themes": ["theme", *GROUP_COLUMNS, "top_cities"],
    "regions": ["region", *GROUP_COLUMNS],
    "timeline": ["start", "documents", "documents_total", "documents_ratio", "sentiment_mean",
                 *_breakdown_columns("label", SENTIMENT_LABELS)],
}


def flat(row: dict) -> dict:
    """A JSON summary row as one CSV row: Shares spread into ``x``, ``x_total``, ``x_ratio``."""
    out: dict = {}
    for name, value in row.items():
        if name in ("documents_share", "authors_share"):
            base = name.removesuffix("_share")
            out[f"{base}_total"] = value["total"] if value else None
            out[f"{base}_ratio"] = value["ratio"] if value else None
        elif name in ("labels", "stances"):
            prefix = name.removesuffix("s")
            for key, s in value.items():
                out[f"{prefix}_{key}"] = s["count"]
                out[f"{prefix}_{key}_ratio"] = s["ratio"]
        elif name in ("top_themes", "top_cities"):
            out[name] = [f"{r['key']}:{r['count']}" for r in value]
        else:
            out[name] = value
    return out


def _answer(request: Request, params, store: Store, name: str, query: StoreQuery, body: dict):
    if not wants_csv(request, params.format):
        return body
    prov = provenance(store, body["kind"], query, count=body["total"])
    filename = f"yuqing-summary-{name}-{body['kind']}-{stamp(prov)}.csv"
    return csv_response(CSV_COLUMNS[name], (flat(r) for r in body["data"]), filename, prov.headers())


def _grouped(store: Store, kind: str, by: str, query: StoreQuery, top: int, key_name: str,
             extra: Callable[[Group], dict] | None = None) -> dict:
    total = store.count(kind, query)
    authors = store.authors(kind, query)
    rows = [{key_name: g.key, **group_fields(g, kind, total, authors), **(extra(g) if extra else {})}
            for g in store.summarize(kind, by, query, top=top)]
    return {"kind": kind, "data": rows, "count": len(rows), "total": total, "authors": authors,
            "author_regions": author_regions(store, query) if kind == "comment" else None}


# --- routes ----------------------------------------------------------------------------

@router.get("/cities", response_model=CitySummaryList, responses={**ERROR_RESPONSES, **CSV_RESPONSE},
            summary="Per city: documents, authors, sentiment, stance, top themes")
def by_city(params: Annotated[SummaryQuery, Query()], request: Request, store: StoreDep,
            settings: SettingsDep):
    """Cities with most documents first. For ``kind=comment`` the envelope also gives
    ``author_regions``: comments and distinct commenters by the commenter's IP-location
    province. Examples: ``/summary/cities?kind=comment&theme=formalism``,
    ``/summary/cities?kind=comment&format=csv``"""
    query = to_query(without_format(params, SummaryParams), params.kind, settings, paged=False)
    body = _grouped(store, params.kind, "city", query, params.top, "city",
                    lambda g: {"top_themes": ranked(g)})
    return _answer(request, params, store, "cities", query, body)


@router.get("/themes", response_model=ThemeSummaryList, responses={**ERROR_RESPONSES, **CSV_RESPONSE},
            summary="Per theme: documents, authors, sentiment, stance, top cities")
def by_theme(params: Annotated[SummaryQuery, Query()], request: Request, store: StoreDep,
             settings: SettingsDep):
    """A document with several themes counts once in each. Example: ``/summary/themes?kind=post``"""
    query = to_query(without_format(params, SummaryParams), params.kind, settings, paged=False)
    body = _grouped(store, params.kind, "theme", query, params.top, "theme",
                    lambda g: {"top_cities": ranked(g)})
    return _answer(request, params, store, "themes", query, body)


@router.get("/regions", response_model=RegionSummaryList, responses={**ERROR_RESPONSES, **CSV_RESPONSE},
            summary="Per commenter IP-location province: comments, commenters, sentiment, stance")
def by_region(params: Annotated[RegionQuery, Query()], request: Request, store: StoreDep,
              settings: SettingsDep):
    """Who reacts from where: comments grouped by the commenter's IP location (province
    level), with distinct commenters, sentiment and stance. Comments whose location the
    platform did not show are left out of the groups (but counted in ``total``).
    Example: ``/summary/regions?city=西安市&format=csv``"""
    query = to_query(without_format(params, SummaryParams), "comment", settings, paged=False)
    body = _grouped(store, "comment", "author_region", query, 0, "region")
    return _answer(request, params, store, "regions", query, body)


@router.get("/timeline", response_model=Timeline, responses={**ERROR_RESPONSES, **CSV_RESPONSE},
            summary="Documents and sentiment per day, week or month")
def timeline(params: Annotated[TimelineQuery, Query()], request: Request, store: StoreDep,
             settings: SettingsDep):
    """Empty buckets between the first and the last are included. Example:
    ``/summary/timeline?kind=comment&interval=week&city=西安市&format=csv``"""
    query = to_query(without_format(params, TimelineParams), params.kind, settings, paged=False)
    buckets = store.timeline(params.kind, params.interval, query)
    dated = sum(b.count for b in buckets)
    toned = params.kind != "announcement"  # see group_fields: no tone summary for notices
    body = {"kind": params.kind, "interval": params.interval, "total": store.count(params.kind, query),
            "dated": dated,
            "data": [{"start": b.start, "documents": b.count, "documents_share": share(b.count, dated),
                      "sentiment_mean": None if b.sentiment_mean is None or not toned else round(b.sentiment_mean, 4),
                      "labels": shares(b.labels, b.count, SENTIMENT_LABELS) if toned else {}} for b in buckets]}
    return _answer(request, params, store, "timeline", query, body)
