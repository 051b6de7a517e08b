"""The embedded store: one SQLite file, nothing to install, works offline.

- WAL journal: readers never wait for the writer, the writer never waits for readers.
- One writer path: every write goes through one connection under a lock. Each read
  borrows a connection from a small pool for the length of one answer (the API answers
  from a thread pool), so a slow search in one request does not hold up another, and
  threads that come and go leave no connections behind.
- A time limit on reads (``query_timeout_ms``): SQLite's progress handler
  aborts a query that runs past it, which becomes ``QueryTimeout`` (HTTP 503), so one
  pathological search cannot hang the API.
- Full text, filters and summaries: see ``sqlite_text`` (Chinese bigrams in FTS5),
  ``sqlite_schema`` (tables) and ``sqlite_query`` (WHERE clauses, cursors). Summaries,
  timelines and counts without words are look-ups in rollups kept on write
  (``sqlite_rollup``, ``sqlite_rollup_read``) where those hold the answer, else GROUP BY
  queries (``sqlite_summary``); no document is loaded into Python to count it.
"""

from __future__ import annotations

import gc
import json
import logging
import sqlite3
import threading
import time
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, TypeVar

from core.limits import DEFAULT_QUERY_TIMEOUT_MS
from store.base import Bucket, Group, GroupBy, Health, Hit, Interval, MigrationStep, Page, Query, UpsertReport
from store.errors import InvalidQuery, QueryTimeout, StoreError, StoreUnavailable
from store.urls import missing_directory, sqlite_path
from store.querystring import parse
from core.schema import AUTHORED_KINDS, KINDS, TEXT_FIELDS
from store.sqlite_query import (
    ORDERS,
    After,
    Source,
    TITLE_WEIGHT,
    Where,
    build_where,
    check_kind,
    check_paging,
    decode_cursor,
    effective_sort,
    encode_cursor,
    query_key,
    walks_dates,
)
from store.documents import checked_rows, is_stale
from store.sqlite_schema import (
    AUTHOR_SQL, delete_rows, doc_keys, ensure_schema, insert_fulltext, optimize, queue_for_search,
)
from store.sqlite_remembered import KeptAnswers
from store.sqlite_summary import (DayRow, buckets, day_rows, group_field, groups_of, overview_rows, pair_counts,
                                  summarize_groups, top_of)
from store import sqlite_rollup_read as rollup
from store.sqlite_rollup import RollupDelta, stored_facts
from store.sqlite_write import Written, columns, is_unchanged, new_facts, write_batch
from store.sqlite_search_index import SearchIndex
from store.sqlite_text import snippets

logger = logging.getLogger(__name__)

# How often (in SQLite VM instructions) the progress handler checks the clock: often
# enough to stop within a few milliseconds of the limit, rare enough to cost nothing.
PROGRESS_EVERY = 2_000
# Read connections kept open between queries (the API's thread pool reuses them); a
# burst beyond this opens extra ones and closes them afterwards.
MAX_IDLE_READERS = 8
# Documents written per batch statement (``sqlite_write``); a larger upsert is several.
WRITE_CHUNK = 1_000
# The writer's page cache, KiB: the B-tree pages a batch of writes touches stay cached.
WRITER_CACHE_KB = 64 * 1024
# The WAL is copied into the database file by a thread of the store's own after each write
# (``_Checkpointer``), so the writer does not wait for the copy and its fsync (10,000 comments
# into 1,000,000: COMMIT ~1.3 → ~0.5 s). The writer's automatic checkpoint (a copy inside the
# commit past this many WAL pages) stays only as a backstop, for a WAL that thread could not
# copy (a long read holding it). SQLite's default of 1,000 pages checkpointed on every batch
# of 500 comments into a large store; 10,000 was the writer's own setting before the thread.
WAL_BACKSTOP_PAGES = 50_000
# A connection waits this long for another process's lock (a crawl writing while the API
# reads) before giving up with 'database is locked'.
BUSY_TIMEOUT_MS = 5_000
# Scanned summaries, timelines and pairs kept per version of the file (``_remembered``).
SCANS_KEPT = 128

T = TypeVar("T")


def path_from_url(url: str) -> Path:
    """``sqlite:///rel/path.db`` → ``rel/path.db``; ``sqlite:////abs/path.db`` → ``/abs/path.db``."""
    return sqlite_path(url)


