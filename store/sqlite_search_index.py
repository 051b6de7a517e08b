"""A Tantivy index beside the SQLite file that ranks full-text searches by relevance.

Why: FTS5 computes ``bm25()`` for every match before it can sort them (~1.4 µs a match:
the 54,770 matches of 形式主义 among 1,000,000 comments cost ~75 ms of ranking alone), and
no bound lets it stop early (a title weight multiplies the term frequency, so a body-only
match can still outrank a title match). Tantivy keeps block-max scores and skips postings
that cannot reach the top k (``bench/api.py``: 形式主义 at 1,000,000 comments ranked and
counted in ~3 ms). FTS5 stays: it answers every search this index does not (date orders,
an index out of step), and the SQLite file stays the only store of record: this directory
can always be deleted and is rebuilt from it. Equal scores keep the index's order, so its
pages resume by position (``SQLiteStore._index_page``).

Consistency without a transaction across the two:

- Every write path queues the pk of every inserted, changed or deleted document of a text
  kind in ``search_queue`` (``sqlite_schema.queue_for_search``, in the same transaction).
  Until schema 5 triggers on ``docs`` did, which caught SQL written by hand as well, but
  doubled the cost of an insert; SQL that changes ``docs`` by hand must now queue what it
  changes, or delete ``<file>.search`` so the index is rebuilt when the store next opens.
- ``sync`` runs inside each SQLite write transaction, just before COMMIT, while SQLite's
  write lock orders the writers of every process: it applies the queue to a writer of the
  kind's index with a fresh random token stored in the index itself, writes the same token
  to ``meta`` (and the index's current token as the ``base``), and moves the queue to
  ``search_inflight``. After SQLite's COMMIT, ``publish`` commits the index in a thread
  (its fsyncs cost ~70 ms whatever the batch's size: half of a batch of 500 comments'
  write when the writer waited for them); a rollback discards the writer instead.
- A search uses the index only when, in its read snapshot, the kind's queue is empty and
  ``meta`` holds the token the index's newest commit holds: the two then describe the same
  documents. Otherwise (a commit still landing, a failed sync) FTS5 answers, slower but
  right. The next sync finds the last one's commit landed (the tokens agree: the documents
  in flight are done), or not landed (the index is still at ``base``: they are queued
  again), or neither, and then rebuilds the kind's index from the documents.

Layout: ``<file>.search/<kind>/``, one index per kind with text. Each document is its pk,
its text fields (the same bigram expansion FTS5 gets, ``sqlite_text.expand``), its filter
values as ``field\\x1fvalue`` terms and its day as a number, so filters and date ranges are
answered in the index too. The token lives in a document with pk 0.
"""

from __future__ import annotations

import ctypes
import json
import logging
import shutil
import sqlite3
import threading
import time
import unicodedata
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

import tantivy

from core.schema import TEXT_FIELDS
from store.base import Query
from store.documents import value_text
from store.querystring import AnyOf, Exclude, parse
from store.sqlite_query import query_key
from store.sqlite_remembered import KeptAnswers
from store.sqlite_write import Written
from store.sqlite_schema import TEXT_KINDS, doc_keys, fulltext_of
from store.sqlite_text import words

logger = logging.getLogger(__name__)

# Bumped whenever what the index holds for a document changes (fields, folding): a token
# recorded under another version matches no index, so each kind is rebuilt on open.
INDEX_VERSION = 2


def _token_key(kind: str) -> str:
    return f"search_token_v{INDEX_VERSION}_{kind}"


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _base_key(kind: str) -> str:
    """The index's token before the last sync's changes: what it holds until their commit lands."""
    return f"search_base_v{INDEX_VERSION}_{kind}"


