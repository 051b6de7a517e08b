"""The account documents of announcements, in the order each announcement names them.

One place for the order, shared by ``GET /announcements/{id}`` and the web page's result
list and detail page, so the API and the page never list a notice's accounts differently.
"""

from __future__ import annotations

from store.base import Query, Store

# Sorts an id without a numeric suffix after every numbered one.
_UNNUMBERED = 1 << 30


def account_order(doc: dict) -> tuple[int, str]:
    # Ids are "{announcement_id}:{n}"; sort by n as a number so :10 follows :9.
    suffix = str(doc.get("id", "")).rsplit(":", 1)[-1]
    return (int(suffix) if suffix.isdigit() else _UNNUMBERED, str(doc.get("id")))


def stored_accounts(store: Store, announcement_id: str) -> list[dict]:
    """The account documents extracted from one announcement, in the order it names them."""
    docs = store.iterate("account", Query(filters={"announcement_id": announcement_id}))
    return sorted(docs, key=account_order)
