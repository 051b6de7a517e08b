"""A post that names no city takes the city of the announcement it links to.

Researchers' order of work: the gov crawl stores the announcements, then the weibo crawl
finds posts that link to them ("公告原文在这：网页链接"). Both crawls run over HTTP against one
offline web into one SQLite store; the posts' link cards point at announcement pages of that
same server (demo/apps/weibo.py makes ``{link:/gov/…}`` absolute on the request's host).

Also checks the crawl run's coverage totals (FIELD-NOTES: coverage per post *and* per run).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis import places
from demo.apps import weibo as app
from demo.data.commentary.corpus import WeiboPost
from demo.data.commentary.generate import load_corpus
from demo.data.commentary.markup import local_links, plain_text
from store import open_store
from tests.support.crawl import run_crawl
from core.config import Settings

GOV_ROOT = Path(__file__).resolve().parents[2] / "demo" / "web" / "gov"
# Found in the three linking posts only ("公告原文在这：" / "公告原文贴这儿" / "公告原文："),
# so the weibo crawl stays small.
KEYWORD = "公告原文"


def gold_announcements() -> dict[str, dict]:
    """Gold values of every offline announcement page, by path (demo/web/gov/*/expected.yaml)."""
    gold: dict[str, dict] = {}
    for expected in sorted(GOV_ROOT.glob("*/expected.yaml")):
        for entry in yaml.safe_load(expected.read_text(encoding="utf-8")):
            gold[entry["path"]] = entry
    return gold


def linking_posts() -> list[WeiboPost]:
    return [p for p in load_corpus().posts if local_links(p.text)]


@pytest.fixture(scope="module")
def store_after_both_crawls(offline_web, tmp_path_factory):
    db = tmp_path_factory.mktemp("links") / "crawl.db"
    store_url = f"sqlite:///{db}"
    targets = sorted({path for post in linking_posts() for path in local_links(post.text)})
    gov = run_crawl("gov", {"start_urls": ",".join(offline_web.url(p) for p in targets)}, store_url=store_url)
    assert gov.returncode == 0, gov.stderr[-3000:]
    weibo = run_crawl("weibo", {"keywords": KEYWORD, "base_url": f"{offline_web.base_url}/weibo"},
                      store_url=store_url)
    assert weibo.returncode == 0, weibo.stderr[-3000:]
    store = open_store(store_url, **Settings(dev=True).store_options())
    yield store, offline_web.base_url
    store.close()


def test_the_linking_posts_name_no_city_and_link_real_announcements():
    gold = gold_announcements()
    posts = linking_posts()
    assert len(posts) >= 3
    assert {p.id for p in app.matching_posts(KEYWORD)} == {p.id for p in posts}
    for post in posts:
        assert places.resolve_text(plain_text(post.text), region=post.region).city is None, post.id
        for path in local_links(post.text):
            assert gold[path]["closure"] is True and gold[path]["city"], path
    assert len({gold[local_links(p.text)[0]]["city"] for p in posts}) == len(posts)  # different cities


def test_posts_take_the_linked_announcements_city(store_after_both_crawls):
    store, base = store_after_both_crawls
    gold = gold_announcements()
    for post in linking_posts():
        (path,) = local_links(post.text)
        doc = store.get("post", f"weibo:{post.id}")
        assert doc is not None, post.id
        assert doc["links"] == [base + path]  # absolute, on the host the crawl addressed
        announcement = next(a for a in store.iterate("announcement") if a["url"] == base + path)
        assert (announcement["province"], announcement["city"]) == (gold[path]["province"], gold[path]["city"])
        assert (doc["province"], doc["city"]) == (gold[path]["province"], gold[path]["city"]), post.id


def test_their_comments_take_it_too(store_after_both_crawls):
    store, _ = store_after_both_crawls
    gold = gold_announcements()
    by_post: dict[str, list[dict]] = {}
    for comment in store.iterate("comment"):
        by_post.setdefault(comment["post_id"], []).append(comment)
    for post in linking_posts():
        city = gold[local_links(post.text)[0]]["city"]
        comments = by_post.get(f"weibo:{post.id}", [])
        assert len(comments) == post.served_count  # replies included
        assert {c["city"] for c in comments} == {city}, post.id


def test_the_crawl_run_carries_coverage_totals(store_after_both_crawls):
    store, _ = store_after_both_crawls
    (run,) = [r for r in store.iterate("crawl_run") if r["spider"] == "weibo"]
    counts = run["counts"]
    posts = linking_posts()
    assert counts["yuqing/coverage/threads"] == len(posts)
    assert counts["yuqing/coverage/comments_reported"] == sum(p.comments_count for p in posts)
    assert counts["yuqing/coverage/comments_fetched"] == sum(p.served_count for p in posts)
    assert counts["yuqing/coverage/fetched_share"] == pytest.approx(
        sum(p.served_count for p in posts) / sum(p.comments_count for p in posts), abs=1e-4)
    assert counts.get("yuqing/coverage/partial_threads", 0) == 0
