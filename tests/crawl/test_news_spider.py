"""The news spider over HTTP against the offline news sites, into a real SQLite store (one
crawl for the module). Expected numbers come from the corpus the sites serve."""

from __future__ import annotations


import pytest

from demo.data.commentary.generate import load_corpus
from demo.data.commentary.markup import plain_text
from demo.server import OfflineWeb
from store import open_store
from core.schema import url_id
from tests.support.crawl import run_crawl
from core.config import Settings
from tests.support.store_files import store_bytes

SITE = "127.0.0.1"  # comment ids carry the host without the port
API_PAGE_SIZE = 20  # crawler/spiders/news.py asks for this many per API page


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    db = tmp_path_factory.mktemp("news") / "crawl.db"
    with OfflineWeb() as web:
        starts = [f"{web.base_url}/news/pinglun/", f"{web.base_url}/news/daily/"]
        result = run_crawl("news", {"start_urls": ",".join(starts)}, store_url=f"sqlite:///{db}")
        base = web.base_url
    assert result.returncode == 0, result.stderr[-3000:]
    store = open_store(f"sqlite:///{db}", **Settings(dev=True).store_options())
    yield result, store, db, base
    store.close()


def article_url(base: str, site: str, article_id: str) -> str:
    if site == "pinglun":
        return f"{base}/news/pinglun/{article_id}/"
    return f"{base}/news/daily/article/{article_id}.html"


def articles(off_topic: bool = False):
    return [(key, a) for key, s in load_corpus().sites.items() for a in s.articles if a.off_topic == off_topic]


def test_articles_about_closures_are_posts_and_others_are_skipped(crawl):
    result, store, _, base = crawl
    expected = {f"news:{url_id(article_url(base, key, a.id))}" for key, a in articles()}
    assert {p["id"] for p in store.iterate("post")} == expected
    assert result.stat("yuqing/news/off_topic") == len(articles(off_topic=True)) >= 1
    for key, article in articles():
        doc = store.get("post", f"news:{url_id(article_url(base, key, article.id))}")
        assert doc["title"] == article.title and doc["platform"] == "news"
        assert doc["text"] == "\n".join(article.body)
        assert doc["created_at"] == article.published.isoformat()


def test_wordpress_threads_follow_every_comment_page(crawl):
    _, store, _, base = crawl
    for key, article in articles():
        if key != "pinglun":
            continue
        doc = store.get("post", f"news:{url_id(article_url(base, key, article.id))}")
        assert doc["comments_fetched"] == doc["comments_reported"] == article.comment_total
        assert doc["partial"] is False
        for comment in article.comments:
            stored = store.get("comment", f"news:{SITE}:{comment.id}")
            assert stored["text"] == plain_text(comment.text) and stored["reply_to"] is None
            for reply in comment.replies:
                assert store.get("comment", f"news:{SITE}:{reply.id}")["reply_to"] == stored["id"]


def test_api_threads_follow_the_cursor_and_a_broken_page_marks_partial(crawl):
    result, store, _, base = crawl
    for key, article in articles():
        if key != "daily":
            continue
        doc = store.get("post", f"news:{url_id(article_url(base, key, article.id))}")
        assert doc["comments_reported"] == article.comment_total
        if article.failure is None:
            assert doc["comments_fetched"] == article.comment_total and doc["partial"] is False
        else:
            before = article.comments[:(article.failure.page - 1) * API_PAGE_SIZE]
            assert doc["comments_fetched"] == sum(c.thread_size() for c in before)
            assert doc["partial"] is True and doc["partial_reason"] == "error:http_500"
    assert result.stat("yuqing/news/errors/http_500") == 1
    assert result.stat("retry/count") >= 1  # the 500 was retried before the thread gave up


def test_comments_take_the_article_city_and_keep_ip_provinces(crawl):
    _, store, _, _ = crawl
    posts = {p["id"]: p for p in store.iterate("post")}
    comments = list(store.iterate("comment"))
    assert len(comments) >= 250
    for comment in comments:
        assert comment["city"] == posts[comment["post_id"]]["city"]
        assert comment["author_region"] and comment["author_hash"]
    assert len({c["city"] for c in comments}) >= 4


def test_no_nickname_or_user_id_in_the_store(crawl):
    _, _, db, _ = crawl
    raw = store_bytes(db)
    users = [c.user for _, a in articles() for c in a.comments for c in (c, *c.replies)]
    assert users
    assert [u.screen_name for u in users if u.screen_name.encode() in raw] == []
    assert [u.id for u in users if u.id and str(u.id).encode() in raw] == []


def test_the_crawl_run_sums_coverage_over_its_threads(crawl):
    _, store, _, _ = crawl
    posts = list(store.iterate("post"))
    (run,) = list(store.iterate("crawl_run"))
    counts = run["counts"]
    assert counts["yuqing/coverage/threads"] == len(posts)
    assert counts["yuqing/coverage/partial_threads"] == sum(p["partial"] for p in posts) >= 1
    assert counts["yuqing/coverage/comments_fetched"] == sum(p["comments_fetched"] for p in posts)
    reported = [p for p in posts if p["comments_reported"] is not None]
    assert counts["yuqing/coverage/comments_reported"] == sum(p["comments_reported"] for p in reported)
    fetched = sum(p["comments_fetched"] for p in reported)
    assert counts["yuqing/coverage/fetched_share"] == pytest.approx(fetched / counts["yuqing/coverage/comments_reported"],
                                                                    abs=1e-4)
    assert counts["yuqing/coverage/fetched_share"] < 1  # the 500 cut one thread short
