"""GET /posts, /posts/{id}, /comments: coverage fields, filters and totals."""

from __future__ import annotations

import pytest

COVERAGE = ("comments_reported", "comments_fetched", "partial", "partial_reason")


def test_posts_carry_thread_coverage(client, corpus):
    body = client.get("/posts", params={"size": 50}).json()
    assert body["count"] == len(corpus.posts)
    by_id = {p["id"]: p for p in corpus.posts}
    for item in body["data"]:
        assert {k: item[k] for k in COVERAGE} == {k: by_id[item["id"]][k] for k in COVERAGE}
        assert item["author_hash"] == by_id[item["id"]]["author_hash"]


@pytest.mark.parametrize("params,keep", [
    ({"partial": "true"}, lambda p: p["partial"]),
    ({"partial": "false"}, lambda p: not p["partial"]),
    ({"platform": "news"}, lambda p: p["platform"] == "news"),
    ({"city": "昆明市"}, lambda p: p["city"] == "昆明市"),
    ({"date_from": "2024-05-12", "date_to": "2024-05-13"}, lambda p: "2024-05-12" <= p["created_at"][:10] <= "2024-05-13"),
    ({"q": "关停"}, lambda p: "关停" in p["text"] or "关停" in (p["title"] or "")),
])
def test_post_filters(client, corpus, params, keep):
    expected = {p["id"] for p in corpus.posts if keep(p)}
    body = client.get("/posts", params=params).json()
    assert {p["id"] for p in body["data"]} == expected and body["count"] == len(expected) > 0


def test_post_detail_counts_stored_comments(client, corpus):
    post = corpus.posts[2]
    body = client.get(f"/posts/{post['id']}").json()
    assert body["text"] == post["text"] and body["comments_reported"] == post["comments_reported"]
    assert body["comments_stored"] == sum(c["post_id"] == post["id"] for c in corpus.comments)


def test_missing_post_is_404(client):
    response = client.get("/posts/weibo:404")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("params,keep", [
    ({"post_id": "weibo:9002"}, lambda c: c["post_id"] == "weibo:9002"),
    ({"stance": "oppose"}, lambda c: c["stance"] == "oppose"),
    ({"sentiment_label": "negative", "city": "西安市"},
     lambda c: c["sentiment_label"] == "negative" and c["city"] == "西安市"),
    ({"theme": "formalism"}, lambda c: "formalism" in c["themes"]),
    ({"platform": "news"}, lambda c: c["platform"] == "news"),
    ({"author_region": "云南"}, lambda c: c["author_region"] == "云南"),
    ({"q": "浪费资源"}, lambda c: "浪费资源" in c["text"]),
])
def test_comment_filters_and_total(client, corpus, params, keep):
    expected = {c["id"] for c in corpus.comments if keep(c)}
    body = client.get("/comments", params={**params, "size": 5}).json()
    assert body["count"] == len(expected) > 0  # the envelope's total, across pages
    assert len(body["data"]) == min(5, len(expected))
    assert {c["id"] for c in body["data"]} <= expected


def test_replies_keep_their_parent(client, corpus):
    replies = [c for c in corpus.comments if c["reply_to"]]
    body = client.get("/comments", params={"post_id": replies[0]["post_id"], "size": 50}).json()
    got = {c["id"]: c["reply_to"] for c in body["data"]}
    assert got[replies[0]["id"]] == replies[0]["reply_to"]


def test_comment_filter_of_another_kind_is_422(client):
    response = client.get("/comments", params={"district": "雁塔区"})
    assert response.status_code == 422
    assert response.json()["error"]["detail"][0]["parameter"] == "district"
