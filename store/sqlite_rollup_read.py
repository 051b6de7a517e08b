"""Answering counts, summaries and timelines from the rollups (``sqlite_rollup``).

``plan`` says whether a query can be answered from them: no words, filters only on facet
fields (at most one of them), on sentiment label and on stance. Each answer function
returns None when its question needs more than the rollups hold (two facet filters, a
date range on a summary, distinct authors under a filter…), and the store falls back to
the GROUP BY over the documents (``sqlite_summary``), which answers anything, slower.
Both paths must agree exactly: ``tests/unit/store/test_sqlite_rollup.py`` compares them.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass

from store.base import Bucket, Group, Query
from store.documents import value_text
from core.schema import AUTHORED_KINDS, LIST_FIELDS
from store.sqlite_query import _check_day
from store.sqlite_rollup import (
    ANY, CITY, CITY_PAIRED, DAY, EXTRA_PAIRS, FACET_FIELDS, KNOWN, KNOWN_FIELDS, NANO, ROLLUP_KINDS, city_facet,
    city_value, ordered,
)
from store.sqlite_summary import _TOP_OF, add_up, buckets

_COLUMNS = {"sentiment_label": "label", "stance": "stance"}


@dataclass(frozen=True)
class Plan:
    kind: str
    facet: tuple[str, list[str]] | None  # (field, values): one facet filter, any of its values
    columns: dict[str, list[str]]  # label / stance -> values
    date_from: str | None
    date_to: str | None

    def column_sql(self) -> tuple[str, list[str]]:
        sql, params = "", []
        for name, values in self.columns.items():
            sql += f" AND {name} IN ({', '.join('?' * len(values))})"
            params.extend(values)
        return sql, params


def _wanted(query: Query) -> dict[str, list[str]] | None:
    """Each filter's values as stored text, or None when one cannot be (the scan reports it)."""
    out: dict[str, list[str]] = {}
    for name, wanted in (query.filters or {}).items():
        if wanted is None:
            continue
        values = list(wanted) if isinstance(wanted, (list, tuple, set, frozenset)) else [wanted]
        try:
            texts = sorted({t for t in (value_text(v) for v in values) if t is not None})
        except ValueError:
            return None
        if not texts:
            return None
        out[name] = texts
    return out


def _dates(query: Query) -> tuple[str | None, str | None] | None:
    try:
        return _check_day(query.date_from, "date_from"), _check_day(query.date_to, "date_to")
    except ValueError:
        return None


def plan(kind: str, query: Query | None) -> Plan | None:
    if kind not in ROLLUP_KINDS:
        return None
    if query is None:
        return Plan(kind, None, {}, None, None)
    if query.q is not None and query.q.strip():
        return None
    wanted, dates = _wanted(query), _dates(query)
    if wanted is None or dates is None:
        return None
    facet, columns = None, {}
    for name, texts in wanted.items():
        if name in _COLUMNS:
            columns[_COLUMNS[name]] = texts
        elif name in FACET_FIELDS[kind] and facet is None:
            # A list field's values can overlap in one document: summing them would count it twice.
            if name in LIST_FIELDS and len(texts) > 1:
                return None
            facet = (name, texts)
        else:
            return None
    return Plan(kind, facet, columns, *dates)


def count(conn: sqlite3.Connection, p: Plan) -> int:
    """Documents matching the plan. A date range reads the (day, x) pairs, which hold dated
    documents only, as the range filter does."""
    extra, params = p.column_sql()
    other = (p.facet[0], p.facet[1]) if p.facet else ("", [""])
    if p.date_from or p.date_to:
        rows = _day_rows(conn, p, extra, params)
        return sum(r[1] for r in rows)
    a_field, b_field = ordered(ANY, (other[0], ""))[:2]
    marks = ", ".join("?" * len(other[1]))
    return conn.execute(
        f"SELECT coalesce(sum(n), 0) FROM agg_counts WHERE kind = ? AND a_field = ? AND b_field = ? AND a_value = ''"
        f" AND b_value IN ({marks}){extra}", [p.kind, a_field, b_field, *other[1], *params]).fetchone()[0]


