"""Document store: one interface, backends picked by URL scheme."""

from __future__ import annotations

from typing import Any, Callable

from store.base import Query, Store
from store.errors import StoreError, UnknownBackend


def _sqlite(url: str, **options: Any) -> Store:
    from store.sqlite import SQLiteStore

    return SQLiteStore.from_url(url, **options)


def _elastic(url: str, **options: Any) -> Store:
    from store.elastic import ElasticStore

    return ElasticStore.from_url(url, **options)


# Backends by URL scheme, imported lazily so the SQLite path never needs the ES client.
BACKENDS: dict[str, Callable[..., Store]] = {
    "sqlite": _sqlite,
    "http": _elastic,
    "https": _elastic,
}


def open_store(url: str, **options: Any) -> Store:
    """``sqlite:///relative.db``, ``sqlite:////abs/path.db`` or ``http(s)://host:9200``."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    try:
        factory = BACKENDS[scheme]
    except KeyError:
        raise UnknownBackend(
            f"store URL {url!r} names no backend; use sqlite:///path.db or http(s)://host:9200"
        ) from None
    return factory(url, **options)


__all__ = ["open_store", "Store", "Query", "StoreError", "BACKENDS"]
