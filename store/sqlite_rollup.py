"""Summaries kept current on write: what each document adds to the rollup tables.

A summary of a million comments scanned every comment (and its filter values) on each
request: ~0.5 s at 100,000, past the 3 s query limit at 1,000,000. Instead each write
adds (or, for the version it replaces and for a delete, subtracts) its document's share
to three small tables, in the same transaction as the document, so the summaries the
API asks for most are look-ups of a few hundred rows (``sqlite_rollup_read``):

- ``agg_counts``: documents, sentiment sum and sentiment count per (kind, facet pair,
  sentiment label, stance). A facet is a (field, value) a document has: its city,
  province, platform, each theme, the commenter's region… (``FACET_FIELDS``), its day,
  or ``('', '')`` for "any". The pairs kept are ``('', x)`` for every facet x (counts per
  city, per theme, per day, the total), ``('day', x)`` (timelines of one city, one
  theme…) and the ``EXTRA_PAIRS`` (each city by theme, platform, commenter region).
  Label and stance are columns, so a label or stance filter or breakdown needs no pair.
- ``agg_authors``: how many documents of each (kind, facet, author): exact distinct
  authors, as a count of rows, kept in ``agg_voices`` as the rows come and go.
- ``agg_voices``: distinct authors per (kind, facet), and per (kind, city, facet) under
  the field ``city|<field>`` with the value ``<city>|<value>``.

Sentiment sums are integers (nanounits), so adding and subtracting never drifts and a
recount from scratch matches the kept sums exactly.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable

from core.schema import AUTHORED_KINDS, FILTER_FIELDS

# Kinds the summary routes serve; the others (accounts, crawl runs) are small and scanned.
ROLLUP_KINDS = ("announcement", "post", "comment")
# Filter fields that are columns of agg_counts (label, stance) or too many-valued to be
# worth a facet (one post's comments): a filter on them is answered by the scan.
_NOT_FACETS = frozenset({"sentiment_label", "stance", "post_id"})
FACET_FIELDS: dict[str, tuple[str, ...]] = {
    kind: tuple(f for f in FILTER_FIELDS[kind] if f not in _NOT_FACETS) for kind in ROLLUP_KINDS
}
DAY = "day"
ANY = ("", "")
# Fields kept paired with the city, counts and distinct authors alike, so one city's
# comments by theme, platform or commenter region are look-ups too (a journalist's first
# question; each was a scan of the city's comments, ~1 s per pass at 1,000,000).
CITY = "city"
CITY_PAIRED = ("themes", "platform", "platforms", "author_region")
# Pairs of facet fields beyond ('', x) and (day, x): the city pairs above (by=city also
# lists each city's top themes from them, by=theme each theme's top cities).
EXTRA_PAIRS = frozenset((CITY, f) for f in CITY_PAIRED)
# "The field has a value": a facet of its own for distinct authors, so "commenters whose
# IP location is known" is a look-up (``api/routes/summary.author_regions`` asks for it
# as a filter listing every region), overall and per city.
KNOWN = "*"
KNOWN_FIELDS = ("author_region",)
NANO = 1_000_000_000


def nano(sentiment: float) -> int:
    return round(sentiment * NANO)


@dataclass(frozen=True)
class Facts:
    """What a document contributes to the rollups."""

    kind: str
    day: str | None
    sentiment: float | None
    label: str  # '' when unlabelled
    stance: str  # '' when none
    author: str | None
    facets: tuple[tuple[str, str], ...]  # (field, value), fields of FACET_FIELDS[kind]


def facts_of(kind: str, day: str | None, sentiment: float | None, label: str | None, stance: str | None,
             author: str | None, values: Iterable[tuple[str, str]]) -> Facts:
    fields = FACET_FIELDS[kind]
    return Facts(kind, day, sentiment, label or "", stance or "", author if kind in AUTHORED_KINDS else None,
                 tuple(sorted((f, v) for f, v in values if f in fields)))


def ordered(p: tuple[str, str], q: tuple[str, str]) -> tuple[str, str, str, str]:
    """A pair in its one stored order (smaller facet first)."""
    a, b = (p, q) if p <= q else (q, p)
    return a[0], a[1], b[0], b[1]


def pairs(facts: Facts) -> list[tuple[str, str, str, str]]:
    out = [ordered(ANY, ANY)]
    dated = [(DAY, facts.day)] if facts.day else []
    for facet in (*facts.facets, *dated):
        out.append(ordered(ANY, facet))
    for facet in dated:
        out.extend(ordered(facet, other) for other in facts.facets)
    for i, p in enumerate(facts.facets):
        for q in facts.facets[i + 1:]:
            if (p[0], q[0]) in EXTRA_PAIRS or (q[0], p[0]) in EXTRA_PAIRS:
                out.append(ordered(p, q))
    return out


def city_facet(field: str) -> str:
    """The agg_voices field of distinct authors per (city, value of ``field``)."""
    return f"{CITY}|{field}"


def city_value(city: str, value: str) -> str:
    return f"{city}|{value}"


def author_facets(facts: Facts) -> list[tuple[str, str]]:
    out = [ANY, *facts.facets]
    if facts.label:
        out.append(("sentiment_label", facts.label))
    if facts.stance:
        out.append(("stance", facts.stance))
    have = {f for f, _ in facts.facets}
    known = [name for name in KNOWN_FIELDS if name in have]
    out.extend((name, KNOWN) for name in known)
    for city in (v for f, v in facts.facets if f == CITY):
        out.extend((city_facet(f), city_value(city, v)) for f, v in facts.facets if f in CITY_PAIRED)
        out.extend((city_facet(name), city_value(city, KNOWN)) for name in known)
    return out


class RollupDelta:
    """What one write transaction adds to and takes from the rollups, summed in memory and
    applied once: a batch of 500 comments from a dozen threads touches far fewer rows than
    500 × its pairs."""

    def __init__(self) -> None:
        self.counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.authors: Counter = Counter()

    def add(self, facts: Facts | None, sign: int) -> None:
        if facts is None:
            return
        s = nano(facts.sentiment) if facts.sentiment is not None else None
        for pair in pairs(facts):
            cell = self.counts[(facts.kind, *pair, facts.label, facts.stance)]
            cell[0] += sign
            if s is not None:
                cell[1] += sign * s
                cell[2] += sign
        if facts.author is not None:
            for field, value in author_facets(facts):
                self.authors[(facts.kind, field, value, facts.author)] += sign

    def apply(self, conn: sqlite3.Connection) -> None:
        changed = [(k[0], k[1], k[3], k[2], k[4], k[5], k[6], n, s, sn)
                   for k, (n, s, sn) in self.counts.items() if n or s or sn]
        conn.executemany(
            "INSERT INTO agg_counts (kind, a_field, b_field, a_value, b_value, label, stance, n, s_nano, s_n)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n,"
            " s_nano = s_nano + excluded.s_nano, s_n = s_n + excluded.s_n",
            changed,
        )
        emptied = [row[:7] for row in changed if row[7] < 0]
        if emptied:
            conn.executemany(
                "DELETE FROM agg_counts WHERE kind = ? AND a_field = ? AND b_field = ? AND a_value = ?"
                " AND b_value = ? AND label = ? AND stance = ? AND n = 0", emptied)
        authors = [(*k, d) for k, d in self.authors.items() if d]
        if authors:
            _apply_authors(conn, authors)
        self.counts.clear()
        self.authors.clear()


def _apply_authors(conn: sqlite3.Connection, deltas: list[tuple[str, str, str, str, int]]) -> None:
    """Set-based, in SQLite: a batch's (facet, author) deltas go into a temporary table and
    three statements count the voices gained (no row before) and lost (the row reaches 0),
    then apply the deltas. One round trip per key cost 60% of a batch of 500 comments."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS author_deltas (kind TEXT, field TEXT, value TEXT, author TEXT,"
                 f" d INTEGER, PRIMARY KEY ({AGG_AUTHORS_KEY})) WITHOUT ROWID")  # walked in agg_authors' order
    conn.execute("DELETE FROM author_deltas")
    conn.executemany("INSERT INTO author_deltas VALUES (?, ?, ?, ?, ?)", deltas)
    conn.execute(
        "INSERT INTO agg_voices (kind, field, value, authors)"
        " SELECT t.kind, t.field, t.value, sum(CASE WHEN a.n IS NULL THEN 1 WHEN a.n + t.d = 0 THEN -1 ELSE 0 END)"
        " FROM author_deltas t LEFT JOIN agg_authors a ON a.kind = t.kind AND a.field = t.field"
        " AND a.value = t.value AND a.author = t.author GROUP BY 1, 2, 3"
        " ON CONFLICT DO UPDATE SET authors = authors + excluded.authors")
    conn.execute(
        "INSERT INTO agg_authors (kind, field, value, author, n) SELECT kind, field, value, author, d"
        " FROM author_deltas WHERE true ON CONFLICT DO UPDATE SET n = n + excluded.n")
    conn.execute(
        "DELETE FROM agg_authors WHERE n = 0 AND (kind, field, value, author) IN"
        " (SELECT kind, field, value, author FROM author_deltas WHERE d < 0)")
    conn.execute("DELETE FROM agg_voices WHERE authors = 0 AND (kind, field, value) IN"
                 " (SELECT kind, field, value FROM author_deltas WHERE d < 0)")
    conn.execute("DELETE FROM author_deltas")