class _Reader:
    """A read connection and the deadline of the query it is running."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.deadline: float | None = None

    def over_time(self) -> int:
        return 1 if self.deadline is not None and time.monotonic() > self.deadline else 0


class _Checkpointer:
    """Copies the WAL into the database file in a thread of its own (SQLite's PASSIVE
    checkpoint: it waits for no reader or writer and copies what it can), woken after each
    write transaction, so writes do not stop for the copy and its fsync."""

    def __init__(self, connect: Callable[[], sqlite3.Connection]):
        self._connect = connect
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def nudge(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
            self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        conn = None
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._stopping:
                break
            try:
                conn = conn or self._connect()
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error as exc:  # the writer's own checkpoint is the backstop
                logger.debug("background checkpoint of the WAL failed: %s", exc)
        if conn is not None:
            conn.close()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join()


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection during a write. A batch's rows, rollup counts and
    written documents live until it commits, so the collector promotes them and then runs
    full collections over the whole heap: ~11% of a bulk load at 1M comments (4 passes of
    ~50 ms per 10,000 comments). A write makes no reference cycles: what it allocates is
    freed by reference counting when the method returns, and only then does the collector
    resume (resumed inside the method, its first pass walked the batch still held: ~5%).
    A writer that finds the collector already off (another writer's thread, or the
    caller's choice) leaves it off; the first one to pause it resumes it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _turned(pairs: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """(a, b, documents) pairs as (b, a, documents): the pairs are kept in field-name order."""
    return [(y, x, n) for x, y, n in pairs]


class SQLiteStore:
    backend = "sqlite"

    def __init__(
        self,
        path: str | Path,
        query_timeout_ms: int = DEFAULT_QUERY_TIMEOUT_MS,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        search_index: bool = True,
    ):
        """``search_index=False``: FTS5 ranks every search and the index beside the file is
        neither read nor updated (changes stay queued for a store opened with it)."""
        self.path = Path(path)
        self.query_timeout = query_timeout_ms / 1000.0
        self.busy_timeout_ms = busy_timeout_ms
        self._write_lock = threading.Lock()
        self._idle: list[_Reader] = []
        self._readers_lock = threading.Lock()
        self._closed = False
        self._version_reader: sqlite3.Connection | None = None
        self._version_lock = threading.Lock()
        self._scans = KeptAnswers(SCANS_KEPT)
        # No mkdir: a mistyped path must be an error, not a directory tree made silently.
        problem = missing_directory(self.path)
        if problem:
            raise StoreUnavailable(f"cannot open SQLite store at {self.path}: {problem}")
        try:
            self._writer = self._connect()
            self._writer.execute("PRAGMA journal_mode=WAL")
            # SQLite's default page cache (2 MB) made every batch of a large store re-read the
            # index pages it had just written (the full-text, filter and rollup B-trees).
            self._writer.execute(f"PRAGMA cache_size=-{WRITER_CACHE_KB}")
            self._writer.execute(f"PRAGMA wal_autocheckpoint={WAL_BACKSTOP_PAGES}")
            ensure_schema(self._writer)
        except (sqlite3.Error, OSError) as exc:
            raise StoreUnavailable(f"cannot open SQLite store at {self.path}: {exc}") from exc
        self._checkpointer = _Checkpointer(self._connect)
        self._search = SearchIndex(self.path) if search_index else None
        if self._search:
            self._catch_up_search_index()

    @classmethod
    def from_url(cls, url: str, *, query_timeout_ms: int = DEFAULT_QUERY_TIMEOUT_MS,
                 busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> "SQLiteStore":
        return cls(path_from_url(url), query_timeout_ms=query_timeout_ms, busy_timeout_ms=busy_timeout_ms)

    # --- connections ---------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def _take_reader(self) -> _Reader:
        with self._readers_lock:
            if self._closed:
                raise StoreUnavailable(f"the SQLite store at {self.path} is closed")
            if self._idle:
                return self._idle.pop()
        try:
            conn = self._connect()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot read SQLite store at {self.path}: {exc}") from exc
        reader = _Reader(conn)
        conn.set_progress_handler(reader.over_time, PROGRESS_EVERY)
        return reader

    def _give_back(self, reader: _Reader) -> None:
        with self._readers_lock:
            if not self._closed and len(self._idle) < MAX_IDLE_READERS:
                self._idle.append(reader)
                return
        reader.conn.close()

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        reader = self._take_reader()
        conn = reader.conn
        reader.deadline = time.monotonic() + self.query_timeout
        try:
            # One read transaction: the statements of one answer (a count and its page,
            # a summary's groups and labels) see the same snapshot.
            conn.execute("BEGIN")
            yield conn
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise QueryTimeout(
                    f"the query took longer than {self.query_timeout * 1000:.0f} ms and was stopped; narrow it down"
                ) from exc
            if "fts5" in str(exc).lower():
                # Cannot come from user text (querystring quotes every word); a bug, not a 503.
                raise
            raise StoreUnavailable(f"SQLite store at {self.path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise StoreUnavailable(f"SQLite store at {self.path}: {exc}") from exc
        finally:
            reader.deadline = None
            try:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")  # read-only: ends the snapshot, nothing to keep
            except sqlite3.Error:
                conn.close()
            else:
                self._give_back(reader)

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        if self._closed:
            raise StoreUnavailable(f"the SQLite store at {self.path} is closed")
        with self._write_lock:
            try:
                self._writer.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"cannot write to SQLite store at {self.path}: {exc}") from exc
            try:
                yield self._writer
                if self._search:  # inside: an interrupt while indexing must still roll back
                    self._search.sync(self._writer)
                self._writer.execute("COMMIT")
            except BaseException:
                if self._writer.in_transaction:
                    self._writer.execute("ROLLBACK")
                if self._search:
                    self._search.discard()
                raise
            if self._search:  # only what SQLite holds now goes into the index
                self._search.publish()
            self._checkpointer.nudge()

    def _catch_up_search_index(self) -> None:
        """Bring the search index in step with the file when it is not (a file from before
        it, a write whose index update failed, a deleted index directory). Rebuilding a
        kind's index holds the write lock: ~1 minute per million comments, once. If another
        process holds the lock past the busy timeout, the next write catches up instead
        (searches use FTS5 until then)."""
        assert self._search
        with self._reading() as conn:
            behind = self._search.behind(conn)
        if not behind:
            return
        logger.warning("building the search index of %s (%s) from the store; about a minute per million "
                       "documents, once", self.path, ", ".join(behind))
        try:
            with self._writing() as conn:
                self._search.sync(conn, behind)
            self._search.settle()
        except StoreUnavailable as exc:
            logger.warning("search index not built now (%s); the next write builds it", exc)

    # --- writes --------------------------------------------------------------------

    @_cyclic_gc_paused()
    def upsert(self, kind: str, docs: Iterable[Mapping[str, Any]]) -> UpsertReport:
        report = UpsertReport()
        rows = checked_rows(kind, docs, report)
        if kind not in KINDS:
            list(rows)  # every document refused, each reported
            return report
        delta = RollupDelta()
        written: dict[int, Written] = {}
        with self._writing() as conn:
            while batch := list(islice(rows, WRITE_CHUNK)):
                conn.execute("SAVEPOINT batch")
                try:
                    outcomes = write_batch(conn, kind, batch, delta, written)
                except sqlite3.Error:
                    conn.execute("ROLLBACK TO batch")  # written again one by one, refusals named
                    outcomes = None
                finally:
                    conn.execute("RELEASE batch")
                if outcomes is not None:
                    for outcome in outcomes:
                        setattr(report, outcome, getattr(report, outcome) + 1)
                    continue
                for row in batch:
                    conn.execute("SAVEPOINT doc")
                    try:
                        outcome = self._write_one(conn, kind, row, delta, written)
                    except sqlite3.Error as exc:
                        conn.execute("ROLLBACK TO doc")
                        report.errors.append((row.id, f"SQLite refused it: {exc}"))
                    else:
                        setattr(report, outcome, getattr(report, outcome) + 1)
                    finally:
                        conn.execute("RELEASE doc")
            # The rollups change in the same transaction as the documents they count.
            delta.apply(conn)
            if self._search:
                self._search.offer(kind, written)
        return report

    def _write_one(self, conn: sqlite3.Connection, kind: str, row, delta: RollupDelta,
                   written: dict[int, Written]) -> str:
        found = conn.execute("SELECT pk, doc FROM docs WHERE kind = ? AND id = ?", (kind, row.id)).fetchone()
        cols = columns(row)
        # SQLite reads the author out of the JSON itself, exactly as the migration did.
        author_from = row.json if kind in AUTHORED_KINDS else None
        if found and is_unchanged(row, found[1]):
            return "unchanged"
        if found and is_stale(row.doc, json.loads(found[1])):
            return "stale"  # the writer's transaction makes this check-then-write atomic
        old = None
        if found:
            pk = found[0]
            old = stored_facts(conn, kind, pk)
            conn.execute(
                "UPDATE docs SET doc = ?, day = ?, ts = ?, sentiment = ?, sentiment_label = ?, stance = ?,"
                f" author = {AUTHOR_SQL} WHERE pk = ?",
                (*cols, author_from, pk),
            )
            delete_rows(conn, kind, pk)
        else:
            pk = conn.execute(
                "INSERT INTO docs (kind, id, doc, day, ts, sentiment, sentiment_label, stance, author)"
                f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, {AUTHOR_SQL})",
                (kind, row.id, *cols, author_from),
            ).lastrowid
        queue_for_search(conn, kind, [pk])
        conn.executemany("INSERT INTO doc_values (doc, field, value) VALUES (?, ?, ?)", [(pk, f, v) for f, v in row.values])
        texts = insert_fulltext(conn, kind, pk, row.doc)
        delta.add(old, -1)
        delta.add(new_facts(kind, row), +1)
        if texts:
            written[pk] = Written(row, texts)
        return "updated" if found else "inserted"

    @_cyclic_gc_paused()
    def delete(self, kind: str, doc_ids: Iterable[str]) -> int:
        check_kind(kind)
        deleted: list[int] = []
        delta = RollupDelta()
        with self._writing() as conn:
            for doc_id in doc_ids:
                found = conn.execute("SELECT pk FROM docs WHERE kind = ? AND id = ?", (kind, doc_id)).fetchone()
                if found:
                    delta.add(stored_facts(conn, kind, found[0]), -1)
                    delete_rows(conn, kind, found[0])
                    conn.execute("DELETE FROM docs WHERE pk = ?", (found[0],))
                    deleted.append(found[0])
            queue_for_search(conn, kind, deleted)
            delta.apply(conn)
        return len(deleted)

    # --- reads ---------------------------------------------------------------------

    def get(self, kind: str, doc_id: str) -> dict | None:
        check_kind(kind)
        with self._reading() as conn:
            row = conn.execute("SELECT doc FROM docs WHERE kind = ? AND id = ?", (kind, doc_id)).fetchone()
        return json.loads(row[0]) if row else None

    def count(self, kind: str, query: Query | None = None) -> int:
        where = build_where(kind, query)
        kept = rollup.plan(kind, query)
        with self._reading() as conn:
            return rollup.count(conn, kept) if kept else _count(conn, where)

    def search(self, kind: str, query: Query) -> Page:
        check_paging(query)
        where = build_where(kind, query)
        sort = effective_sort(query, where)
        src = where.source(keys_only=True)
        if src.scored:
            weights = ", ".join([str(TITLE_WEIGHT)] + ["1.0"] * (len(TEXT_FIELDS[kind]) - 1))
            score = f"-bm25({where.fts}, {weights})"
        else:
            score = "NULL"
        # Rank on the narrow columns only and fetch the JSON of the page's rows afterwards:
        # sorting every hit together with its document copied kilobytes per hit into the
        # sorter (8 → 2.6 ms for a 2-character term at 100,000 comments). Without words,
        # the date orders walk docs_kind_newest / docs_kind_oldest and stop at the page.
        outer, outer_params, offset, after = "", [], (query.page - 1) * query.size, None
        if query.cursor:
            after = decode_cursor(query.cursor, sort)
            outer, outer_params, offset = f"WHERE {after.sql}", after.params, 0
        kept = rollup.plan(kind, query)
        with self._reading() as conn:
            by_index, total = None, None
            if sort == "relevance" and where.match and where.match.include:
                by_index = self._index_page(conn, kind, query, offset, query.size + 1, after)
            elif sort != "relevance" and (where.match or len(where.conds) > 1) and self._search:
                # FTS5 counts a word's matches one by one (~10 ms for 停止更新 in 50,000 notices).
                total = rollup.count(conn, kept) if kept else self._search.count(conn, kind, query)
                total = _count(conn, where) if total is None else total
                if self._sql_date_cost(conn, kind, where, sort, total, offset + query.size + 1) > INDEX_DATES_FROM:
                    by_index = self._date_page(conn, kind, query, offset, query.size + 1, sort, after)
            if by_index is not None:
                ranked, total, position = by_index
            else:
                ranked, total = self._sql_page(conn, kind, query, where, sort, src, score, outer, outer_params,
                                               offset, kept, total)
            more = len(ranked) > query.size
            ranked = ranked[: query.size]
            docs = _docs_by_pk(conn, [pk for pk, _, _, _ in ranked])
        terms = parse(query.q).positive_terms if (query.highlight and where.match) else []
        hits = [self._hit(kind, json.loads(docs[pk]), score, terms) for pk, _, _, score in ranked]
        next_cursor = None
        if more and ranked:
            _, last_id, last_ts, last_score = ranked[-1]
            next_cursor = encode_cursor(sort, last_score if sort == "relevance" else last_ts, last_id,
                                        position + query.size if by_index is not None and position is not None
                                        else None)
        return Page(total=total, hits=hits, next_cursor=next_cursor)

    def _index_page(self, conn: sqlite3.Connection, kind: str, query: Query, offset: int, rows: int,
                    after: After | None) -> tuple[list[tuple], int, int] | None:
        """A relevance page ranked by the search index: (pk, id, ts, score) rows in its order,
        the count of matches and the position of the first row; or None for FTS5 to answer
        (the index is behind this snapshot, or the cursor was made by FTS5). Its cursors
        resume by position, as Elasticsearch's relevance cursors do inside their window."""
        if after is not None and after.index_position is None:
            return None
        start = after.index_position if after is not None else offset
        if start > MAX_RELEVANCE_DEPTH:  # Tantivy holds offset + rows hits in a heap
            raise InvalidQuery(f"relevance order pages at most {MAX_RELEVANCE_DEPTH:,} hits deep; "
                               "page further with sort=date_desc")
        found = self._search.rank(conn, kind, query, start, rows) if self._search else None
        if found is None:
            if after is not None:
                raise InvalidQuery("the search index changed since this cursor was made; search again from the "
                                   "first page")
            return None
        keyed = doc_keys(conn, [pk for pk, _ in found.hits])
        return [(pk, *keyed[pk], score) for pk, score in found.hits if pk in keyed], found.total, start

    def _date_page(self, conn: sqlite3.Connection, kind: str, query: Query, offset: int, rows: int, sort: str,
                   after: After | None) -> tuple[list[tuple], int, None] | None:
        """A date-ordered page of a search with words or filters, paged by the search index
        exactly as SQL orders it (so its keyset cursors serve both): SQL walks the date
        index checking each document, which at 1M comments read ~20,000 to reach page 100
        of one city's comments (~36 ms); or None for SQL to answer."""
        if after is not None and after.key is None:
            return None  # past the undated documents' start: SQL pages them
        assert self._search
        found = self._search.by_date(conn, kind, query, offset if after is None else 0, rows,
                                     newest_first=sort == "date_desc", after=after.key if after else None)
        if found is None:
            return None
        page, total = found
        return [(pk, doc_id, ts, None) for pk, doc_id, ts in page], total, None

    def _sql_date_cost(self, conn: sqlite3.Connection, kind: str, where: Where, sort: str, total: int,
                       rows_needed: int) -> float:
        """About how many documents SQL reads for a date-ordered page of ``total`` matches:
        a walk down the date index checks documents until ``rows_needed`` match; a search
        that does not walk sorts every match."""
        size = self._kind_size(conn, kind)
        if where.match and where.match.include and not walks_dates(sort, where, total, size, rows_needed):
            return total  # every match is sorted
        return rows_needed * size / max(total, 1)

    def _sql_page(self, conn: sqlite3.Connection, kind: str, query: Query, where: Where, sort: str, src, score: str,
                  outer: str, outer_params: list, offset: int, kept, total: int | None = None) -> tuple[list[tuple], int]:
        """A page ranked in SQL (FTS5's bm25() or a date order): (pk, id, ts, score) rows and
        the total (counted here unless given)."""
        # Words and filters ranked by relevance: the ranking pass sorts every match anyway, so
        # it counts them too (a window over its rows) instead of a second pass (关停 with a city
        # filter at 1,000,000 comments: a separate count was ~90 ms, the window ~8 ms).
        counted_in_ranking = sort == "relevance" and src.scored and not query.cursor and not where.only_text
        if total is None and kept:  # without words the total is a look-up in the rollups, not a count of the kind
            total = rollup.count(conn, kept)
        elif total is None and not counted_in_ranking:
            total = _count(conn, where)
        if total is not None and walks_dates(sort, where, total, self._kind_size(conn, kind),
                                             offset + query.size + 1):
            src, score = where.date_walk(), "NULL"
        ranked = None
        if sort == "relevance" and not query.cursor and where.only_text:
            ranked = _top_by_score(conn, where, score, offset, query.size + 1)
        if ranked is None:
            window = ", count(*) OVER () AS total" if counted_in_ranking else ""
            inner = f"SELECT d.pk AS pk, d.id AS id, d.ts AS ts, {score} AS score FROM {src.tables} WHERE {src.where}"
            sql = f"SELECT pk, id, ts, score{window} FROM ({inner}) {outer} ORDER BY {ORDERS[sort]} LIMIT ? OFFSET ?"
            rows = conn.execute(sql, [*src.params, *outer_params, query.size + 1, offset]).fetchall()
            if counted_in_ranking:  # a page past the last match has no row to carry the total
                total = rows[0][4] if rows else _count(conn, where)
            ranked = [row[:4] for row in rows]
        return ranked, total

    @staticmethod
    def _kind_size(conn: sqlite3.Connection, kind: str) -> int:
        kept = rollup.plan(kind, None)
        if kept:
            return rollup.count(conn, kept)
        return conn.execute("SELECT count(*) FROM docs WHERE kind = ?", (kind,)).fetchone()[0]

    @staticmethod
    def _hit(kind: str, doc: dict, score: float | None, terms: list) -> Hit:
        highlights: dict[str, list[str]] = {}
        for name in TEXT_FIELDS[kind]:
            value = doc.get(name)
            found = snippets(value, terms) if isinstance(value, str) else []
            if found:
                highlights[name] = found
        return Hit(doc=doc, score=score, highlights=highlights)

    def iterate(self, kind: str, query: Query | None = None, batch_size: int = 500) -> Iterator[dict]:
        if batch_size < 1:
            raise ValueError("batch_size must be 1 or more")
        src = build_where(kind, query).source()
        last = ""
        while True:
            with self._reading() as conn:
                rows = conn.execute(
                    f"SELECT d.id, d.doc FROM {src.tables} WHERE {src.where} AND d.id > ? ORDER BY d.id LIMIT ?",
                    [*src.params, last, batch_size],
                ).fetchall()
            for doc_id, doc in rows:
                yield json.loads(doc)
            if len(rows) < batch_size:
                return
            last = rows[-1][0]

    def summarize(self, kind: str, by: GroupBy, query: Query | None = None, top: int = 5) -> list[Group]:
        field = group_field(kind, by)
        src = build_where(kind, query, filters_as_sets=True).source(facts_only=True)
        kept = rollup.plan(kind, query)
        with self._reading() as conn:
            groups = rollup.summarize(conn, kept, field, top) if kept else None
        if groups is not None:
            return groups

        matched = query_key(query)
        other = top_of(kind, field)

        def scan() -> list[Group]:
            pairs = self._pairs(kind, field, other, src, matched) if other and top > 0 else None
            with self._reading() as conn:
                return summarize_groups(conn, kind, field, src, top, pairs)

        return self._remembered(("summarize", kind, field, top, matched), scan)

    def prepare_overview(self, kind: str, query: Query, top: int = 5) -> None:
        """By city and by theme with their ``top``, and the timeline, of one search, scanned
        together and kept for ``summarize`` and ``timeline`` to find (the search page asks
        for all of them; a scan of each ran the full-text match again). Nothing to do when
        the rollups answer, or when the answers are kept already."""
        if rollup.plan(kind, query) or top_of(kind, "city") != "themes":
            return
        version = self.data_version()
        if version is None:
            return
        matched = query_key(query)
        keys = {field: ("summarize", kind, field, top, matched) for field in ("city", "themes")}
        days_key = ("days", kind, matched)
        if all(self._scans.kept((version, *key)) for key in (*keys.values(), days_key)):
            return
        src = build_where(kind, query, filters_as_sets=True).source()
        try:
            with self._reading() as conn:
                found = overview_rows(conn, kind, src, ("city", "themes"))
        except QueryTimeout:
            return  # a hint: the four scans, each under the time limit of its own, answer instead
        for field, key in keys.items():
            pairs = found.pairs if field == "city" else _turned(found.pairs)
            groups = groups_of(kind, field, found.rows[field], found.authors[field], pairs, top)
            self._scans.keep((version, *key), groups)
        self._scans.keep((version, "pairs", kind, "city", "themes", matched), found.pairs)
        self._scans.keep((version, *days_key), found.days)

    def _pairs(self, kind: str, field: str, other: str, src: Source, matched: tuple) -> list[tuple[str, str, int]]:
        """(value of ``field``, value of ``other``, documents) of the matches: by city and by
        theme read the same pairs, so they are scanned once for both and kept in one order."""
        a, b = sorted((field, other))

        def scan() -> list[tuple[str, str, int]]:
            with self._reading() as conn:
                return pair_counts(conn, a, b, src)

        rows = self._remembered(("pairs", kind, a, b, matched), scan)
        return rows if a == field else _turned(rows)

    def _remembered(self, key: tuple, scan: Callable[[], T]) -> T:
        """``scan()``'s answer, kept under the file's ``data_version`` read before it ran (any
        write since, by any connection, makes a new version): by-city and by-theme of a search
        on every page of its results scan once (``store/sqlite_remembered.py``)."""
        version = self.data_version()
        return scan() if version is None else self._scans.answer((version, *key), scan)

    def authors(self, kind: str, query: Query | None = None) -> int | None:
        where = build_where(kind, query, filters_as_sets=True)  # checks the kind and the filters
        if kind not in AUTHORED_KINDS:
            return None
        with self._reading() as conn:
            kept = rollup.authors(conn, kind, query)
            if kept is not None:
                return kept
            src = where.source()
            return conn.execute(f"SELECT count(DISTINCT d.author) FROM {src.tables} WHERE {src.where}",
                                src.params).fetchone()[0]

    def timeline(self, kind: str, interval: Interval, query: Query | None = None) -> list[Bucket]:
        src = build_where(kind, query, filters_as_sets=True).source()
        kept = rollup.plan(kind, query)
        if interval not in ("day", "week", "month"):
            raise ValueError(f"unknown interval {interval!r}; one of: day, week, month")
        if kept:
            with self._reading() as conn:
                return rollup.timeline(conn, kept, interval)

        def scan() -> tuple[DayRow, ...]:
            with self._reading() as conn:
                return day_rows(conn, src)

        # Per day, whatever the interval: the search page's monthly and weekly timelines
        # of a search are one scan (关停 in 50,000 notices: ~65–110 ms a scan).
        return buckets(self._remembered(("days", kind, query_key(query)), scan), interval)

    # --- housekeeping --------------------------------------------------------------

    def health(self) -> Health:
        if not self.path.exists():
            return Health(ok=False, backend=self.backend, detail=f"database file {self.path} is missing")
        try:
            with self._reading() as conn:
                # Per kind, so the rollups answer the large kinds: a GROUP BY over every
                # document took ~100 ms at 1,000,000 comments, on every probe of /health.
                rows = {k: self._kind_size(conn, k) for k in KINDS}
                behind = self._search.behind(conn) if self._search else None
        except StoreError as exc:
            return Health(ok=False, backend=self.backend, detail=str(exc))
        except Exception as exc:  # health reports every failure instead of raising it
            return Health(ok=False, backend=self.backend, detail=f"{type(exc).__name__}: {exc}")
        if behind is None:
            index = "search index off"
        elif behind:  # searches of these kinds are answered by SQLite's full text, slower at scale
            index = f"search index behind for {', '.join(behind)}: SQLite's full text answers those searches"
        else:
            index = "search index in step"
        return Health(ok=True, backend=self.backend, detail=f"{self.path} ({index})",
                      counts={k: rows.get(k, 0) for k in KINDS})

    def data_version(self) -> int | None:
        """SQLite's ``PRAGMA data_version`` on a connection kept for asking it and nothing
        else: it changes whenever another connection (this store's writer, a crawl in another
        process) commits to the file. A few microseconds: it reads the WAL's shared header.
        None when the file cannot be read (the caller then keeps nothing)."""
        with self._version_lock:
            if self._closed:
                return None
            try:
                if self._version_reader is None:
                    self._version_reader = self._connect()
                return self._version_reader.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                return None

    def migrate(self, kinds: Iterable[str] = KINDS, delete_previous: bool = False) -> list[MigrationStep]:
        """Nothing to do: the file's schema is upgraded in place when the store opens it."""
        return [MigrationStep(kind, "unchanged", str(self.path)) for kind in kinds]

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._readers_lock:
            idle, self._idle = self._idle, []
        for reader in idle:
            reader.conn.close()
        with self._version_lock:
            if self._version_reader is not None:
                self._version_reader.close()
        if self._search:
            self._search.close()
        self._checkpointer.stop()
        with self._write_lock:
            try:
                optimize(self._writer)
            except sqlite3.Error:
                pass  # statistics are a nicety; closing must not fail over them
            self._writer.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"


