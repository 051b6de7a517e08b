"""What yuqing watches over time: GET /announcements/{id}/history, GET /alerts, GET /sources."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Path, Query

from api.deps import SettingsDep, StoreDep
from api.errors import NotFound
from api.listing import envelope, search_page
from api.models.common import ERROR_RESPONSES, NOT_FOUND_RESPONSE, ListEnvelope
from api.models.watching import AlertPublic, AnnouncementHistory, SourcesEnvelope
from api.params import AlertParams, SourceParams, to_query
from api.version_diff import history
from store.base import Query as StoreQuery
from store.source_health import RECENT_RUNS, recent_health

router = APIRouter(tags=["watching"])

# Crawl runs read for source health: enough for RECENT_RUNS runs of each of a few dozen sources.
HEALTH_RUNS = 500


@router.get("/announcements/{doc_id}/history", response_model=AnnouncementHistory,
            responses={**ERROR_RESPONSES, **NOT_FOUND_RESPONSE}, summary="Every version of a notice, and takedown")
def announcement_history(doc_id: Annotated[str, Path(description="Announcement id (16 hex digits).")],
                         store: StoreDep) -> dict:
    """Earlier versions (text, hash, first and last seen) with a line diff of each against the one
    before; ``status`` is live, edited or taken_down (with when it was first found missing)."""
    doc = store.get("announcement", doc_id)
    if doc is None:
        raise NotFound(f"no announcement with id {doc_id!r}", {"id": doc_id})
    return history(doc)


@router.get("/alerts", response_model=ListEnvelope[AlertPublic], responses=ERROR_RESPONSES,
            summary="Alerts raised after crawl runs, newest day first")
def list_alerts(params: Annotated[AlertParams, Query()], store: StoreDep, settings: SettingsDep) -> dict:
    """Example: ``/alerts?rule=comment_spike&city=昆明市``"""
    query = replace(to_query(params, "alert", settings), sort="date_desc", highlight=False)
    return envelope(search_page(store, "alert", query), query)


@router.get("/sources", response_model=SourcesEnvelope, responses=ERROR_RESPONSES,
            summary="Each source's recent crawl runs and whether it needs attention")
def list_sources(params: Annotated[SourceParams, Query()], store: StoreDep) -> dict:
    """Per source: its recent runs (pages, list records, items, errors), its last success, and
    ``needs_attention`` when it found no list records for several runs or its error rate jumped.
    Example: ``/sources?needs_attention=true``"""
    query = StoreQuery(sort="date_desc", size=HEALTH_RUNS, highlight=False)
    runs = [hit.doc for hit in store.search("crawl_run", query).hits]
    urls = _start_urls(runs)
    out = []
    for health in recent_health(runs, RECENT_RUNS):
        if params.needs_attention is not None and health.needs_attention != params.needs_attention:
            continue
        row = asdict(health)
        url = urls.get(health.source)
        if health.needs_attention:
            row["explain"] = f"yuqing explain {url}" if url else f"yuqing explain <the list URL of {health.source}>"
        out.append(row)
    return {"data": out, "count": len(out)}


def _start_urls(runs: list[dict]) -> dict[str, str]:
    """The start URL of each ad-hoc source, from the runs' arguments (named as in the stats:
    ``adhoc:host_path``); a sources.yaml source is explained by its id's URL, which the
    command line names."""
    urls: dict[str, str] = {}
    for run in runs:
        for url in (run.get("args") or {}).get("start_urls") or []:
            parts = urlsplit(url)
            urls.setdefault("adhoc:" + (parts.netloc + parts.path.rstrip("/")).replace("/", "_"), url)
    return urls