# Author first: a document's dozen or so (facet, author) rows sit side by side, so a batch
# dirties about a page per author instead of a page per row (with the facet first, each
# row landed on a random page of a table of ~9 million rows at 1M comments: the commit
# wrote ~30 MB per batch of 500). Nothing reads it by facet: the summaries read agg_voices.
AGG_AUTHORS_KEY = "kind, author, field, value"
AGG_AUTHORS_DDL = f"""CREATE TABLE IF NOT EXISTS agg_authors (
        kind TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, author TEXT NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY ({AGG_AUTHORS_KEY})
    ) WITHOUT ROWID"""

ROLLUP_DDL = [
    # b_field before the values: the look-ups name both fields and one or no value.
    """CREATE TABLE IF NOT EXISTS agg_counts (
        kind TEXT NOT NULL, a_field TEXT NOT NULL, b_field TEXT NOT NULL, a_value TEXT NOT NULL,
        b_value TEXT NOT NULL, label TEXT NOT NULL, stance TEXT NOT NULL,
        n INTEGER NOT NULL, s_nano INTEGER NOT NULL, s_n INTEGER NOT NULL,
        PRIMARY KEY (kind, a_field, b_field, a_value, b_value, label, stance)
    ) WITHOUT ROWID""",
    AGG_AUTHORS_DDL,
    """CREATE TABLE IF NOT EXISTS agg_voices (
        kind TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, authors INTEGER NOT NULL,
        PRIMARY KEY (kind, field, value)
    ) WITHOUT ROWID""",
]


