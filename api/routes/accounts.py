"""GET /accounts (closed-accounts registry) and GET /accounts/summary (per city)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import Field

from api.csv_output import CSV_RESPONSE, OutputFormat, csv_response, wants_csv, without_format
from api.deps import SettingsDep, StoreDep
from api.listing import envelope, search_page
from api.models.accounts import AccountPublic, AccountSummary
from api.models.common import ERROR_RESPONSES, ListEnvelope
from api.normalise import share, shares
from api.params import AccountParams, AccountSummaryParams, to_query
from api.provenance import provenance, stamp
from store.base import Store
from store.base import Query as StoreQuery

router = APIRouter(prefix="/accounts", tags=["accounts"])


class AccountSummaryQuery(AccountSummaryParams):
    format: OutputFormat | None = Field(None, description="json (default) or csv; `Accept: text/csv` also asks for CSV.")


@router.get("", response_model=ListEnvelope[AccountPublic], responses=ERROR_RESPONSES,
            summary="Closed accounts extracted from announcements")
def list_accounts(params: Annotated[AccountParams, Query()], store: StoreDep, settings: SettingsDep) -> dict:
    """Filter by city, province, platform, action and the effective date.
    Example: ``/accounts?platform=weibo&action=deregister&date_from=2024-06-01``"""
    query = to_query(params, "account", settings)
    return envelope(search_page(store, "account", query), query)


def _counts(store: Store, by: str, query: StoreQuery) -> dict[str, int]:
    return {g.key: g.count for g in store.summarize("account", by, query)}


def summary_csv_columns(body: dict) -> list[str]:
    """``city, accounts, accounts_total, accounts_ratio``, then ``platform_<p>`` and
    ``platform_<p>_ratio`` per platform found, then the same per action; platform and
    action ratios are out of the city's ``accounts``."""
    platforms, actions = sorted(body["platforms"]), sorted(body["actions"])
    return (["city", "accounts", "accounts_total", "accounts_ratio"]
            + [c for p in platforms for c in (f"platform_{p}", f"platform_{p}_ratio")]
            + [c for a in actions for c in (f"action_{a}", f"action_{a}_ratio")])


def summary_csv_row(row: dict) -> dict:
    out = {"city": row["city"], "accounts": row["accounts"], "accounts_total": row["accounts_share"]["total"],
           "accounts_ratio": row["accounts_share"]["ratio"]}
    for prefix, breakdown in (("platform", row["platform_shares"]), ("action", row["action_shares"])):
        for key, s in breakdown.items():
            out[f"{prefix}_{key}"] = s["count"]
            out[f"{prefix}_{key}_ratio"] = s["ratio"]
    return out


@router.get("/summary", response_model=AccountSummary, responses={**ERROR_RESPONSES, **CSV_RESPONSE},
            summary="Closed accounts per city, by platform and action")
def account_summary(params: Annotated[AccountSummaryQuery, Query()], request: Request, store: StoreDep,
                    settings: SettingsDep):
    """One row per city (most accounts first) with its accounts counted by platform and by
    action, and the same counts over all cities; every count also as a share
    (``{count, total, ratio}``). ``format=csv`` gives one row per city.
    Example: ``/accounts/summary?province=湖南省``, ``/accounts/summary?format=csv``"""
    query = to_query(without_format(params, AccountSummaryParams), "account", settings, paged=False)
    total = store.count("account", query)
    rows = []
    # One aggregation per city: the store interface groups by one field at a time, and
    # the number of cities is small (hundreds at most), so this stays cheap on both backends.
    for group in store.summarize("account", "city", query):
        in_city = replace(query, filters={**query.filters, "city": group.key})
        platforms, actions = _counts(store, "platform", in_city), _counts(store, "action", in_city)
        rows.append({"city": group.key, "accounts": group.count,
                     "accounts_share": share(group.count, total),
                     "platforms": platforms, "actions": actions,
                     "platform_shares": shares(platforms, group.count),
                     "action_shares": shares(actions, group.count)})
    platforms, actions = _counts(store, "platform", query), _counts(store, "action", query)
    body = {"data": rows, "count": len(rows), "total": total, "platforms": platforms, "actions": actions,
            "platform_shares": shares(platforms, total), "action_shares": shares(actions, total)}
    if not wants_csv(request, params.format):
        return body
    prov = provenance(store, "account", query, count=total)
    return csv_response(summary_csv_columns(body), (summary_csv_row(r) for r in rows),
                        f"yuqing-summary-accounts-{stamp(prov)}.csv", prov.headers())