def _day_rows(conn: sqlite3.Connection, p: Plan, extra: str, params: list) -> list[tuple[str, int, int, int]]:
    """(day, documents, sentiment sum, sentiment count) per day and label, within the range."""
    field, values = p.facet if p.facet else ("", [""])
    day_first = (DAY, "") < (field, "") if field else False
    a_field, b_field = (DAY, field) if day_first else (field, DAY)
    day_col, other_col = ("a_value", "b_value") if day_first else ("b_value", "a_value")
    marks = ", ".join("?" * len(values))
    sql = (f"SELECT {day_col}, sum(n), sum(s_nano), sum(s_n), label FROM agg_counts WHERE kind = ? AND a_field = ?"
           f" AND b_field = ? AND {other_col} IN ({marks}){extra}")
    args = [p.kind, a_field, b_field, *values, *params]
    if p.date_from:
        sql += f" AND {day_col} >= ?"
        args.append(p.date_from)
    if p.date_to:
        sql += f" AND {day_col} <= ?"
        args.append(p.date_to)
    return [(d, n, s, sn, label) for d, n, s, sn, label in
            conn.execute(sql + f" GROUP BY {day_col}, label", args).fetchall()]


def timeline(conn: sqlite3.Connection, p: Plan, interval: str) -> list[Bucket]:
    extra, params = p.column_sql()
    return buckets(_day_rows(conn, p, extra, params), interval, scale=NANO)


def summarize(conn: sqlite3.Connection, p: Plan, field: str, top: int) -> list[Group] | None:
    """Groups of ``field`` (a facet field, or label / stance), or None when the rollups
    cannot say: a date range or a label / stance filter on a kind with authors (distinct
    authors are kept per single facet), a facet filter other than one city grouped by a
    field kept paired with the city (``CITY_PAIRED``) or the field grouped by itself.
    A single-valued field grouped by and filtered on (one city's page asks for its city's
    row): the groups of the values asked for, as the unfiltered summary has them (a scan of
    the city's documents before: 1.2 s for one city at 1M comments)."""
    authored = p.kind in AUTHORED_KINDS
    if p.date_from or p.date_to or (authored and p.columns):
        return None
    column = _COLUMNS.get(field)
    if column is None and field not in FACET_FIELDS[p.kind]:
        return None
    city, only = None, None
    if p.facet:
        name, values = p.facet
        if name == field and field not in LIST_FIELDS:
            only = set(values)  # a document of one value is in that value's group alone
        elif name == CITY and len(values) == 1 and field in CITY_PAIRED:
            city = values[0]
        else:
            return None
    extra, params = p.column_sql()
    rows: list[tuple[str, str, str, int, int, int]]
    if column:
        rows = [(lab if column == "label" else st, lab, st, n, s, sn) for lab, st, n, s, sn in conn.execute(
            "SELECT label, stance, n, s_nano, s_n FROM agg_counts WHERE kind = ? AND a_field = '' AND b_field = ''"
            f" AND a_value = '' AND b_value = ''{extra}", [p.kind, *params])]
        rows = [r for r in rows if r[0]]
    elif city is not None:
        a_field, b_field, value_col, city_col = _city_pair(field)
        rows = conn.execute(
            f"SELECT {value_col}, label, stance, n, s_nano, s_n FROM agg_counts WHERE kind = ? AND a_field = ?"
            f" AND b_field = ? AND {city_col} = ?{extra}", [p.kind, a_field, b_field, city, *params]).fetchall()
    else:
        a_field, b_field = ordered(ANY, (field, ""))[:2]
        rows = conn.execute(
            "SELECT b_value, label, stance, n, s_nano, s_n FROM agg_counts WHERE kind = ? AND a_field = ?"
            f" AND b_field = ? AND a_value = ''{extra}", [p.kind, a_field, b_field, *params]).fetchall()
    sums, labels, stances = add_up(rows)
    voices = _voices(conn, p.kind, field, city) if authored else {}
    if city is None:
        tops = _tops(conn, p, field, top, extra, params)
    else:
        # One city's documents: a theme's top cities is that city alone.
        tops = {key: [(city, n)] for key, (n, _, _) in sums.items()} if top > 0 and field == "themes" else {}
    groups = [
        Group(key=key, count=n, sentiment_mean=s / sn / NANO if sn else None,
              labels=dict(sorted(labels.get(key, {}).items())), stances=dict(sorted(stances.get(key, {}).items())),
              top=tops.get(key, []), authors=voices.get(key, 0) if authored else None)
        for key, (n, s, sn) in sums.items() if n > 0 and (only is None or key in only)
    ]
    groups.sort(key=lambda g: (-g.count, g.key))
    return groups


def _city_pair(field: str) -> tuple[str, str, str, str]:
    """Where agg_counts keeps (city, ``field``): its a_field and b_field, and which value
    column holds the field's value and which the city's."""
    a_field, b_field = ordered((CITY, ""), (field, ""))[:2]
    value_col, city_col = ("b_value", "a_value") if a_field == CITY else ("a_value", "b_value")
    return a_field, b_field, value_col, city_col


