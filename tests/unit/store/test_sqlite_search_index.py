"""The Tantivy index beside the SQLite file (``store.sqlite_search_index``): it answers the
same searches as FTS5, only ranks them itself; it follows every write, of this store object
or of another on the same file (another process), and when it is not in step the store
answers through FTS5 and catches the index up."""

from __future__ import annotations

import base64
import json
import logging
import shutil
import sqlite3
import threading
import time

import pytest

from store import sqlite as sqlite_store
from store import sqlite_search_index as search_index
from store.base import Query
from store.errors import InvalidQuery
from store.sqlite import SQLiteStore
from tests.contract import corpus

QUERIES = [
    ("comment", Query(q="关停")),
    ("comment", Query(q="形式主义 OR 浪费")),
    ("comment", Query(q="关停 -形式主义")),
    ("comment", Query(q="关停", filters={"city": "昆明市"})),
    ("comment", Query(q="关停", filters={"themes": ["formalism", "resource_waste"], "platform": "weibo"})),
    ("comment", Query(q="政务", date_from="2024-03-01", date_to="2024-06-30")),
    ("announcement", Query(q="关停 公众号")),
    ("announcement", Query(q="注销", filters={"province": "云南省"})),
    ("account", Query(q="发布")),
    ("post", Query(q="关停")),
]


def _ids(store: SQLiteStore, kind: str, query: Query) -> tuple[int, list[str], list[float]]:
    page = store.search(kind, Query(q=query.q, filters=query.filters, date_from=query.date_from,
                                    date_to=query.date_to, size=1_000))
    return page.total, [h.doc["id"] for h in page.hits], [h.score for h in page.hits]


def _found(store: SQLiteStore) -> tuple[int, list[tuple[str, float]]]:
    """What a search for 关停 finds and how each scores (equal scores may change places
    when the index is rebuilt)."""
    total, ids, scores = _ids(store, "comment", Query(q="关停"))
    return total, sorted(zip(ids, scores))


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    path = tmp_path_factory.mktemp("search-index") / "yuqing.db"
    store = SQLiteStore(path)
    corpus.load(store)
    store.upsert("comment", corpus.many_comments(300))
    store.close()
    return path


@pytest.fixture()
def stores(path):
    """The fixture's file twice: ranked by the index, and by FTS5 alone."""
    indexed, plain = SQLiteStore(path), SQLiteStore(path, search_index=False)
    yield indexed, plain
    indexed.close()
    plain.close()


def _sql_pages(monkeypatch) -> list:
    calls: list = []
    real = SQLiteStore._sql_page

    def spy(self, *args, **kwargs):
        calls.append(args[1])
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SQLiteStore, "_sql_page", spy)
    return calls


def _documents_read(monkeypatch) -> list:
    """(kind, pks) of each read of documents back from the file for the index (None: all)."""
    calls: list = []
    real = search_index._documents

    def spy(conn, kind, pks):
        calls.append((kind, pks))
        return real(conn, kind, pks)

    monkeypatch.setattr(search_index, "_documents", spy)
    return calls


@pytest.mark.parametrize("kind,query", QUERIES, ids=[f"{k}:{q.q}" for k, q in QUERIES])
def test_the_index_finds_what_fts5_finds_and_ranks_it_itself(stores, kind, query, monkeypatch):
    indexed, plain = stores
    in_sql = _sql_pages(monkeypatch)
    total, ids, scores = _ids(indexed, kind, query)
    assert in_sql == []  # ranked by the index, not by SQL
    plain_total, plain_ids, _ = _ids(plain, kind, query)
    assert total == plain_total == len(ids) and set(ids) == set(plain_ids)
    assert total > 0 or kind == "comment" and query.date_from  # the corpus has matches for each
    assert scores == sorted(scores, reverse=True)  # best first


def test_a_title_match_outranks_a_body_mention(stores):
    indexed, _ = stores
    hits = indexed.search("announcement", Query(q="关停", size=100)).hits
    in_title = [i for i, h in enumerate(hits) if "关停" in (h.doc.get("title") or "")]
    body_only = [i for i, h in enumerate(hits) if "关停" not in (h.doc.get("title") or "")]
    assert in_title and body_only and max(in_title) < min(body_only)


