"""GET /accounts (closed-accounts registry) and GET /accounts/summary (per city)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SettingsDep, StoreDep
from api.listing import envelope, search_page
from api.models.accounts import AccountPublic, AccountSummary
from api.models.common import ERROR_RESPONSES, ListEnvelope
from api.params import AccountParams, AccountSummaryParams, to_query
from store.base import Store
from store.base import Query as StoreQuery

router = APIRouter(prefix="/accounts", tags=["accounts"])


@router.get("", response_model=ListEnvelope[AccountPublic], responses=ERROR_RESPONSES,
            summary="Closed accounts extracted from announcements")
def list_accounts(params: Annotated[AccountParams, Query()], store: StoreDep, settings: SettingsDep) -> dict:
    """Filter by city, province, platform, action and the effective date.
    Example: ``/accounts?platform=weibo&action=deregister&date_from=2024-06-01``"""
    query = to_query(params, "account", settings)
    return envelope(search_page(store, "account", query), query)


def _counts(store: Store, by: str, query: StoreQuery) -> dict[str, int]:
    return {g.key: g.count for g in store.summarize("account", by, query)}


@router.get("/summary", response_model=AccountSummary, responses=ERROR_RESPONSES,
            summary="Closed accounts per city, by platform and action")
def account_summary(params: Annotated[AccountSummaryParams, Query()], store: StoreDep, settings: SettingsDep) -> dict:
    """One row per city (most accounts first) with its accounts counted by platform and by
    action, and the same counts over all cities. Example: ``/accounts/summary?province=湖南省``"""
    query = to_query(params, "account", settings, paged=False)
    rows = []
    # One aggregation per city: the store interface groups by one field at a time, and
    # the number of cities is small (hundreds at most), so this stays cheap on both backends.
    for group in store.summarize("account", "city", query):
        in_city = replace(query, filters={**query.filters, "city": group.key})
        rows.append({"city": group.key, "accounts": group.count,
                     "platforms": _counts(store, "platform", in_city),
                     "actions": _counts(store, "action", in_city)})
    return {"data": rows, "count": len(rows), "total": store.count("account", query),
            "platforms": _counts(store, "platform", query), "actions": _counts(store, "action", query)}
