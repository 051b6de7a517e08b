"""The SQLite file's layout, its version, and how a document's text goes into the full-text tables.

Tables:

- ``meta``: key/value pairs; ``schema_version`` (the layout below) and ``text_version``
  (how full text is expanded, ``sqlite_text.TEXT_VERSION``).
- ``docs``: one row per document: its JSON (keys sorted, so "unchanged" is a string
  comparison), the date part and a UTC timestamp of ``DATE_FIELD[kind]`` (range filters use
  the first, sorting the second), and the columns summaries average and count (sentiment,
  its label, stance, and the author's pseudonym for the kinds that have one).
- ``doc_values``: one row per (document, filter field, value), list fields (themes,
  platforms) once per distinct value. Filters, containment and per-value summaries all
  read this one table, so scalar and list fields take the same path.
- ``fts_<kind>``: FTS5 over the bigram-expanded text fields of ``TEXT_FIELDS[kind]``
  (see ``sqlite_text``), rowid = ``docs.pk``.
- ``search_queue``: documents changed since the search index beside the file last took
  them in, filled by the writes (``queue_for_search``); ``search_inflight``: those the last
  sync took, until its index commit is known to have landed (see ``sqlite_search_index``).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any, Iterable, Mapping

from core.schema import AUTHORED_KINDS, KINDS, TEXT_FIELDS
from store.sqlite_rollup import ROLLUP_DDL, rebuild as rebuild_rollups
from store.sqlite_rollup_migrations import add_city_pairs, pack_authors, reorder_authors, unspill_authors
from store.sqlite_text import TEXT_VERSION, expand

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 6

# How ``docs.author`` is filled: SQLite reads it out of the JSON being written (bound as
# the one parameter; NULL for kinds without authors), the same expression the migration
# to schema 2 ran over existing documents, so old and new rows agree exactly.
AUTHOR_SQL = "json_extract(?, '$.author_hash')"

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
        author TEXT,
        UNIQUE (kind, id)
    )""",
    "CREATE INDEX IF NOT EXISTS docs_kind_day ON docs (kind, day)",
    # The two date orders exactly as ``sqlite_query.ORDERS`` spells them (undated last),
    # so browsing without words walks the index and stops at the page instead of sorting
    # every document of the kind (556 → 0.5 ms for page 62 at 100,000 comments).
    "CREATE INDEX IF NOT EXISTS docs_kind_newest ON docs (kind, ts IS NULL, ts DESC, id)",
    "CREATE INDEX IF NOT EXISTS docs_kind_oldest ON docs (kind, ts IS NULL, ts, id)",
    # Everything a summary reads from a document, so summaries walk this index, not the
    # documents' JSON pages; pk second keeps the walk in pk order, so the look-ups into
    # doc_values (keyed by doc first) move forward through it instead of jumping about
    # (comments by city at 100,000: 250 → 110 ms against the same index without pk).
    "CREATE INDEX IF NOT EXISTS docs_kind_facts ON docs (kind, pk, sentiment, sentiment_label, stance, author)",
    """CREATE TABLE IF NOT EXISTS doc_values (
        doc INTEGER NOT NULL,
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (doc, field, value)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS doc_values_lookup ON doc_values (field, value, doc)",
    # A search ranks every full-text match by pk; reading kind, id and ts from this narrow
    # index instead of the document rows (JSON inline, one page or more each) keeps a notice
    # search from paging through kilobytes of JSON per hit (``sqlite_query.Where.source``).
    "CREATE INDEX IF NOT EXISTS docs_keys ON docs (pk, kind, id, ts, day)",
    *ROLLUP_DDL,
]


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    """Schema 2: an ``author`` column (summaries counted distinct authors by parsing every
    document's JSON), and date-order indexes in place of ``docs_kind_ts`` (which no query
    could use for the orders it was made for)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(docs)")}
    if "author" not in columns:
        conn.execute("ALTER TABLE docs ADD COLUMN author TEXT")
    authored = sorted(AUTHORED_KINDS)
    marks = ", ".join("?" * len(authored))
    conn.execute(f"UPDATE docs SET author = {AUTHOR_SQL.replace('?', 'doc')} WHERE kind IN ({marks})", authored)
    conn.execute("DROP INDEX IF EXISTS docs_kind_ts")