def _count(conn: sqlite3.Connection, where: Where) -> int:
    if where.only_text:
        return conn.execute(f"SELECT count(*) FROM {where.fts} WHERE {where.fts} MATCH ?",
                            [where.match.include]).fetchone()[0]
    # The narrow key index, as a search's ranking reads: counting the 30,180 matches of 关停
    # with a city filter through the document rows (JSON inline) took ~3× the ranking.
    src = where.source(keys_only=True)
    return conn.execute(f"SELECT count(*) FROM {src.tables} WHERE {src.where}", src.params).fetchone()[0]


# Matches ranked beyond the page by ``_top_by_score``, so that every match tied with the
# page's last score is among them (ties are broken by id, which only ``docs`` holds).
# Identical short comments ("支持", a copied slogan) tie in runs of thousands; the sorter
# keeping that many rows costs ~10-20 ms against a margin of 50, a second ranking pass
# when a run overflows a small margin costs more (measured both at 1M comments).
RANK_MARGIN = 5_000
# How deep a relevance cursor from the search index may page (positions, as
# Elasticsearch's index.max_result_window bounds ``from``; its memory grows with the depth).
MAX_RELEVANCE_DEPTH = 100_000
# A date-ordered page with words or filters is paged by the search index when SQL would
# read more documents than this (``SQLiteStore._sql_date_cost``): the index pays for
# every match (in Rust, ~4 ms for 335,000 at 1M comments), SQL for every document it reads
# (page 1 of one city's comments: 0.2 ms in SQL; page 100: 14 ms, against 5 by the index).
INDEX_DATES_FROM = 2_000
# Deeper pages rank through the join (their ids would not fit one IN list comfortably).
RANK_FIRST_MAX = 2_000


