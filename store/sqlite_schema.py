"""The SQLite file's layout, its version, and how a document's text goes into the full-text tables.

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
from typing import Any, Mapping


from store.schema import KINDS, TEXT_FIELDS
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
