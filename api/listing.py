"""Turning a store ``Page`` into the list envelope every list route answers with."""

from __future__ import annotations

from typing import Callable

from api.errors import BAD_CURSOR, INVALID, InvalidParameters
from store.base import Hit, Page, Query, Store

# Characters of body text shown with a result that has no body highlight.
EXCERPT_CHARS = 160


def hit_fields(hit: Hit) -> dict:
    """The stored document plus its score and highlighted snippets."""
    return {**hit.doc, "score": hit.score, "highlights": hit.highlights}


def excerpt(text: str | None, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def envelope(page: Page, query: Query, item: Callable[[Hit], dict] = hit_fields) -> dict:
    return {
        "data": [item(h) for h in page.hits],
        "count": page.total,
        "page": 1 if query.cursor else query.page,
        "size": query.size,
        "next_cursor": page.next_cursor,
    }


def search_page(store: Store, kind: str, query: Query) -> Page:
    """``store.search`` with the store's own input checks (a cursor from another sort or
    a mangled one) reported as a 422 on the parameter, not a 500."""
    try:
        return store.search(kind, query)
    except ValueError as exc:
        raise InvalidParameters.one("cursor" if query.cursor else "query", BAD_CURSOR if query.cursor else INVALID,
                                    str(exc), query.cursor) from exc
