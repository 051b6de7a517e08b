"""Date-ordered searches answer the same whether they walk the date index (words most
documents contain) or rank every match (words few contain): ``sqlite_query.walks_dates``
only chooses the cheaper way to the same page."""

from __future__ import annotations

import pytest

from store import sqlite_query
from store.base import Query
from store.sqlite import SQLiteStore
from tests.contract import corpus


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = SQLiteStore(tmp_path_factory.mktemp("walk") / "walk.db")
    corpus.load(s)
    s.upsert("comment", corpus.many_comments(400))
    yield s
    s.close()


def pages(store, kind, query, n=4):
    out, cursor = [], None
    for _ in range(n):
        page = store.search(kind, Query(**{**query, "cursor": cursor}))
        out.append((page.total, [h.doc["id"] for h in page.hits], page.next_cursor))
        cursor = page.next_cursor
        if cursor is None:
            break
    return out


@pytest.mark.parametrize("sort", ["date_desc", "date_asc"])
@pytest.mark.parametrize("kind, q, filters", [
    ("comment", "政务", {}), ("comment", "关停", {"city": "昆明市"}), ("announcement", "账号", {}),
    ("comment", "形式主义 -考核", {}), ("comment", "没有这个词语", {}),
])
def test_walking_the_dates_and_ranking_every_match_give_the_same_pages(store, monkeypatch, sort, kind, q, filters):
    query = {"q": q, "filters": filters, "sort": sort, "size": 6}
    seen = []
    from store import sqlite as sqlite_module

    monkeypatch.setattr(sqlite_module, "walks_dates", lambda *a: True)
    walked = pages(store, kind, query)
    monkeypatch.setattr(sqlite_module, "walks_dates", lambda *a: seen.append(a) or False)
    ranked = pages(store, kind, query)
    assert walked == ranked
    assert seen  # the store asked, so the choice is really made there
    if q != "没有这个词语":
        assert ranked[0][0] > 0 and ranked[0][1]


def test_the_walk_is_chosen_only_when_it_visits_few_documents():
    where = sqlite_query.build_where("comment", Query(q="政务", sort="date_desc"))
    assert sqlite_query.walks_dates("date_desc", where, hits=50_000, kind_size=100_000, rows_needed=21)
    assert not sqlite_query.walks_dates("date_desc", where, hits=50, kind_size=100_000, rows_needed=21)
    assert not sqlite_query.walks_dates("date_desc", where, hits=50_000, kind_size=100_000, rows_needed=10_001)
    assert not sqlite_query.walks_dates("relevance", where, hits=50_000, kind_size=100_000, rows_needed=21)
    assert not sqlite_query.walks_dates("date_desc", where, hits=0, kind_size=100_000, rows_needed=21)
