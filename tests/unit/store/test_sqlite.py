"""What only the SQLite backend promises: the file, WAL, versioning, time limit, threads."""

from __future__ import annotations

import gc
import sqlite3
import time
import threading
from pathlib import Path

import pytest

from store import open_store
from store.base import Query
from store.errors import QueryTimeout, StoreUnavailable
from store.sqlite import SQLiteStore, path_from_url
from store.sqlite_schema import SCHEMA_VERSION
from tests.contract import corpus
from tests.support.scans import watch_scans
from core.config import Settings


@pytest.fixture
def db(tmp_path) -> Path:
    (tmp_path / "data").mkdir()
    return tmp_path / "data" / "yuqing.db"


@pytest.fixture
def store(db):
    s = SQLiteStore(db)
    yield s
    s.close()


def test_url_forms(tmp_path, monkeypatch):
    assert path_from_url("sqlite:///data/yuqing.db") == Path("data/yuqing.db")
    assert path_from_url("sqlite:////var/lib/yuqing.db") == Path("/var/lib/yuqing.db")
    for bad in ("sqlite://", "sqlite:///", "sqlite:///:memory:", "postgres:///x.db"):
        with pytest.raises(ValueError):
            path_from_url(bad)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nested").mkdir()
    s = open_store("sqlite:///nested/y.db")  # three slashes: relative to the working directory
    try:
        assert (tmp_path / "nested" / "y.db").is_file()
    finally:
        s.close()


