"""How older files' rollups reach the current layout (``sqlite_rollup``), in SQL where a
recount in Python would take minutes at a million comments.

Schemas 3 and 4 kept distinct authors as one ``agg_authors`` row per (kind, facet, author);
schema 5 packs an author's rows into one (``agg_author_facets``), and schema 6 keeps that
table with rowids. The steps for 3 → 4 still work on the old table, ``pack_authors`` (4 → 5)
turns it into the new one (in the current layout), and ``unspill_authors`` (5 → 6) copies a
schema 5 table into it. A file from
schema 2 has its rollups counted by the current code (``sqlite_rollup.rebuild``), so it has
no ``agg_authors`` and the steps that read it pass over it.
"""

from __future__ import annotations

import sqlite3

from core.schema import AUTHORED_KINDS
from store.sqlite_rollup import AUTHOR_FACETS_DDL, CITY, CITY_PAIRED, KNOWN, KNOWN_FIELDS, NANO, ROLLUP_KINDS

# Schema 4's agg_authors: author first, so a document's rows sat side by side.
AGG_AUTHORS_KEY = "kind, author, field, value"
AGG_AUTHORS_DDL = f"""CREATE TABLE IF NOT EXISTS agg_authors (
        kind TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, author TEXT NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY ({AGG_AUTHORS_KEY})
    ) WITHOUT ROWID"""


