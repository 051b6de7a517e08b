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
- ``agg_author_facets``: one row per (kind, author): how many of the author's documents
  have each facet, packed (``pack_facets``). Exact distinct authors: a facet's first
  document adds a voice to ``agg_voices``, its last one removes it.
- ``agg_voices``: distinct authors per (kind, facet), and per (kind, city, facet) under
  the field ``city|<field>`` with the value ``<city>|<value>``.

Sentiment sums are integers (nanounits), so adding and subtracting never drifts and a
recount from scratch matches the kept sums exactly.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
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
    """A pair in its one stored order (smaller facet first), as agg_counts' columns hold it:
    (a_field, b_field, a_value, b_value)."""
    a, b = (p, q) if p <= q else (q, p)
    return a[0], b[0], a[1], b[1]


def pairs(facts: Facts) -> list[tuple[str, str, str, str]]:
    facets = facts.facets
    out = [("", "", "", "")]  # ordered(ANY, ANY); ANY sorts before every facet
    out += [("", f, "", v) for f, v in facets]
    if facts.day:
        day = (DAY, facts.day)
        out.append(("", DAY, "", facts.day))
        out += [ordered(day, other) for other in facets]
    cities = [p for p in facets if p[0] == CITY]  # the EXTRA_PAIRS: a city with each paired field
    if cities:
        out += [ordered(c, q) for c in cities for q in facets if q[0] in CITY_PAIRED]
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
        # agg_counts' key columns (kind, a_field, b_field, a_value, b_value, label, stance) → [n, s_nano, s_n]
        self.counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.authors: dict[tuple[str, str], Counter] = defaultdict(Counter)  # (kind, author) → facet → ±n

    def add(self, facts: Facts | None, sign: int) -> None:
        if facts is None:
            return
        kind, label, stance, counts = facts.kind, facts.label, facts.stance, self.counts
        if facts.sentiment is None:
            for pair in pairs(facts):
                counts[(kind, *pair, label, stance)][0] += sign
        else:
            s = sign * nano(facts.sentiment)
            for pair in pairs(facts):
                cell = counts[(kind, *pair, label, stance)]
                cell[0] += sign
                cell[1] += s
                cell[2] += sign
        if facts.author is not None:
            mine = self.authors[(facts.kind, facts.author)]
            (mine.update if sign > 0 else mine.subtract)(author_facets(facts))  # counted in C

    def apply(self, conn: sqlite3.Connection) -> None:
        changed = [(*k, n, s, sn) for k, (n, s, sn) in self.counts.items() if n or s or sn]
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
        if self.authors:
            _apply_authors(conn, self.authors)
        self.counts.clear()
        self.authors.clear()


def pack_facets(facets: dict[tuple[str, str], int]) -> str:
    """An author's facet counts as stored: JSON ``[[field, value, n], …]`` in (field, value)
    order, so the same counts are the same text (a recount compares equal, and the
    migration's ``json_group_array`` over rows in key order writes the same). Each triple
    is its facet's encoded opening and the count: the same text as ``json.dumps`` of the
    list, in ~70% of its time (a new author's row is packed for most comments written)."""
    return "[" + ",".join([f"{_facet_opening(f, v)}{n}]" for (f, v), n in sorted(facets.items())]) + "]"


@lru_cache(maxsize=65_536)  # a small vocabulary: cities, themes, platforms, regions, their city pairs
def _facet_opening(field: str, value: str) -> str:
    """``["field","value",`` as ``json.dumps`` writes it."""
    return json.dumps([field, value], ensure_ascii=False, separators=(",", ":"))[:-1] + ","


def unpack_facets(packed: str) -> dict[tuple[str, str], int]:
    return {(f, v): n for f, v, n in json.loads(packed)}


# Authors per look-up of their stored facets (well under SQLite's 32,766 bound parameters).
_AUTHOR_CHUNK = 500


