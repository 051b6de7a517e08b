"""The SQLite file's layout, its version, and how one document becomes rows.

Tables:

- ``meta``: key/value pairs; ``schema_version`` (the layout below) and ``text_version``
  (how full text is expanded, ``sqlite_text.TEXT_VERSION``).
- ``docs``: one row per document: its JSON (keys sorted, so "unchanged" is a string
  comparison), the date part and a UTC timestamp of ``DATE_FIELD[kind]`` (range filters use
  the first, sorting the second), and the columns summaries average and count.
- ``doc_values``: one row per (document, filter field, value), list fields (themes,
  platforms) once per distinct value. Filters, containment and per-value summaries all
  read this one table, so scalar and list fields take the same path.
- ``fts_<kind>``: FTS5 over the bigram-expanded text fields of ``TEXT_FIELDS[kind]``
  (see ``sqlite_text``), rowid = ``docs.pk``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

from store.schema import DATE_FIELD, FILTER_FIELDS, KINDS, LIST_FIELDS, TEXT_FIELDS
from store.sqlite_text import TEXT_VERSION, expand

SCHEMA_VERSION = 1

_DDL = [
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS docs (
        pk INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        doc TEXT NOT NULL,
        day TEXT,
        ts REAL,
        sentiment REAL,
        sentiment_label TEXT,
        stance TEXT,
        UNIQUE (kind, id)
    )""",
    "CREATE INDEX IF NOT EXISTS docs_kind_day ON docs (kind, day)",
    "CREATE INDEX IF NOT EXISTS docs_kind_ts ON docs (kind, ts, id)",
    """CREATE TABLE IF NOT EXISTS doc_values (
        doc INTEGER NOT NULL,
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (doc, field, value)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS doc_values_lookup ON doc_values (field, value, doc)",
]


def fts_table(kind: str) -> str:
    # kind is checked against KINDS before it reaches SQL; table names cannot be bound.
    assert kind in KINDS, kind
    return f"fts_{kind}"


def _fts_ddl(kind: str) -> str:
    cols = ", ".join(TEXT_FIELDS[kind])
    return f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts_table(kind)} USING fts5({cols}, tokenize='unicode61')"


TEXT_KINDS = tuple(k for k in KINDS if TEXT_FIELDS[k])


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the layout in a new file, check or migrate an existing one."""
    from store.errors import StoreUnavailable

    with conn:
        for stmt in _DDL:
            conn.execute(stmt)
        for kind in TEXT_KINDS:
            conn.execute(_fts_ddl(kind))
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        version = int(meta.get("schema_version", SCHEMA_VERSION))
        if version > SCHEMA_VERSION:
            raise StoreUnavailable(
                f"the store was written by a newer yuqing (schema {version}, this one knows {SCHEMA_VERSION})"
            )
        # Migrations from older versions go here, one step per version.
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
        if meta.get("text_version") != str(TEXT_VERSION):
            rebuild_fulltext(conn)
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('text_version', ?)", (str(TEXT_VERSION),))


def rebuild_fulltext(conn: sqlite3.Connection) -> None:
    """Re-expand every document's text (after the expansion rules changed)."""
    for kind in TEXT_KINDS:
        conn.execute(f"DELETE FROM {fts_table(kind)}")
        for pk, raw in conn.execute("SELECT pk, doc FROM docs WHERE kind = ?", (kind,)).fetchall():
            insert_fulltext(conn, kind, pk, json.loads(raw))


def insert_fulltext(conn: sqlite3.Connection, kind: str, pk: int, doc: Mapping[str, Any]) -> None:
    fields = TEXT_FIELDS[kind]
    if not fields:
        return
    cols = ", ".join(("rowid",) + fields)
    marks = ", ".join("?" * (len(fields) + 1))
    values = [expand(doc.get(f) if isinstance(doc.get(f), str) else None) for f in fields]
    conn.execute(f"INSERT INTO {fts_table(kind)} ({cols}) VALUES ({marks})", [pk, *values])


def delete_rows(conn: sqlite3.Connection, kind: str, pk: int) -> None:
    conn.execute("DELETE FROM doc_values WHERE doc = ?", (pk,))
    if TEXT_FIELDS[kind]:
        conn.execute(f"DELETE FROM {fts_table(kind)} WHERE rowid = ?", (pk,))


# --- one document -> row values ---------------------------------------------------


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
        items = raw if isinstance(raw, (list, tuple)) else [raw]
        if name in LIST_FIELDS and raw is not None and not isinstance(raw, (list, tuple)):
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
        text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
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