def test_a_missing_directory_is_an_error_not_created(tmp_path, monkeypatch):
    """A mistyped path must not leave a new directory tree behind, relative to wherever the command ran."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreUnavailable) as err:
        open_store("sqlite:///nonexistent/dir/x.db")
    assert "the directory nonexistent/dir (relative to" in str(err.value) and "mkdir -p" in str(err.value)
    assert "four slashes" in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_settings_set_the_query_time_limit(db):
    s = open_store(f"sqlite:///{db}", **Settings(query_timeout_ms=1234).store_options())
    try:
        assert s.query_timeout == pytest.approx(1.234)
    finally:
        s.close()


def test_file_uses_wal_and_records_its_schema_version(store, db):
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    conn.close()


def test_documents_survive_reopening(db):
    s = SQLiteStore(db)
    corpus.load(s)
    s.close()
    again = SQLiteStore(db)
    try:
        assert again.count("announcement") == corpus.N_ANNOUNCEMENTS
        assert again.search("announcement", Query(q="关停")).total > 0
    finally:
        again.close()


def test_a_newer_schema_is_refused(db):
    SQLiteStore(db).close()
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    conn.close()
    with pytest.raises(StoreUnavailable) as err:
        SQLiteStore(db)
    assert "newer" in str(err.value)


def test_changed_text_rules_rebuild_the_full_text_index(db):
    s = SQLiteStore(db)
    corpus.load(s)
    s.close()
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DELETE FROM fts_announcement")
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'text_version'")
    conn.close()
    again = SQLiteStore(db)
    try:
        expected = corpus.matching(corpus.announcements(), ("title", "body"), "关停")
        assert again.search("announcement", Query(q="关停", size=100)).total == len(expected) > 0
    finally:
        again.close()


def test_a_corrupt_file_is_unavailable_with_path_and_reason(tmp_path):
    bad = tmp_path / "corrupt.db"
    bad.write_bytes(b"this is not a database, just text pretending to be one" * 100)
    with pytest.raises(StoreUnavailable) as err:
        open_store(f"sqlite:///{bad}")
    assert str(bad) in str(err.value) and "not a database" in str(err.value)


def test_an_unopenable_path_is_unavailable(tmp_path):
    (tmp_path / "a-directory.db").mkdir()
    with pytest.raises(StoreUnavailable) as err:
        SQLiteStore(tmp_path / "a-directory.db")
    assert "a-directory.db" in str(err.value)


def test_health_reports_a_deleted_file(store, db):
    corpus.load(store)
    assert store.health().ok
    db.unlink()
    health = store.health()
    assert health.ok is False and "missing" in health.detail


def test_a_file_locked_by_another_process_is_unavailable(db):
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("PRAGMA locking_mode=EXCLUSIVE")
        other.execute("CREATE TABLE held (x)")  # takes and keeps the exclusive lock
        with pytest.raises(StoreUnavailable) as err:
            SQLiteStore(db, busy_timeout_ms=50)
        assert "locked" in str(err.value)
    finally:
        other.close()


def test_health_reports_a_file_corrupted_while_open(store, db):
    corpus.load(store)
    assert store.health().ok
    # Every page in the file itself (the store's own checkpoint thread may be copying: wait it out).
    while store._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]:
        time.sleep(0.01)
    with open(db, "r+b") as f:
        f.write(b"garbage" * 200)
    health = store.health()
    assert health.ok is False and health.detail


def test_closed_store_says_so(db):
    s = SQLiteStore(db)
    s.close()
    with pytest.raises(StoreUnavailable):
        s.get("announcement", "x")
    s.close()  # closing twice is harmless


def test_a_query_past_the_time_limit_is_stopped(db):
    s = SQLiteStore(db, query_timeout_ms=0)
    try:
        s.upsert("comment", corpus.many_comments(300))
        with pytest.raises(QueryTimeout) as err:
            s.summarize("comment", "sentiment_label", Query(q="政务号"))
        assert "0 ms" in str(err.value)
        # Writes are not limited: a crawl's batch must not be cut off half-way.
        assert s.upsert("comment", corpus.many_comments(300)).unchanged == 300
    finally:
        s.close()


def test_filter_values_never_reach_sql_as_text(store):
    corpus.load(store)
    evil = "昆明市' OR 1=1; DROP TABLE docs; --"
    assert store.search("announcement", Query(filters={"city": evil})).total == 0
    assert store.count("announcement") == corpus.N_ANNOUNCEMENTS


def test_unserialisable_documents_are_error_entries(store):
    report = store.upsert("announcement", [
        {"id": "nan", "title": "t", "body": "b", "sentiment": float("nan")},
        {"id": "set", "title": "t", "body": "b", "extra": {1, 2}},
        {"id": "ok", "title": "t", "body": "b"},
    ])
    assert report.inserted == 1
    assert [doc_id for doc_id, _ in report.errors] == ["nan", "set"]


def test_cursor_of_another_sort_is_refused(store):
    store.upsert("comment", corpus.many_comments(30))
    page = store.search("comment", Query(sort="date_desc", size=5))
    with pytest.raises(ValueError) as err:
        store.search("comment", Query(sort="date_asc", size=5, cursor=page.next_cursor))
    assert "date_desc" in str(err.value)


def test_readers_and_a_writer_in_threads(store):
    corpus.load(store)
    errors: list[BaseException] = []
    totals: list[int] = []

    def read():
        try:
            for _ in range(20):
                totals.append(store.search("announcement", Query(q="关停", filters={"province": "云南省"})).total)
                store.summarize("announcement", "city")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    def write(start: int):
        try:
            for i in range(start, start + 40, 10):
                store.upsert("comment", corpus.many_comments(i + 10)[i:])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)] + [threading.Thread(target=write, args=(s,)) for s in (0, 40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    expected = len(corpus.matching([d for d in corpus.announcements() if d["province"] == "云南省"], ("title", "body"), "关停"))
    assert set(totals) == {expected}
    assert store.count("comment") == len(corpus.comments()) + 80


def test_threads_that_come_and_go_leave_no_connections_behind(store):
    from store.sqlite import MAX_IDLE_READERS

    store.upsert("comment", corpus.many_comments(20))
    counts: list[int] = []
    for _ in range(3 * MAX_IDLE_READERS):
        t = threading.Thread(target=lambda: counts.append(store.count("comment")))
        t.start()
        t.join()
    assert counts == [20] * (3 * MAX_IDLE_READERS)
    assert 1 <= len(store._idle) <= MAX_IDLE_READERS


def test_the_wal_is_copied_into_the_file_by_the_stores_own_thread(tmp_path):
    """Writes leave the copy to a thread of the store's: the writer's own checkpoint only
    starts far past what this writes, so the file grows only if that thread copies."""
    db = tmp_path / "wal.db"
    store = SQLiteStore(db)
    before = db.stat().st_size
    store.upsert("comment", corpus.many_comments(1_000))
    wal = Path(f"{db}-wal").stat().st_size
    deadline = time.monotonic() + 10
    while db.stat().st_size < before + wal // 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    grown = db.stat().st_size - before
    store.close()
    assert wal > 1_000_000 and grown > wal // 2


def test_data_version_changes_with_any_connections_commit_and_only_then(store, db):
    first = store.data_version()
    assert isinstance(first, int) and store.data_version() == first  # nothing written: the same
    store.upsert("comment", corpus.comments()[:1])  # this store's own writer
    second = store.data_version()
    assert second != first
    other = SQLiteStore(db)  # another connection, as a crawl in another process has
    try:
        other.upsert("comment", corpus.comments()[1:2])
    finally:
        other.close()
    assert store.data_version() not in (first, second)
    store.search("comment", Query(q="关停"))  # reading changes nothing
    assert store.data_version() == store.data_version()
    store.close()
    assert store.data_version() is None


def test_scanned_summaries_are_remembered_until_the_file_changes(store, db, monkeypatch):
    import store.sqlite as sqlite_module

    corpus.load(store)
    scans = []
    for name in ("summarize_groups", "day_rows"):
        real = getattr(sqlite_module, name)
        monkeypatch.setattr(sqlite_module, name, lambda *a, _real=real, _name=name, **k: scans.append(_name) or _real(*a, **k))
    words = Query(q="关停")  # words: the rollups cannot answer, the documents are scanned
    first = store.summarize("announcement", "city", words)
    weeks = store.timeline("announcement", "week", words)
    assert scans == ["summarize_groups", "day_rows"] and first
    first[0].labels["mutated"] = 1  # a caller's change must not reach the kept answer
    assert store.summarize("announcement", "city", words) == store.summarize("announcement", "city", words)
    assert "mutated" not in store.summarize("announcement", "city", words)[0].labels
    assert store.timeline("announcement", "week", words) == weeks
    weeks[0].labels["mutated"] = 1
    assert "mutated" not in store.timeline("announcement", "week", words)[0].labels
    months = store.timeline("announcement", "month", words)  # from the same days
    assert sum(b.count for b in months) == sum(b.count for b in weeks) > 0
    assert scans == ["summarize_groups", "day_rows"]  # answered from memory
    store.summarize("announcement", "city", Query(q="关停", date_from="2024-01-01"))
    assert len(scans) == 3  # another query is another scan
    before = sum(g.count for g in store.summarize("announcement", "city", words))
    other = SQLiteStore(db)  # a write by another connection
    try:
        notice = dict(corpus.announcements()[0], id="remembered-new", city="昆明市", title="关于关停政务微博的公告")
        other.upsert("announcement", [notice])
    finally:
        other.close()
    after = store.summarize("announcement", "city", words)
    assert scans[-1] == "summarize_groups" and len(scans) == 4
    assert sum(g.count for g in after) == before + 1


def test_by_city_and_by_theme_of_a_search_scan_their_pairs_once(store, monkeypatch):
    import store.sqlite as sqlite_module
    from store.sqlite_query import build_where
    from store.sqlite_summary import summarize_groups

    corpus.load(store)
    store.upsert("comment", corpus.many_comments(200))
    pair_scans = []
    real = sqlite_module.pair_counts
    monkeypatch.setattr(sqlite_module, "pair_counts", lambda *a: pair_scans.append(a[1:3]) or real(*a))
    words = Query(q="关停")
    by_city = store.summarize("comment", "city", words, top=3)
    by_theme = store.summarize("comment", "theme", words, top=3)
    assert pair_scans == [("city", "themes")]  # one scan of the pairs, read in both orders
    with store._reading() as conn:  # the same groups and tops as each summary scanning its own
        src = build_where("comment", words, filters_as_sets=True).source()
        assert by_city == summarize_groups(conn, "comment", "city", src, 3)
        assert by_theme == summarize_groups(conn, "comment", "themes", src, 3)
    assert any(g.top for g in by_city) and any(g.top for g in by_theme)


@pytest.mark.parametrize("dates", [{}, {"date_from": "2024-05-01"}], ids=["all", "a date range"])
def test_a_search_summarised_through_the_facts_index_answers_as_through_the_rows(store, dates):
    from store.sqlite_query import build_where
    from store.sqlite_summary import summarize_groups

    corpus.load(store)
    store.upsert("comment", corpus.many_comments(200))
    words = Query(q="关停", filters={"platform": "weibo"}, **dates)
    where = build_where("comment", words, filters_as_sets=True)
    # A date range needs each match's day, which only the rows hold.
    assert ("INDEXED BY docs_kind_facts" in where.source(facts_only=True).tables) is not bool(dates)
    with store._reading() as conn:
        for field in ("city", "author_region", "themes"):
            by_facts = summarize_groups(conn, "comment", field, where.source(facts_only=True), 3)
            by_rows = summarize_groups(conn, "comment", field, where.source(), 3)
            assert by_facts == by_rows and by_rows, field


def test_kept_answers_keep_small_answers_at_one_version_only():
    from store.sqlite_remembered import MAX_KEPT_ITEMS, KeptAnswers

    version, scans = [1], []
    kept = KeptAnswers(128)

    def scan(size):
        scans.append(size)
        return list(range(size))

    def answer(name, size):
        return kept.answer((version[0], name), lambda: scan(size))  # the version in the key, as its readers put it

    assert answer("small", 3) == answer("small", 3) == [0, 1, 2]
    assert scans == [3]
    version[0] = 2  # the file changed
    answer("small", 3)
    assert scans == [3, 3]
    big = MAX_KEPT_ITEMS + 1
    answer("big", big)
    answer("big", big)
    assert scans == [3, 3, big, big]  # too large to keep: scanned each time
    assert kept.answer("none", lambda: scans.append(0)) is None and kept.answer("none", lambda: scans.append(0)) is None
    assert scans[-2:] == [0, 0]  # nothing to keep: asked again
    rows = (("2024-05-01", 3), ("2024-05-02", 1))  # a tuple of immutable values: handed out as it is
    assert kept.answer("rows", lambda: rows) is rows and kept.answer("rows", lambda: None) is rows
    listed = [[1], [2]]  # mutable: a copy each time
    assert kept.answer("listed", lambda: listed) == listed and kept.answer("listed", lambda: None) is not listed
    assert kept.answer("huge", lambda: tuple(range(big))) and kept.answer("huge", lambda: None) is None


class _Watched(dict):
    """A document that notes whether the cyclic collector is on when the store reads it:
    the store reads documents inside its write transaction."""

    seen: list[bool] = []

    def items(self):
        self.seen.append(gc.isenabled())
        return super().items()


def test_the_cyclic_collector_is_paused_for_a_write_and_resumed_after(store):
    """A write's objects live until it commits; full collections over the heap meanwhile
    cost ~11% of a bulk load. The collector is off while the store writes, on again after,
    also when the write fails, and left off when the caller had turned it off."""
    assert gc.isenabled()
    _Watched.seen = []
    report = store.upsert("comment", [_Watched(c) for c in corpus.comments()[:3]])
    assert report.inserted == 3 and _Watched.seen and not any(_Watched.seen)
    assert gc.isenabled()

    class Refused(Exception):
        pass

    def failing():
        yield _Watched(corpus.comments()[3])
        raise Refused

    with pytest.raises(Refused):
        store.upsert("comment", failing())
    assert gc.isenabled() and store.count("comment") == 3  # rolled back, collector back on

    def ids():
        _Watched.seen.append(gc.isenabled())
        yield corpus.comments()[0]["id"]

    _Watched.seen = []
    assert store.delete("comment", ids()) == 1 and _Watched.seen == [False] and gc.isenabled()

    gc.disable()
    try:
        store.upsert("comment", [_Watched(c) for c in corpus.comments()[3:5]])
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("kind", ["announcement", "comment"])
def test_a_prepared_overview_answers_as_the_four_scans_and_scans_nothing_after(db, kind, monkeypatch):
    """The search page's summaries and timeline of one search, scanned together
    (``prepare_overview``), answer exactly as the separate scans do: by city and by theme
    with their tops and distinct authors, each interval's timeline. After it, they scan
    nothing; after a write, they scan again and count the new document."""
    import math

    def answers(s: SQLiteStore, query: Query) -> tuple:
        return (s.summarize(kind, "city", query, top=3), s.summarize(kind, "theme", query, top=3),
                *(s.timeline(kind, interval, query) for interval in ("month", "week", "day")))

    def same(a, b) -> bool:  # sentiment sums may add up in another order
        if isinstance(a, float) and isinstance(b, float):
            return math.isclose(a, b, rel_tol=1e-12)
        if isinstance(a, (list, tuple)):
            return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
        if hasattr(a, "__dataclass_fields__"):
            return type(a) is type(b) and all(same(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__)
        return a == b

    separate = SQLiteStore(db)
    corpus.load(separate)
    separate.upsert("comment", corpus.many_comments(300))
    words = Query(q="关停 OR 公众号")  # words: the rollups cannot answer, the documents are scanned
    expected = answers(separate, words)
    assert expected[0] and expected[1] and expected[2] and any(g.top for g in expected[0])
    if kind == "comment":
        assert any(g.authors for g in expected[0])
    separate.close()

    prepared = SQLiteStore(db)
    try:
        prepared.prepare_overview(kind, words, top=3)
        scans = watch_scans(monkeypatch)
        assert same(answers(prepared, words), expected) and scans == []
        prepared.prepare_overview(kind, words, top=3)  # kept already: nothing to do
        assert scans == []
        prepared.prepare_overview(kind, Query(filters={"city": "昆明市"}))  # the rollups answer: nothing to do
        assert scans == []
        new = dict(corpus.comments()[0] if kind == "comment" else corpus.announcements()[0], id="overview-new",
                   city="昆明市")
        new["text" if kind == "comment" else "title"] = "关停公众号"
        prepared.upsert(kind, [new])
        prepared.prepare_overview(kind, words, top=3)
        assert scans == ["overview_rows"]
        after = answers(prepared, words)
        assert scans == ["overview_rows"]
        kunming = lambda groups: next(g.count for g in groups if g.key == "昆明市")  # noqa: E731
        assert kunming(after[0]) == kunming(expected[0]) + 1
        assert sum(b.count for b in after[2]) == sum(b.count for b in expected[2]) + 1
    finally:
        prepared.close()


def test_an_overview_past_the_time_limit_leaves_the_summaries_to_their_own_scans(store, monkeypatch):
    """The hint's one statement does more than any single scan: if it runs out of time,
    nothing is kept and nothing is raised; each summary then scans under its own limit."""
    import store.sqlite as sqlite_module

    corpus.load(store)
    words = Query(q="关停")

    def too_slow(*args, **kwargs):
        raise QueryTimeout("the query took longer than 1 ms and was stopped; narrow it down")

    monkeypatch.setattr(sqlite_module, "overview_rows", too_slow)
    assert store.prepare_overview("announcement", words, top=3) is None
    monkeypatch.undo()
    scans = watch_scans(monkeypatch)
    assert store.summarize("announcement", "city", words, top=3) and store.timeline("announcement", "month", words)
    assert scans == ["pair_counts", "summarize_groups", "day_rows"]
