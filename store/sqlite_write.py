"""Writing a batch of documents in a few statements instead of a few per document.

A crawl sends documents in batches (100 from the pipeline, 500 from a bulk load).
Written one by one, each document cost a look-up, an insert into ``docs``, one into
the filter values, one into the full-text table and a savepoint around them: statement
overhead, not SQLite's work, was most of the time. Here the batch's existing documents
are found in one query and every table gets one ``executemany``.

A batch that repeats an id, or that SQLite refuses part of, is written one document at a
time by the caller (``SQLiteStore._write_one``), which reports each refusal on its own.
"""

from __future__ import annotations

import json
import sqlite3
from typing import NamedTuple, Sequence

from store.documents import DocRow, fingerprint, is_stale
from core.schema import AUTHORED_KINDS, TEXT_FIELDS
from store.sqlite_rollup import ROLLUP_KINDS, Facts, RollupDelta, facts_of, stored_facts
from store.sqlite_schema import AUTHOR_SQL, delete_rows, fulltext_insert_sql, fulltext_of, queue_for_search

# Ids per look-up of existing documents (well under SQLite's 32,766 bound parameters).
_LOOKUP_CHUNK = 500


class Written(NamedTuple):
    """A document as this transaction wrote it, handed to the search index's sync so that it
    need not read the document back and expand its text again (~5% of a bulk load)."""

    row: DocRow
    texts: tuple[str | None, ...]  # ``fulltext_of``: what FTS5 got


def new_facts(kind: str, row: DocRow) -> Facts | None:
    if kind not in ROLLUP_KINDS:
        return None
    author = row.doc.get("author_hash")
    # As SQLite stores it: the author column is TEXT (json_extract of a number is a number,
    # which the column's affinity turns into text).
    author = author if author is None or isinstance(author, str) else str(author)
    return facts_of(kind, row.date.day if row.date else None, row.sentiment, row.sentiment_label, row.stance,
                    author, row.values)


def columns(row: DocRow) -> tuple:
    return (row.json, row.date.day if row.date else None, row.date.ts if row.date else None,
            row.sentiment, row.sentiment_label, row.stance)


def is_unchanged(row: DocRow, stored_json: str) -> bool:
    return stored_json == row.json or fingerprint(json.loads(stored_json)) == row.fingerprint


def write_batch(conn: sqlite3.Connection, kind: str, rows: Sequence[DocRow], delta: RollupDelta,
                written_out: dict[int, Written] | None = None) -> list[str] | None:
    """Each row's outcome (inserted / updated / unchanged), or None when the batch repeats
    an id (the second must see the first: the caller writes them one by one). Raises
    sqlite3.Error with nothing added to ``delta`` or ``written_out`` (the caller rolls back
    to its savepoint); otherwise ``written_out`` gets each written document by pk."""
    ids = [r.id for r in rows]
    if len(set(ids)) != len(ids):
        return None
    found: dict[str, tuple[int, str]] = {}
    for i in range(0, len(ids), _LOOKUP_CHUNK):
        chunk = ids[i:i + _LOOKUP_CHUNK]
        marks = ", ".join("?" * len(chunk))
        for doc_id, pk, doc in conn.execute(
                f"SELECT id, pk, doc FROM docs WHERE kind = ? AND id IN ({marks})", [kind, *chunk]):
            found[doc_id] = (pk, doc)
    outcomes: list[str] = []
    written: list[tuple[int, DocRow]] = []
    updates, inserts, changes = [], [], []
    next_pk = conn.execute("SELECT coalesce(max(pk), 0) + 1 FROM docs").fetchone()[0]
    authored = kind in AUTHORED_KINDS
    for row in rows:
        old = found.get(row.id)
        if old and is_unchanged(row, old[1]):
            outcomes.append("unchanged")
            continue
        if old and is_stale(row.doc, json.loads(old[1])):
            outcomes.append("stale")  # observed before the stored version: the newer one stays
            continue
        if old:
            pk = old[0]
            changes.append((stored_facts(conn, kind, pk), row))
            updates.append((*columns(row), row.json if authored else None, pk))
            outcomes.append("updated")
        else:
            pk, next_pk = next_pk, next_pk + 1
            changes.append((None, row))
            inserts.append((pk, kind, row.id, *columns(row), row.json if authored else None))
            outcomes.append("inserted")
        written.append((pk, row))
    for *_, pk in updates:
        delete_rows(conn, kind, pk)
    conn.executemany(
        "UPDATE docs SET doc = ?, day = ?, ts = ?, sentiment = ?, sentiment_label = ?, stance = ?,"
        f" author = {AUTHOR_SQL} WHERE pk = ?", updates)
    conn.executemany(
        "INSERT INTO docs (pk, kind, id, doc, day, ts, sentiment, sentiment_label, stance, author)"
        f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, {AUTHOR_SQL})", inserts)
    queue_for_search(conn, kind, [pk for pk, _ in written])
    conn.executemany("INSERT INTO doc_values (doc, field, value) VALUES (?, ?, ?)",
                     [(pk, f, v) for pk, row in written for f, v in row.values])
    texts = [fulltext_of(kind, row.doc) for _, row in written] if TEXT_FIELDS[kind] else []
    if texts:
        conn.executemany(fulltext_insert_sql(kind), [(pk, *text) for (pk, _), text in zip(written, texts)])
    # Only once every statement has succeeded: a refused batch must leave the delta untouched.
    for old, row in changes:
        delta.add(old, -1)
        delta.add(new_facts(kind, row), +1)
    if written_out is not None and texts:
        written_out.update((pk, Written(row, text)) for (pk, row), text in zip(written, texts))
    return outcomes
