"""Where a downloaded file came from: the query, the time, the yuqing version, the backend.

A CSV or JSON Lines file outlives the request that made it; a researcher citing it months
later needs to say which filters produced it, when, and with which version of the
analysis. JSON Lines carries this as a first ``{"_meta": …}`` line; every download (CSV
included, which has nowhere else to put it) carries it as ``X-Yuqing-*`` headers.

The store URL is deliberately not included: it can hold credentials
(``https://user:pass@host``). The backend name says enough.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from store.base import Query, Store
from core import __version__

HEADER_PREFIX = "X-Yuqing-"


def describe_query(query: Query | None) -> dict:
    """The parts of a query that decide which documents match (not paging)."""
    if query is None:
        return {}
    described = {"q": query.q, "filters": dict(query.filters) or None,
                 "date_from": query.date_from, "date_to": query.date_to}
    return {k: v for k, v in described.items() if v is not None}


@dataclass
class Provenance:
    kind: str
    query: dict
    exported_at: str  # ISO-8601 UTC, seconds
    yuqing_version: str
    store_backend: str
    count: int | None = None  # documents matching when the export started

    def as_dict(self) -> dict:
        return asdict(self)

    def headers(self) -> dict[str, str]:
        """HTTP headers; the query as ASCII JSON (``\\uXXXX`` escapes), because header
        values must be Latin-1 and filters are usually Chinese."""
        values = {
            "Kind": self.kind,
            "Query": json.dumps(self.query, ensure_ascii=True, sort_keys=True),
            "Exported-At": self.exported_at,
            "Version": self.yuqing_version,
            "Store-Backend": self.store_backend,
        }
        if self.count is not None:
            values["Count"] = str(self.count)
        return {HEADER_PREFIX + k: v for k, v in values.items()}


def provenance(store: Store, kind: str, query: Query | None, count: int | None = None) -> Provenance:
    now = datetime.now(timezone.utc).replace(microsecond=0)
    return Provenance(kind=kind, query=describe_query(query), exported_at=now.isoformat(),
                      yuqing_version=__version__, store_backend=store.backend, count=count)


def stamp(prov: Provenance) -> str:
    """A filename-safe UTC timestamp, e.g. ``20240610T083000Z``."""
    return prov.exported_at.replace("-", "").replace(":", "").replace("+0000", "Z")
