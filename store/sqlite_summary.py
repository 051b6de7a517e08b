"""Summaries and timelines as GROUP BY queries over ``docs`` and ``doc_values``.

Python only ranks and shapes rows SQLite has already counted; no document is loaded.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date, timedelta

from store.base import Bucket, Group
from core.schema import AUTHORED_KINDS, FILTER_FIELDS
from store.sqlite_query import Source
from store.errors import InvalidQuery

# The singular names users group by, for the list fields that hold them.
_GROUP_ALIASES = {"theme": "themes", "platform": "platforms"}
# by=city lists each city's top themes, by=theme each theme's top cities.
_TOP_OF = {"city": "themes", "themes": "city"}

INTERVALS = {
    "day": "d.day",
    # SQLite's 'weekday 1' moves forward to a Monday; six days back first lands on the
    # ISO week's Monday (the day itself when it is one).
    "week": "date(d.day, '-6 days', 'weekday 1')",
    "month": "strftime('%Y-%m-01', d.day)",
}


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
    sums: dict[str, list] = defaultdict(lambda: [0, 0.0, 0])
    labels: dict[str, dict[str, int]] = defaultdict(dict)
    stances: dict[str, dict[str, int]] = defaultdict(dict)
    for key, label, stance, n, s, sn in conn.execute(
        f"SELECT v.value, d.sentiment_label, d.stance, count(*), sum(d.sentiment), count(d.sentiment) {by_value}"
        " GROUP BY 1, 2, 3", params
    ):
        cell = sums[key]
        cell[0] += n
        cell[1] += s or 0.0
        cell[2] += sn
        if label is not None:
            labels[key][label] = labels[key].get(label, 0) + n
        if stance is not None:
            stances[key][stance] = stances[key].get(stance, 0) + n
    # The author is a column (schema 2), so distinct authors no longer parse each JSON.
    authors: dict[str, int] = {}
    if kind in AUTHORED_KINDS and sums:
        authors = dict(conn.execute(f"SELECT v.value, count(DISTINCT d.author) {by_value} GROUP BY v.value", params))
    tops: dict[str, list[tuple[str, int]]] = defaultdict(list)
    other = top_of(kind, field)
    if other and top > 0:
        rows = pairs if pairs is not None else pair_counts(conn, field, other, src)
        for key, sub, n in sorted(rows, key=lambda r: (r[0], -r[2], r[1])):
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


def _next_start(start: date, interval: str) -> date:
    if interval == "day":
        return start + timedelta(days=1)
    if interval == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def timeline_buckets(conn: sqlite3.Connection, interval: str, src: Source) -> list[Bucket]:
    """Buckets from the first dated document's to the last one's, empty ones included
    (a chart needs the gaps); undated documents are left out."""
    if interval not in INTERVALS:
        raise InvalidQuery(f"unknown interval {interval!r}; one of: {', '.join(INTERVALS)}")
    start_of = INTERVALS[interval]
    # One pass: counts and sentiment sums per bucket and label, added up per bucket here
    # (two passes before, a count and a label split: each a scan of every match).
    sums: dict[str, list] = defaultdict(lambda: [0, 0.0, 0])
    labels: dict[str, dict[str, int]] = defaultdict(dict)
    for b, label, n, s, sn in conn.execute(
        f"SELECT {start_of} AS b, d.sentiment_label, count(*), sum(d.sentiment), count(d.sentiment)"
        f" FROM {src.tables} WHERE {src.where} AND d.day IS NOT NULL GROUP BY 1, 2",
        src.params,
    ):
        cell = sums[b]
        cell[0] += n
        cell[1] += s or 0.0
        cell[2] += sn
        if label is not None:
            labels[b][label] = n
    if not sums:
        return []
    buckets: list[Bucket] = []
    current, last = date.fromisoformat(min(sums)), date.fromisoformat(max(sums))
    while current <= last:
        key = current.isoformat()
        n, s, sn = sums.get(key, (0, 0.0, 0))
        buckets.append(Bucket(start=key, count=n, sentiment_mean=s / sn if sn else None, labels=labels.get(key, {})))
        current = _next_start(current, interval)
    return buckets