def _migrate_2_to_3(conn: sqlite3.Connection) -> None:
    """Schema 3: summaries kept current on write (``sqlite_rollup``), counted once here
    from the documents already stored; and a narrow covering index for the full-text join."""
    for stmt in ROLLUP_DDL:
        conn.execute(stmt)
    rebuild_rollups(conn)


def _migrate_3_to_4(conn: sqlite3.Connection) -> None:
    """Schema 4: each city by theme, platform and commenter region kept in the rollups too
    (counts and distinct authors), so one city's summaries are look-ups; counted here. And
    agg_authors keyed author first, which makes a batch of writes touch far fewer pages."""
    reorder_authors(conn)
    add_city_pairs(conn)


def _migrate_4_to_5(conn: sqlite3.Connection) -> None:
    """Schema 5: an author's distinct-author rows packed into one (``agg_author_facets``):
    a batch of writes reads and writes a row per author instead of ~15 per comment."""
    pack_authors(conn)


def _migrate_5_to_6(conn: sqlite3.Connection) -> None:
    """Schema 6: ``agg_author_facets`` with rowids, so its rows stay on their pages (a
    quarter spilled onto overflow pages) and new authors are appended."""
    unspill_authors(conn)


# MIGRATIONS[v] brings a file at schema v to v + 1; run in order, in one transaction.
MIGRATIONS = {1: _migrate_1_to_2, 2: _migrate_2_to_3, 3: _migrate_3_to_4, 4: _migrate_4_to_5, 5: _migrate_5_to_6}


def fts_table(kind: str) -> str:
    # kind is checked against KINDS before it reaches SQL; table names cannot be bound.
    assert kind in KINDS, kind
    return f"fts_{kind}"


def _fts_ddl(kind: str) -> str:
    cols = ", ".join(TEXT_FIELDS[kind])
    return f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts_table(kind)} USING fts5({cols}, tokenize='unicode61')"


TEXT_KINDS = tuple(k for k in KINDS if TEXT_FIELDS[k])
_TEXT_KIND_LIST = ", ".join(f"'{k}'" for k in TEXT_KINDS)

# The search index's queue (``sqlite_search_index``), filled by the write code
# (``queue_for_search``). Keyed by kind and pk: pks are reused (a new document takes
# max(pk) + 1), so a comment deleted and an announcement written in its place are two
# entries, not one. Triggers on docs filled it until schema 5; any AFTER INSERT trigger on
# docs, even one that does nothing, made inserting a document cost about twice as much
# (the row is copied out for the trigger program): 0.18 → 0.44 s per 10,000 comments at 1M.
# Files that still have them lose them when opened.
QUEUE_DDL = [
    "CREATE TABLE IF NOT EXISTS search_queue (kind TEXT NOT NULL, pk INTEGER NOT NULL, PRIMARY KEY (kind, pk))"
    " WITHOUT ROWID",
    # What the last sync took from the queue, until its index commit is known to have landed.
    "CREATE TABLE IF NOT EXISTS search_inflight (kind TEXT NOT NULL, pk INTEGER NOT NULL, PRIMARY KEY (kind, pk))"
    " WITHOUT ROWID",
    *(f"DROP TRIGGER IF EXISTS search_queue_{event}" for event in ("insert", "update", "delete")),
]


def queue_for_search(conn: sqlite3.Connection, kind: str, pks: Iterable[int]) -> None:
    """Queue documents inserted, changed or deleted for the search index's next sync (kinds
    without text stay out). Every write to ``docs`` calls it in the same transaction."""
    if TEXT_FIELDS[kind]:
        conn.executemany("INSERT OR IGNORE INTO search_queue (kind, pk) VALUES (?, ?)", [(kind, pk) for pk in pks])


def queue_everything(conn: sqlite3.Connection) -> None:
    """Queue every document of every text kind: a file whose text expansion changed has its
    search indexes built again by the next sync."""
    conn.execute(f"INSERT OR IGNORE INTO search_queue (kind, pk) SELECT kind, pk FROM docs"
                 f" WHERE kind IN ({_TEXT_KIND_LIST})")


