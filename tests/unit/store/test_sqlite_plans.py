"""The query plans the SQLite store relies on for speed, asserted on the plan, not on time:
each read is captured as SQLite ran it and shown to ``EXPLAIN QUERY PLAN``, once on a
file without statistics and once after ``ANALYZE`` (the query shapes must not depend on
either)."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterator

import pytest

from store.base import Query
from store.sqlite import SQLiteStore
from tests.contract import corpus


@pytest.fixture(scope="module", params=["no statistics", "analyzed"])
def store(request, tmp_path_factory) -> Iterator[SQLiteStore]:
    path = tmp_path_factory.mktemp("plans") / "yuqing.db"
    s = SQLiteStore(path, search_index=False)  # these tests read the plans of the SQL path (FTS5)
    corpus.load(s)
    s.upsert("comment", corpus.many_comments(400))
    if request.param == "analyzed":
        conn = sqlite3.connect(path)
        conn.execute("ANALYZE")
        conn.close()
        s.close()
        s = SQLiteStore(path, search_index=False)  # fresh readers, which load the statistics
    yield s
    s.close()


@contextmanager
def statements(store: SQLiteStore) -> Iterator[list[str]]:
    """Every statement the store's next reads run (with their values inlined)."""
    seen: list[str] = []

    def keep(sql: str) -> None:
        if not sql.startswith("--"):  # FTS5's own statements on its shadow tables
            seen.append(sql)

    reader = store._take_reader()
    reader.conn.set_trace_callback(keep)
    store._give_back(reader)
    try:
        yield seen
    finally:
        reader.conn.set_trace_callback(None)


def plan(store: SQLiteStore, sql: str) -> list[str]:
    conn = sqlite3.connect(store.path)
    try:
        return [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    finally:
        conn.close()


def the_one(seen: list[str], marker: str) -> str:
    found = [s for s in seen if marker in s]
    assert len(found) == 1, seen
    return found[0]


@pytest.mark.parametrize("sort, index", [("date_desc", "docs_kind_newest"), ("date_asc", "docs_kind_oldest")])
def test_browsing_by_date_walks_its_index_without_sorting(store, sort, index):
    with statements(store) as seen:
        page = store.search("comment", Query(sort=sort, page=4, size=10))
    assert len(page.hits) == 10
    steps = plan(store, the_one(seen, "ORDER BY"))
    assert any(index in step for step in steps), steps
    assert not any("TEMP B-TREE" in step for step in steps), steps


def test_browsing_with_a_filter_still_walks_the_date_index(store):
    with statements(store) as seen:
        store.search("comment", Query(sort="date_desc", filters={"city": "昆明市"}, size=5))
    steps = plan(store, the_one(seen, "ORDER BY"))
    assert any("docs_kind_newest" in step for step in steps), steps
    assert not any("TEMP B-TREE" in step for step in steps), steps


def first_table(steps: list[str]) -> str:
    return next(step for step in steps if step.startswith(("SCAN", "SEARCH")))


def test_a_search_starts_from_the_full_text_matches(store):
    with statements(store) as seen:
        page = store.search("comment", Query(q="政务", filters={"city": "昆明市"}, size=5))
        beyond = store.search("comment", Query(q="政务", filters={"city": "昆明市"}, size=5, page=900))
    assert page.total == beyond.total > 0 and not beyond.hits
    # The ranking counts the matches as it sorts them (a window); only the page past the
    # end, which has no row to carry the total, counts apart.
    ranking = [sql for sql in seen if "ORDER BY" in sql]
    assert len(ranking) == 2 and all("count(*) OVER ()" in sql for sql in ranking), seen
    counts = [sql for sql in seen if "count(*)" in sql and "OVER" not in sql]
    assert len(counts) == 1, seen
    for sql in (ranking[0], counts[0]):
        steps = plan(store, sql)
        # The FTS index first; docs reached through the narrow docs_keys index on pk.
        assert "fts_comment VIRTUAL TABLE" in first_table(steps), steps
        assert any("SEARCH d USING COVERING INDEX docs_keys (pk=?" in step for step in steps), steps


def test_a_plain_word_count_reads_only_the_full_text_index(store):
    with statements(store) as seen:
        total = store.count("comment", Query(q="关停"))
    assert total > 0
    steps = plan(store, the_one(seen, "count(*)"))
    assert len(steps) == 1 and "fts_comment VIRTUAL TABLE" in steps[0], steps


def test_the_page_documents_are_fetched_after_ranking(store):
    with statements(store) as seen:
        page = store.search("comment", Query(q="政务", size=5))
    ranked = the_one(seen, "ORDER BY")
    assert "d.doc" not in ranked  # the JSON is not dragged through the sort
    fetched = the_one(seen, "SELECT pk, doc FROM docs WHERE pk IN")
    assert fetched.count(",") == len(page.hits)  # "pk, doc" plus one comma between each pk


def test_a_summary_the_rollups_hold_reads_only_them(store):
    with statements(store) as seen:
        groups = store.summarize("comment", "city")
        buckets = store.timeline("comment", "week", Query(filters={"city": "昆明市"}))
    assert groups and buckets
    reads = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert reads and all("docs" not in s and "doc_values" not in s for s in reads), reads
    for sql in reads:
        steps = plan(store, sql)
        assert all(("agg_" in step and "PRIMARY KEY" in step) or "TEMP B-TREE" in step for step in steps), steps


def test_a_summary_of_a_small_kind_starts_from_that_kind(store):
    """Notices by city must not walk every city value of every comment (a date range: the
    rollups cannot answer it, the scan does)."""
    with statements(store) as seen:
        groups = store.summarize("announcement", "city", Query(date_from="2000-01-01"))
    assert groups
    reads = [s for s in seen if "doc_values" in s]
    assert reads
    for sql in reads:
        steps = plan(store, sql)
        # Any of the kind's indexes will do (the date range picks docs_kind_day).
        assert steps[0].startswith("SEARCH d USING") and "(kind=?" in steps[0], steps
        assert not any("doc_values_lookup" in step for step in steps), steps


def test_a_filter_listing_many_values_is_read_as_a_set(store):
    """A long list (the accounts of a batch of notices) is looked up in the value index once,
    not checked value by value against every document of the kind."""
    ids = [f"no-such-{n}" for n in range(40)] + ["kunming-1"]
    with statements(store) as seen:
        list(store.iterate("announcement", Query(filters={"city": ids})))
    sql = the_one(seen, "ORDER BY d.id")
    assert "d.pk IN (SELECT v.doc FROM doc_values v" in sql and "EXISTS" not in sql, sql
    with statements(store) as seen:
        few = list(store.iterate("announcement", Query(filters={"city": ["昆明市"]})))
    assert "EXISTS" in the_one(seen, "ORDER BY d.id") and few
