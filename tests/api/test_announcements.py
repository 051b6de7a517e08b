"""GET /announcements and /announcements/{id} against numbers computed from the corpus."""

from __future__ import annotations

import re

import pytest

from tests.api.conftest import TEST_MAX_PAGE_SIZE


def matching(corpus, term: str) -> list[dict]:
    return [d for d in corpus.announcements if term in d["title"] or term in d["body"]]


def all_pages(client, path: str, **params) -> list[dict]:
    """Every item of a list route, following next_cursor."""
    items, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = client.get(path, params=query).json()
        items.extend(body["data"])
        cursor = body["next_cursor"]
        if not cursor:
            return items


@pytest.mark.parametrize("term", ["关停", "停止更新", "集约化", "张家港"])
def test_search_finds_every_document_containing_the_term(client, corpus, term):
    expected = {d["id"] for d in matching(corpus, term)}
    assert expected, f"corpus has no {term}"
    body = client.get("/announcements", params={"q": term, "size": TEST_MAX_PAGE_SIZE}).json()
    assert body["count"] == len(expected)
    assert {h["id"] for h in body["data"]} == expected


def test_each_hit_carries_highlighted_snippets_of_the_term(client, corpus):
    body = client.get("/announcements", params={"q": "关停", "size": TEST_MAX_PAGE_SIZE}).json()
    for hit in body["data"]:
        snippets = [s for field in hit["highlights"].values() for s in field]
        assert any("<mark>关停</mark>" in s for s in snippets), hit["highlights"]
        assert "body" not in hit  # lists stay light; the full text is on the detail route
        assert hit["excerpt"]


def test_highlights_escape_markup_in_the_text(client, corpus):
    body = client.get("/announcements", params={"q": "不是标签"}).json()
    assert body["count"] == 1
    snippet = " ".join(body["data"][0]["highlights"]["body"])
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_and_or_and_exclusion(client, corpus):
    both = [d for d in corpus.announcements if "关停" in d["body"] and "注销" in d["title"] + d["body"]]
    either = [d for d in corpus.announcements if "关停" in d["body"] or "注销" in d["title"] + d["body"]]
    without = [d for d in corpus.announcements if "关停" in d["body"] and "注销" not in d["title"] + d["body"]]
    assert client.get("/announcements", params={"q": "关停 注销"}).json()["count"] == len(both)
    assert client.get("/announcements", params={"q": "关停 OR 注销"}).json()["count"] == len(either)
    assert client.get("/announcements", params={"q": "关停 -注销"}).json()["count"] == len(without)


@pytest.mark.parametrize("param,field,value", [
    ("city", "city", "长沙市"),
    ("province", "province", "江苏省"),
    ("district", "district", "雁塔区"),
    ("platform", "platforms", "douyin"),
    ("theme", "themes", "consolidation"),
    ("sentiment_label", "sentiment_label", "negative"),
])
def test_filters(client, corpus, param, field, value):
    def ok(d):
        got = d[field]
        return value in got if isinstance(got, list) else got == value

    expected = {d["id"] for d in corpus.announcements if ok(d)}
    items = all_pages(client, "/announcements", **{param: value, "size": 10})
    assert {h["id"] for h in items} == expected and len(items) == len(expected)


def test_repeated_filter_matches_any_value(client, corpus):
    expected = {d["id"] for d in corpus.announcements if d["city"] in ("昆明市", "西安市")}
    body = client.get("/announcements", params=[("city", "昆明市"), ("city", "西安市"), ("size", "50")]).json()
    assert {h["id"] for h in body["data"]} == expected


def test_date_range_is_inclusive(client, corpus):
    date_from, date_to = corpus.announcements[3]["published_at"], corpus.announcements[9]["published_at"]
    expected = {d["id"] for d in corpus.announcements if date_from <= d["published_at"] <= date_to}
    body = client.get("/announcements", params={"date_from": date_from, "date_to": date_to, "size": 50}).json()
    assert {h["id"] for h in body["data"]} == expected and len(expected) == 7