def doc_keys(conn: sqlite3.Connection, pks: list[int]) -> dict[int, tuple[str, float | None]]:
    """pk → (id, ts) of the given documents, from the narrow ``docs_keys`` index: what a
    page ranked outside ``docs`` (FTS5 alone, the search index) needs to order its ties and
    fetch its rows. Callers pass at most a few thousand pks (SQLite binds 32,766)."""
    if not pks:
        return {}
    marks = ", ".join("?" * len(pks))
    return {pk: (doc_id, ts) for pk, doc_id, ts in conn.execute(
        f"SELECT pk, id, ts FROM docs INDEXED BY docs_keys WHERE pk IN ({marks})", pks)}


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the layout in a new file, check or migrate an existing one (in place, in
    one transaction: a migration that fails leaves the file as it was)."""
    from store.errors import StoreUnavailable

    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(_DDL[0])
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        # A file with documents but no recorded version predates versioning: schema 1.
        default = 1 if _has_table(conn, "docs") else SCHEMA_VERSION
        version = int(meta.get("schema_version", default))
        if version > SCHEMA_VERSION:
            raise StoreUnavailable(
                f"the store was written by a newer yuqing (schema {version}, this one knows {SCHEMA_VERSION})"
            )
        migrated = version < SCHEMA_VERSION
        if migrated:
            logger.warning("upgrading the SQLite store from schema %d to %d in place (one to two minutes per million "
                           "documents; the file is left as it was if this is interrupted)", version, SCHEMA_VERSION)
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](conn)
        for stmt in _DDL[1:]:
            conn.execute(stmt)
        for stmt in QUEUE_DDL:  # a file from before the search index is indexed when the store opens it
            conn.execute(stmt)
        for kind in TEXT_KINDS:
            conn.execute(_fts_ddl(kind))
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
        if meta.get("text_version") != str(TEXT_VERSION):
            rebuild_fulltext(conn)
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('text_version', ?)", (str(TEXT_VERSION),))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    if migrated:
        optimize(conn)


def optimize(conn: sqlite3.Connection) -> None:
    """``PRAGMA optimize``, as SQLite recommends before closing a connection and after
    large changes: it runs ANALYZE only where the planner would use statistics it lacks.
    The analysis limit keeps that to a sample (milliseconds, not seconds, at 100,000
    documents). The queries do not depend on it: their shapes are fast without statistics."""
    conn.execute("PRAGMA analysis_limit=400")
    conn.execute("PRAGMA optimize")


def rebuild_fulltext(conn: sqlite3.Connection) -> None:
    """Re-expand every document's text (after the expansion rules changed)."""
    queue_everything(conn)  # the search index holds the same expansion
    for kind in TEXT_KINDS:
        conn.execute(f"DELETE FROM {fts_table(kind)}")
        for pk, raw in conn.execute("SELECT pk, doc FROM docs WHERE kind = ?", (kind,)).fetchall():
            insert_fulltext(conn, kind, pk, json.loads(raw))


def fulltext_of(kind: str, doc: Mapping[str, Any]) -> tuple[str | None, ...]:
    """The text fields of ``kind`` as FTS5 and the search index hold them (bigram-expanded),
    in ``TEXT_FIELDS`` order; None for a field without text."""
    return tuple(expand(doc.get(f) if isinstance(doc.get(f), str) else None) for f in TEXT_FIELDS[kind])


def fulltext_insert_sql(kind: str) -> str:
    fields = TEXT_FIELDS[kind]
    return (f"INSERT INTO {fts_table(kind)} ({', '.join(('rowid',) + fields)})"
            f" VALUES ({', '.join('?' * (len(fields) + 1))})")


def insert_fulltext(conn: sqlite3.Connection, kind: str, pk: int, doc: Mapping[str, Any]) -> tuple[str | None, ...]:
    """Index ``doc``'s text in FTS5; returns the texts indexed (``fulltext_of``)."""
    if not TEXT_FIELDS[kind]:
        return ()
    texts = fulltext_of(kind, doc)
    conn.execute(fulltext_insert_sql(kind), [pk, *texts])
    return texts


def delete_rows(conn: sqlite3.Connection, kind: str, pk: int) -> None:
    conn.execute("DELETE FROM doc_values WHERE doc = ?", (pk,))
    if TEXT_FIELDS[kind]:
        conn.execute(f"DELETE FROM {fts_table(kind)} WHERE rowid = ?", (pk,))
