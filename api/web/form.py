"""The search form's values as read from the URL, and the links built from them.

A page's state lives entirely in its query string, so every view can be bookmarked,
shared, and reached without JS. Links that change one thing (a filter chip's ×, a summary
row that narrows the search, a page number) are the current values with that one change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from store.base import Query, Store

FormValues = dict[str, "str | list[str]"]

# Fields a filter chip is shown for, in the order the form lists them.
FILTER_FIELDS = ("province", "city", "platform", "theme", "stance", "date_from", "date_to")
# Fields whose ``<select>`` offers every stored value.
CHOICE_FIELDS = ("province", "city", "platform", "theme")
# What the selects offer when the store cannot be read.
NO_CHOICES: dict[str, list[str]] = {name: [] for name in CHOICE_FIELDS}


def choices(store: Store, kind: str) -> dict[str, list[str]]:
    """Every value each select can take, over all documents of ``kind`` (not just this search)."""
    everything = Query()
    return {name: [g.key for g in store.summarize(kind, name, everything)] for name in CHOICE_FIELDS}


def read_form(params: QueryParams, fields: tuple[str, ...], list_fields: tuple[str, ...]) -> FormValues:
    """The form's own fields; anything else in the URL (utm_… from a shared link) is ignored.
    A field a form submits empty means "any" and is dropped here."""
    values: FormValues = {}
    for name in fields:
        got = [v for v in params.getlist(name) if v.strip()]
        if got:
            values[name] = got if name in list_fields else got[-1]
    return values


def first(values: Mapping, name: str) -> str:
    """The single value a ``<select>`` shows for a field (the first, if a link repeated it)."""
    value = values.get(name)
    if isinstance(value, list):
        return value[0] if value else ""
    return value or ""


def url_with(path: str, values: Mapping, **changes: str | list[str] | None) -> str:
    """``path`` with the current values, each change applied (None removes the field).
    Changing anything but the page goes back to page 1: the old page number would point
    into a different list."""
    merged = {k: v for k, v in values.items() if k != "page" or "page" in changes}
    for name, value in changes.items():
        if value is None or value == "":
            merged.pop(name, None)
        else:
            merged[name] = value
    pairs = [(k, v) for k, vs in merged.items() for v in (vs if isinstance(vs, list) else [vs]) if v]
    return path + ("?" + urlencode(pairs) if pairs else "")


@dataclass(frozen=True)
class Chip:
    """One active filter, shown with a link that removes it."""

    field: str
    label: str  # 城市
    value: str  # the value as shown (a theme's Chinese label, not its id)
    remove_url: str


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    current: bool


@dataclass(frozen=True)
class Pager:
    page: int
    pages: int
    prev_url: str | None
    next_url: str | None
    links: list[PageLink | None]  # None: a gap ("…") between page numbers


# Page numbers shown on each side of the current one; the first and last are always shown.
PAGER_SPREAD = 2


def pager(path: str, values: Mapping, page: int, pages: int) -> Pager:
    def link(n: int) -> PageLink:
        # Page 1 is the default: its link is the search's own URL, as shared.
        return PageLink(n, url_with(path, values, page=str(n) if n > 1 else None), n == page)

    shown = sorted({1, pages} | set(range(max(1, page - PAGER_SPREAD), min(pages, page + PAGER_SPREAD) + 1)))
    links: list[PageLink | None] = []
    for n in shown if pages > 1 else []:
        if links and links[-1] is not None and n > links[-1].number + 1:
            links.append(None)
        links.append(link(n))
    return Pager(page=page, pages=pages,
                 prev_url=link(page - 1).url if page > 1 else None,
                 next_url=link(page + 1).url if page < pages else None,
                 links=links)
