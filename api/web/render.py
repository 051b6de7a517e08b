"""Rendering pages: one Jinja2 environment, the label helpers every template uses."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.web import labels
from api.web.times import beijing, iso_beijing
from api.web.links import web_link
from core.config import Settings

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(TEMPLATE_DIR))
    t.env.globals.update(
        platform_label=lambda k: labels.label(labels.PLATFORMS, k),
        sentiment_label=lambda k: labels.label(labels.SENTIMENTS, k),
        stance_label=lambda k: labels.label(labels.STANCES, k),
        action_label=lambda k: labels.label(labels.ACTIONS, k),
        kind_label=lambda k: labels.label(labels.KINDS, k),
        kinds=labels.KINDS,
        same=lambda v: v,
        web_link=web_link,  # only http(s) URLs become links (api/web/links.py)
    )
    t.env.filters.update(beijing=beijing, iso_beijing=iso_beijing)
    return t


def value_shower(settings: Settings) -> Callable[[str, str], str]:
    """How a filter value reads on the page: a theme or platform id by its Chinese name."""
    themes = labels.theme_labels(settings.themes_file)
    tables = {"theme": themes, "platform": labels.PLATFORMS, "stance": labels.STANCES, "kind": labels.KINDS}

    def show(field: str, value: str) -> str:
        return labels.label(tables.get(field, {}), value)

    return show


def page(request: Request, name: str, context: dict, settings: Settings, status: int = 200) -> HTMLResponse:
    show = value_shower(settings)
    context = {"theme_label": lambda k: show("theme", k), "show": show, **context}
    return templates().TemplateResponse(request, name, context, status_code=status)
