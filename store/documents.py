"""Checking one document and deriving what every backend indexes from it.

Backend-neutral, so the SQLite and Elasticsearch stores refuse the same documents with
the same messages (a refusal becomes an ``UpsertReport.errors`` entry, never an exception
that loses the rest of the batch).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Mapping

from store.base import UpsertReport
from core.schema import DATE_FIELD, FILTER_FIELDS, KINDS, LIST_FIELDS, OBSERVED_FIELD, TEXT_FIELDS, VOLATILE_FIELDS



def value_text(value: Any) -> str | None:
    """How a filter value is stored and compared: booleans as true/false, numbers as text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise ValueError(f"{value!r} is not a string, number or boolean")


@dataclass(frozen=True)
class DocDate:
    day: str  # YYYY-MM-DD as written (the local date)
    ts: float  # seconds since the epoch; a date without time is UTC midnight


def parse_date(value: Any, name: str) -> DocDate | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} {value!r} is not an ISO date string")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{name} {value!r} is not an ISO date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+08:00)") from None
    aware = parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return DocDate(parsed.date().isoformat(), aware.timestamp())


@dataclass(frozen=True)
class DocRow:
    id: str
    doc: dict
    json: str
    date: DocDate | None
    sentiment: float | None
    sentiment_label: str | None
    stance: str | None
    values: list[tuple[str, str]]

    @cached_property
    def fingerprint(self) -> str:
        """Hash of the document less VOLATILE_FIELDS: equal fingerprints = unchanged. Computed
        when asked (a new document never needs it on SQLite: a tenth of a bulk load's time)."""
        return fingerprint(self.doc)


def fingerprint(doc: Mapping[str, Any]) -> str:
    """What decides "unchanged" on upsert, identical for both backends."""
    stable = {k: v for k, v in doc.items() if k not in VOLATILE_FIELDS}
    text = json.dumps(stable, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# A document as stored: keys sorted, compact, UTF-8 as it is (one encoder for every call).
_canonical_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode


def doc_row(kind: str, doc: Mapping[str, Any]) -> DocRow:
    """Check a document and derive its rows; ValueError says what is wrong."""
    if not isinstance(doc, Mapping):
        raise ValueError(f"a document must be a JSON object, not {type(doc).__name__}")
    doc_id = doc.get("id")
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise ValueError("document has no id")
    for name in TEXT_FIELDS[kind]:
        if doc.get(name) is not None and not isinstance(doc.get(name), str):
            raise ValueError(f"{name} must be text, not {type(doc.get(name)).__name__}")
    values: set[tuple[str, str]] = set()
    for name in FILTER_FIELDS[kind]:
        raw = doc.get(name)
        if raw is None:
            continue
        if type(raw) is str and name not in LIST_FIELDS:  # most values: stored as they are
            if raw:
                values.add((name, raw))
            continue
        items = raw if isinstance(raw, (list, tuple)) else [raw]
        if name in LIST_FIELDS and not isinstance(raw, (list, tuple)):
            raise ValueError(f"{name} must be a list, not {type(raw).__name__}")
        for item in items:
            try:
                text = value_text(item)
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from None
            if text is not None:
                values.add((name, text))
    sentiment = doc.get("sentiment")
    if sentiment is not None and (isinstance(sentiment, bool) or not isinstance(sentiment, (int, float))):
        raise ValueError(f"sentiment must be a number, not {sentiment!r}")
    date = parse_date(doc.get(DATE_FIELD[kind]), DATE_FIELD[kind])
    try:
        text = _canonical_json(doc)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not JSON-serialisable: {exc}") from None
    label, stance = doc.get("sentiment_label"), doc.get("stance")
    return DocRow(
        id=doc_id,
        doc=dict(doc),
        json=text,
        date=date,
        sentiment=float(sentiment) if sentiment is not None else None,
        sentiment_label=label if isinstance(label, str) and label else None,
        stance=stance if isinstance(stance, str) and stance else None,
        values=sorted(values),
    )


def _observed(doc: Mapping[str, Any] | None) -> datetime | None:
    value = doc.get(OBSERVED_FIELD) if isinstance(doc, Mapping) else None
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def is_stale(incoming: Mapping[str, Any], stored: Mapping[str, Any] | None) -> bool:
    """True when ``incoming`` was observed before the stored version: the store keeps the
    newer one (a spill replayed after a re-crawl must not write old over new). A document
    without an observation time (accounts, crawl runs) is never stale; an equal time is not
    stale either, so a later settling of the same observation (its places) is written."""
    new, old = _observed(incoming), _observed(stored)
    return new is not None and old is not None and new < old


# How a refused document without an id is named in UpsertReport.errors.
NO_ID = "?"


def checked_rows(kind: str, docs: Iterable[Any], report: UpsertReport) -> Iterator[DocRow]:
    """Each acceptable document's row, in order. A refusal (unknown kind, bad document) goes
    into ``report.errors`` as (id, reason) and the rest of the batch goes on: both backends
    refuse the same documents with the same words."""
    unknown = None if kind in KINDS else f"unknown kind {kind!r}; one of: {', '.join(KINDS)}"
    for doc in docs:
        try:
            if unknown:
                raise ValueError(unknown)
            yield doc_row(kind, doc)
        except ValueError as exc:
            doc_id = doc.get("id") if isinstance(doc, Mapping) else None
            report.errors.append((str(doc_id or NO_ID), str(exc)))

