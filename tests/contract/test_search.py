"""Full-text search: the hit sets a reader of Chinese expects, on every backend."""

from __future__ import annotations

import pytest

from store.base import Query
from store.errors import QuerySyntaxError
from tests.contract import corpus

ANN_TEXT = ("title", "body")


@pytest.fixture
def loaded(store):
    return corpus.load(store)


def hit_ids(store, kind, query: Query) -> set[str]:
    query.size = 100
    page = store.search(kind, query)
    ids = [h.doc["id"] for h in page.hits]
    assert len(ids) == len(set(ids)) == page.total
    return set(ids)


@pytest.mark.parametrize(
    "term",
    [
        "关停",  # two characters: what trigram indexes miss
        "注销",
        "微博",
        "抖音",
        "政务新媒体",  # longer terms match as written, in order
        "停止更新",
        "集约化",
        "僵尸号",
        "12345",  # a number inside Chinese text
    ],
)
def test_chinese_terms_find_every_document_containing_them(store, loaded, term):
    expected = corpus.matching(loaded.docs["announcement"], ANN_TEXT, term)
    assert expected, f"corpus should contain {term}"
    assert expected != set(loaded.by_id("announcement")), f"{term} should not be in every document"
    assert hit_ids(store, "announcement", Query(q=term)) == expected


def test_characters_out_of_order_do_not_match(store, loaded):
    # 新媒体 appears everywhere, 体媒新 nowhere; bigrams scattered over a page are not a match.
    assert hit_ids(store, "announcement", Query(q="体媒新")) == set()
    assert hit_ids(store, "announcement", Query(q="更新停止")) == set()


@pytest.mark.parametrize("q", ["APP", "app", "ＡＰＰ"])
def test_latin_words_ignore_case_and_width(store, loaded, q):
    expected = corpus.matching(loaded.docs["announcement"], ANN_TEXT, "app")
    assert expected
    assert hit_ids(store, "announcement", Query(q=q)) == expected


def test_latin_word_in_posts(store, loaded):
    expected = corpus.matching(loaded.docs["post"], ("title", "text"), "douyin")
    assert len(expected) == 1
    assert hit_ids(store, "post", Query(q="Douyin")) == expected


def test_terms_are_anded(store, loaded):
    docs = loaded.docs["announcement"]
    expected = corpus.matching(docs, ANN_TEXT, "注销") & corpus.matching(docs, ANN_TEXT, "微博")
    assert expected
    assert hit_ids(store, "announcement", Query(q="注销 微博")) == expected
    # the ideographic space typed by Chinese input methods separates terms too
    assert hit_ids(store, "announcement", Query(q="注销\u3000微博")) == expected


@pytest.mark.parametrize("q", ['"停止更新"', "“停止更新”"])
def test_quoted_phrase(store, loaded, q):
    expected = corpus.matching(loaded.docs["announcement"], ANN_TEXT, "停止更新")
    assert hit_ids(store, "announcement", Query(q=q)) == expected


def test_or_between_terms(store, loaded):
    docs = loaded.docs["announcement"]
    expected = corpus.matching(docs, ANN_TEXT, "抖音") | corpus.matching(docs, ANN_TEXT, "头条")
    assert hit_ids(store, "announcement", Query(q="抖音 OR 头条")) == expected
    assert len(expected) > len(corpus.matching(docs, ANN_TEXT, "抖音"))


def test_or_group_combined_with_and(store, loaded):
    docs = loaded.docs["announcement"]
    either = corpus.matching(docs, ANN_TEXT, "抖音") | corpus.matching(docs, ANN_TEXT, "头条")
    expected = either & corpus.matching(docs, ANN_TEXT, "形式主义")
    assert expected and expected != either
    assert hit_ids(store, "announcement", Query(q="抖音 OR 头条 形式主义")) == expected


def test_exclusion(store, loaded):
    docs = loaded.docs["announcement"]
    expected = corpus.matching(docs, ANN_TEXT, "微博") - corpus.matching(docs, ANN_TEXT, "注销")
    assert expected
    assert hit_ids(store, "announcement", Query(q="微博 -注销")) == expected


def test_exclusion_alone_matches_everything_else(store, loaded):
    docs = loaded.docs["announcement"]
    expected = set(loaded.by_id("announcement")) - corpus.matching(docs, ANN_TEXT, "关停")
    assert hit_ids(store, "announcement", Query(q="-关停")) == expected


def test_search_combined_with_filters_and_dates(store, loaded):
    docs = loaded.docs["announcement"]
    expected = {
        d["id"]
        for d in docs
        if d["id"] in corpus.matching(docs, ANN_TEXT, "政务新媒体")
        and d["province"] in ("云南省", "湖南省")
        and d["published_at"]
        and "2024-05-01" <= d["published_at"][:10] <= "2024-06-30"
    }
    assert expected
    query = Query(q="政务新媒体", filters={"province": ["云南省", "湖南省"]}, date_from="2024-05-01", date_to="2024-06-30")
    assert hit_ids(store, "announcement", query) == expected


@pytest.mark.parametrize(
    "kind,term,fields",
    [("comment", "关停", ("text",)), ("comment", "注销", ("text",)), ("post", "僵尸号", ("title", "text")),
     ("account", "发布", ("name", "successor"))],
)
def test_other_kinds_search_their_text_fields(store, loaded, kind, term, fields):
    expected = corpus.matching(loaded.docs[kind], fields, term)
    assert expected
    assert hit_ids(store, kind, Query(q=term)) == expected


def test_title_match_ranks_first(store, loaded):
    docs = loaded.by_id("announcement")
    hits = store.search("announcement", Query(q="集约化", size=100)).hits
    in_title = [h for h in hits if "集约化" in docs[h.doc["id"]]["title"]]
    assert in_title and len(in_title) < len(hits)
    assert "集约化" in hits[0].doc["title"]
    assert all(h.score is not None for h in hits)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "q,problem",
    [
        ('"停止更新', "quote"),
        ("关停 OR", "OR"),
        ("OR 关停", "OR"),
        ("关停 OR OR 注销", "OR"),
        ("-", "-"),
        ("关停 - 注销", "-"),
        ("，。！", "search"),
        ("关停" * 200, "characters"),
        (" ".join(f"词{i}" for i in range(40)), "terms"),
        ("微博 OR -注销", "OR"),
    ],
)
def test_unparseable_queries_raise_a_clear_error(store, loaded, q, problem):
    with pytest.raises(QuerySyntaxError) as err:
        store.search("announcement", Query(q=q))
    assert problem in str(err.value)


@pytest.mark.parametrize(
    "q,same_as",
    [("关停*", "关停"), ("{关停}", "关停"), ("关停 + 注销", "关停 注销"), ("(注销) ^微博", "注销 微博"),
     ("title:关停", '"title 关停"')],
)
def test_engine_syntax_in_user_text_is_just_text(store, loaded, q, same_as):
    # FTS5 / Lucene operators typed by a user neither raise nor change the meaning: they are
    # punctuation around words.
    assert hit_ids(store, "announcement", Query(q=q)) == hit_ids(store, "announcement", Query(q=same_as))


def test_blank_query_means_no_text_condition(store, loaded):
    assert store.search("announcement", Query(q="  ")).total == corpus.N_ANNOUNCEMENTS
