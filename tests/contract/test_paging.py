"""Pages, cursors for deep paging, and highlighted snippets."""

from __future__ import annotations

import html
import re

import pytest

from store.errors import InvalidQuery
from store.base import Query
from tests.contract import corpus

N_DEEP = 260


@pytest.fixture
def loaded(store):
    return corpus.load(store)


def test_pages_are_disjoint_and_cover_every_hit(store, loaded):
    expected = corpus.matching(loaded.docs["announcement"], ("title", "body"), "政务新媒体")
    seen: list[str] = []
    page_no = 1
    while True:
        page = store.search("announcement", Query(q="政务新媒体", page=page_no, size=7, sort="date_desc"))
        assert page.total == len(expected)
        if not page.hits:
            break
        assert len(page.hits) <= 7
        seen.extend(h.doc["id"] for h in page.hits)
        page_no += 1
    assert len(seen) == len(set(seen)) == len(expected)
    assert set(seen) == expected


@pytest.mark.parametrize("sort,q", [("date_desc", None), ("date_asc", None), ("relevance", "关停"), ("date_asc", "关停")])
def test_cursor_walks_hundreds_of_hits_without_duplicates_or_gaps(store, sort, q):
    docs = corpus.many_comments(N_DEEP)
    assert store.upsert("comment", docs).inserted == N_DEEP
    expected_total = N_DEEP if q is None else len(corpus.matching(docs, ("text",), q))
    seen: list[str] = []
    page = store.search("comment", Query(q=q, sort=sort, size=9))
    pages = 1
    while True:
        assert page.total == expected_total
        seen.extend(h.doc["id"] for h in page.hits)
        if page.next_cursor is None:
            break
        page = store.search("comment", Query(q=q, sort=sort, size=9, cursor=page.next_cursor))
        pages += 1
        assert pages <= N_DEEP, "cursor does not advance"
    assert len(seen) == len(set(seen)) == expected_total
    # The cursor walk returns the same order as one big page.
    whole = store.search("comment", Query(q=q, sort=sort, size=N_DEEP))
    assert seen == [h.doc["id"] for h in whole.hits]


def test_last_page_has_no_cursor(store, loaded):
    page = store.search("announcement", Query(size=100))
    assert len(page.hits) == corpus.N_ANNOUNCEMENTS
    assert page.next_cursor is None


def test_a_forged_cursor_is_a_value_error(store, loaded):
    with pytest.raises(InvalidQuery):
        store.search("announcement", Query(cursor="not-a-cursor"))


def test_paging_past_the_result_window_needs_a_cursor(store, loaded):
    with pytest.raises(InvalidQuery) as err:
        store.search("announcement", Query(page=1000, size=20))
    assert "cursor" in str(err.value)


def _strip_marks(snippet: str) -> str:
    return html.unescape(snippet.replace("<mark>", "").replace("</mark>", "").strip("…"))


def test_highlights_mark_the_term_in_title_and_body(store, loaded):
    docs = loaded.by_id("announcement")
    page = store.search("announcement", Query(q="关停", size=100))
    assert page.hits
    for hit in page.hits:
        doc = docs[hit.doc["id"]]
        assert set(hit.highlights) <= {"title", "body"}
        for field in ("title", "body"):
            if "关停" in doc[field]:
                snippets = hit.highlights[field]
                assert snippets and "<mark>关停</mark>" in snippets[0]
                for snippet in snippets:
                    assert _strip_marks(snippet) in doc[field]
            else:
                assert field not in hit.highlights


def test_highlights_escape_html_in_the_text(store, loaded):
    hits = store.search("announcement", Query(q="账号清单 联系方式")).hits
    assert [h.doc["id"] for h in hits] == ["ann-011"]
    body = " ".join(hits[0].highlights["body"])
    assert "<mark>账号清单</mark>" in body and "<mark>联系方式</mark>" in body
    assert "&lt;" in body and "&amp;" in body
    assert re.sub(r"</?mark>", "", body).count("<") == 0
    comment = store.search("comment", Query(q="广告号")).hits[0]
    assert set(comment.highlights) == {"text"}
    assert "&lt;script&gt;" in comment.highlights["text"][0]
    assert "<script>" not in comment.highlights["text"][0]


def test_highlights_mark_every_term_and_or_alternatives(store, loaded):
    hits = store.search("announcement", Query(q="抖音 OR 头条 形式主义", size=100)).hits
    assert hits
    for hit in hits:
        joined = " ".join(s for snippets in hit.highlights.values() for s in snippets)
        assert "<mark>形式主义</mark>" in joined
        assert "<mark>抖音</mark>" in joined or "<mark>头条</mark>" in joined


def test_highlights_only_when_asked_and_when_there_are_words(store, loaded):
    assert all(h.highlights == {} for h in store.search("announcement", Query(q="关停", highlight=False)).hits)
    assert all(h.highlights == {} for h in store.search("announcement", Query(filters={"city": "昆明市"})).hits)
    excluded = store.search("announcement", Query(q="-关停")).hits
    assert excluded and all("<mark>" not in s for h in excluded for v in h.highlights.values() for s in v)
