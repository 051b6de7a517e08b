"""The web pages, server-rendered so each works without JS (forms are plain GETs):

- ``/``: journalists search announcements: highlighted hits with the accounts they close,
  filters by place, platform, theme and date, and a compact summary of the search;
- ``/announcement/{id}``: one notice's full text, its closed accounts and a citation;
- ``/reaction``: researchers read the reaction (comments, posts) by city, theme and time;
- ``/reaction/comments``: the comments behind any of its rows, one by one, paged.

Problems are shown on the page in Chinese, with the API's HTTP status, never as JSON.
The views are built in ``api/web/*_view.py``; this module only wires requests to them.
"""

from __future__ import annotations

from typing import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import ProviderDep, SettingsDep
from api.web import comments_view, detail_view, reaction_view, search_view
from api.web.form import NO_CHOICES, choices, first, read_form, url_with
from api.web.problems import PageProblem, problem_from
from api.web.render import page, value_shower

router = APIRouter(tags=["web"], include_in_schema=False)


def attempt(build: Callable[[], object]) -> tuple[object | None, PageProblem | None]:
    """Run a view builder; a problem the reader can act on is returned, a bug is raised."""
    try:
        return build(), None
    except Exception as exc:
        problem = problem_from(exc)
        if problem is None:
            raise
        return None, problem


# Alerts shown above the search results: the newest few; the rest at GET /alerts.
SHOWN_ALERTS = 5


def recent_alerts(store) -> list[dict]:
    from store.base import Query

    return [h.doc for h in store.search("alert", Query(sort="date_desc", size=SHOWN_ALERTS, highlight=False)).hits]


@router.get("/", response_class=HTMLResponse)
def index(request: Request, settings: SettingsDep, provider: ProviderDep) -> HTMLResponse:
    values = read_form(request.query_params, search_view.FORM_FIELDS, search_view.LIST_FIELDS)
    context: dict = {"section": "search", "values": values, "options": NO_CHOICES}

    def build() -> search_view.SearchView:
        store = provider.get()
        context["options"] = choices(store, "announcement")
        context["alerts"] = recent_alerts(store)
        return search_view.build(store, settings, values, value_shower(settings))

    context["view"], problem = attempt(build)
    context["problem"] = problem
    return page(request, "index.html", context, settings, problem.status if problem else 200)


@router.get("/announcement/{doc_id}", response_class=HTMLResponse)
def announcement(request: Request, doc_id: str, settings: SettingsDep,
                 provider: ProviderDep) -> HTMLResponse:
    q = request.query_params.get("q") or None
    # The search this notice was opened from, so that "« 返回搜索" goes back to it.
    search = read_form(request.query_params, search_view.FORM_FIELDS, search_view.LIST_FIELDS)
    view, problem = attempt(lambda: detail_view.build(provider.get(), doc_id, q))
    if view is None and problem is None:
        problem = PageProblem(404, "找不到这条公告", [f"库中没有编号为“{doc_id}”的公告（no announcement with this id）。"],
                              "链接可能有误，或公告已被删除；可以回到搜索页按标题查找。")
    context = {"section": "search", "doc": view, "problem": problem,
               "back_url": url_with("/", search, page=search.get("page"))}
    return page(request, "announcement.html", context, settings, problem.status if problem else 200)


@router.get("/reaction", response_class=HTMLResponse)
def reaction(request: Request, settings: SettingsDep, provider: ProviderDep) -> HTMLResponse:
    values = read_form(request.query_params, reaction_view.FORM_FIELDS, reaction_view.LIST_FIELDS)
    kind = first(values, "kind") or "comment"
    context: dict = {"section": "reaction", "values": values, "kind": kind, "options": NO_CHOICES}

    def build() -> reaction_view.ReactionView:
        store = provider.get()
        # Options of the kind asked for; an unknown kind is reported by the view's validation.
        context["options"] = choices(store, kind if kind in reaction_view.KINDS else "comment")
        return reaction_view.build(store, settings, {**values, "kind": kind})

    context["view"], problem = attempt(build)
    context["problem"] = problem
    return page(request, "reaction.html", context, settings, problem.status if problem else 200)


@router.get("/reaction/comments", response_class=HTMLResponse)
def reaction_comments(request: Request, settings: SettingsDep, provider: ProviderDep) -> HTMLResponse:
    values = read_form(request.query_params, comments_view.FORM_FIELDS, comments_view.LIST_FIELDS)
    view, problem = attempt(lambda: comments_view.build(provider.get(), settings, values))
    context = {"section": "reaction", "values": values, "view": view, "problem": problem}
    return page(request, "comments.html", context, settings, problem.status if problem else 200)
