"""A ``Query`` as an Elasticsearch search body: text, filters, dates, sort, paging, highlights.

Pure functions, no client: ``store/elastic.py`` sends what these build, and
``tests/unit/store/test_elastic_query.py`` reads them without a server.

The user's search string is parsed once by ``store/querystring.py`` (shared with SQLite)
and compiled here into a ``bool`` query: each term becomes a ``match_phrase`` over the
kind's text fields, so a Chinese term is a run of adjacent bigrams, as in the SQLite
backend, and raw user text never reaches Elasticsearch's own query-string syntax.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from store.base import Query
from store.elastic_mappings import DAY_FIELD
from store.errors import InvalidQuery
from store.querystring import AnyOf, Exclude, ParsedQuery, Term, parse
from core.limits import MAX_PAGE_SIZE, MAX_RESULT_WINDOW  # Elasticsearch's index.max_result_window; past it, search_after
from core.schema import DATE_FIELD, FILTER_FIELDS, TEXT_FIELDS

SORTS = ("relevance", "date_desc", "date_asc")

# The first text field (a title) weighs this much more than the others: a term in the
# title says more about what a notice is about than the same term deep in its body.
TITLE_BOOST = 2.0

# Snippets the same size as the SQLite backend's (store/sqlite_text.py): two lines of a
# result list on a phone, at most three per field.
SNIPPET_CHARS = 120
MAX_SNIPPETS = 3

HIGHLIGHT_TAGS = ("<mark>", "</mark>")
CURSOR_VERSION = 1

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class SearchBody:
    """Keyword arguments for ``Elasticsearch.search`` (minus index and size)."""

    query: dict[str, Any]
    sort: list[Any]
    highlight: dict[str, Any] | None = None
    search_after: list[Any] | None = None
    from_: int = 0
    offset: int = 0  # hits before this page (for the next cursor)


def _phrase(term: Term, fields: tuple[str, ...]) -> dict[str, Any]:
    """The term as adjacent tokens in any of the fields (first field boosted)."""
    should = []
    for i, name in enumerate(fields):
        clause: dict[str, Any] = {"query": term.text}
        if i == 0 and len(fields) > 1:
            clause["boost"] = TITLE_BOOST
        should.append({"match_phrase": {name: clause}})
    return should[0] if len(should) == 1 else {"bool": {"should": should, "minimum_should_match": 1}}


def compile_text(parsed: ParsedQuery, fields: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
    """``must`` and ``must_not`` clauses of a parsed search string."""
    must: list[dict[str, Any]] = []
    must_not: list[dict[str, Any]] = []
    for clause in parsed.clauses:
        if isinstance(clause, AnyOf):
            options = [_phrase(t, fields) for t in clause.terms]
            must.append(options[0] if len(options) == 1 else {"bool": {"should": options, "minimum_should_match": 1}})
        elif isinstance(clause, Exclude):
            must_not.append(_phrase(clause.term, fields))
    return {"must": must, "must_not": must_not}


def _day(value: str, name: str) -> str:
    if not isinstance(value, str) or not _ISO_DAY.match(value):
        raise InvalidQuery(f"{name} must be an ISO date (YYYY-MM-DD), got {value!r}")
    return value[:10]


def compile_filters(kind: str, query: Query) -> list[dict[str, Any]]:
    allowed = FILTER_FIELDS[kind]
    clauses: list[dict[str, Any]] = []
    for name, value in (query.filters or {}).items():
        if name not in allowed:
            raise InvalidQuery(f"cannot filter {kind} by {name!r}; filterable fields: {', '.join(allowed)}")
        if value is None:
            continue
        values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
        for v in values:
            if v is not None and not isinstance(v, (str, int, float, bool)):
                raise InvalidQuery(f"filter {name}: {v!r} is not a string, number or boolean")
        # An empty string is no value (documents never hold one as a filter value), so a
        # filter on nothing but empty values matches nothing, as in the SQLite backend.
        wanted = [v for v in values if v is not None and v != ""]
        if not wanted:
            clauses.append({"bool": {"must_not": {"match_all": {}}}})
        elif len(wanted) == 1:
            clauses.append({"term": {name: wanted[0]}})
        else:
            clauses.append({"terms": {name: wanted}})
    if query.date_from or query.date_to:
        bounds: dict[str, str] = {}
        if query.date_from:
            bounds["gte"] = _day(query.date_from, "date_from")
        if query.date_to:
            bounds["lte"] = _day(query.date_to, "date_to")
        clauses.append({"range": {DAY_FIELD: bounds}})
    return clauses


def compile_query(kind: str, query: Query | None) -> tuple[dict[str, Any], bool]:
    """The ``query`` clause, and whether it scores by text."""
    if query is None:
        return {"match_all": {}}, False
    bool_q: dict[str, list[dict[str, Any]]] = {"filter": compile_filters(kind, query)}
    parsed = parse(query.q)
    scored = False
    if parsed is not None:
        fields = TEXT_FIELDS[kind]
        if not fields:
            raise InvalidQuery(f"{kind} documents have no text to search; drop the search text")
        text = compile_text(parsed, fields)
        bool_q["must"] = text["must"]
        bool_q["must_not"] = text["must_not"]
        scored = bool(text["must"])
    clauses = {k: v for k, v in bool_q.items() if v}
    return ({"bool": clauses} if clauses else {"match_all": {}}), scored


def compile_sort(kind: str, mode: str, scored: bool) -> list[Any]:
    """Every sort ends with ``id`` so that ties have one order and search_after can resume."""
    date = DATE_FIELD[kind]
    by_date_desc = {date: {"order": "desc", "missing": "_last"}}
    by_date_asc = {date: {"order": "asc", "missing": "_last"}}
    tiebreak = {"id": {"order": "asc"}}
    if mode == "date_asc":
        return [by_date_asc, tiebreak]
    if mode == "relevance" and scored:
        return [{"_score": {"order": "desc"}}, by_date_desc, tiebreak]
    return [by_date_desc, tiebreak]


def compile_highlight(kind: str) -> dict[str, Any] | None:
    fields = TEXT_FIELDS[kind]
    if not fields:
        return None
    return {
        "pre_tags": [HIGHLIGHT_TAGS[0]],
        "post_tags": [HIGHLIGHT_TAGS[1]],
        # Escape the document text around the tags: bodies are scraped HTML-ish text and
        # the web page inserts snippets as HTML.
        "encoder": "html",
        "fields": {name: {"fragment_size": SNIPPET_CHARS, "number_of_fragments": MAX_SNIPPETS} for name in fields},
    }


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: the last hit's sort values, and how many hits came before."""

    after: list[Any]
    offset: int


