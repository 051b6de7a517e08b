"""GET /: the search page. Server-rendered (a plain form GET), so it works without JS.

Journalists search announcements here: highlighted results linking to the source pages,
filters by city, platform and theme, and summary tables by city and theme for the current
search. Errors are shown on the page (with the matching HTTP status), never as JSON.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import escape
from pydantic import ValidationError

from api.deps import ProviderDep, SettingsDep
from api.errors import ApiError, parameter_errors
from api.listing import excerpt, search_page
from api.params import AnnouncementParams, to_query
from api.web import labels
from api.web.highlight import safe_snippet
from store.base import Hit, Query, Store
from store.errors import QuerySyntaxError, QueryTimeout, StoreUnavailable

router = APIRouter(tags=["web"], include_in_schema=False)

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "web" / "templates"
PAGE_SIZE = 20
# The form's fields; anything else in the query string (utm_… from a shared link) is ignored.
FORM_FIELDS = ("q", "city", "platform", "theme", "date_from", "date_to", "sort", "page")
LIST_FIELDS = ("city", "platform", "theme")


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(TEMPLATE_DIR))
    t.env.globals.update(platform_label=lambda k: labels.label(labels.PLATFORMS, k),
                         sentiment_label=lambda k: labels.label(labels.SENTIMENTS, k))
    return t


def form_values(request: Request) -> dict:
    values: dict = {}
    for name in FORM_FIELDS:
        got = request.query_params.getlist(name)
        if got:
            values[name] = got if name in LIST_FIELDS else got[-1]
    return values


def result_row(hit: Hit) -> dict:
    doc, marks = hit.doc, hit.highlights
    title = safe_snippet(marks["title"][0]) if marks.get("title") else escape(doc.get("title") or "")
    body = marks.get("body")
    return {
        "id": doc.get("id"), "url": doc.get("url"), "title": title,
        "snippets": [safe_snippet(s) for s in body] if body else [],
        "excerpt": excerpt(doc.get("body")),
        "published_at": (doc.get("published_at") or "")[:10],
        "issuer": doc.get("issuer"), "city": doc.get("city"), "district": doc.get("district"),
        "platforms": doc.get("platforms") or [], "themes": doc.get("themes") or [],
        "sentiment": doc.get("sentiment"), "sentiment_label": doc.get("sentiment_label"),
    }


def page_url(values: dict, page: int) -> str:
    pairs = [(k, v) for k, vs in values.items() if k != "page" for v in (vs if isinstance(vs, list) else [vs]) if v]
    return "/?" + urlencode(pairs + [("page", str(page))])


def filter_options(store: Store) -> dict:
    everything = Query()
    return {
        "cities": [g.key for g in store.summarize("announcement", "city", everything)],
        "platforms": [g.key for g in store.summarize("announcement", "platform", everything)],
        "themes": [g.key for g in store.summarize("announcement", "theme", everything)],
    }


@router.get("/", response_class=HTMLResponse)
def index(request: Request, settings: SettingsDep, provider: ProviderDep) -> HTMLResponse:
    values = form_values(request)
    themes = labels.theme_labels(settings.themes_file)
    context: dict = {"theme_label": lambda k: labels.label(themes, k), "values": values, "errors": [], "results": [], "total": 0, "page": 1, "pages": 0,
                     "options": {"cities": [], "platforms": [], "themes": []},
                     "by_city": [], "by_theme": [], "prev_url": None, "next_url": None}
    status = 200
    try:
        params = AnnouncementParams.model_validate({**values, "size": PAGE_SIZE})
        query = to_query(params, "announcement", settings)
        store = provider.get()
        context["options"] = filter_options(store)
        found = search_page(store, "announcement", query)
        overall = replace(query, page=1, cursor=None, highlight=False)
        pages = -(-found.total // PAGE_SIZE)
        context.update(
            results=[result_row(h) for h in found.hits], total=found.total, page=query.page, pages=pages,
            prev_url=page_url(values, query.page - 1) if query.page > 1 else None,
            next_url=page_url(values, query.page + 1) if query.page < pages else None,
            by_city=store.summarize("announcement", "city", overall, top=3),
            by_theme=store.summarize("announcement", "theme", overall, top=3),
        )
    except ValidationError as exc:
        status = 422
        context["errors"] = [f"{row['parameter']}: {row['reason']}" for row in parameter_errors(exc.errors())]
    except ApiError as exc:
        status = exc.status
        details = exc.detail if isinstance(exc.detail, list) else []
        context["errors"] = [f"{row['parameter']}: {row['reason']}" for row in details] or [exc.message]
    except QuerySyntaxError as exc:
        status = 400
        context["errors"] = [f"搜索语法有误 (cannot parse the search): {exc}"]
    except (StoreUnavailable, QueryTimeout) as exc:
        status = 503
        context["errors"] = [f"数据库暂不可用 (store unavailable): {exc}"]
    return templates().TemplateResponse(request, "index.html", context, status_code=status)
