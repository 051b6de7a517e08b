"""Dataset export: every matching document, streamed as JSON Lines or CSV, with provenance.

Shared by ``GET /export/{kind}`` (``api/routes/export.py``) and ``yuqing export``
(``yuqing/commands/export.py``), so a file made either way has the same columns.

1. Filters: the list route's own parameter model minus paging (``EXPORT_PARAMS``), so an
   export takes exactly the filters ``GET /comments`` does and validates them the same way.
2. Records: ``store.iterate`` in id order, a batch at a time; nothing holds the whole set.
3. Shape: only the schema's fields (``core.schema``), so nothing the crawler did not mean
   to publish leaves the store (authors appear only as ``author_hash``), plus provenance
   columns every record has: ``url`` (the page it came from: a comment's is its post's, an
   account's its announcement's), ``crawled_at`` and ``sentiment_model``.
4. Output: JSON Lines starting with a ``{"_meta": …}`` line, or CSV (``api/csv_output``).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import fields as dataclass_fields
from typing import Callable, Iterable, Iterator, Literal

from pydantic import Field, create_model

from api.csv_output import CSV_MEDIA_TYPE
from api.params import AccountParams, AnnouncementParams, CommentParams, Params, PostParams, to_query
from api.provenance import Provenance, stamp
from store.base import Query, Store
from store.errors import StoreError
from core.schema import SCHEMAS
from core.config import Settings

ExportFormat = Literal["jsonl", "csv"]
FORMATS: tuple[str, ...] = ("jsonl", "csv")
MEDIA_TYPES = {"jsonl": "application/x-ndjson; charset=utf-8", "csv": CSV_MEDIA_TYPE}

# Each kind's list-route parameters: the filters an export accepts.
LIST_PARAMS: dict[str, type[Params]] = {
    "announcement": AnnouncementParams,
    "account": AccountParams,
    "post": PostParams,
    "comment": CommentParams,
}
EXPORT_KINDS: tuple[str, ...] = tuple(LIST_PARAMS)
# List parameters that make no sense for a whole-set export.
NOT_EXPORT_PARAMS = frozenset({"page", "size", "cursor", "sort"})
# Documents per store read: the store's own default batch, a few MB of JSON at most.
EXPORT_BATCH = 500
# Source pages remembered while exporting comments (their post's URL) or accounts (their
# announcement's): a store read per distinct source, not per record. Bounded so a
# million-comment export over a hundred thousand posts cannot grow without limit.
SOURCE_CACHE_SIZE = 10_000
# Provenance columns added to kinds whose schema lacks them.
PROVENANCE_FIELDS = ("url", "crawled_at", "sentiment_model")


def _export_params(kind: str, source: type[Params]) -> type[Params]:
    kept = {name: (f.annotation, f) for name, f in source.model_fields.items() if name not in NOT_EXPORT_PARAMS}
    return create_model(  # type: ignore[call-overload]
        f"{kind.title()}ExportParams", __base__=Params,
        format=(ExportFormat | None, Field(None, description=(
            "jsonl (default) or csv; `Accept: text/csv` also asks for CSV."))),
        **kept,
    )


EXPORT_PARAMS: dict[str, type[Params]] = {kind: _export_params(kind, p) for kind, p in LIST_PARAMS.items()}


def export_query(kind: str, params: Params, settings: Settings) -> Query:
    """The store query of an export's parameters (a 422 ``InvalidParameters`` when bad)."""
    values = params.model_dump(exclude={"format"}, exclude_none=True)
    query = to_query(LIST_PARAMS[kind].model_validate(values), kind, settings, paged=False)
    query.highlight = False
    return query


def columns(kind: str) -> list[str]:
    """The fields of an exported record, in schema order, provenance last when added."""
    names = [f.name for f in dataclass_fields(SCHEMAS[kind])]
    return names + [p for p in PROVENANCE_FIELDS if p not in names]


class _SourceLookup:
    """A field of a record's source document (a comment's post, an account's
    announcement), read once per source and kept in a small LRU."""

    def __init__(self, store: Store, kind: str, fields: tuple[str, ...], size: int = SOURCE_CACHE_SIZE):
        self.store, self.kind, self.fields, self.size = store, kind, fields, size
        self._seen: OrderedDict[str, dict] = OrderedDict()

    def __call__(self, doc_id: str | None) -> dict:
        if not doc_id:
            return {}
        if doc_id in self._seen:
            self._seen.move_to_end(doc_id)
            return self._seen[doc_id]
        source = self.store.get(self.kind, doc_id) or {}
        found = {f: source.get(f) for f in self.fields}
        self._seen[doc_id] = found
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return found


def _shaper(store: Store, kind: str) -> Callable[[dict], dict]:
    names = columns(kind)
    if kind == "comment":
        posts = _SourceLookup(store, "post", ("url",))
        return lambda doc: {**{n: doc.get(n) for n in names}, "url": posts(doc.get("post_id")).get("url")}
    if kind == "account":
        notices = _SourceLookup(store, "announcement", ("url", "crawled_at"))

        def account(doc: dict) -> dict:
            return {**{n: doc.get(n) for n in names}, **notices(doc.get("announcement_id"))}

        return account
    return lambda doc: {n: doc.get(n) for n in names}


def records(store: Store, kind: str, query: Query, batch_size: int = EXPORT_BATCH) -> Iterator[dict]:
    """Every matching document as an export record, in id order, one batch in memory."""
    shape = _shaper(store, kind)
    for doc in store.iterate(kind, query, batch_size=batch_size):
        yield shape(doc)


def jsonl_lines(prov: Provenance, rows: Iterable[dict], *, catch: bool = True) -> Iterator[str]:
    """``{"_meta": …}``, then one record per line. Over HTTP (``catch``) a store failure
    part-way ends the file with an ``{"_error": …}`` line: the response has already
    started, so a status code can no longer say it, and a silently short file would pass
    for a complete one. The CLI (``catch=False``) gets the exception and keeps no file."""
    yield json.dumps({"_meta": prov.as_dict()}, ensure_ascii=False) + "\n"
    written = 0
    try:
        for row in rows:
            yield json.dumps(row, ensure_ascii=False) + "\n"
            written += 1
    except StoreError as exc:
        if not catch:
            raise
        yield json.dumps({"_error": {"message": str(exc), "records_written": written}}, ensure_ascii=False) + "\n"


def filename(prov: Provenance, fmt: str) -> str:
    """``yuqing-comment-20240610T083000Z.csv``: the kind and when, so versions never collide."""
    return f"yuqing-{prov.kind}-{stamp(prov)}.{fmt}"