def test_filters_combine_with_search(client, corpus):
    expected = {d["id"] for d in matching(corpus, "关停") if "wechat" in d["platforms"]}
    body = client.get("/announcements", params={"q": "关停", "platform": "wechat", "size": 50}).json()
    assert {h["id"] for h in body["data"]} == expected


def test_sort_by_date(client, corpus):
    newest = client.get("/announcements", params={"sort": "date_desc", "size": 5}).json()["data"]
    oldest = client.get("/announcements", params={"sort": "date_asc", "size": 5}).json()["data"]
    dates = sorted(d["published_at"] for d in corpus.announcements)
    assert [h["published_at"] for h in newest] == dates[::-1][:5]
    assert [h["published_at"] for h in oldest] == dates[:5]


def test_pages_split_the_results_without_overlap(client, corpus):
    first = client.get("/announcements", params={"sort": "date_asc", "size": 10, "page": 1}).json()
    second = client.get("/announcements", params={"sort": "date_asc", "size": 10, "page": 2}).json()
    last = client.get("/announcements", params={"sort": "date_asc", "size": 10, "page": 4}).json()
    assert first["count"] == second["count"] == len(corpus.announcements)
    assert (first["page"], second["page"], first["size"]) == (1, 2, 10)
    assert not {h["id"] for h in first["data"]} & {h["id"] for h in second["data"]}
    assert len(last["data"]) == len(corpus.announcements) - 30 and last["next_cursor"] is None


def test_cursor_paging_reaches_every_document_once(client, corpus):
    items = all_pages(client, "/announcements", sort="date_desc", size=7)
    ids = [h["id"] for h in items]
    assert len(ids) == len(set(ids)) == len(corpus.announcements)


def test_detail_has_body_and_accounts_in_order(client, corpus):
    doc = corpus.announcements[3]  # i % 3 == 0: two platforms, two accounts
    body = client.get(f"/announcements/{doc['id']}").json()
    assert body["body"] == doc["body"] and body["title"] == doc["title"] and body["url"] == doc["url"]
    expected = [a for a in corpus.accounts if a["announcement_id"] == doc["id"]]
    assert len(expected) == 2
    assert [(a["id"], a["platform"], a["action"], a["successor"]) for a in body["accounts"]] == \
        [(a["id"], a["platform"], a["action"], a["successor"]) for a in expected]


def test_detail_of_missing_id_is_404(client):
    body = client.get("/announcements/0000000000000000").json()
    assert body["error"]["code"] == "not_found" and "0000000000000000" in body["error"]["message"]


@pytest.mark.parametrize("params,parameter", [
    ({"size": TEST_MAX_PAGE_SIZE + 1}, "size"),
    ({"size": 0}, "size"),
    ({"page": 0}, "page"),
    ({"page": 400, "size": 50}, "page"),  # past the 10,000-hit window: use the cursor
    ({"sort": "popularity"}, "sort"),
    ({"date_from": "2024-13-01"}, "date_from"),
    ({"date_to": "yesterday"}, "date_to"),
    ({"date_from": "2024-06-01", "date_to": "2024-05-01"}, "date_from"),
    ({"sentiment_label": "happy"}, "sentiment_label"),
    ({"cty": "昆明市"}, "cty"),
    ({"cursor": "not-a-cursor"}, "cursor"),
])
def test_bad_parameters_are_422_naming_the_parameter(client, params, parameter):
    response = client.get("/announcements", params=params)
    assert response.status_code == 422, response.text
    detail = response.json()["error"]["detail"]
    assert [row["parameter"] for row in detail] == [parameter]
    assert detail[0]["reason"]


def test_size_limit_comes_from_settings(client):
    response = client.get("/announcements", params={"size": TEST_MAX_PAGE_SIZE + 1})
    assert str(TEST_MAX_PAGE_SIZE) in response.json()["error"]["detail"][0]["reason"]
    assert client.get("/announcements", params={"size": TEST_MAX_PAGE_SIZE}).status_code == 200


@pytest.mark.parametrize("q", ['"关停', "关停 OR", "-", "！？。"])
def test_unparseable_search_is_400_saying_what_is_wrong(client, q):
    response = client.get("/announcements", params={"q": q})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_query" and error["detail"]["value"] == q
    assert re.search(r"quote|OR|-|letters|search", error["message"])