def stored_facts(conn: sqlite3.Connection, kind: str, pk: int) -> Facts | None:
    """The facts of a stored document, read back before it is replaced or deleted."""
    if kind not in ROLLUP_KINDS:
        return None
    row = conn.execute("SELECT day, sentiment, sentiment_label, stance, author FROM docs WHERE pk = ?", (pk,)).fetchone()
    values = conn.execute("SELECT field, value FROM doc_values WHERE doc = ?", (pk,)).fetchall()
    return facts_of(kind, *row, values)


def rebuild(conn: sqlite3.Connection, batch: int = 5_000) -> None:
    """Recount the rollups from the documents (the migration to schema 3, and the check
    the tests compare the kept tables with)."""
    for name in ("agg_counts", "agg_authors", "agg_voices"):
        conn.execute(f"DELETE FROM {name}")
    for kind in ROLLUP_KINDS:
        last = 0
        while True:
            rows = conn.execute(
                "SELECT pk, day, sentiment, sentiment_label, stance, author FROM docs WHERE kind = ? AND pk > ?"
                " ORDER BY pk LIMIT ?", (kind, last, batch)).fetchall()
            if not rows:
                break
            last = rows[-1][0]
            values: dict[int, list] = defaultdict(list)
            for pk, field, value in conn.execute(
                    "SELECT doc, field, value FROM doc_values WHERE doc BETWEEN ? AND ?", (rows[0][0], last)):
                values[pk].append((field, value))
            delta = RollupDelta()
            for pk, *cols in rows:
                delta.add(facts_of(kind, *cols, values.get(pk, [])), +1)
            delta.apply(conn)


def reorder_authors(conn: sqlite3.Connection) -> None:
    """Schema 3 → 4: agg_authors keyed author first (``AGG_AUTHORS_KEY``), copied in that order."""
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'agg_authors'").fetchone()
    if sql is None or AGG_AUTHORS_KEY in sql[0]:
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
    for table in ("agg_authors", "agg_voices"):
        conn.execute(f"DELETE FROM {table} WHERE field = 'platform|author_region' OR field LIKE '{CITY}|%'")
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
