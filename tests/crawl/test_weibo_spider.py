"""The weibo spider over HTTP against the offline web, into a real SQLite store (one crawl
for the module). Every expected number comes from the corpus the offline web serves."""

from __future__ import annotations


import pytest

from demo.apps import weibo as app
from demo.data.commentary.corpus import WeiboPost
from demo.data.commentary.generate import load_corpus
from demo.data.commentary.markup import local_links, plain_text
from demo.server import OfflineWeb
from store import open_store
from tests.support.crawl import run_crawl
from core.schema import pseudonymise
from core.config import Settings
from tests.support.store_files import store_bytes

KEYWORDS = ("政务新媒体", "停更")
COOKIE = "SUB=_2A25Lsecret-cookie-value-never-logged"
SALT = "weibo-crawl-test-salt"
# Failure kinds whose thread goes on with what was already queued (replies of earlier pages).
CONTINUING = {"invalid_json": "invalid_json", "ok0": "ended_early"}
BLOCKING = {"login": "blocked:login", "redirect_login": "blocked:login", "captcha": "blocked:captcha",
            "http_418": "blocked:http_418", "http_432": "blocked:http_432"}


def crawled_posts() -> list[WeiboPost]:
    found: dict[str, WeiboPost] = {}
    for keyword in KEYWORDS:
        for post in app.matching_posts(keyword):
            found.setdefault(post.id, post)
    return list(found.values())


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    db = tmp_path_factory.mktemp("weibo") / "crawl.db"
    with OfflineWeb() as web:
        result = run_crawl("weibo", {"keywords": ",".join(KEYWORDS), "base_url": f"{web.base_url}/weibo"},
                           store_url=f"sqlite:///{db}", extra_settings={"LOG_LEVEL": "DEBUG"},
                           env={"YUQING_WEIBO_COOKIE": COOKIE, "YUQING_AUTHOR_SALT": SALT})
        base = web.base_url
    assert result.returncode == 0, result.stderr[-3000:]
    store = open_store(f"sqlite:///{db}", **Settings(dev=True).store_options())
    yield result, store, db, base
    store.close()


def comments_of(store, post_id: str) -> list[dict]:
    return [c for c in store.iterate("comment") if c["post_id"] == post_id]


def test_every_matching_post_is_stored_once(crawl):
    _, store, _, _ = crawl
    expected = {f"weibo:{p.id}" for p in crawled_posts()}
    stored = {p["id"] for p in store.iterate("post")}
    assert stored == expected
    assert len(expected) >= 12


def test_complete_threads_have_exact_counts(crawl):
    _, store, _, _ = crawl
    complete = [p for p in crawled_posts() if p.failure is None or p.failure.kind == "flaky_503"]
    assert any(len(p.comments) > app.TYPE_SWITCH_PAGE * app.HOTFLOW_PAGE_SIZE for p in complete)
    for post in complete:
        doc = store.get("post", f"weibo:{post.id}")
        assert doc["comments_fetched"] == post.served_count, post.id
        assert doc["comments_reported"] == post.comments_count
        assert doc["partial"] is False and doc["partial_reason"] is None
        assert len(comments_of(store, doc["id"])) == post.served_count


def test_replies_are_linked_to_their_parents(crawl):
    _, store, _, _ = crawl
    checked = 0
    for post in crawled_posts():
        if post.failure is not None:
            continue
        for comment in post.comments:
            for reply in comment.replies:
                doc = store.get("comment", f"weibo:{reply.id}")
                assert doc["reply_to"] == f"weibo:{comment.id}" and doc["post_id"] == f"weibo:{post.id}"
                checked += 1
    assert checked > 50


@pytest.mark.parametrize("kind", sorted(CONTINUING))
def test_broken_pages_mark_the_thread_partial_and_keep_the_rest(crawl, kind):
    _, store, _, _ = crawl
    post = next(p for p in crawled_posts() if p.failure and p.failure.kind == kind)
    before = post.comments[:(post.failure.page - 1) * app.HOTFLOW_PAGE_SIZE]
    doc = store.get("post", f"weibo:{post.id}")
    assert doc["partial"] is True and doc["partial_reason"] == CONTINUING[kind]
    assert doc["comments_fetched"] == sum(c.thread_size() for c in before)
    assert doc["comments_reported"] == post.comments_count


@pytest.mark.parametrize("kind", sorted(BLOCKING))
def test_blocks_stop_their_thread_only(crawl, kind):
    _, store, _, _ = crawl
    post = next(p for p in crawled_posts() if p.failure and p.failure.kind == kind)
    doc = store.get("post", f"weibo:{post.id}")
    assert doc["partial"] is True and doc["partial_reason"] == BLOCKING[kind]
    stored = comments_of(store, doc["id"])
    assert doc["comments_fetched"] == len(stored) < post.served_count
    top_level_before = {f"weibo:{c.id}" for c in post.comments[:(post.failure.page - 1) * app.HOTFLOW_PAGE_SIZE]}
    assert top_level_before <= {c["id"] for c in stored}