def test_pages_by_offset_and_by_cursor_walk_the_same_order(stores):
    indexed, _ = stores
    whole = [h.doc["id"] for h in indexed.search("comment", Query(q="关停", size=100)).hits]
    by_page = [h.doc["id"] for p in range(1, 100) for h in indexed.search("comment", Query(q="关停", size=7, page=p)).hits]
    by_cursor, cursor = [], None
    while True:
        page = indexed.search("comment", Query(q="关停", size=7, cursor=cursor))
        by_cursor += [h.doc["id"] for h in page.hits]
        cursor = page.next_cursor
        if not cursor:
            break
    assert len(whole) > 14 and by_page[: len(whole)] == whole and by_cursor[: len(whole)] == whole


def test_a_long_run_of_equal_scores_pages_through_every_match_once(tmp_path, monkeypatch):
    """The index orders equal scores its own way (not by id, as FTS5's SQL does): pages by
    offset and by cursor still walk one order, each match once."""
    store = SQLiteStore(tmp_path / "ties.db")
    store.upsert("comment", [{"id": f"weibo:same{(i * 37) % 150:03d}", "post_id": "weibo:1",
                              "text": "重复的评论：关停了"} for i in range(150)])
    store.upsert("comment", [{"id": "weibo:other", "post_id": "weibo:1", "text": "关停"}])
    in_sql = _sql_pages(monkeypatch)
    by_cursor, cursor = [], None
    while True:
        page = store.search("comment", Query(q="关停", size=10, cursor=cursor))
        by_cursor += [h.doc["id"] for h in page.hits]
        if not (cursor := page.next_cursor):
            break
    by_page = [h.doc["id"] for p in range(1, 17) for h in store.search("comment", Query(q="关停", size=10, page=p)).hits]
    store.close()
    assert in_sql == []
    assert by_cursor[0] == "weibo:other" and by_cursor == by_page and len(set(by_cursor)) == len(by_cursor) == 151


def test_writes_through_another_store_object_are_searched_at_once(path, stores):
    indexed, _ = stores
    other = SQLiteStore(path)  # another process would hold its own store, as this one does
    try:
        other.upsert("comment", [{"id": "weibo:fresh-1", "post_id": "weibo:1", "text": "新写入的独特词语"}])
        assert [h.doc["id"] for h in indexed.search("comment", Query(q="独特词语")).hits] == ["weibo:fresh-1"]
        other.delete("comment", ["weibo:fresh-1"])
        assert indexed.search("comment", Query(q="独特词语")).total == 0
    finally:
        other.close()


def test_every_write_path_queues_what_it_changed_for_the_index(tmp_path, monkeypatch):
    """Batches, the one-by-one path (a batch repeating an id), text changes and deletes: the
    index answers each search itself and finds exactly what the file holds."""
    store = SQLiteStore(tmp_path / "paths.db")
    in_sql = _sql_pages(monkeypatch)

    def found(words: str) -> list[str]:
        return sorted(h.doc["id"] for h in store.search("comment", Query(q=words)).hits)

    try:
        store.upsert("comment", [{"id": f"weibo:b{i}", "post_id": "weibo:1", "text": "批量写入的词语"} for i in range(3)])
        assert found("批量写入") == ["weibo:b0", "weibo:b1", "weibo:b2"]
        repeated = [{"id": "weibo:r1", "post_id": "weibo:1", "text": "逐条写入的初稿"},
                    {"id": "weibo:r1", "post_id": "weibo:1", "text": "逐条写入的定稿"}]
        store.upsert("comment", repeated)  # the second must see the first: written one by one
        assert found("定稿") == ["weibo:r1"] and found("初稿") == []
        store.upsert("comment", [{"id": "weibo:b0", "post_id": "weibo:1", "text": "改过的文字"}])
        assert found("批量写入") == ["weibo:b1", "weibo:b2"] and found("改过") == ["weibo:b0"]
        store.delete("comment", ["weibo:b1", "weibo:r1"])
        assert found("批量写入") == ["weibo:b2"] and found("定稿") == []
        assert in_sql == []  # every answer above came from the index, not FTS5
        with store._reading() as conn:
            triggers = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
        assert triggers == []
    finally:
        store.close()