# Index side.
_PK, _TOKEN, _VALUES, _DAY, _TS = "pk", "token", "values", "day", "ts"
# The writer's memory per commit; Tantivy's floor is 15 MB per indexing thread.
WRITER_HEAP = 32_000_000
# A sync that finds at least this share of the kind queued rebuilds the kind's index
# instead of replacing the documents one by one (a migration, a file from before the index).
REBUILD_SHARE = 0.5
REBUILD_MIN = 10_000  # … and at least this many (below, one by one is cheap)
# After a sync fails (a full disk, a damaged index), writes skip the index this long.
RETRY_AFTER_S = 60
# How long a sync waits for another process's index commit (and the merges it waits for)
# to let go of the index's writer lock. It waits holding SQLite's write lock, so well within
# the busy timeout of the writers queued behind it; past it, the queue is left to the next write.
LOCK_WAIT_S = 0.5
# Counts of recent queries remembered, per index commit (``SearchIndex.count``).
COUNTS_KEPT = 256
# bm25 weight of the first text field (a title, an account's name) against the others,
# as ``sqlite_query.TITLE_WEIGHT`` gives FTS5.
FIRST_FIELD_BOOST = 5.0


def _field(name: str) -> str:
    return f"t_{name}"


def _schema(kind: str) -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field(_PK, stored=True, indexed=True, fast=True)
    builder.add_text_field(_TOKEN, stored=True, tokenizer_name="raw")
    for name in TEXT_FIELDS[kind]:
        builder.add_text_field(_field(name), stored=False, tokenizer_name="whitespace", index_option="position")
    builder.add_text_field(_VALUES, stored=False, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field(_DAY, indexed=True, fast=True)
    builder.add_float_field(_TS, indexed=True, fast=True)  # docs.ts: the date orders
    return builder.build()


def _folded(text: str) -> str:
    """Latin letters without their diacritics (café → cafe), as FTS5's ``unicode61``
    tokenizer indexes them, so both find the same documents. Chinese text is left as it is
    (already decomposed: nothing to fold)."""
    if text.isascii() or unicodedata.is_normalized("NFD", text):
        return text
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def _day_number(day: str | None) -> int | None:
    return int(day.replace("-", "")) if day else None


def _value_term(field: str, value: str) -> str:
    return f"{field}\x1f{value}"


class _IndexBusy(Exception):
    """Another process holds the index's writer lock (its commit is landing)."""


@dataclass(frozen=True)
class Ranked:
    """A page ranked by the index: (pk, score) in its order, and the count of matches."""

    hits: list[tuple[int, float]]
    total: int


@dataclass(frozen=True)
class _View:
    schema: tantivy.Schema
    searcher: tantivy.Searcher
    token: str  # the commit it holds (``meta``'s token for the kind)


@contextmanager
def _answering(where: Path) -> Iterator[None]:
    """Tantivy failing to answer (a damaged segment, a panic, an offset too large for it)
    is logged and swallowed: the caller then gets None and SQLite answers."""
    try:
        yield
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        logger.warning("search index %s could not answer (%s: %s); SQLite answers", where, type(exc).__name__, exc)


class SearchIndex:
    """The per-kind Tantivy indexes of one SQLite file."""

    def __init__(self, db_path: Path):
        self.root = db_path.with_name(db_path.name + ".search")
        self._indexes: dict[str, tantivy.Index] = {}
        self._lock = threading.Lock()
        self._warned = False
        self._resume_at = 0.0  # after a failed sync, the next is tried from this time on
        self._prepared: list[tuple[str, Any, str]] = []  # (kind, writer, token) of the write transaction under way
        self._committed: dict[str, str] = {}  # kind → token of this process's last commit that landed
        self._publishing: threading.Thread | None = None  # the last transaction's index commit
        self._counts = KeptAnswers(COUNTS_KEPT)  # (kind, token, query) → matches
        self._offered: tuple[str, Mapping[int, Written]] | None = None  # ``offer``: for the next sync only

    # --- opening ---------------------------------------------------------------------

    def _index(self, kind: str, create: bool) -> tantivy.Index | None:
        with self._lock:
            index = self._indexes.get(kind)
            if index is not None:
                return index
            path = self.root / kind
            if not (path / "meta.json").exists():
                if not create:
                    return None
                path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(_schema(kind), path=str(path), reuse=True)
            self._indexes[kind] = index
            return index

    def _reset(self, kind: str) -> tantivy.Index:
        """A new, empty index for ``kind`` (its files were unreadable or of an older schema)."""
        with self._lock:
            self._indexes.pop(kind, None)
        shutil.rmtree(self.root / kind, ignore_errors=True)
        index = self._index(kind, create=True)
        assert index is not None
        return index

    @staticmethod
    def _token(schema: tantivy.Schema, searcher: tantivy.Searcher) -> str | None:
        found = searcher.search(tantivy.Query.term_query(schema, _PK, 0), 1).hits
        if not found:
            return None
        return searcher.doc(found[0][1])[_TOKEN][0]

    # --- writing ---------------------------------------------------------------------

    def sync(self, conn: sqlite3.Connection, kinds: Iterable[str] = ()) -> None:
        """Apply the queue to the indexes (and rebuild those of ``kinds`` if they are out of
        step); called inside the write transaction, before COMMIT. The changes are made in
        writers that ``publish`` commits once SQLite has committed (``discard`` if it has
        not). A failure is logged and leaves the queue for a later sync (searches use FTS5
        meanwhile)."""
        # This transaction's offer, taken whatever happens next: a sync skipped or failed
        # leaves the documents queued, and a later sync must read them as they are then.
        offered, self._offered = self._offered, None
        self.settle()  # this process's previous commit first: the tokens below must see it
        if time.monotonic() < self._resume_at and not kinds:
            return  # failed moments ago: the queue waits rather than every batch failing again
        queued = [k for (k,) in conn.execute("SELECT DISTINCT kind FROM search_queue")]
        for kind in dict.fromkeys([*queued, *kinds]):
            conn.execute("SAVEPOINT search_sync")  # a failed sync leaves the queue and meta as they were
            try:
                self._sync_kind(conn, kind, offered[1] if offered and offered[0] == kind else {})
            except (KeyboardInterrupt, SystemExit):
                raise
            except _IndexBusy:  # another process is committing: its next write (or ours) applies the queue
                conn.execute("ROLLBACK TO search_sync")
                logger.debug("search index %s busy in another process; its queue waits for the next write",
                             self.root / kind)
            except BaseException as exc:  # Tantivy's panics derive from BaseException
                conn.execute("ROLLBACK TO search_sync")
                self._failed(kind, exc)
            finally:
                conn.execute("RELEASE search_sync")

    def offer(self, kind: str, written: Mapping[int, Written]) -> None:
        """The documents of ``kind`` this write transaction wrote, as it wrote them (by pk),
        for its sync to index without reading them back. Only a transaction's last word on
        each pk may be offered; the sync reads whatever else is queued."""
        self._offered = (kind, written)

    def _failed(self, kind: str, exc: BaseException) -> None:
        self._resume_at = time.monotonic() + RETRY_AFTER_S
        if not self._warned:  # once per process: a crawl must not log it per batch
            logger.warning("search index %s not updated (%s: %s); searches use SQLite's full text "
                           "until a later write succeeds (tried again after %d s)", self.root / kind,
                           type(exc).__name__, exc, RETRY_AFTER_S)
            self._warned = True

    def publish(self) -> None:
        """Commit the writers ``sync`` prepared, now that SQLite has committed what they hold,
        in a thread of their own: a Tantivy commit is ~15 fsyncs (~70 ms on this machine's
        disk, whatever the batch's size), which the writer no longer waits for. Until it
        lands the tokens differ and searches use FTS5; this process's own reads and next
        sync wait for it (``settle``)."""
        prepared, self._prepared = self._prepared, []
        if prepared:
            thread = threading.Thread(target=self._commit, args=(prepared,), name="search-index-commit")
            thread.start()  # not a daemon: an exiting process finishes its commit first
            self._publishing = thread  # started before readers can join it

    def discard(self) -> None:
        """SQLite rolled back: drop what ``sync`` prepared."""
        prepared, self._prepared = self._prepared, []
        self._offered = None
        for _, writer, _ in prepared:
            _drop_writer(writer)

    def settle(self) -> None:
        """Wait for this process's index commit in progress, if any."""
        publishing = self._publishing
        if publishing is not None and publishing is not threading.current_thread():
            publishing.join()

    def _commit(self, prepared: list[tuple[str, Any, str]]) -> None:
        for kind, writer, token in prepared:
            self._committed.pop(kind, None)
            try:
                writer.commit()
            except BaseException as exc:  # the next sync finds the index one commit behind and applies it again
                self._failed(kind, exc)
                _drop_writer(writer)
            else:
                self._committed[kind] = token
                _close_writer(writer)

    def behind(self, conn: sqlite3.Connection) -> list[str]:
        """Text kinds whose index is not in step with the snapshot ``conn`` reads and that
        have documents or queued changes."""
        queued = {k for (k,) in conn.execute("SELECT DISTINCT kind FROM search_queue")}
        return [k for k in TEXT_KINDS if k in queued or (
            conn.execute("SELECT 1 FROM docs WHERE kind = ? LIMIT 1", (k,)).fetchone()
            and self._in_step(conn, k) is None)]

    def _open_writer(self, index: tantivy.Index) -> Any:
        """The index's one writer, once another process's commit in progress lets go of it."""
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                return index.writer(heap_size=WRITER_HEAP, num_threads=1)
            except ValueError as exc:
                if "LockBusy" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise _IndexBusy(str(exc)) from exc
                time.sleep(0.005)

    def _sync_kind(self, conn: sqlite3.Connection, kind: str, offered: Mapping[int, Written]) -> None:
        index = self._index(kind, create=True)
        assert index is not None
        writer = self._open_writer(index)  # before reading the token: another process may be committing
        try:
            recorded = _meta(conn, _token_key(kind))
            try:
                current = self._current_token(index, kind, recorded)
            except ValueError:  # an index written by another schema or a damaged one: start again
                _close_writer(writer)
                index, current = self._reset(kind), None
                writer = self._open_writer(index)
            rebuild = not self._resolve_last_sync(conn, kind, current, recorded)
            if not rebuild:
                (queued,) = conn.execute("SELECT count(*) FROM search_queue WHERE kind = ?", (kind,)).fetchone()
                # Counting the kind walks an index of all its documents (~40 ms at 1M): only when
                # the queue is long enough for the answer to matter.
                if queued >= REBUILD_MIN:
                    (size,) = conn.execute("SELECT count(*) FROM docs WHERE kind = ?", (kind,)).fetchone()
                    rebuild = queued >= REBUILD_SHARE * size
            if rebuild:
                writer.delete_all_documents()
                for document in _documents(conn, kind, None):
                    writer.add_document(document)
            else:
                pks = [pk for (pk,) in conn.execute("SELECT pk FROM search_queue WHERE kind = ?", (kind,))]
                for pk in pks:
                    writer.delete_documents_by_term(_PK, pk)
                for pk in pks:
                    if pk in offered:
                        writer.add_document(_written_document(kind, pk, offered[pk]))
                for document in _documents(conn, kind, [pk for pk in pks if pk not in offered]):
                    writer.add_document(document)
            token = uuid.uuid4().hex
            writer.delete_documents_by_term(_PK, 0)
            writer.add_document(tantivy.Document(**{_PK: 0, _TOKEN: token}))
            # The queue's documents are in flight until the commit lands: if it never does (the
            # process ended first), the next sync finds the index at ``base`` and queues them again.
            conn.execute("DELETE FROM search_inflight WHERE kind = ?", (kind,))
            if not rebuild and current is not None:
                conn.execute("INSERT INTO search_inflight (kind, pk) SELECT kind, pk FROM search_queue"
                             " WHERE kind = ?", (kind,))
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (_base_key(kind), current))
            else:  # a rebuild that never lands leaves no base to resume from: the next sync rebuilds again
                conn.execute("DELETE FROM meta WHERE key = ?", (_base_key(kind),))
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (_token_key(kind), token))
            conn.execute("DELETE FROM search_queue WHERE kind = ?", (kind,))
        except BaseException:
            _drop_writer(writer)
            raise
        self._prepared.append((kind, writer, token))

    def _current_token(self, index: tantivy.Index, kind: str, recorded: str | None) -> str | None:
        """The token of the index's newest commit. When this process made that commit and
        ``meta`` still names it (``recorded``), no other process has committed since (a sync
        changes ``meta`` in the transaction this one now holds): no reload needed (~9 ms at 1M)."""
        if recorded is not None and self._committed.get(kind) == recorded:
            return recorded
        index.reload()
        return self._token(index.schema, index.searcher())

    @staticmethod
    def _resolve_last_sync(conn: sqlite3.Connection, kind: str, current: str | None, recorded: str | None) -> bool:
        """Whether the index (at token ``current``) holds what SQLite says it does (``meta``'s
        token, ``recorded``), once the last sync's documents in flight are settled: its commit
        landed (the tokens agree), or it never did and the index is still at that sync's base
        (its documents are queued again). False: the index must be rebuilt."""
        if current is None:
            return False
        if current == recorded:
            return True
        if current == _meta(conn, _base_key(kind)):
            conn.execute("INSERT OR IGNORE INTO search_queue (kind, pk) SELECT kind, pk FROM search_inflight"
                         " WHERE kind = ?", (kind,))
            return True
        return False

    # --- reading ---------------------------------------------------------------------

    def rank(self, conn: sqlite3.Connection, kind: str, query: Query, offset: int, rows: int) -> Ranked | None:
        """Matches ``offset`` to ``offset + rows`` of ``query`` in the index's order (score,
        then the index's own order of equal scores), or None when the index cannot answer:
        not in step with the snapshot ``conn`` reads, or a query it does not express."""
        view = self._in_step(conn, kind)
        compiled = compile_query(view.schema, kind, query) if view else None
        if compiled is None:
            return None
        with _answering(self.root / kind):
            # Tantivy keeps the best offset + rows in a heap and hands over only the page.
            result = view.searcher.search(compiled, max(rows, 1), count=True, offset=offset)
            hits = [(view.searcher.doc(address)[_PK][0], score) for score, address in result.hits[:rows]]
            return Ranked(hits, result.count)
        return None

    def count(self, conn: sqlite3.Connection, kind: str, query: Query) -> int | None:
        """How many documents match ``query`` (words or filters), or None when the index
        cannot say (out of step, nothing to narrow the kind with). Remembered per commit of
        the index (``COUNTS_KEPT``): a search in date order pages with the same total on
        every page, and counting a common phrase costs the same whatever the page (停止更新
        in 50,000 notices: ~8 ms of a ~12 ms page). Elasticsearch's shard request cache
        keeps counts the same way, until the next refresh."""
        view = self._in_step(conn, kind)
        if view is None:
            return None

        def counted() -> int | None:
            compiled = compile_query(view.schema, kind, query, words_needed=False)
            if compiled is None:
                return None
            with _answering(self.root / kind):
                return view.searcher.search(compiled, 1, count=True).count
            return None

        return self._counts.answer((kind, view.token, *query_key(query)), counted)

    def by_date(self, conn: sqlite3.Connection, kind: str, query: Query, offset: int, rows: int, newest_first: bool,
                after: tuple[float, str] | None = None) -> tuple[list[tuple[int, str, float]], int] | None:
        """Rows ``offset`` to ``offset + rows`` (or the ``rows`` after the keyset cursor
        ``after`` = (ts, id)) of the matches in date order as SQL orders them (ties by id),
        as (pk, id, ts), and the count of matches; None when the index cannot answer (out
        of step, nothing to narrow the kind with, undated documents on the page, a run of
        equal times past ``MAX_TIE_RUN``)."""
        view = self._in_step(conn, kind)
        compiled = compile_query(view.schema, kind, query, words_needed=False) if view else None
        if compiled is None:
            return None
        with _answering(self.root / kind):
            return _DatePager(conn, view, compiled, newest_first).page(offset, rows, after)
        return None

    def _in_step(self, conn: sqlite3.Connection, kind: str) -> "_View | None":
        """The kind's index as one searcher sees it, if that searcher holds what the
        snapshot ``conn`` reads: its token is ``meta``'s and nothing is queued. The caller
        must search with this searcher: the reader behind ``Index.searcher()`` follows new
        commits by itself, and the index commits after SQLite does. A commit of this
        process's own is waited for (its writes are then searched in the index at once);
        another process's is not (FTS5 answers until it lands)."""
        if kind not in TEXT_KINDS:
            return None
        self.settle()
        recorded = _meta(conn, _token_key(kind))
        if recorded is None or conn.execute("SELECT 1 FROM search_queue WHERE kind = ? LIMIT 1", (kind,)).fetchone():
            return None
        try:
            index = self._index(kind, create=False)
            if index is None:
                return None
            index.reload()
            searcher = index.searcher()
            return _View(index.schema, searcher, recorded) if self._token(index.schema, searcher) == recorded else None
        except (OSError, ValueError, RuntimeError):
            return None

    def close(self) -> None:
        self.settle()
        with self._lock:
            self._indexes.clear()