def _agg_authors_ddl(conn: sqlite3.Connection) -> str | None:
    """How the file made agg_authors, or None when it has none."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'agg_authors'").fetchone()
    return row[0] if row else None


def reorder_authors(conn: sqlite3.Connection) -> None:
    """Schema 3 → 4: agg_authors keyed author first (``AGG_AUTHORS_KEY``), copied in that order."""
    ddl = _agg_authors_ddl(conn)
    if ddl is None or AGG_AUTHORS_KEY in ddl:
        return
    conn.execute("ALTER TABLE agg_authors RENAME TO agg_authors_3")
    conn.execute(AGG_AUTHORS_DDL)
    conn.execute("INSERT INTO agg_authors (kind, field, value, author, n) SELECT kind, field, value, author, n"
                 f" FROM agg_authors_3 ORDER BY {AGG_AUTHORS_KEY}")
    conn.execute("DROP TABLE agg_authors_3")


def add_city_pairs(conn: sqlite3.Connection) -> None:
    """Schema 3 → 4 in SQL: the city pairs of ``EXTRA_PAIRS`` and ``author_facets`` counted
    from the documents, and schema 3's platform-among-known-regions rollups dropped. A
    full ``rebuild`` in Python took minutes at a million comments; this is one pass per
    table. ``tests/unit/store/test_sqlite_migration.py`` checks the result against it."""
    kinds = ", ".join(f"'{k}'" for k in ROLLUP_KINDS)  # constants of this module, not input
    new_pairs = [f for f in CITY_PAIRED if f != "themes"]  # schema 3 kept (city, themes) counts already
    fields = ", ".join(f"'{f}'" for f in new_pairs)
    # ordered(): the pair's smaller (field, value) first; only author_region sorts before city.
    first = f"v.field < '{CITY}'"
    # What schema 3 had in their place, and what a rebuild earlier in the same migration
    # (from schema 2) counted already: the counts below replace both.
    conn.execute("DELETE FROM agg_counts WHERE a_field = 'author_region' AND b_field = 'platform'")
    conn.execute(f"DELETE FROM agg_counts WHERE (a_field = '{CITY}' AND b_field IN ({fields}))"
                 f" OR (b_field = '{CITY}' AND a_field IN ({fields}))")
    conn.execute(
        "INSERT INTO agg_counts (kind, a_field, b_field, a_value, b_value, label, stance, n, s_nano, s_n)"
        f" SELECT d.kind, CASE WHEN {first} THEN v.field ELSE '{CITY}' END,"
        f" CASE WHEN {first} THEN '{CITY}' ELSE v.field END,"
        f" CASE WHEN {first} THEN v.value ELSE c.value END, CASE WHEN {first} THEN c.value ELSE v.value END,"
        " coalesce(d.sentiment_label, ''), coalesce(d.stance, ''), count(*),"
        f" coalesce(sum(CAST(round(d.sentiment * {NANO}) AS INTEGER)), 0), count(d.sentiment)"
        f" FROM docs d JOIN doc_values c ON c.doc = d.pk AND c.field = '{CITY}'"
        f" JOIN doc_values v ON v.doc = d.pk AND v.field IN ({fields})"
        f" WHERE d.kind IN ({kinds}) GROUP BY 1, 2, 3, 4, 5, 6, 7")
    if _agg_authors_ddl(conn) is None:
        return  # counted in the current layout by the rebuild from schema 2
    for table in ("agg_authors", "agg_voices"):
        conn.execute(f"DELETE FROM {table} WHERE field = 'platform|author_region' OR field LIKE '{CITY}|%'")
    authored = ", ".join(f"'{k}'" for k in sorted(AUTHORED_KINDS) if k in ROLLUP_KINDS)
    paired = ", ".join(f"'{f}'" for f in CITY_PAIRED)
    known = ", ".join(f"'{f}'" for f in KNOWN_FIELDS)
    by_city = (f" FROM docs d JOIN doc_values c ON c.doc = d.pk AND c.field = '{CITY}'"
               " JOIN doc_values v ON v.doc = d.pk AND v.field IN ({})"
               f" WHERE d.kind IN ({authored}) AND d.author IS NOT NULL GROUP BY 1, 2, 3, 4")
    conn.execute(
        "INSERT INTO agg_authors (kind, field, value, author, n)"
        f" SELECT d.kind, '{CITY}|' || v.field, c.value || '|' || v.value, d.author, count(*)"
        + by_city.format(paired)
        + f" UNION ALL SELECT d.kind, '{CITY}|' || v.field, c.value || '|{KNOWN}', d.author, count(*)"
        + by_city.format(known))
    conn.execute(
        "INSERT INTO agg_voices (kind, field, value, authors) SELECT kind, field, value, count(*)"
        f" FROM agg_authors WHERE field LIKE '{CITY}|%' GROUP BY 1, 2, 3")


def pack_authors(conn: sqlite3.Connection) -> None:
    """Schema 4 → 5: each author's ``agg_authors`` rows packed into one ``agg_author_facets``
    row, as ``sqlite_rollup.pack_facets`` writes it (JSON triples in (field, value) order:
    the rows are read in key order, author before field and value)."""
    if _agg_authors_ddl(conn) is None:
        return
    conn.execute(AUTHOR_FACETS_DDL)
    conn.execute(
        "INSERT INTO agg_author_facets (kind, author, facets)"
        " SELECT kind, author, json_group_array(json_array(field, value, n))"
        f" FROM (SELECT * FROM agg_authors ORDER BY {AGG_AUTHORS_KEY}) GROUP BY kind, author")
    conn.execute("DROP TABLE agg_authors")


def unspill_authors(conn: sqlite3.Connection) -> None:
    """Schema 5 → 6: ``agg_author_facets`` copied from its WITHOUT ROWID table, whose larger
    rows spilled onto overflow pages, into a rowid table (``AUTHOR_FACETS_DDL``). ~9 s at 1M
    comments; the pages freed are reused by later writes."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'agg_author_facets'").fetchone()
    if row is None or "WITHOUT ROWID" not in row[0].upper():
        return
    conn.execute("ALTER TABLE agg_author_facets RENAME TO agg_author_facets_5")
    conn.execute(AUTHOR_FACETS_DDL)
    conn.execute("INSERT INTO agg_author_facets (kind, author, facets) SELECT kind, author, facets"
                 " FROM agg_author_facets_5 ORDER BY kind, author")
    conn.execute("DROP TABLE agg_author_facets_5")
