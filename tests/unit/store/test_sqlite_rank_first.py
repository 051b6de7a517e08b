"""A words-only search ranked in the FTS table first (``sqlite._top_by_score``) returns the
same pages as ranking every match joined to ``docs``, ties and all."""

from __future__ import annotations

import pytest

from store import sqlite as sqlite_store
from store.base import Query
from store.sqlite import SQLiteStore

WORDS = ["关停", "政务号 关停", "支持", "反对 OR 支持", "第1条"]


def comments() -> list[dict]:
    """Texts of several lengths (distinct scores) and a run of 120 identical texts (one score
    shared by more matches than the margin), with ids out of insertion order."""
    out = []
    for i in range(300):
        body = "政务号关停" + "，真的" * (i % 7) + ("支持" if i % 3 else "反对")
        out.append({"id": f"weibo:{(i * 7919) % 1000:04d}-{i}", "post_id": "weibo:1", "platform": "weibo",
                    "text": f"第{i}条：{body}"})
    out += [{"id": f"weibo:same{(i * 37) % 120:03d}", "post_id": "weibo:1", "platform": "weibo",
             "text": "重复的评论：关停了"} for i in range(120)]
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = SQLiteStore(tmp_path_factory.mktemp("rank") / "rank.db", search_index=False)  # the FTS5 path
    assert not s.upsert("comment", comments()).errors
    yield s
    s.close()


def pages(store: SQLiteStore, q: str) -> list[list[tuple]]:
    out = []
    for page, size in ((1, 20), (2, 20), (3, 50), (1, 100), (7, 30)):
        hits = store.search("comment", Query(q=q, page=page, size=size, highlight=False))
        out.append([(h.doc["id"], h.score) for h in hits.hits] + [hits.next_cursor, hits.total])
    return out


@pytest.mark.parametrize("margin", [sqlite_store.RANK_MARGIN, 50, 5])
@pytest.mark.parametrize("q", WORDS)
def test_ranking_in_the_fts_table_first_gives_the_same_pages(store, q, margin, monkeypatch):
    monkeypatch.setattr(sqlite_store, "RANK_MARGIN", margin)
    first = pages(store, q)
    monkeypatch.setattr(sqlite_store, "RANK_FIRST_MAX", 0)  # every page through the join
    assert first == pages(store, q)
    assert any(len(p) > 2 for p in first), "the words match nothing"


def test_a_run_of_ties_longer_than_the_margin_falls_back_to_the_join(store, monkeypatch):
    calls = []
    real = sqlite_store._top_by_score

    def spy(*args):
        calls.append(real(*args))
        return calls[-1]

    monkeypatch.setattr(sqlite_store, "_top_by_score", spy)
    monkeypatch.setattr(sqlite_store, "RANK_MARGIN", 50)
    store.search("comment", Query(q="重复的评论", size=10))  # 120 matches, one score
    store.search("comment", Query(q="真的", size=10))  # distinct scores
    monkeypatch.setattr(sqlite_store, "RANK_MARGIN", 200)
    store.search("comment", Query(q="重复的评论", size=10))  # a margin longer than the run
    assert calls[0] is None and calls[1] is not None and len(calls[1]) == 11
    assert calls[2] is not None and len(calls[2]) == 11


FILTERED = [("关停", {"platform": "weibo"}), ("支持", {"post_id": "weibo:1"}), ("关停 -支持", {"platform": "weibo"}),
            ("没有这个词", {"platform": "weibo"})]


@pytest.mark.parametrize("q,filters", FILTERED, ids=str)
def test_a_filtered_search_counts_its_matches_in_the_ranking_pass(store, q, filters):
    """The total comes from a window over the ranked rows; a page past the end has no row
    and is counted apart. Either way it is the number of matching documents."""
    expected = store.count("comment", Query(q=q, filters=filters))
    for page, size in ((1, 20), (3, 50), (40, 100)):
        got = store.search("comment", Query(q=q, filters=filters, page=page, size=size, highlight=False))
        assert got.total == expected, (page, size)
    if q != "没有这个词":
        assert expected > 0
