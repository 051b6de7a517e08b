"""bench/filter_sets.py on a small store: a row per query, each measured both ways (the
figures at a million are the bench's, not a test's; that both ways give the same answer is
``test_sqlite_rollup.test_filters_as_sets_answer_as_the_row_checks``)."""

from __future__ import annotations

from bench import filter_sets
from store.sqlite import SQLiteStore
from tests.contract import corpus


def test_the_bench_measures_each_query_both_ways(tmp_path):
    path = tmp_path / "small.db"
    store = SQLiteStore(path)
    corpus.load(store)
    store.upsert("comment", corpus.many_comments(200))
    store.close()
    rows = filter_sets.measure(path, rounds=1)
    assert [what for what, _, _ in rows] == [f"summary: {s[0]}" for s in filter_sets.SUMMARIES] + \
        [f"timeline: {t[0]}" for t in filter_sets.TIMELINES]
    assert all(a > 0 and b > 0 for _, a, b in rows)
    text = filter_sets.table(rows)
    assert text.count("\n") == len(rows) + 1 and "× |" in text