def _top_by_score(conn: sqlite3.Connection, where: Where, score: str, offset: int, rows: int) -> list[tuple] | None:
    """A page of a words-only search ranked in the FTS table alone, then joined to ``docs``
    for the page's ids: (pk, id, ts, score) as the full query would return them, or None
    when that cannot be sure (a run of equal scores longer than the margin, a deep page).
    The full query joins every match to ``docs`` before sorting: at 1,000,000 comments
    that join was ~85 of ~230 ms for the 54,770 matches of 形式主义."""
    need = offset + rows
    if need > RANK_FIRST_MAX:
        return None
    limit = need + RANK_MARGIN
    top = conn.execute(f"SELECT rowid, {score} AS score FROM {where.fts} WHERE {where.fts} MATCH ?"
                       " ORDER BY score DESC LIMIT ?", [where.match.include, limit]).fetchall()
    if len(top) >= need:
        cut = top[need - 1][1]
        if len(top) == limit and top[-1][1] == cut:
            return None  # every match scoring `cut` is needed to order the ties by id
        top = [r for r in top if r[1] >= cut]  # the page's rows and the ties at its end
    scores = dict(top)
    keyed = doc_keys(conn, list(scores))
    ordered = sorted(((pk, doc_id, ts, scores[pk]) for pk, (doc_id, ts) in keyed.items()), key=lambda r: (-r[3], r[1]))
    return ordered[offset:need]


def _docs_by_pk(conn: sqlite3.Connection, pks: list[int]) -> dict[int, str]:
    """The JSON of a page's documents (at most MAX_PAGE_SIZE + 1, well under SQLite's
    32,766 bound parameters)."""
    if not pks:
        return {}
    marks = ", ".join("?" * len(pks))
    return dict(conn.execute(f"SELECT pk, doc FROM docs WHERE pk IN ({marks})", pks).fetchall())

