"""What the search page shows for one request: hits with their closed accounts, the
compact summary of the search, filter choices, paging and, when nothing was found, why.

All reads go through the store interface, so the page answers the same on SQLite and on
Elasticsearch. Per page: one search, one account lookup for all hits, and the summaries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable

from markupsafe import Markup, escape

from api.announcement_accounts import account_order
from api.listing import excerpt, search_page
from core.vocabulary import SENTIMENT_LABELS
from api.params import AnnouncementParams, to_query
from api.web.form import Chip, FILTER_FIELDS, FormValues, Pager, pager, url_with
from api.web.chart_data import timeline_bars
from api.web.charts import timeline_caption, timeline_svg
from api.web.highlight import safe_snippet
from api.web.notice_text import plain
from api.web.labels import FIELDS
from store.base import Group, Hit, Query, Store
from store.querystring import parse
from core.config import Settings

PAGE_SIZE = 20
FORM_FIELDS = ("q", "province", "city", "platform", "theme", "date_from", "date_to", "sort", "page")
LIST_FIELDS = ("province", "city", "platform", "theme")
# Rows of each summary in the side column: enough for a province's cities at a glance;
# the reaction page has every row.
SIDE_ROWS = 8
_LONE_HAN = re.compile(r"(?<![\u3400-\u9fff])[\u3400-\u9fff](?![\u3400-\u9fff])")


@dataclass(frozen=True)
class ClosedAccount:
    name: str
    platform: str
    action: str
    effective_date: str
    successor: str
    evidence: str = ""  # the sentence that closes it (issue 18)
    confidence: float | None = None


@dataclass(frozen=True)
class ResultRow:
    id: str
    url: str
    detail_url: str
    title: Markup
    snippets: list[Markup]
    excerpt: str
    published_at: str
    issuer: str
    place: str
    platforms: list[str]
    themes: list[str]
    sentiment_label: str | None
    accounts: list[ClosedAccount]


@dataclass(frozen=True)
class SideRow:
    key: str
    label: str
    narrow_url: str  # the current search narrowed to this row
    count: int
    sentiment_mean: float | None
    labels: tuple[int, int, int]  # positive / neutral / negative
    top: str  # "主要主题：形式主义 (3)、…", shown as the row's tooltip


@dataclass(frozen=True)
class SideSummary:
    heading: str
    field: str  # the filter a row narrows the search by
    rows: list[SideRow]
    more: int  # groups not shown


@dataclass
class SearchView:
    total: int
    results: list[ResultRow]
    pager: Pager
    summaries: list[SideSummary]
    chips: list[Chip] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)  # why nothing was found, what to try
    timeline: Markup = field(default_factory=Markup)  # the matching notices per day/week/month


def closed_accounts(store: Store, announcement_ids: list[str]) -> dict[str, list[ClosedAccount]]:
    """The accounts of several announcements in one store query, each list in the order
    its announcement names them."""
    if not announcement_ids:
        return {}
    found: dict[str, list[dict]] = {i: [] for i in announcement_ids}
    for doc in store.iterate("account", Query(filters={"announcement_id": announcement_ids})):
        found.setdefault(doc.get("announcement_id"), []).append(doc)
    return {i: [as_closed_account(d) for d in sorted(docs, key=account_order)] for i, docs in found.items()}


def as_closed_account(doc: dict) -> ClosedAccount:
    return ClosedAccount(name=doc.get("name") or "", platform=doc.get("platform") or "",
                         action=doc.get("action") or "", effective_date=(doc.get("effective_date") or "")[:10],
                         successor=doc.get("successor") or "", evidence=doc.get("evidence") or "",
                         confidence=doc.get("confidence"))


def place_of(doc: dict) -> str:
    return " ".join(p for p in (doc.get("province"), doc.get("city"), doc.get("district")) if p)


def result_row(hit: Hit, accounts: list[ClosedAccount], q: str | None, values: FormValues | None = None) -> ResultRow:
    """``values``: the search's form values, carried to the notice page so that its
    "« 返回搜索" returns to this very search (filters and page), not to a bare one."""
    doc, marks = hit.doc, hit.highlights
    title = safe_snippet(marks["title"][0]) if marks.get("title") else escape(doc.get("title") or "")
    body = marks.get("body")
    return ResultRow(
        id=doc["id"], url=doc.get("url") or "",
        detail_url=url_with(f"/announcement/{doc['id']}", values if values is not None else ({"q": q} if q else {}),
                            page=values.get("page") if values else None),
        title=title, snippets=[safe_snippet(s) for s in body] if body else [],
        excerpt=excerpt(plain(doc.get("body") or "")), published_at=(doc.get("published_at") or "")[:10],
        issuer=doc.get("issuer") or "", place=place_of(doc),
        platforms=doc.get("platforms") or [], themes=doc.get("themes") or [],
        sentiment_label=doc.get("sentiment_label"), accounts=accounts,
    )


def chips(path: str, values: FormValues, show: Callable[[str, str], str]) -> list[Chip]:
    """The active filters, each with a link to the same page without it."""
    out = []
    for name in FILTER_FIELDS:
        chosen = values.get(name) or []
        for value in chosen if isinstance(chosen, list) else [chosen]:
            rest = [v for v in chosen if v != value] if isinstance(chosen, list) else []
            out.append(Chip(field=name, label=FIELDS.get(name, name), value=show(name, value),
                            remove_url=url_with(path, values, **{name: rest or None})))
    return out


def side_row(group: Group, field: str, values: FormValues, show: Callable[[str, str], str]) -> SideRow:
    other = "theme" if field == "city" else "city"
    top = "、".join(f"{show(other, key)} ({n})" for key, n in group.top)
    return SideRow(key=group.key, label=show(field, group.key), narrow_url=url_with("/", values, **{field: group.key}),
                   count=group.count, sentiment_mean=group.sentiment_mean,
                   labels=tuple(group.labels.get(k, 0) for k in SENTIMENT_LABELS),
                   top=("主要主题：" if field == "city" else "主要城市：") + top)


def empty_hints(values: FormValues, has_filters: bool, store_is_empty: bool) -> list[str]:
    """Why a search found nothing, most likely cause first."""
    if store_is_empty:
        return ["数据库里还没有公告：请先运行 yuqing crawl 采集（the store holds no announcements yet）。"]
    hints = []
    q = values.get("q")
    if isinstance(q, str) and q:
        parsed = parse(q)
        lone = [t.text for t in (parsed.positive_terms if parsed else []) if _LONE_HAN.fullmatch(t.text)]
        if lone:
            hints.append(f"单个汉字（{'、'.join(lone)}）只匹配单独出现的字，请改用两个字以上的词，如“关停”。")
        if len(q.split()) > 1:
            hints.append("以空格分开的词必须同时出现；可以减少词语，或用 OR 连接表示任一。")
    if has_filters:
        hints.append("筛选条件可能太窄：点上面条件旁的 × 去掉一个试试。")
    if not hints:
        hints.append("换一个说法试试，如“停止更新”“注销”“关停”。")
    return hints


def build(store: Store, settings: Settings, values: FormValues, show: Callable[[str, str], str]) -> SearchView:
    """Validate the form, run the search and its summaries. Raises what ``problems`` explains."""
    params = AnnouncementParams.model_validate({**values, "size": PAGE_SIZE})
    query = to_query(params, "announcement", settings)
    found = search_page(store, "announcement", query)
    accounts = closed_accounts(store, [h.doc["id"] for h in found.hits])
    q = values.get("q") if isinstance(values.get("q"), str) else None
    pages = -(-found.total // PAGE_SIZE)
    overall = replace(query, page=1, cursor=None, highlight=False)
    store.prepare_overview("announcement", overall, top=3)  # the summaries and timeline below, in one scan
    summaries = []
    for heading, by, name in (("按城市 By city", "city", "city"), ("按主题 By theme", "theme", "theme")):
        groups = store.summarize("announcement", by, overall, top=3)
        rows = [side_row(g, name, values, show) for g in groups[:SIDE_ROWS]]
        summaries.append(SideSummary(heading=heading, field=name, rows=rows,
                                     more=max(0, len(groups) - SIDE_ROWS)))
    bars, interval = timeline_bars(store, "announcement", overall, with_notices=False)
    timeline = timeline_svg(bars, interval, unit="公告", stance=False,
                            caption=timeline_caption(interval, "公告"))
    active = chips("/", values, show)
    view = SearchView(total=found.total, results=[result_row(h, accounts.get(h.doc["id"], []), q, values) for h in found.hits],
                      pager=pager("/", values, query.page, pages), summaries=summaries, chips=active,
                      timeline=timeline)
    if not found.total:
        searched = bool(q) or bool(active)
        view.hints = empty_hints(values, bool(active), not searched or store.count("announcement") == 0)
    return view
