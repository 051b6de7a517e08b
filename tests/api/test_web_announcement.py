"""GET /announcement/{id}: one notice's full text, its closed accounts, how to cite it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from parsel import Selector

from api.app import create_app
from tests.api.conftest import make_settings
from tests.api.factories import build_corpus, filled_store

CRAWLED = "2024-07-01T08:30:00+08:00"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """The corpus with a crawl time on the even announcements (the factories leave it empty)."""
    corpus = build_corpus()
    for i, doc in enumerate(corpus.announcements):
        if i % 2 == 0:
            doc["crawled_at"] = CRAWLED
    url = f"sqlite:///{tmp_path_factory.mktemp('detail') / 'detail.db'}"
    store = filled_store(url, corpus)
    with TestClient(create_app(make_settings(url), store)) as client:
        yield client, corpus
    store.close()


def test_full_text_accounts_and_citation(crawled):
    client, corpus = crawled
    doc = corpus.announcements[0]
    response = client.get(f"/announcement/{doc['id']}")
    assert response.status_code == 200
    page = Selector(response.text)
    assert page.css("h1::text").get() == doc["title"]
    assert "".join(page.css(".fulltext ::text").getall()) == doc["body"]
    names = page.css(".accounts-table tbody th::text").getall()
    assert names == [a["name"] for a in corpus.accounts if a["announcement_id"] == doc["id"]]
    assert page.css("a.source::attr(href)").get() == doc["url"]
    assert page.css("#citation::text").get() == (
        f"{doc['issuer']}. {doc['title']}[EB/OL]. ({doc['published_at']})[{CRAWLED[:10]}]. {doc['url']}")
    # Crawl time in Beijing time, readable, with the instant in the <time> element.
    assert '<time datetime="2024-07-01T08:30+08:00">2024年7月1日 08:30</time>（北京时间）' in page.css(".facts").get()


def test_search_terms_are_marked_in_the_full_text(crawled):
    client, corpus = crawled
    doc = next(d for d in corpus.announcements if "关停" in d["body"] and "集约化" in d["body"])
    page = Selector(client.get(f"/announcement/{doc['id']}", params={"q": "关停 集约化"}).text)
    marks = page.css(".fulltext mark::text").getall()
    assert sorted(marks) == sorted(["关停"] * doc["body"].count("关停") + ["集约化"] * doc["body"].count("集约化"))
    # The way back keeps the search.
    assert page.css(".crumbs a::attr(href)").get() == "/?q=%E5%85%B3%E5%81%9C+%E9%9B%86%E7%BA%A6%E5%8C%96"


def test_markup_in_a_notice_is_text(crawled):
    client, corpus = crawled
    doc = next(d for d in corpus.announcements if "<script>" in d["body"])
    plain = client.get(f"/announcement/{doc['id']}").text
    assert "<script>alert(1)" not in plain and "&lt;script&gt;alert(1)&lt;/script&gt;" in plain
    marked = client.get(f"/announcement/{doc['id']}", params={"q": "script"}).text
    assert "<script>alert(1)" not in marked and "&lt;<mark>script</mark>&gt;alert(1)" in marked


def test_without_crawl_time_the_citation_leaves_it_out(crawled):
    client, corpus = crawled
    doc = corpus.announcements[1]
    page = Selector(client.get(f"/announcement/{doc['id']}").text)
    assert page.css("#citation::text").get().endswith(f"[EB/OL]. ({doc['published_at']}). {doc['url']}")
    assert "未记录" in page.css(".facts").get()


def test_unknown_id_is_a_404_page_in_chinese(crawled):
    client, _ = crawled
    response = client.get("/announcement/0000000000000000")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    alert = Selector(response.text).css("[role=alert]")
    assert "找不到这条公告" in alert.get() and "0000000000000000" in alert.get()
