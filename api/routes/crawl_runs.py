"""GET /crawl-runs: the most recent crawl runs with their counts."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SettingsDep, StoreDep
from api.listing import envelope, search_page
from api.models.common import ERROR_RESPONSES, ListEnvelope
from api.models.crawl_runs import CrawlRunPublic
from api.params import CrawlRunParams, to_query

router = APIRouter(prefix="/crawl-runs", tags=["crawl runs"])


@router.get("", response_model=ListEnvelope[CrawlRunPublic], responses=ERROR_RESPONSES,
            summary="Recent crawl runs, newest first")
def list_crawl_runs(params: Annotated[CrawlRunParams, Query()], store: StoreDep, settings: SettingsDep) -> dict:
    """Example: ``/crawl-runs?spider=weibo&status=partial``"""
    query = replace(to_query(params, "crawl_run", settings), sort="date_desc", highlight=False)
    return envelope(search_page(store, "crawl_run", query), query)
