"""Summaries and timelines as GROUP BY queries over ``docs`` and ``doc_values``.

Python only ranks and shapes rows SQLite has already counted; no document is loaded.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable, NamedTuple

from store.base import Bucket, Group
from core.schema import AUTHORED_KINDS, FILTER_FIELDS
from store.sqlite_query import Source
from store.errors import InvalidQuery

INTERVALS = ("day", "week", "month")
# The singular names users group by, for the list fields that hold them.
_GROUP_ALIASES = {"theme": "themes", "platform": "platforms"}
# by=city lists each city's top themes, by=theme each theme's top cities.
_TOP_OF = {"city": "themes", "themes": "city"}


def group_field(kind: str, by: str) -> str:
    """The stored field a ``by`` groups on (``theme`` → ``themes``); ValueError if the kind
    has no such field."""
    allowed = FILTER_FIELDS.get(kind, ())
    field = by if by in allowed else _GROUP_ALIASES.get(by, by)
    if field not in allowed:
        names = sorted({n for n in allowed} | {k for k, v in _GROUP_ALIASES.items() if v in allowed})
        raise InvalidQuery(f"{kind} cannot be summarised by {by!r}; by one of: {', '.join(names)}")
    return field


def top_of(kind: str, field: str) -> str | None:
    """The field whose top values each group of ``field`` lists (a city's themes, a
    theme's cities), if the kind has it."""
    other = _TOP_OF.get(field)
    return other if other and other in FILTER_FIELDS[kind] else None


def pair_counts(conn: sqlite3.Connection, field: str, other: str, src: Source) -> list[tuple[str, str, int]]:
    """Matching documents per (value of ``field``, value of ``other``). By city and by
    theme read the same pairs, so the store remembers them once for both."""
    return conn.execute(
        f"SELECT a.value, b.value, count(*) FROM {src.tables} "
        "CROSS JOIN doc_values a ON a.doc = d.pk AND a.field = ? "
        f"CROSS JOIN doc_values b ON b.doc = d.pk AND b.field = ? WHERE {src.where} GROUP BY 1, 2",
        [field, other, *src.params],
    ).fetchall()


def add_up(rows: Iterable[tuple]) -> tuple[dict[str, list], dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """(key, label, stance, documents, sentiment sum, sentiment count) rows summed per key:
    [documents, sentiment sum, sentiment count], and documents per label and per stance (no
    label or stance: None, or '' as the rollups keep it). Scans, rollups and timelines alike."""
    sums: dict[str, list] = defaultdict(lambda: [0, 0, 0])
    labels: dict[str, dict[str, int]] = defaultdict(dict)
    stances: dict[str, dict[str, int]] = defaultdict(dict)
    for key, label, stance, n, s, sn in rows:
        cell = sums[key]
        cell[0] += n
        cell[1] += s or 0  # SQL's sum() of no sentiment is NULL
        cell[2] += sn
        if label:
            labels[key][label] = labels[key].get(label, 0) + n
        if stance:
            stances[key][stance] = stances[key].get(stance, 0) + n
    return sums, labels, stances


def summarize_groups(conn: sqlite3.Connection, kind: str, field: str, src: Source, top: int,
                     pairs: list[tuple[str, str, int]] | None = None) -> list[Group]:
    """A pass over (matching document × its values of ``field``) for each value's count,
    sentiment, labels and stances (per value, label and stance, added up here), one more
    for distinct authors where the kind has them (they do not add up), and one for the top
    themes or cities unless ``pairs`` (``pair_counts``) are given. The documents come first
    (``CROSS JOIN``, restricted by kind through docs_kind_facts or by the full-text matches),
    so a summary of 5,000 notices never walks the comments' values."""
    by_value = f"FROM {src.tables} CROSS JOIN doc_values v ON v.doc = d.pk AND v.field = ? WHERE {src.where} "
    params = [field, *src.params]
    rows = conn.execute(
        f"SELECT v.value, d.sentiment_label, d.stance, count(*), sum(d.sentiment), count(d.sentiment) {by_value}"
        " GROUP BY 1, 2, 3", params).fetchall()
    # The author is a column (schema 2), so distinct authors no longer parse each JSON.
    authors: dict[str, int] = {}
    if kind in AUTHORED_KINDS and rows:
        authors = dict(conn.execute(f"SELECT v.value, count(DISTINCT d.author) {by_value} GROUP BY v.value", params))
    other = top_of(kind, field)
    if other and top > 0 and pairs is None:
        pairs = pair_counts(conn, field, other, src)
    return groups_of(kind, field, rows, authors, pairs, top)


def groups_of(kind: str, field: str, rows: Iterable[tuple], authors: dict[str, int],
              pairs: list[tuple[str, str, int]] | None, top: int) -> list[Group]:
    """The groups of ``field`` from its (value, label, stance, documents, sentiment sum,
    sentiment count) rows, its distinct authors per value, and the (value, value of the
    top field, documents) ``pairs``, largest first."""
    sums, labels, stances = add_up(rows)
    tops: dict[str, list[tuple[str, int]]] = defaultdict(list)
    if top_of(kind, field) and top > 0:
        for key, sub, n in sorted(pairs or [], key=lambda r: (r[0], -r[2], r[1])):
            if len(tops[key]) < top:
                tops[key].append((sub, n))
    result = [
        Group(
            key=key,
            count=n,
            sentiment_mean=s / sn if sn else None,
            labels=dict(sorted(labels.get(key, {}).items())),
            stances=dict(sorted(stances.get(key, {}).items())),
            top=tops.get(key, []),
            authors=authors.get(key, 0) if kind in AUTHORED_KINDS else None,
        )
        for key, (n, s, sn) in sums.items()
    ]
    result.sort(key=lambda g: (-g.count, g.key))
    return result


class Overview(NamedTuple):
    """What ``overview_rows`` reads in one statement, in the shapes the separate scans have."""

    rows: dict[str, list[tuple]]  # field → (value, label, stance, documents, sentiment sum, sentiment count)
    authors: dict[str, dict[str, int]]  # field → value → distinct authors (authored kinds)
    pairs: list[tuple[str, str, int]]  # (value of the first field in name order, of the other, documents)
    days: tuple[DayRow, ...]  # as ``day_rows``


def overview_rows(conn: sqlite3.Connection, kind: str, src: Source, fields: tuple[str, str]) -> Overview:
    """By each of two fields, their pairs and the days of the matches of ``src``, in one
    statement: the matches are found once (``MATERIALIZED``) instead of by each of four
    scans, each of which ran the full-text match again (关停 in 50,000 notices at 1M
    comments: 335 → 235 ms; 停止更新: ~570 → ~365 ms)."""
    a, b = sorted(fields)
    author = "d.author" if kind in AUTHORED_KINDS else "NULL"
    per_value = ("SELECT ?, v.value, NULL, l, st, count(*), sum(s), count(s) FROM m"
                 " CROSS JOIN doc_values v ON v.doc = m.pk AND v.field = ? GROUP BY 2, 4, 5")
    authors = ("SELECT ?, v.value, NULL, NULL, NULL, count(DISTINCT au), NULL, NULL FROM m"
               " CROSS JOIN doc_values v ON v.doc = m.pk AND v.field = ? GROUP BY 2")
    parts = [per_value, per_value]
    params: list = [f"v:{a}", a, f"v:{b}", b]
    if kind in AUTHORED_KINDS:
        parts += [authors, authors]
        params += [f"a:{a}", a, f"a:{b}", b]
    parts.append("SELECT 'pair', x.value, y.value, NULL, NULL, count(*), NULL, NULL FROM m"
                 " CROSS JOIN doc_values x ON x.doc = m.pk AND x.field = ?"
                 " CROSS JOIN doc_values y ON y.doc = m.pk AND y.field = ? GROUP BY 2, 3")
    params += [a, b]
    parts.append("SELECT 'day', day, NULL, l, NULL, count(*), sum(s), count(s) FROM m WHERE day IS NOT NULL"
                 " GROUP BY 2, 4")
    sql = (f"WITH m AS MATERIALIZED (SELECT d.pk AS pk, d.day AS day, d.sentiment AS s, d.sentiment_label AS l,"
           f" d.stance AS st, {author} AS au FROM {src.tables} WHERE {src.where}) " + " UNION ALL ".join(parts))
    out = Overview({a: [], b: []}, {a: {}, b: {}}, [], ())
    days = []
    for tag, x, y, label, stance, n, s, sn in conn.execute(sql, [*src.params, *params]):
        if tag == "pair":
            out.pairs.append((x, y, n))
        elif tag == "day":
            days.append((x, n, s or 0.0, sn, label))
        elif tag[0] == "v":
            out.rows[tag[2:]].append((x, label, stance, n, s, sn))
        else:
            out.authors[tag[2:]][x] = n
    return out._replace(days=tuple(days))


def _next_start(start: date, interval: str) -> date:
    if interval == "day":
        return start + timedelta(days=1)
    if interval == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


@lru_cache(maxsize=16_384)  # a timeline reads each day once per label: ~1,000 rows a year
def bucket_start(day: str, interval: str) -> str:
    """The first day of ``day``'s bucket: calendar weeks start on Monday, months on the 1st."""
    d = date.fromisoformat(day)
    if interval == "week":
        return date.fromordinal(d.toordinal() - d.weekday()).isoformat()
    if interval == "month":
        return d.replace(day=1).isoformat()
    return day


# (day, documents, sentiment sum, sentiment count, label) per day and label.
DayRow = tuple[str, int, float, int, "str | None"]


def day_rows(conn: sqlite3.Connection, src: Source) -> tuple[DayRow, ...]:
    """The matches of ``src`` counted per day and label, undated ones left out: every
    interval's timeline is summed up from them (``buckets``), so the search page's monthly
    and weekly timelines of a search scan its matches once (``SQLiteStore.timeline``
    remembers them). A tuple: kept and handed out without a copy."""
    return tuple((day, n, s or 0.0, sn, label) for day, n, s, sn, label in conn.execute(
        f"SELECT d.day, count(*), sum(d.sentiment), count(d.sentiment), d.sentiment_label"
        f" FROM {src.tables} WHERE {src.where} AND d.day IS NOT NULL GROUP BY 1, 5", src.params))


def timeline_buckets(conn: sqlite3.Connection, interval: str, src: Source) -> list[Bucket]:
    """The timeline of the matches of ``src``, scanned."""
    return buckets(day_rows(conn, src), interval)


def buckets(rows: Iterable[DayRow], interval: str, scale: float = 1.0) -> list[Bucket]:
    """Buckets from the first dated document's to the last one's, empty ones included (a
    chart needs the gaps). ``scale``: what the sentiment sums are in (the rollups keep
    nanounits)."""
    if interval not in INTERVALS:
        raise InvalidQuery(f"unknown interval {interval!r}; one of: {', '.join(INTERVALS)}")
    sums, labels, _ = add_up((bucket_start(day, interval), label, None, n, s, sn) for day, n, s, sn, label in rows)
    if not sums:
        return []
    out: list[Bucket] = []
    current, last = date.fromisoformat(min(sums)), date.fromisoformat(max(sums))
    while current <= last:
        key = current.isoformat()
        n, s, sn = sums.get(key, (0, 0, 0))
        out.append(Bucket(start=key, count=n, sentiment_mean=s / sn / scale if sn else None,
                          labels=dict(sorted(labels.get(key, {}).items()))))
        current = _next_start(current, interval)
    return out
