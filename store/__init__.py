"""Document store: one interface, backends picked by URL scheme.

Backends are built from plain values (``open_store(url, query_timeout_ms=…, username=…)``),
never from the application's settings: ``core.config.Settings.store_options()`` turns
settings into these values for the commands, the crawler and the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from store.base import Query, Store
from store.errors import StoreError, UnknownBackend


def _sqlite(url: str, **options: Any) -> Store:
    from store.sqlite import SQLiteStore

    return SQLiteStore.from_url(url, **options)


def _elastic(url: str, **options: Any) -> Store:
    from store.elastic import ElasticStore

    return ElasticStore.from_url(url, **options)


@dataclass(frozen=True)
class Backend:
    name: str  # as /health and export provenance report it
    open: Callable[..., Store]
    options: frozenset[str]  # the plain options open_store passes it


# Backends by URL scheme, imported lazily so the SQLite path never needs the ES client.
_SQLITE = Backend("sqlite", _sqlite, frozenset({"query_timeout_ms"}))
_ELASTIC = Backend("elasticsearch", _elastic,
                   frozenset({"query_timeout_ms", "username", "password", "index_prefix"}))
BACKENDS: dict[str, Backend] = {"sqlite": _SQLITE, "http": _ELASTIC, "https": _ELASTIC}
STORE_URL_EXAMPLES = "sqlite:///relative/path.db, sqlite:////absolute/path.db or http(s)://host:9200"


def scheme_of(url: str) -> str:
    return url.split(":", 1)[0].lower() if ":" in url else ""


def backend_name(url: str) -> str:
    backend = BACKENDS.get(scheme_of(url))
    return backend.name if backend else (scheme_of(url) or "unknown")


def redact(url: str) -> str:
    """A store URL without credentials (``https://user:pw@host`` → ``https://***@host``)."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def open_store(url: str, *, query_timeout_ms: int | None = None, username: str | None = None,
               password: str | None = None, index_prefix: str | None = None, **backend_options: Any) -> Store:
    """``sqlite:///relative.db``, ``sqlite:////abs/path.db`` or ``http(s)://host:9200``.

    The named options are the ones an installation sets (``Settings.store_options()``); a
    backend receives those it understands. ``backend_options`` go to the backend as given
    (tests: ``node_class``, ``refresh``…)."""
    try:
        backend = BACKENDS[scheme_of(url)]
    except KeyError:
        raise UnknownBackend(f"store URL {redact(url)!r} names no backend; use {STORE_URL_EXAMPLES}") from None
    given = {"query_timeout_ms": query_timeout_ms, "username": username, "password": password,
             "index_prefix": index_prefix}
    options = {k: v for k, v in given.items() if v is not None and k in backend.options}
    return backend.open(url, **options, **backend_options)


__all__ = ["open_store", "Store", "Query", "StoreError", "BACKENDS", "backend_name", "redact"]