def test_what_a_write_indexes_as_it_writes_is_what_a_rebuild_reads_back(tmp_path, monkeypatch):
    """Upserts hand their documents to the sync (``SearchIndex.offer``) instead of the sync
    reading them back: every search finds what an index rebuilt from the file finds."""
    monkeypatch.setattr(sqlite_store, "WRITE_CHUNK", 50)  # an upsert of several batches
    path = tmp_path / "offered.db"
    store = SQLiteStore(path)
    read_back = _documents_read(monkeypatch)
    with store._writing() as conn:
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON docs WHEN NEW.id = 'refused'"
                     " BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END")
    corpus.load(store)  # each kind's first write builds its index from the file
    read_back.clear()
    comments = corpus.many_comments(120)
    comments[90] = dict(comments[10], text="后一批改写的第十条")  # a later batch of the same upsert
    comments.insert(60, dict(comments[0], id="refused", text="不该找到的拒收评论"))  # its batch one by one
    report = store.upsert("comment", comments)
    assert report.updated == 1 and [i for i, _ in report.errors] == ["refused"]
    assert read_back == [("comment", [])]  # nothing read back: each document was offered
    in_sql = _sql_pages(monkeypatch)
    extra = [("comment", Query(q="改写")), ("comment", Query(q="第十条")), ("comment", Query(q="拒收")),
             ("comment", Query(q="评论", date_from="2024-08-03", date_to="2024-08-05")),
             ("comment", Query(q="评论", filters={"platform": "weibo", "sentiment_label": "negative"}))]
    def matches(store: SQLiteStore) -> dict:  # the order of equal scores may change in a rebuild
        return {(kind, q.q): (lambda total, ids, _: (total, sorted(ids)))(*_ids(store, kind, q))
                for kind, q in QUERIES + extra}

    written = matches(store)
    store.close()
    rebuilt_path = tmp_path / "rebuilt.db"
    shutil.copy(path, rebuilt_path)  # the file alone: its index is built from the documents
    rebuilt = SQLiteStore(rebuilt_path)
    assert matches(rebuilt) == written
    assert in_sql == []  # both answered by their index
    assert written[("comment", "改写")] == (1, [comments[10]["id"]]) and written[("comment", "拒收")][0] == 0
    rebuilt.close()


def test_the_queue_triggers_of_an_older_file_are_dropped_when_it_opens(tmp_path):
    path = tmp_path / "triggers.db"
    SQLiteStore(path).close()
    conn = sqlite3.connect(path)  # as schema 4 made it: an AFTER INSERT trigger doubled an insert's cost
    conn.execute("CREATE TRIGGER search_queue_insert AFTER INSERT ON docs BEGIN"
                 " INSERT OR IGNORE INTO search_queue (kind, pk) VALUES (new.kind, new.pk); END")
    conn.commit()
    conn.close()
    store = SQLiteStore(path)
    try:
        with store._reading() as conn:
            assert conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone() == (0,)
    finally:
        store.close()


def test_a_count_is_remembered_until_the_index_commits_again(tmp_path, monkeypatch):
    store = SQLiteStore(tmp_path / "counts.db")
    notice = {"url": "http://gov.example/a", "title": "账号停止更新", "body": "即日起停止更新。"}
    store.upsert("announcement", [dict(notice, id=f"gov:a{i}", published_at=f"2024-05-0{i + 1}") for i in range(3)])
    compiled: list[Query] = []
    real = search_index.compile_query

    def spy(schema, kind, query, **kwargs):
        compiled.append(query)
        return real(schema, kind, query, **kwargs)

    def count(query: Query) -> int | None:
        with store._reading() as conn:
            return store._search.count(conn, "announcement", query)

    monkeypatch.setattr(search_index, "compile_query", spy)
    try:
        asked = Query(q="停止更新", filters={"city": ["昆明市", "西安市"]})
        assert count(Query(q="停止更新")) == 3 and len(compiled) == 1
        assert count(Query(q="停止更新", page=2)) == 3 and len(compiled) == 1  # remembered
        assert count(asked) == 0 and len(compiled) == 2
        assert count(Query(q="停止更新", filters={"city": ["西安市", "昆明市"]})) == 0 and len(compiled) == 2
        store.upsert("announcement", [dict(notice, id="gov:a9", published_at="2024-05-09", city="昆明市")])
        assert count(Query(q="停止更新")) == 4 and count(asked) == 1  # a new commit: counted again
        assert store.search("announcement", Query(q="停止更新", sort="date_desc")).total == 4
    finally:
        store.close()