def _apply_authors(conn: sqlite3.Connection, deltas: dict[tuple[str, str], Counter]) -> None:
    """One row per author in the batch: read, change in memory, write back. A voice is
    gained where a facet's count leaves 0 and lost where it returns to it. The earlier
    layout, a row per (kind, author, facet), wrote ~15 rows per comment (8.8 million at
    1M comments) and its set-based update cost ~0.7 s of every 10,000 comments written."""
    stored: dict[tuple[str, str], str] = {}
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, author in deltas:
        by_kind[kind].append(author)
    for kind, authors in by_kind.items():
        for i in range(0, len(authors), _AUTHOR_CHUNK):
            chunk = authors[i:i + _AUTHOR_CHUNK]
            marks = ", ".join("?" * len(chunk))
            for author, packed in conn.execute(
                    f"SELECT author, facets FROM agg_author_facets WHERE kind = ? AND author IN ({marks})",
                    [kind, *chunk]):
                stored[(kind, author)] = packed
    voices: dict[str, Counter] = defaultdict(Counter)  # kind → facet → voices gained (−lost)
    written, emptied = [], []
    for key, changes in deltas.items():
        packed = stored.get(key)
        gained = voices[key[0]]
        if packed is None:  # a new author (most of a batch): every facet is a voice gained
            facets = {facet: d for facet, d in changes.items() if d > 0}
            gained.update(facets.keys())
        else:
            facets = unpack_facets(packed)
            for facet, d in changes.items():
                if not d:
                    continue
                before = facets.get(facet, 0)
                after = before + d
                if before == 0:
                    gained[facet] += 1
                elif after == 0:
                    gained[facet] -= 1
                if after:
                    facets[facet] = after
                else:
                    del facets[facet]
        if facets:
            new = pack_facets(facets)
            if new != packed:
                written.append((*key, new))
        elif packed is not None:
            emptied.append(key)
    # In place (its rowid kept), not OR REPLACE, which deletes the row and appends it anew.
    conn.executemany("INSERT INTO agg_author_facets (kind, author, facets) VALUES (?, ?, ?)"
                     " ON CONFLICT (kind, author) DO UPDATE SET facets = excluded.facets", written)
    conn.executemany("DELETE FROM agg_author_facets WHERE kind = ? AND author = ?", emptied)
    changed = [(kind, *facet, d) for kind, gained in voices.items() for facet, d in gained.items() if d]
    conn.executemany("INSERT INTO agg_voices (kind, field, value, authors) VALUES (?, ?, ?, ?)"
                     " ON CONFLICT DO UPDATE SET authors = authors + excluded.authors", changed)
    conn.executemany("DELETE FROM agg_voices WHERE kind = ? AND field = ? AND value = ? AND authors = 0",
                     [row[:3] for row in changed if row[3] < 0])


# A rowid table, not WITHOUT ROWID (schema 6): an author's row is ~800 bytes, up to ~2 KB
# at 1M comments, and a WITHOUT ROWID table keeps at most ~1 KB of a row on its 4 KB page,
# so a quarter of the rows spilled onto overflow pages of their own (the table was 739 MB at
# 1M comments, 329 MB now, with a 12 MB index of (kind, author)); and its rows sat in
# author order, so each new author landed on a random page, where a rowid table appends it.
AUTHOR_FACETS_DDL = """CREATE TABLE IF NOT EXISTS agg_author_facets (
        kind TEXT NOT NULL, author TEXT NOT NULL, facets TEXT NOT NULL, PRIMARY KEY (kind, author)
    )"""
ROLLUP_TABLES = ("agg_counts", "agg_author_facets", "agg_voices")
ROLLUP_DDL = [
    # b_field before the values: the look-ups name both fields and one or no value.
    """CREATE TABLE IF NOT EXISTS agg_counts (
        kind TEXT NOT NULL, a_field TEXT NOT NULL, b_field TEXT NOT NULL, a_value TEXT NOT NULL,
        b_value TEXT NOT NULL, label TEXT NOT NULL, stance TEXT NOT NULL,
        n INTEGER NOT NULL, s_nano INTEGER NOT NULL, s_n INTEGER NOT NULL,
        PRIMARY KEY (kind, a_field, b_field, a_value, b_value, label, stance)
    ) WITHOUT ROWID""",
    AUTHOR_FACETS_DDL,
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
    for name in ROLLUP_TABLES:
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
