"""A ``Query`` as SQL: the WHERE clause every read shares, sort orders and cursors.

Values always travel as bound parameters; the only names spliced into SQL are the FTS
table of a kind from ``KINDS`` and fixed column names.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from store.base import Query
from store.querystring import parse
from core.limits import MAX_PAGE_SIZE, MAX_RESULT_WINDOW
from core.schema import FILTER_FIELDS, KINDS, TEXT_FIELDS
from store.documents import value_text
from store.sqlite_schema import fts_table
from store.sqlite_text import MatchPlan, compile_match
from store.errors import InvalidQuery


# bm25 column weights: a term in the title counts this many times a body mention, so a
# notice titled 关于关停… outranks one that mentions 关停 once in passing.
TITLE_WEIGHT = 5.0


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InvalidQuery(f"unknown kind {kind!r}; one of: {', '.join(KINDS)}")


def _check_day(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise InvalidQuery(f"{name} {value!r} is not a date (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class Source:
    """The matching documents as ``d``: ``SELECT … FROM {tables} WHERE {where}``.

    ``tables`` binds no parameters, so a caller may join more tables after it (their ``ON``
    parameters go before ``params``)."""

    tables: str
    where: str
    params: list[Any]
    scored: bool  # the FTS table is in ``tables``: bm25() can rank


@dataclass
class Where:
    """Conditions on ``docs d`` (always ``d.kind = ?`` first) and the full-text plan."""

    kind: str
    conds: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    match: MatchPlan | None = None
    dated: bool = False  # a date range: conditions on d.day

    @property
    def fts(self) -> str:
        return fts_table(self.kind)

    @property
    def only_text(self) -> bool:
        """Nothing to check but the words: the FTS table alone answers a count, since it
        holds this kind's documents and no others (rowid = docs.pk, written and deleted
        with the document in one transaction)."""
        return bool(self.match and self.match.include) and self.conds == ["d.kind = ?"]

    def source(self, keys_only: bool = False, facts_only: bool = False) -> Source:
        """Drive from the full-text matches when there are words: the FTS index yields
        the matching rowids at once and each is one primary-key look-up in ``docs``.
        ``CROSS JOIN`` fixes that order; left to itself the planner (without statistics)
        walks every document of the kind through an index and tests each against the
        matches, 20-50× slower at 100,000 comments (and 4.8 s as a plain JOIN).

        ``keys_only``: the caller reads only pk, kind, id, ts and day of ``d`` (ranking a
        search), so each match is a look-up in the narrow ``docs_keys`` index rather than
        in the document rows (~40% of a 13,000-hit notice search at 200,000 comments).
        ``facts_only``: the caller reads only pk, kind, sentiment, sentiment_label, stance and
        author (a summary), so each match is a look-up in ``docs_kind_facts`` (a summary of
        32,838 notices' matches by city: 84 → 61 ms a pass); not with a date range, whose
        days only the rows hold."""
        if self.match and self.match.include:
            index = (" INDEXED BY docs_keys" if keys_only
                     else " INDEXED BY docs_kind_facts" if facts_only and not self.dated else "")
            return Source(
                f"{self.fts} CROSS JOIN docs d{index} ON d.pk = {self.fts}.rowid",
                " AND ".join([f"{self.fts} MATCH ?", *self.conds]),
                [self.match.include, *self.params],
                scored=True,
            )
        return Source("docs d", " AND ".join(self.conds), list(self.params), scored=False)


    def date_walk(self) -> Source:
        """The matching documents for a walk down a date index: each document in date order
        is checked against the words (one FTS5 look-up by rowid) until the page is full.
        Only for words most documents of the kind contain: a notice search for 停止更新 in
        date order (every notice matches) took ~400 ms through ranking every match, 1 ms
        this way; a word few documents contain makes the walk visit most of the kind (20 s
        for no match among 50,000 notices), hence ``walks_dates``."""
        assert self.match and self.match.include
        exists = f"EXISTS (SELECT 1 FROM {self.fts} f WHERE {self.fts} MATCH ? AND f.rowid = d.pk)"
        return Source("docs d", " AND ".join([*self.conds, exists]), [*self.params, self.match.include], scored=False)


def query_key(query: Query | None) -> tuple:
    """What decides which documents a query matches (words, filters, dates; not paging or
    order), as a key for answers kept per version of the store or its index. Any of
    several values matches, so their order is not part of it."""
    if query is None:
        return ()
    filters = tuple(sorted(
        (name, tuple(sorted(map(repr, wanted))) if isinstance(wanted, (list, tuple, set, frozenset)) else repr(wanted))
        for name, wanted in (query.filters or {}).items()))
    return (query.q, filters, query.date_from, query.date_to)


# A date-ordered search walks the date index when it should visit at most this many
# documents to fill the page (pages × kind size ÷ hits); else it ranks every match.
DATE_WALK_LIMIT = 200


def walks_dates(sort: str, where: Where, hits: int, kind_size: int, rows_needed: int) -> bool:
    return (sort != "relevance" and bool(where.match and where.match.include) and hits > 0
            and rows_needed * kind_size <= DATE_WALK_LIMIT * hits)


# A filter listing more values than this is a set whatever the caller asks: checking a
# document probes the (doc, field, value) key once per value, so a list of ids made each
# document cost hundreds of probes (`yuqing reanalyze` reading the accounts of 500 notices
# among 80,000: 21 s as checks, past the query limit; 16 ms as a set).
SET_FROM_VALUES = 16


def build_where(kind: str, query: Query | None, *, filters_as_sets: bool = False) -> Where:
    """The conditions of ``query`` on ``kind``.

    ``filters_as_sets``: each filter is the set of documents holding the value, read from the
    (field, value, doc) index (``d.pk IN (…)``), not a check of every document of the kind
    (``EXISTS``). For summaries and timelines, which visit every match anyway: one city's
    comments by theme at 1,000,000 comments took 5.8 s the EXISTS way (past the query limit),
    0.8 s this way. Searches keep EXISTS: walking the date index or the full-text matches
    and checking each row stops at the page, and a broad filter made a set of 666,000 rowids
    first (a notice search with a city filter 142 → 379 ms, page 1 of weibo comments 1 → 243 ms).
    A filter of more than ``SET_FROM_VALUES`` values is a set in every case."""
    check_kind(kind)
    where = Where(kind, ["d.kind = ?"], [kind])
    if query is None:
        return where
    allowed = FILTER_FIELDS[kind]
    for name, wanted in (query.filters or {}).items():
        if name not in allowed:
            raise InvalidQuery(f"unknown filter {name!r} for {kind}; filters: {', '.join(allowed)}")
        if wanted is None:
            continue
        values = list(wanted) if isinstance(wanted, (list, tuple, set, frozenset)) else [wanted]
        try:
            texts = [t for t in (value_text(v) for v in values) if t is not None]
        except ValueError as exc:
            raise InvalidQuery(f"filter {name!r}: {exc}") from None
        if not texts:
            where.conds.append("0")  # any of nothing: matches nothing
            continue
        marks = ", ".join("?" * len(texts))
        if filters_as_sets or len(texts) > SET_FROM_VALUES:
            where.conds.append(f"d.pk IN (SELECT v.doc FROM doc_values v WHERE v.field = ? AND v.value IN ({marks}))")
        else:
            where.conds.append(
                f"EXISTS (SELECT 1 FROM doc_values v WHERE v.doc = d.pk AND v.field = ? AND v.value IN ({marks}))"
            )
        where.params.extend([name, *texts])
    date_from = _check_day(query.date_from, "date_from")
    date_to = _check_day(query.date_to, "date_to")
    where.dated = bool(date_from or date_to)
    if date_from:
        where.conds.append("d.day >= ?")
        where.params.append(date_from)
    if date_to:
        where.conds.append("d.day <= ?")
        where.params.append(date_to)
    parsed = parse(query.q)
    if parsed is not None:
        if not TEXT_FIELDS[kind]:
            raise InvalidQuery(f"{kind} documents have no text to search")
        where.match = compile_match(parsed)
        for expr in where.match.exclude:
            where.conds.append(f"d.pk NOT IN (SELECT rowid FROM {where.fts} WHERE {where.fts} MATCH ?)")
            where.params.append(expr)
    return where


# --- sorting and cursors ------------------------------------------------------------

# sort name -> (ORDER BY, keyset condition after a cursor (value, id)). "ts IS NULL"
# first puts undated documents last in both date orders, as Elasticsearch does.
ORDERS: dict[str, str] = {
    "relevance": "score DESC, id ASC",
    "date_desc": "ts IS NULL, ts DESC, id ASC",
    "date_asc": "ts IS NULL, ts ASC, id ASC",
}
_AFTER: dict[str, str] = {
    "relevance": "(score < ? OR (score = ? AND id > ?))",
    "date_desc": "(ts < ? OR (ts = ? AND id > ?) OR ts IS NULL)",
    "date_asc": "(ts > ? OR (ts = ? AND id > ?) OR ts IS NULL)",
}


def effective_sort(query: Query, where: Where) -> str:
    """Relevance needs words to be relevant to; without them, newest first."""
    if query.sort not in ORDERS:
        raise InvalidQuery(f"unknown sort {query.sort!r}; one of: {', '.join(ORDERS)}")
    if query.sort == "relevance" and not (where.match and where.match.include):
        return "date_desc"
    return query.sort


def encode_cursor(sort: str, value: float | None, doc_id: str, index_position: int | None = None) -> str:
    data: dict[str, Any] = {"s": sort, "v": value, "id": doc_id}
    if index_position is not None:  # ranked by the search index (sqlite_search_index): resumes by position
        data["ix"] = index_position
    raw = json.dumps(data, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@dataclass(frozen=True)
class After:
    sql: str
    params: list[Any]
    index_position: int | None = None  # where a page the search index ranked resumes
    key: tuple[float, str] | None = None  # a date order's (ts, id), for the search index to page from


def decode_cursor(cursor: str, sort: str) -> After:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        cur_sort, value, doc_id, position = data["s"], data["v"], data["id"], data.get("ix")
        if not isinstance(doc_id, str) or (value is not None and not isinstance(value, (int, float))):
            raise TypeError
        if position is not None and (type(position) is not int or position < 0):
            raise TypeError
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise InvalidQuery("invalid cursor: pass next_cursor from the previous page unchanged") from None
    if cur_sort != sort:
        raise InvalidQuery(f"cursor was made for sort {cur_sort!r}, not {sort!r}")
    if value is None:
        return After("(ts IS NULL AND id > ?)", [doc_id])
    return After(_AFTER[sort], [value, value, doc_id], position, None if sort == "relevance" else (value, doc_id))


def check_paging(query: Query) -> None:
    if query.size < 0 or query.size > MAX_PAGE_SIZE:
        raise InvalidQuery(f"size must be between 0 and {MAX_PAGE_SIZE}")
    if query.page < 1:
        raise InvalidQuery("page must be 1 or more")
    if query.cursor is None and query.page * query.size > MAX_RESULT_WINDOW:
        raise InvalidQuery(
            f"page × size reaches past hit {MAX_RESULT_WINDOW:,}; page further with the cursor (next_cursor)"
        )