def test_a_write_that_skips_the_index_makes_searches_use_fts5_until_the_next_write(path, stores, monkeypatch):
    indexed, plain = stores
    plain.upsert("comment", [{"id": "weibo:queued-1", "post_id": "weibo:1", "text": "排队等候的评论"}])
    in_sql = _sql_pages(monkeypatch)
    assert [h.doc["id"] for h in indexed.search("comment", Query(q="排队等候")).hits] == ["weibo:queued-1"]
    assert len(in_sql) == 1  # the index is behind: FTS5 answered, and found the document
    indexed.upsert("comment", [{"id": "weibo:queued-2", "post_id": "weibo:1", "text": "也在排队等候"}])
    assert indexed.search("comment", Query(q="排队等候")).total == 2 and len(in_sql) == 1
    indexed.delete("comment", ["weibo:queued-1", "weibo:queued-2"])


def test_a_cursor_made_by_the_index_is_refused_where_fts5_would_answer_it(stores):
    indexed, plain = stores
    cursor = indexed.search("comment", Query(q="关停", size=5)).next_cursor
    with pytest.raises(InvalidQuery, match="search again from the first page"):
        plain.search("comment", Query(q="关停", size=5, cursor=cursor))
    # and a cursor FTS5 made keeps paging through FTS5 on an indexed store
    fts_cursor = plain.search("comment", Query(q="关停", size=5)).next_cursor
    following = plain.search("comment", Query(q="关停", size=5, cursor=fts_cursor))
    assert [h.doc["id"] for h in indexed.search("comment", Query(q="关停", size=5, cursor=fts_cursor)).hits] == [
        h.doc["id"] for h in following.hits]


def test_a_deleted_or_damaged_index_is_rebuilt_when_the_store_opens(tmp_path, caplog, monkeypatch):
    path = tmp_path / "rebuild.db"
    store = SQLiteStore(path)
    corpus.load(store)
    want = _found(store)
    store.close()
    shutil.rmtree(path.with_name(path.name + ".search"))
    with caplog.at_level(logging.WARNING, logger="store.sqlite"):
        store = SQLiteStore(path)
    assert "building the search index" in caplog.text
    in_sql = _sql_pages(monkeypatch)
    assert _found(store) == want and in_sql == []
    store.close()
    # a token that does not match (a COMMIT that failed after the index committed)
    conn = sqlite3.connect(path)
    changed = conn.execute("UPDATE meta SET value = 'elsewhere' WHERE key LIKE 'search_token_%comment'").rowcount
    conn.commit()
    conn.close()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="store.sqlite"):
        store = SQLiteStore(path)
    assert changed == 1 and "building the search index" in caplog.text
    assert _found(store) == want and in_sql == []
    store.close()
    # an index written by an earlier INDEX_VERSION (another folding, other fields)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET key = replace(key, 'search_token_v', 'search_token_old') WHERE key LIKE 'search_token_v%'")
    conn.commit()
    conn.close()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="store.sqlite"):
        store = SQLiteStore(path)
    assert "building the search index" in caplog.text and _found(store) == want
    store.close()