def test_block_stats_and_log_lines(crawl):
    result, _, _, _ = crawl
    kinds = [p.failure.kind for p in crawled_posts() if p.failure]
    assert result.stat("yuqing/blocked/login") == kinds.count("login") + kinds.count("redirect_login")
    assert result.stat("yuqing/blocked/captcha") == kinds.count("captcha")
    assert result.stat("yuqing/blocked/http_418") == kinds.count("http_418")
    assert result.stat("yuqing/blocked/http_432") == kinds.count("http_432")
    assert result.stat("yuqing/weibo/invalid_json") == kinds.count("invalid_json")
    assert result.stat("yuqing/weibo/ended_early") == kinds.count("ok0")
    assert result.stat("retry/count") >= kinds.count("flaky_503") >= 1
    # A cookie was configured, so a login wall is blamed on it.
    assert "cookie has probably expired" in result.stderr
    assert result.stat("yuqing/weibo/partial_threads") == len(CONTINUING) + len(BLOCKING)


def test_crawl_run_is_recorded_as_partial(crawl):
    _, store, _, _ = crawl
    (run,) = list(store.iterate("crawl_run"))
    assert run["spider"] == "weibo" and run["status"] == "partial"
    assert run["counts"]["yuqing/blocked/captcha"] >= 1
    assert run["args"]["keywords"] == list(KEYWORDS)


def test_long_posts_are_stored_with_their_full_text(crawl):
    _, store, _, _ = crawl
    long_posts = [p for p in crawled_posts() if len(plain_text(p.text)) > app.LONG_TEXT_LIMIT]
    assert long_posts
    for post in long_posts:
        text = store.get("post", f"weibo:{post.id}")["text"]
        assert text == plain_text(post.text)
        assert not text.endswith("全文")


def test_documents_fields(crawl):
    _, store, _, _ = crawl
    post = next(p for p in crawled_posts() if p.failure is None)
    doc = store.get("post", f"weibo:{post.id}")
    assert doc["created_at"] == post.created.isoformat()
    assert doc["region"] == post.region
    assert (doc["reposts"], doc["likes"]) == (post.reposts, post.likes)
    comment = post.comments[0]
    stored = store.get("comment", f"weibo:{comment.id}")
    assert stored["text"] == plain_text(comment.text)
    assert stored["created_at"] == comment.created.isoformat()
    assert stored["likes"] == comment.likes and stored["author_region"] == comment.region
    assert stored["author_hash"] == pseudonymise("weibo", comment.user.id, SALT)


def test_comments_take_their_posts_city(crawl):
    _, store, _, _ = crawl
    posts = {p["id"]: p for p in store.iterate("post")}
    cities = set()
    for comment in store.iterate("comment"):
        assert comment["city"] == posts[comment["post_id"]]["city"]
        cities.add(comment["city"])
    assert len(cities - {None}) >= 6


def test_no_screen_name_user_id_or_cookie_in_the_store(crawl):
    _, _, db, _ = crawl
    raw = store_bytes(db)
    users = load_corpus().users()
    assert len(users) > 500
    leaked = [u.screen_name for u in users if u.screen_name.encode() in raw]
    leaked += [str(u.id) for u in users if u.id and str(u.id).encode() in raw]
    assert leaked == []
    assert COOKIE.encode() not in raw


def test_the_cookie_never_reaches_the_log(crawl):
    result, _, _, _ = crawl
    assert "DEBUG" in result.stderr and "Crawled (200)" in result.stderr  # the most verbose level ran
    assert COOKIE not in result.stderr and COOKIE not in result.stdout
    assert "Cookie" not in result.stderr


def test_the_crawl_run_sums_coverage_over_its_threads(crawl):
    _, store, _, _ = crawl
    posts = crawled_posts()
    (run,) = list(store.iterate("crawl_run"))
    counts = run["counts"]
    assert counts["yuqing/coverage/threads"] == len(posts)
    assert counts["yuqing/coverage/partial_threads"] == len(CONTINUING) + len(BLOCKING)
    assert counts["yuqing/coverage/comments_reported"] == sum(p.comments_count for p in posts)
    stored = list(store.iterate("post"))
    assert counts["yuqing/coverage/comments_fetched"] == sum(p["comments_fetched"] for p in stored)
    assert counts["yuqing/coverage/comments_fetched"] == sum(1 for _ in store.iterate("comment"))
    assert counts["yuqing/coverage/fetched_share"] == pytest.approx(
        counts["yuqing/coverage/comments_fetched"] / counts["yuqing/coverage/comments_reported"], abs=1e-4)


def test_link_cards_to_offline_announcements_arrive_absolute(crawl):
    """Without a gov crawl into this store, a post that names no city keeps none: its city can
    only come from the announcement (tests/crawl/test_commentary_links.py has both crawls)."""
    _, store, _, base = crawl
    linking = [p for p in crawled_posts() if local_links(p.text)]
    assert linking
    for post in linking:
        doc = store.get("post", f"weibo:{post.id}")
        assert doc["links"] == [base + path for path in local_links(post.text)]
        assert doc["city"] is None


def test_one_person_commenting_under_several_posts_is_one_pseudonym(crawl):
    """Distinct voices are countable: the same account gets the same hash across threads,
    and different accounts different hashes (the offline data has regular commenters)."""
    _, store, _, _ = crawl
    comments = list(store.iterate("comment"))
    by_author: dict[str, set[str]] = {}
    for c in comments:
        by_author.setdefault(c["author_hash"], set()).add(c["post_id"])
    assert None not in by_author
    assert len(by_author) < len(comments)
    assert any(len(posts) >= 2 for posts in by_author.values())
