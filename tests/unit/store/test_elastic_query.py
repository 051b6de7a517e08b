"""Query → Elasticsearch body, without a server."""

from __future__ import annotations

import pytest

from store.base import Query
from store.elastic_mappings import DAY_FIELD
from store.errors import InvalidQuery
from store.elastic_query import (
    MAX_RESULT_WINDOW,
    compile_query,
    compile_search,
    decode_cursor,
    encode_cursor,
)
from store.errors import QuerySyntaxError, StoreError


def _must(query):
    return compile_query("announcement", query)[0]["bool"]


def test_each_term_is_a_phrase_over_the_text_fields_title_boosted():
    q = _must(Query(q="政务新媒体"))
    (clause,) = q["must"]
    title, body = clause["bool"]["should"]
    assert title == {"match_phrase": {"title": {"query": "政务新媒体", "boost": 2.0}}}
    assert body == {"match_phrase": {"body": {"query": "政务新媒体"}}}


def test_and_or_and_exclusion():
    q = _must(Query(q="抖音 OR 头条 形式主义 -注销"))
    assert len(q["must"]) == 2
    either = q["must"][0]["bool"]
    assert either["minimum_should_match"] == 1 and len(either["should"]) == 2
    assert len(q["must_not"]) == 1
    assert "注销" in str(q["must_not"])


def test_user_text_never_reaches_lucene_syntax():
    body = str(compile_query("announcement", Query(q="title:关停 AND *"))[0])
    assert "query_string" not in body and "simple_query_string" not in body


def test_filters_dates_and_lists():
    q = _must(Query(filters={"city": "昆明市", "themes": ["formalism", "duplication"], "district": None},
                    date_from="2024-05-01", date_to="2024-06-30T12:00:00+08:00"))
    assert {"term": {"city": "昆明市"}} in q["filter"]
    assert {"terms": {"themes": ["formalism", "duplication"]}} in q["filter"]
    assert {"range": {DAY_FIELD: {"gte": "2024-05-01", "lte": "2024-06-30"}}} in q["filter"]
    assert len(q["filter"]) == 3


def test_filter_on_only_empty_values_matches_nothing():
    q = _must(Query(filters={"city": ["", None]}))
    assert q["filter"] == [{"bool": {"must_not": {"match_all": {}}}}]


@pytest.mark.parametrize(
    "query,words",
    [(Query(filters={"body": "x"}), "cannot filter"), (Query(date_from="May 2024"), "date_from"),
     (Query(filters={"city": {"a": 1}}), "not a string")],
)
def test_bad_queries_are_value_errors_and_query_errors(query, words):
    with pytest.raises(InvalidQuery) as err:
        compile_query("announcement", query)
    assert isinstance(err.value, ValueError) and isinstance(err.value, StoreError)
    assert words in str(err.value)


def test_sorts_end_with_the_id_tiebreaker():
    relevance = compile_search("announcement", Query(q="关停")).sort
    assert list(relevance[0]) == ["_score"] and relevance[-1] == {"id": {"order": "asc"}}
    # relevance without words means newest first
    assert list(compile_search("announcement", Query()).sort[0]) == ["published_at"]
    assert compile_search("post", Query(sort="date_asc")).sort[0] == {"created_at": {"order": "asc", "missing": "_last"}}


def test_highlight_escapes_html_and_marks_matches():
    body = compile_search("comment", Query(q="关停"))
    assert body.highlight["encoder"] == "html"
    assert body.highlight["pre_tags"] == ["<mark>"] and body.highlight["post_tags"] == ["</mark>"]
    assert list(body.highlight["fields"]) == ["text"]
    assert compile_search("comment", Query(q="关停", highlight=False)).highlight is None


def test_page_past_the_window_asks_for_the_cursor():
    assert compile_search("announcement", Query(page=500, size=20)).from_ == 9980
    with pytest.raises(InvalidQuery) as err:
        compile_search("announcement", Query(page=501, size=20))
    assert "next_cursor" in str(err.value)


def test_cursor_round_trip_and_forgery():
    token = encode_cursor("date_desc", [1714521600000, "ann-001"], 40)
    cursor = decode_cursor(token, "date_desc")
    assert (cursor.after, cursor.offset) == ([1714521600000, "ann-001"], 40)
    body = compile_search("announcement", Query(cursor=token, sort="date_desc"))
    assert body.search_after == [1714521600000, "ann-001"] and body.offset == 40
    with pytest.raises(InvalidQuery, match="sort"):
        decode_cursor(token, "date_asc")
    for forged in ["not-a-cursor", token[:-3], encode_cursor("date_desc", [1], -1)]:
        with pytest.raises(InvalidQuery, match="cursor"):
            decode_cursor(forged, "date_desc")


def test_relevance_cursor_resumes_by_position_inside_the_window_and_by_values_beyond():
    inside = compile_search("announcement", Query(q="关停", cursor=encode_cursor("relevance", [1.5, 0, "a"], 60)))
    assert (inside.from_, inside.search_after) == (60, None)
    far = MAX_RESULT_WINDOW + 100
    beyond = compile_search("announcement", Query(q="关停", cursor=encode_cursor("relevance", [1.5, 0, "a"], far)))
    assert beyond.search_after == [1.5, 0, "a"]
