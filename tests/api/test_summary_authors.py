"""Distinct voices in the API: one prolific commenter must not look like a crowd.

The factory corpus plus one account that writes eight comments on one post, six from
云南 and two from 北京 (its IP location changed). Comments per province and commenters
per province must then differ, and both are checked against counts made here.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.conftest import make_settings
from tests.api.factories import build_corpus, comment, filled_store

PROLIFIC = "00000000000000ff"


@pytest.fixture(scope="module")
def comments_and_client(tmp_path_factory):
    corpus = build_corpus()
    target = corpus.posts[0]
    for k in range(8):
        corpus.comments.append(comment(
            id=f"weibo:prolific{k}", post_id=target["id"], platform=target["platform"],
            text=f"关停就是懒政，我要说第{k}遍", author_hash=PROLIFIC, author_region="云南" if k < 6 else "北京",
            province=target["province"], city=target["city"], themes=["formalism"],
            sentiment=0.1, sentiment_label="negative", sentiment_model="snownlp", stance="oppose",
            created_at=f"2024-05-2{k}T10:00:00+08:00",
        ))
    url = f"sqlite:///{tmp_path_factory.mktemp('authors') / 'authors.db'}"
    store = filled_store(url, corpus)
    with TestClient(create_app(make_settings(url), store)) as client:
        yield corpus.comments, client
    store.close()


def voices(docs: list[dict]) -> int:
    return len({(d["platform"], d["author_hash"]) for d in docs if d.get("author_hash")})


def test_commenters_by_province_count_people_not_comments(comments_and_client):
    comments, client = comments_and_client
    body = client.get("/summary/regions").json()
    rows = {r["region"]: r for r in body["data"]}
    yunnan = [c for c in comments if c["author_region"] == "云南"]
    assert rows["云南"]["documents"] == len(yunnan)
    assert rows["云南"]["authors"] == len({c["author_hash"] for c in yunnan}) == len(yunnan) - 5
    located = [c for c in comments if c["author_region"]]
    assert body["authors"] == voices(comments)
    regions = {r["region"]: r for r in client.get("/summary/cities", params={"kind": "comment"}).json()["author_regions"]}
    assert regions["云南"]["commenters"] == rows["云南"]["authors"]
    assert regions["云南"]["commenters_share"]["total"] == voices(located)
    assert regions["云南"]["comments_share"]["total"] == len(located)
    # Someone seen in two provinces counts in each: commenter shares add up past 1,
    # comment shares exactly to all located comments.
    per_region = sum(len({c["author_hash"] for c in located if c["author_region"] == r}) for r in regions)
    assert sum(r["commenters"] for r in regions.values()) == per_region > voices(located)
    assert regions["北京"]["commenters"] == len({c["author_hash"] for c in located if c["author_region"] == "北京"})
    assert sum(r["comments_share"]["count"] for r in regions.values()) == len(located)


def test_a_city_with_a_prolific_commenter_has_fewer_authors_than_comments(comments_and_client):
    comments, client = comments_and_client
    city = comments[-1]["city"]
    row = next(r for r in client.get("/summary/cities", params={"kind": "comment"}).json()["data"]
               if r["city"] == city)
    mine = [c for c in comments if c["city"] == city]
    assert row["documents"] == len(mine)
    assert row["authors"] == len({c["author_hash"] for c in mine}) < len(mine)
    assert row["authors_share"]["total"] == voices(comments)


def test_authors_follow_the_filters(comments_and_client):
    comments, client = comments_and_client
    opposed = [c for c in comments if c["stance"] == "oppose"]
    body = client.get("/summary/themes", params={"kind": "comment", "stance": "oppose"}).json()
    assert body["authors"] == voices(opposed)
    formalism = next(r for r in body["data"] if r["theme"] == "formalism")
    assert formalism["authors"] == len({c["author_hash"] for c in opposed if "formalism" in c["themes"]})


def test_elasticsearch_gives_the_same_summaries_and_exports(comments_and_client, request):
    """The routes only use the store interface; on the Elasticsearch leg (osmem-server in
    CI) every commenter figure and every exported byte but the timestamps must match."""
    from tests.support.elastic import fresh_elastic_store

    comments, sqlite_client = comments_and_client
    corpus = build_corpus()
    corpus.comments = comments
    es = fresh_elastic_store(request)
    try:
        for kind, docs in corpus.by_kind().items():
            assert es.upsert(kind, docs).errors == []
        with TestClient(create_app(make_settings("sqlite:///unused.db"), es)) as es_client:
            for path, params in (("/summary/cities", {"kind": "comment"}), ("/summary/regions", {}),
                                 ("/summary/themes", {"kind": "post"}), ("/accounts/summary", {})):
                assert es_client.get(path, params=params).json() == sqlite_client.get(path, params=params).json(), path
            for kind in ("comment", "account"):
                got = es_client.get(f"/export/{kind}", params={"format": "csv"})
                want = sqlite_client.get(f"/export/{kind}", params={"format": "csv"})
                assert got.text == want.text and got.headers["x-yuqing-store-backend"] == "elasticsearch"
    finally:
        es.close()