def test_a_file_from_before_the_index_is_indexed_when_opened(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    store = SQLiteStore(path, search_index=False)
    corpus.load(store)
    store.close()
    conn = sqlite3.connect(path)  # as an older yuqing left it: no queue
    conn.execute("DROP TABLE search_queue")
    conn.commit()
    conn.close()
    store = SQLiteStore(path)
    in_sql = _sql_pages(monkeypatch)
    assert store.search("announcement", Query(q="关停")).total > 0 and in_sql == []
    store.close()


def test_an_index_that_cannot_be_written_loses_no_write(tmp_path, caplog, monkeypatch):
    path = tmp_path / "blocked.db"
    path.with_name(path.name + ".search").write_text("not a directory")
    with caplog.at_level(logging.WARNING):
        store = SQLiteStore(path)
        report = store.upsert("comment", [{"id": "weibo:kept", "post_id": "weibo:1", "text": "照样保存关停"}])
    assert report.inserted == 1 and "searches use SQLite's full text" in caplog.text
    in_sql = _sql_pages(monkeypatch)
    assert [h.doc["id"] for h in store.search("comment", Query(q="关停")).hits] == ["weibo:kept"] and in_sql
    store.close()


def test_a_forged_index_cursor_is_refused(stores):
    indexed, _ = stores
    cursor = indexed.search("comment", Query(q="关停", size=5)).next_cursor
    data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    for position in (-1, "3", 2.5):
        forged = base64.urlsafe_b64encode(json.dumps({**data, "ix": position}).encode()).decode()
        with pytest.raises(InvalidQuery, match="invalid cursor"):
            indexed.search("comment", Query(q="关停", size=5, cursor=forged))


# --- date orders -----------------------------------------------------------------------

def _dated_comments() -> list[dict]:
    """Runs of equal times (12 comments share each of 5 times), ids out of insertion order,
    two cities, two wordings, and undated comments (last in both orders)."""
    out = []
    for i in range(60):
        out.append({"id": f"weibo:{(i * 41) % 97:02d}-{i}", "post_id": "weibo:1", "platform": "weibo",
                    "city": "昆明市" if i % 3 else "长沙市", "text": "关停了" if i % 2 else "形式主义的关停",
                    "created_at": f"2024-05-0{1 + i % 5}T08:00:00+08:00"})
    out += [{"id": f"weibo:undated-{i}", "post_id": "weibo:1", "platform": "weibo", "city": "昆明市",
             "text": "关停了"} for i in range(5)]
    return out


DATED = [Query(filters={"city": "昆明市"}), Query(q="关停"), Query(q="形式主义", filters={"city": "昆明市"}),
         Query(q="关停 -形式主义", date_from="2024-05-02"), Query(q="-形式主义")]


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    path = tmp_path_factory.mktemp("dated") / "dated.db"
    indexed = SQLiteStore(path)
    indexed.upsert("comment", _dated_comments())
    plain = SQLiteStore(path, search_index=False)
    yield indexed, plain
    indexed.close()
    plain.close()


def _walk(store: SQLiteStore, query: Query, sort: str, size: int) -> tuple[list[str], list[str], set[int]]:
    base = dict(q=query.q, filters=query.filters, date_from=query.date_from, sort=sort, size=size)
    pages = [store.search("comment", Query(**base, page=p)) for p in range(1, 80 // size + 2)]
    by_page = [h.doc["id"] for page in pages for h in page.hits]
    by_cursor, cursor = [], None
    while True:
        page = store.search("comment", Query(**base, cursor=cursor))
        by_cursor += [h.doc["id"] for h in page.hits]
        if not (cursor := page.next_cursor):
            return by_page, by_cursor, {page.total for page in pages}


@pytest.mark.parametrize("sort", ["date_desc", "date_asc"])
@pytest.mark.parametrize("query", DATED, ids=[str(q.q or q.filters) for q in DATED])
def test_date_pages_from_the_index_are_sqls_pages_runs_of_equal_times_and_all(dated, query, sort, monkeypatch):
    indexed, plain = dated
    monkeypatch.setattr(sqlite_store, "INDEX_DATES_FROM", 0)  # every page, however cheap in SQL
    want = _walk(plain, query, sort, 5)
    in_sql = _sql_pages(monkeypatch)
    got = _walk(indexed, query, sort, 5)
    assert got == want and len(want[0]) > 5 and want[2] == {len(want[0])}
    # Only pages reaching the undated documents (the last pages) were left to SQL.
    assert len(in_sql) < len(want[0]) // 5


def test_a_page_sql_reaches_by_reading_few_documents_stays_in_sql(dated, monkeypatch):
    indexed, _ = dated
    in_sql = _sql_pages(monkeypatch)
    indexed.search("comment", Query(filters={"city": "昆明市"}, size=5))  # 6 of ~2/3 of 65: ~10 read
    assert len(in_sql) == 1
    monkeypatch.setattr(sqlite_store, "INDEX_DATES_FROM", 5)
    indexed.search("comment", Query(filters={"city": "昆明市"}, size=5))
    assert len(in_sql) == 1


def test_a_run_of_equal_times_past_the_limit_is_paged_by_sql(dated, monkeypatch):
    indexed, plain = dated
    monkeypatch.setattr(sqlite_store, "INDEX_DATES_FROM", 0)
    monkeypatch.setattr("store.sqlite_search_index.MAX_TIE_RUN", 4)
    in_sql = _sql_pages(monkeypatch)
    query = Query(filters={"city": "昆明市"}, size=5)
    assert [h.doc["id"] for h in indexed.search("comment", query).hits] == [
        h.doc["id"] for h in plain.search("comment", query).hits] and in_sql


# --- what a review found ---------------------------------------------------------------

def test_a_pk_reused_by_another_kind_leaves_the_first_kinds_index_out_of_step(tmp_path):
    """pks are reused (max + 1): a comment deleted where the index did not hear of it, and a
    notice written in its place, must not make the comment index look in step."""
    path = tmp_path / "reuse.db"
    indexed = SQLiteStore(path)
    indexed.upsert("comment", [{"id": f"weibo:{i}", "post_id": "weibo:1", "text": "关停了"} for i in range(2)])
    plain = SQLiteStore(path, search_index=False)
    plain.delete("comment", ["weibo:1"])  # the newest pk
    plain.upsert("announcement", [{"id": "gov:a1", "url": "http://gov.example/a1", "title": "关停公告",
                                   "body": "关停", "published_at": "2024-05-01"}])
    found = indexed.search("comment", Query(q="关停"))
    plain.close()
    indexed.close()
    assert [h.doc["id"] for h in found.hits] == ["weibo:0"] and found.total == 1


def test_latin_letters_with_diacritics_are_found_as_fts5_finds_them(tmp_path):
    store = SQLiteStore(tmp_path / "cafe.db")
    store.upsert("comment", [{"id": f"weibo:{i}", "post_id": "weibo:1", "text": t}
                             for i, t in enumerate(["去café办事", "去cafe办事", "Pokémon 关停", "naïve 想法"])])
    plain = SQLiteStore(tmp_path / "cafe.db", search_index=False)
    for q in ("cafe", "café", "pokemon", "naive"):
        got, want = _ids(store, "comment", Query(q=q)), _ids(plain, "comment", Query(q=q))
        assert got[0] == want[0] > 0 and set(got[1]) == set(want[1]), q
    assert store.search("comment", Query(q="cafe")).total == 2
    plain.close()
    store.close()


def test_a_search_reads_the_index_as_it_was_when_checked_against_the_snapshot(path, stores, monkeypatch):
    """The reader behind Index.searcher() follows new commits by itself: a search must use
    the searcher whose token it checked, or a write landing between would show through."""
    indexed, _ = stores
    other = SQLiteStore(path)
    real = type(indexed._search)._in_step

    def then_another_write(self, conn, kind):
        view = real(self, conn, kind)
        other.upsert("comment", [{"id": "weibo:between", "post_id": "weibo:1", "text": "中途写入的关停"}])
        time.sleep(0.6)  # long enough for the reader to have followed the commit
        return view

    before = indexed.search("comment", Query(q="关停", size=5)).total
    monkeypatch.setattr(type(indexed._search), "_in_step", then_another_write)
    page = indexed.search("comment", Query(q="关停", size=5))
    monkeypatch.undo()
    other.delete("comment", ["weibo:between"])
    other.close()
    assert page.total == before and len(page.hits) == 5


def test_a_relevance_cursor_past_the_depth_limit_is_refused_not_run(stores):
    indexed, _ = stores
    cursor = indexed.search("comment", Query(q="关停", size=5)).next_cursor
    data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    for position in (10**11, 2**64):
        forged = base64.urlsafe_b64encode(json.dumps({**data, "ix": position}).encode()).decode()
        with pytest.raises(InvalidQuery, match="pages at most"):
            indexed.search("comment", Query(q="关停", size=5, cursor=forged))


def test_an_interrupt_while_indexing_rolls_the_write_back(tmp_path, monkeypatch):
    store = SQLiteStore(tmp_path / "interrupt.db")

    def interrupted(self, conn, kind, offered):
        raise KeyboardInterrupt

    monkeypatch.setattr(type(store._search), "_sync_kind", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.upsert("comment", [{"id": "weibo:1", "post_id": "weibo:1", "text": "关停"}])
    monkeypatch.undo()
    assert store.get("comment", "weibo:1") is None  # rolled back, and the store writes again:
    assert store.upsert("comment", [{"id": "weibo:2", "post_id": "weibo:1", "text": "关停"}]).inserted == 1
    assert [h.doc["id"] for h in store.search("comment", Query(q="关停")).hits] == ["weibo:2"]
    store.close()


def test_after_a_failed_sync_writes_leave_the_index_alone_for_a_while(tmp_path, monkeypatch):
    store = SQLiteStore(tmp_path / "backoff.db")
    calls = []
    real = type(store._search)._sync_kind

    def failing(self, conn, kind, offered):
        calls.append(kind)
        raise OSError("disk full")

    monkeypatch.setattr(type(store._search), "_sync_kind", failing)
    for i in range(3):
        store.upsert("comment", [{"id": f"weibo:{i}", "post_id": "weibo:1", "text": "关停"}])
    assert calls == ["comment"]  # tried once, then the queue waits
    monkeypatch.setattr(type(store._search), "_sync_kind", real)
    monkeypatch.setattr("store.sqlite_search_index.RETRY_AFTER_S", 0)
    store._search._resume_at = 0.0
    store.upsert("comment", [{"id": "weibo:3", "post_id": "weibo:1", "text": "关停"}])
    in_sql = _sql_pages(monkeypatch)
    assert store.search("comment", Query(q="关停")).total == 4 and in_sql == []
    store.close()


def test_what_a_skipped_sync_was_offered_is_not_indexed_by_a_later_one(tmp_path, monkeypatch):
    """A write while syncs back off offers its documents, and no sync takes them; a later
    change to the same document, made elsewhere, must be what the next sync indexes."""
    path = tmp_path / "skipped.db"
    store, elsewhere = SQLiteStore(path), SQLiteStore(path, search_index=False)
    store.upsert("comment", [{"id": "weibo:z", "post_id": "weibo:1", "text": "另一条"}])
    store._search._resume_at = time.monotonic() + 60  # as after a failed sync
    store.upsert("comment", [{"id": "weibo:x", "post_id": "weibo:1", "text": "第一稿的措辞"}])
    elsewhere.upsert("comment", [{"id": "weibo:x", "post_id": "weibo:1", "text": "第二稿的措辞"}])
    store._search._resume_at = 0.0
    store.delete("comment", ["weibo:z"])  # a write that offers nothing: the sync reads the queue
    in_sql = _sql_pages(monkeypatch)
    found = {words: [h.doc["id"] for h in store.search("comment", Query(q=words)).hits] for words in ("第一稿", "第二稿")}
    assert found == {"第一稿": [], "第二稿": ["weibo:x"]} and in_sql == []
    store.close()
    elsewhere.close()


def test_health_says_whether_the_search_index_is_in_step(tmp_path):
    path = tmp_path / "health.db"
    indexed, plain = SQLiteStore(path), SQLiteStore(path, search_index=False)
    indexed.upsert("comment", [{"id": "weibo:1", "post_id": "weibo:1", "text": "关停"}])
    assert indexed.health().detail.endswith("(search index in step)")
    plain.upsert("comment", [{"id": "weibo:2", "post_id": "weibo:1", "text": "关停"}])
    assert "search index behind for comment" in indexed.health().detail
    assert plain.health().detail.endswith("(search index off)") and indexed.health().ok
    indexed.close()
    plain.close()


def test_an_index_commit_still_landing_is_not_read_another_store_answers_through_fts5(path, stores, monkeypatch):
    """SQLite commits first and the index after, in a thread: until it lands, a store in
    another process (which cannot wait for it) sees different tokens and asks FTS5."""
    indexed, _ = stores
    other = SQLiteStore(path)
    gate = threading.Event()
    real = type(other._search)._commit

    def held(self, prepared):
        gate.wait(10)
        real(self, prepared)

    monkeypatch.setattr(type(other._search), "_commit", held)
    in_sql = _sql_pages(monkeypatch)
    try:
        other.upsert("comment", [{"id": "weibo:landing-1", "post_id": "weibo:1", "text": "尚未落地的写入"}])
        assert [h.doc["id"] for h in indexed.search("comment", Query(q="尚未落地")).hits] == ["weibo:landing-1"]
        assert len(in_sql) == 1  # SQLite holds it, the index does not yet: FTS5 answered
    finally:
        gate.set()
    other._search.settle()
    assert indexed.search("comment", Query(q="尚未落地")).total == 1 and len(in_sql) == 1  # the index now
    other.delete("comment", ["weibo:landing-1"])
    other.close()


def test_a_commit_that_never_landed_is_applied_again_when_the_store_next_opens(tmp_path, monkeypatch):
    """The process ended between SQLite's COMMIT and the index's: the index is one sync
    behind (at the base ``meta`` recorded), so that sync's documents are queued again,
    not the whole kind rebuilt."""
    db = tmp_path / "lost.db"
    store = SQLiteStore(db)
    store.upsert("comment", [{"id": "weibo:1", "post_id": "weibo:1", "text": "第一条关停"}])

    def lost(self, prepared):
        for _, writer, _ in prepared:
            writer.rollback()
            writer.wait_merging_threads()

    monkeypatch.setattr(type(store._search), "_commit", lost)
    store.upsert("comment", [{"id": "weibo:2", "post_id": "weibo:1", "text": "第二条关停"}])
    store.close()
    monkeypatch.undo()
    applied = _documents_read(monkeypatch)
    store = SQLiteStore(db)
    pk = store._writer.execute("SELECT pk FROM docs WHERE id = 'weibo:2'").fetchone()[0]
    assert applied == [("comment", [pk])]  # that one document again; None would be a rebuild
    in_sql = _sql_pages(monkeypatch)
    assert sorted(h.doc["id"] for h in store.search("comment", Query(q="关停")).hits) == ["weibo:1", "weibo:2"]
    assert in_sql == []  # in step: the index answered
    store.close()


def test_an_index_busy_in_another_process_leaves_the_queue_to_the_next_write(tmp_path, monkeypatch):
    """A sync that cannot have the index's writer lock soon (another process's commit is
    landing) does not hold SQLite's write lock waiting for it, nor set the index aside for a
    minute: the queue waits, searches use FTS5, and the next write applies it."""
    import tantivy

    db = tmp_path / "busy.db"
    store = SQLiteStore(db)
    store.upsert("comment", [{"id": "weibo:1", "post_id": "weibo:1", "text": "第一条关停"}])
    store._search.settle()  # its own commit has let go of the lock
    held = tantivy.Index.open(str(store._search.root / "comment")).writer(heap_size=15_000_000, num_threads=1)
    started = time.monotonic()
    store.upsert("comment", [{"id": "weibo:2", "post_id": "weibo:1", "text": "第二条关停"}])
    assert time.monotonic() - started < 3 * search_index.LOCK_WAIT_S + 1
    in_sql = _sql_pages(monkeypatch)
    assert store.search("comment", Query(q="关停")).total == 2 and len(in_sql) == 1  # FTS5: the queue waits
    held.wait_merging_threads()  # the other process's commit lands and lets go
    store.upsert("comment", [{"id": "weibo:3", "post_id": "weibo:1", "text": "第三条关停"}])
    assert store.search("comment", Query(q="关停")).total == 3 and len(in_sql) == 1  # the index, no minute's pause
    store.close()
