"""Deep paging past the result window: search_after on the test cluster, and its pure helpers.

Paging past 10,000 real hits costs ~6 s on osmem-server (10,050 comments: 4.9 s to index,
0.8 s to page by date, measured on 2 busy cores), so these tests lower the window instead:
the store's ``result_window`` and the index's own ``max_result_window`` together, so the
cluster itself refuses any from+size past it and only search_after can reach the later hits.
"""

from __future__ import annotations

import dataclasses

import pytest

from store.base import Query
from store.elastic_paging import as_float32, exact_sort_values, sort_key, strictly_after
from tests.support.elastic import open_elastic_store, unique_prefix

WINDOW = 40
# Comments of distinct lengths, so that the scores of 关停 differ (see _comments).
N_COMMENTS = 130

RELEVANCE_SORT = [{"_score": {"order": "desc"}}, {"created_at": {"order": "desc", "missing": "_last"}},
                  {"id": {"order": "asc"}}]


def _comments() -> list[dict]:
    """Every comment a different length, so no two share a score.

    Distinct scores because of the test cluster: osmem-server scores in 64 bits but prints
    32, so a cursor's score can compare above the hits tied with it, which are then skipped
    (store/elastic_paging.py). Elasticsearch's scores are 32-bit and round-trip exactly, ties
    included; against it ($YUQING_TEST_ES_URL) this corpus pages the same.
    """
    docs = []
    for i in range(N_COMMENTS):
        doc = {"id": f"c{i:04d}", "post_id": "weibo:1", "platform": "weibo",
               "text": "关停" * (1 + i % 4) + "，账号不再更新" + "网" * i}
        if i % 11:  # every eleventh comment has no date: it sorts last in both date orders
            doc["created_at"] = f"2024-05-{1 + i % 28:02d}T{i % 24:02d}:00:00+08:00"
        docs.append(doc)
    return docs


@pytest.fixture(scope="module")
def stores():
    """The same comments in two indices: one with the default window, one with a tiny one."""
    wide = open_elastic_store(unique_prefix("wide"))
    narrow = open_elastic_store(unique_prefix("deep"), result_window=WINDOW)
    for store in (wide, narrow):
        store.upsert("comment", _comments())
    (live,) = narrow.indices.live_indices("comment")
    narrow.es.indices.put_settings(index=live, settings={"index": {"max_result_window": WINDOW}})
    yield wide, narrow
    for store in (wide, narrow):
        store.drop_everything()
        store.close()


def _walk(store, query: Query) -> list[str]:
    ids, cursor = [], None
    for _ in range(N_COMMENTS):  # a cursor that never ends fails here instead of hanging
        page = store.search("comment", dataclasses.replace(query, cursor=cursor))
        ids.extend(h.doc["id"] for h in page.hits)
        cursor = page.next_cursor
        if cursor is None:
            return ids
    raise AssertionError("the cursor never ended")


def test_the_cluster_refuses_from_and_size_past_the_window(stores):
    _, narrow = stores
    from store.errors import StoreError

    with pytest.raises(StoreError, match="(?i)window|page"):
        narrow.search("comment", Query(page=WINDOW // 10 + 1, size=10))


@pytest.mark.parametrize("sort", ["date_desc", "date_asc"])
def test_date_orders_page_past_the_window_in_order(stores, sort):
    _, narrow = stores
    docs = _comments()
    dated = sorted((d for d in docs if "created_at" in d), key=lambda d: d["id"])
    dated.sort(key=lambda d: d["created_at"], reverse=sort == "date_desc")
    undated = sorted(d["id"] for d in docs if "created_at" not in d)
    expected = [d["id"] for d in dated] + undated
    assert _walk(narrow, Query(size=15, sort=sort)) == expected
    assert len(expected) > 3 * WINDOW


def test_relevance_pages_past_the_window_as_within_it(stores):
    """Past the window the narrow store resumes with search_after on (score, date, id); the
    wide store reaches every hit by position. Same hits, same order."""
    wide, narrow = stores
    query = Query(q="关停", size=15, sort="relevance", highlight=False)
    by_position = _walk(wide, query)
    assert len(by_position) == N_COMMENTS
    assert _walk(narrow, query) == by_position


def test_cursor_pages_report_the_whole_total(stores):
    _, narrow = stores
    first = narrow.search("comment", Query(q="关停", size=30))
    second = narrow.search("comment", Query(q="关停", size=30, cursor=first.next_cursor))
    third = narrow.search("comment", Query(q="关停", size=30, cursor=second.next_cursor))
    assert first.total == second.total == third.total == N_COMMENTS


# --- pure helpers -------------------------------------------------------------------


def test_scores_are_written_exactly_as_32_bit_floats():
    printed = 0.00039673367  # a float32 score in its shortest form
    exact = exact_sort_values([printed, 1714701600000, "c1"], scored=True)[0]
    assert exact != printed and as_float32(exact) == exact and as_float32(printed) == exact
    assert exact_sort_values([1714701600000, "c1"], scored=False) == [1714701600000, "c1"]


def test_sort_key_orders_as_the_cluster_does():
    hits = [[0.5, 2000, "b"], [0.5, 2000, "a"], [0.9, 1000, "z"], [0.5, None, "a"], [0.5, 3000, "c"]]
    ordered = sorted(hits, key=lambda v: sort_key(v, RELEVANCE_SORT))
    assert ordered == [[0.9, 1000, "z"], [0.5, 3000, "c"], [0.5, 2000, "a"], [0.5, 2000, "b"], [0.5, None, "a"]]


def test_strictly_after_drops_hits_a_server_sends_again():
    cursor = [0.5, 2000, "a"]
    sent = [{"sort": [0.5, 3000, "c"]}, {"sort": [0.5, 2000, "a"]}, {"sort": [0.5, 2000, "b"]},
            {"sort": [0.25, 9000, "d"]}]
    assert [h["sort"][2] for h in strictly_after(sent, cursor, RELEVANCE_SORT)] == ["b", "d"]
    # the same score printed in 32 bits and written out in 64 compares equal
    assert strictly_after([{"sort": [0.1, 2000, "b"]}], [as_float32(0.1), 2000, "a"], RELEVANCE_SORT)