def _load_malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim  # glibc; elsewhere nothing to do
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _load_malloc_trim()


def _return_freed_memory() -> None:
    """Each writer indexes in a thread of its own; glibc keeps what that thread freed in its
    arena, so a crawl's RSS grew by ~70 MB over 40 batches. ``malloc_trim`` hands it back
    (~1.6 ms a sync; peak RSS over 20,000 comments: 206 → 143 MB, 117 without the index)."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _drop_writer(writer: Any) -> None:
    """Undo what the writer holds and close it (the index keeps its last commit either way)."""
    try:
        writer.rollback()
    except BaseException:  # a writer whose commit failed may refuse that too
        pass
    _close_writer(writer)


def _close_writer(writer: Any) -> None:
    """Let the writer's merges finish and release the index's writer lock."""
    try:
        writer.wait_merging_threads()
    except BaseException:  # already consumed, or its merge failed: the lock is released either way
        pass
    finally:
        _return_freed_memory()


def _documents(conn: sqlite3.Connection, kind: str, pks: list[int] | None) -> Iterator[tantivy.Document]:
    """The index documents of ``kind`` (all of them, or those of ``pks`` that still exist)."""
    fields = TEXT_FIELDS[kind]
    if pks is None:
        chunks: Iterable[list[int] | None] = [None]
    else:
        chunks = (pks[i:i + 500] for i in range(0, len(pks), 500))
    for chunk in chunks:
        if chunk is None:
            where, params = "d.kind = ?", [kind]
        else:
            where, params = f"d.kind = ? AND d.pk IN ({', '.join('?' * len(chunk))})", [kind, *chunk]
        rows = conn.execute(
            f"SELECT d.pk, d.doc, d.day, d.ts, (SELECT group_concat(v.field || char(31) || v.value, char(30))"
            f" FROM doc_values v WHERE v.doc = d.pk) FROM docs d WHERE {where}", params)
        for pk, raw, day, ts, values in rows:
            yield _document(pk, zip(fields, fulltext_of(kind, json.loads(raw))), values.split("\x1e") if values else [],
                            day, ts)


def _written_document(kind: str, pk: int, written: Written) -> tantivy.Document:
    """An offered document, as its upsert wrote it (``_documents`` reads the same back)."""
    date = written.row.date
    return _document(pk, zip(TEXT_FIELDS[kind], written.texts), [_value_term(*v) for v in written.row.values],
                     date.day if date else None, date.ts if date else None)


def _document(pk: int, texts: Iterable[tuple[str, str | None]], values: list[str], day: str | None,
              ts: float | None) -> tantivy.Document:
    """The index's document: its text fields as ``fulltext_of`` expands them, its filter
    values as ``_value_term``s, its day and time."""
    out: dict[str, Any] = {_PK: pk}
    for name, text in texts:
        if text:
            out[_field(name)] = _folded(text)
    if values:
        out[_VALUES] = values
    number = _day_number(day)
    if number is not None:
        out[_DAY] = number
    if ts is not None:
        out[_TS] = float(ts)
    return tantivy.Document(**out)


# Equal times (one timestamp shared by many documents: a bulk import, copies) a date page
# orders by id itself, reading the whole run; past this many, SQL pages instead.
MAX_TIE_RUN = 5_000


class _DatePager:
    """A page in date order, exact to SQL's (``ts DESC, id`` / ``ts, id``, undated last).
    Tantivy orders by a fast field and leaves equal times in its own order, so the runs of
    equal times cut by the page's edges are read whole and ordered by id, and the runs
    inside it are sorted; the ranks before a run are a count of the matches beyond it."""

    def __init__(self, conn: sqlite3.Connection, view: _View, compiled: tantivy.Query, newest_first: bool):
        self.conn, self.schema, self.compiled = conn, view.schema, compiled
        self.searcher = view.searcher
        self.newest_first = newest_first

    def _and(self, extra: tantivy.Query) -> tantivy.Query:
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, self.compiled), (tantivy.Occur.Must, extra)])

    def _ahead_of(self, ts: float) -> int:
        """Matches that come before every document dated ``ts``."""
        inf = float("inf")
        later = (ts, inf, False, True) if self.newest_first else (-inf, ts, True, False)
        ranged = tantivy.Query.range_query(self.schema, _TS, tantivy.FieldType.Float, later[0], later[1],
                                           include_lower=later[2], include_upper=later[3])
        return self.searcher.search(self._and(ranged), 1, count=True).count

    def _run(self, ts: float) -> list[tuple[int, str, float]] | None:
        """Every match dated ``ts``, ordered by id; None past ``MAX_TIE_RUN``."""
        same = tantivy.Query.range_query(self.schema, _TS, tantivy.FieldType.Float, ts, ts)
        found = self.searcher.search(self._and(same), MAX_TIE_RUN + 1)
        if len(found.hits) > MAX_TIE_RUN:
            return None
        keys = doc_keys(self.conn, [self.searcher.doc(address)[_PK][0] for _, address in found.hits])
        return sorted(((pk, doc_id, t) for pk, (doc_id, t) in keys.items()), key=lambda r: r[1])

    def page(self, offset: int, rows: int, after: tuple[float, str] | None):
        order = tantivy.Order.Desc if self.newest_first else tantivy.Order.Asc
        if after is not None:  # the keyset cursor as a position: what precedes its time, then its run up to its id
            run = self._run(after[0])
            if run is None:
                return None
            offset = self._ahead_of(after[0]) + sum(1 for _, doc_id, _ in run if doc_id <= after[1])
        found = self.searcher.search(self.compiled, max(rows, 1), count=True, order_by_field=_TS, order=order,
                                     offset=offset)
        hits = found.hits[:rows]
        if not hits:
            return [], found.count
        if any(ts is None for ts, _ in hits):
            return None  # undated documents (last, by id): SQL pages them
        first, last = hits[0][0], hits[-1][0]
        first_run = self._run(first)
        if first_run is None:
            return None
        start = self._ahead_of(first)
        if first == last:
            return first_run[offset - start: offset - start + rows], found.count
        last_run = self._run(last)
        if last_run is None:
            return None
        inside = [address for ts, address in hits if ts not in (first, last)]
        keys = doc_keys(self.conn, [self.searcher.doc(address)[_PK][0] for address in inside])
        sign = -1 if self.newest_first else 1
        middle = sorted(((pk, doc_id, ts) for pk, (doc_id, ts) in keys.items()), key=lambda r: (sign * r[2], r[1]))
        head = first_run[offset - start:]
        tail = last_run[: rows - len(head) - len(middle)]
        return head + middle + tail, found.count


# --- queries -------------------------------------------------------------------------


def _phrase(schema: tantivy.Schema, kind: str, text: str) -> tantivy.Query | None:
    tokens = [_folded(tok) for run in words(text) for tok in run]
    if not tokens:
        return None
    per_field = []
    for i, name in enumerate(TEXT_FIELDS[kind]):
        field = _field(name)
        q = (tantivy.Query.term_query(schema, field, tokens[0]) if len(tokens) == 1
             else tantivy.Query.phrase_query(schema, field, tokens))
        if i == 0 and len(TEXT_FIELDS[kind]) > 1:
            q = tantivy.Query.boost_query(q, FIRST_FIELD_BOOST)
        per_field.append((tantivy.Occur.Should, q))
    return per_field[0][1] if len(per_field) == 1 else tantivy.Query.boolean_query(per_field)


def compile_query(schema: tantivy.Schema, kind: str, query: Query, words_needed: bool = True) -> tantivy.Query | None:
    """``query`` as a Tantivy query matching the documents ``sqlite_query.build_where``
    matches (the caller has validated it there), or None when it has no words to rank by
    (``words_needed``) or nothing to narrow the kind with."""
    parsed = parse(query.q)
    if parsed is None and words_needed:
        return None
    clauses: list[tuple[Any, tantivy.Query]] = []
    for clause in (parsed.clauses if parsed is not None else []):
        if isinstance(clause, AnyOf):
            phrases = [p for p in (_phrase(schema, kind, t.text) for t in clause.terms) if p]
            if phrases:
                q = phrases[0] if len(phrases) == 1 else tantivy.Query.boolean_query(
                    [(tantivy.Occur.Should, p) for p in phrases])
                clauses.append((tantivy.Occur.Must, q))
        elif isinstance(clause, Exclude):
            p = _phrase(schema, kind, clause.term.text)
            if p:
                clauses.append((tantivy.Occur.MustNot, p))
    if words_needed and not any(occur == tantivy.Occur.Must for occur, _ in clauses):
        return None
    for name, wanted in (query.filters or {}).items():
        if wanted is None:
            continue
        values = list(wanted) if isinstance(wanted, (list, tuple, set, frozenset)) else [wanted]
        texts = [t for t in (value_text(v) for v in values) if t is not None]
        if not texts:
            return None  # any of nothing: FTS5 answers (with nothing)
        terms = [tantivy.Query.term_query(schema, _VALUES, _value_term(name, t)) for t in texts]
        clauses.append((tantivy.Occur.Must, terms[0] if len(terms) == 1 else tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, t) for t in terms])))
    low, high = _day_number(_day(query.date_from)), _day_number(_day(query.date_to))
    if low is not None or high is not None:
        clauses.append((tantivy.Occur.Must, tantivy.Query.range_query(
            schema, _DAY, tantivy.FieldType.Integer, low if low is not None else 0,
            high if high is not None else 99_991_231)))
    if not any(occur == tantivy.Occur.Must for occur, _ in clauses):
        if not clauses:
            return None  # the whole kind: the date indexes in SQLite walk it
        clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        clauses.append((tantivy.Occur.MustNot, tantivy.Query.term_query(schema, _PK, 0)))  # the token's document
    if len(clauses) == 1:
        return clauses[0][1]
    return tantivy.Query.boolean_query(clauses)


def _day(value: str | None) -> str | None:
    # build_where has checked it; the same reading of it.
    return date.fromisoformat(str(value)[:10]).isoformat() if value else None