def _voices(conn: sqlite3.Connection, kind: str, field: str, city: str | None) -> dict[str, int]:
    """Distinct authors per value of ``field``, overall or in one city."""
    if city is None:
        return dict(conn.execute("SELECT value, authors FROM agg_voices WHERE kind = ? AND field = ?",
                                 (kind, field)).fetchall())
    prefix = city_value(city, "")
    # The values of one city are a range of the primary key: prefix <= value < prefix + U+10FFFF.
    return {value[len(prefix):]: n for value, n in conn.execute(
        "SELECT value, authors FROM agg_voices WHERE kind = ? AND field = ? AND value >= ? AND value < ?",
        (kind, city_facet(field), prefix, prefix + "\U0010ffff"))}


def authors(conn: sqlite3.Connection, kind: str, query: Query | None) -> int | None:
    """Distinct authors of the matching documents, or None when the rollups do not hold
    that number: words, a date range, a filter with several values, or two filters other
    than one city with a field kept paired with it (``CITY_PAIRED``). A commenter-region
    filter listing every region there is (in that city) means "the region is known"."""
    if kind not in AUTHORED_KINDS or kind not in ROLLUP_KINDS:
        return None
    query = query or Query()
    if (query.q is not None and query.q.strip()) or query.date_from or query.date_to:
        return None
    wanted = _wanted(query)
    if wanted is None or len(wanted) > 2:
        return None
    if any(KNOWN in wanted.get(name, ()) for name in KNOWN_FIELDS):
        return None  # a region literally named "*": the scan finds none, the facet would mean "known"
    city = wanted.get(CITY)
    for name in KNOWN_FIELDS:
        values = wanted.get(name)
        if values and set(values) >= _present(conn, kind, name, city[0] if city and len(city) == 1 else None):
            wanted[name] = [KNOWN]
    if any(len(values) != 1 for values in wanted.values()):
        return None
    if not wanted:
        field, value = ANY
    elif len(wanted) == 1:
        ((field, (value,)),) = wanted.items()
        if field not in ("sentiment_label", "stance", *FACET_FIELDS[kind]):
            return None  # kept per facet, label and stance only (not per post)
    else:
        others = [name for name in wanted if name != CITY]
        if not city or len(others) != 1 or others[0] not in CITY_PAIRED:
            return None
        field, value = city_facet(others[0]), city_value(city[0], wanted[others[0]][0])
    found = conn.execute("SELECT authors FROM agg_voices WHERE kind = ? AND field = ? AND value = ?",
                         (kind, field, value)).fetchone()
    return found[0] if found else 0


def _present(conn: sqlite3.Connection, kind: str, field: str, city: str | None) -> set[str]:
    """Every value of ``field`` among the kind's documents, or among one city's."""
    if city is None:
        return {v for (v,) in conn.execute(
            "SELECT DISTINCT b_value FROM agg_counts WHERE kind = ? AND a_field = '' AND b_field = ? AND a_value = ''",
            (kind, field))}
    a_field, b_field, value_col, city_col = _city_pair(field)
    return {v for (v,) in conn.execute(
        f"SELECT DISTINCT {value_col} FROM agg_counts WHERE kind = ? AND a_field = ? AND b_field = ? AND {city_col} = ?",
        (kind, a_field, b_field, city))}


def _tops(conn: sqlite3.Connection, p: Plan, field: str, top: int, extra: str, params: list) -> dict:
    other = _TOP_OF.get(field)
    if not other or other not in FACET_FIELDS[p.kind] or top <= 0:
        return {}
    pair = tuple(sorted((field, other)))
    assert pair in EXTRA_PAIRS, pair
    mine, theirs = ("a_value", "b_value") if pair[0] == field else ("b_value", "a_value")
    rows = conn.execute(
        f"SELECT {mine}, {theirs}, sum(n) FROM agg_counts WHERE kind = ? AND a_field = ? AND b_field = ?{extra}"
        " GROUP BY 1, 2", [p.kind, pair[0], pair[1], *params]).fetchall()
    tops: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for key, sub, n in sorted(rows, key=lambda r: (r[0], -r[2], r[1])):
        if len(tops[key]) < top:
            tops[key].append((sub, n))
    return tops


__all__ = ["Plan", "plan", "count", "summarize", "timeline", "authors", "KNOWN"]