def encode_cursor(mode: str, sort_values: list[Any], offset: int) -> str:
    raw = json.dumps({"v": CURSOR_VERSION, "sort": mode, "after": sort_values, "at": offset},
                     separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, mode: str) -> Cursor:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8"))
        after, offset = data["after"], data["at"]
        ok = (data.get("v") == CURSOR_VERSION and isinstance(after, list) and isinstance(offset, int)
              and offset >= 0)
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error, UnicodeError):
        ok = False
    if not ok:
        raise InvalidQuery("invalid cursor: pass next_cursor from the previous page unchanged")
    if data.get("sort") != mode:
        raise InvalidQuery(f"this cursor was made for sort={data.get('sort')!r}, not sort={mode!r}")
    return Cursor(after, offset)


def compile_search(kind: str, query: Query, window: int = MAX_RESULT_WINDOW) -> SearchBody:
    """The search body of one page. ``window``: how far from+size may reach (the index's
    ``max_result_window``); pages beyond it resume from the cursor with search_after."""
    if query.size < 0 or query.size > MAX_PAGE_SIZE:
        raise InvalidQuery(f"size must be between 0 and {MAX_PAGE_SIZE}")
    if query.sort not in SORTS:
        raise InvalidQuery(f"unknown sort {query.sort!r}; one of: {', '.join(SORTS)}")
    es_query, scored = compile_query(kind, query)
    body = SearchBody(query=es_query, sort=compile_sort(kind, query.sort, scored))
    if query.highlight and scored:
        body.highlight = compile_highlight(kind)
    if query.cursor:
        cursor = decode_cursor(query.cursor, query.sort)
        if query.sort == "relevance" and scored and cursor.offset + query.size <= window:
            # Relevance inside the first 10,000 hits: resume by position. search_after on
            # _score needs the server to compare scores exactly as it printed them, which
            # test servers (osmem) do not; by position the order is the same, since every
            # sort ends with the id tiebreaker.
            body.from_ = cursor.offset
        else:
            body.search_after = cursor.after
        body.offset = cursor.offset
    else:
        if query.page < 1:
            raise InvalidQuery("page must be at least 1")
        body.from_ = body.offset = (query.page - 1) * query.size
        if body.from_ + query.size > window:
            raise InvalidQuery(
                f"page {query.page} of size {query.size} lies past the first {window:,} hits; "
                "page on with next_cursor instead"
            )
    return body
