"""The weibo spider's callbacks fed with the offline web's own answers, without a crawl:
``since``, ``max_pages``, the comment page limit, the cookie header and the salt check."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.http import Request, TextResponse
from scrapy.utils.test import get_crawler

from crawler.items import CommentItem, PostItem, ThreadCoverageItem
from crawler.spiders.weibo import WeiboSpider
from demo.apps import DemoRequest
from demo.apps import weibo as app
from demo.data.commentary.generate import load_corpus
from core.config import Settings

BASE = "http://offline.test/weibo"
COOKIE = "SUB=unit-test-cookie-value"


def spider(**args) -> WeiboSpider:
    crawler = get_crawler(WeiboSpider, {"YUQING_SETTINGS": Settings(dev=True, weibo_cookie=COOKIE)})
    return crawler._create_spider(base_url=BASE, **args)


def answer(request: Request) -> TextResponse:
    """What the offline Weibo app answers to ``request`` (called in-process)."""
    parts = urlsplit(request.url)
    demo = DemoRequest("GET", parts.path, parse_qs(parts.query, keep_blank_values=True), {"Host": "offline.test"})
    reply = app.handle(demo)
    return TextResponse(request.url, status=reply.status, headers=reply.headers, body=reply.body,
                        encoding="utf-8", request=request)


def run_callbacks(s: WeiboSpider, requests: list[Request], limit: int = 2000) -> list:
    """Drive the callbacks breadth-first until no request is left; return every item."""
    items, queue = [], list(requests)
    while queue and limit:
        limit -= 1
        request = queue.pop(0)
        for out in request.callback(answer(request), **request.cb_kwargs) or []:
            (queue if isinstance(out, Request) else items).append(out)
    assert not queue, "callbacks did not finish"
    return items


def start(s: WeiboSpider) -> list[Request]:
    """The spider's start requests. ``start()`` is an async generator that never awaits, so it
    is stepped by hand: no event loop (another test may have one running in this process)."""
    requests, agen = [], s.start()
    while True:
        try:
            agen.__anext__().send(None)
        except StopIteration as step:
            requests.append(step.value)
        except StopAsyncIteration:
            return requests


def test_requests_carry_the_cookie_header_and_refuse_redirects():
    s = spider(keywords="停更")
    (request,) = start(s)
    assert request.headers.get("Cookie") == COOKIE.encode()
    assert request.meta["dont_redirect"] and 302 in request.meta["handle_httpstatus_list"]
    assert 418 in request.meta["handle_httpstatus_list"] and 432 in request.meta["handle_httpstatus_list"]
    assert COOKIE not in repr(s.run_args) and "cookie" not in s.run_args


def test_since_skips_older_posts_and_max_pages_bounds_the_search():
    s = spider(keywords="政务新媒体", max_pages="1", since="2024-06-01", max_comment_pages="1")
    items = run_callbacks(s, start(s))
    posts = [i for i in items if isinstance(i, PostItem)]
    first_page = app.matching_posts("政务新媒体")[:app.SEARCH_PAGE_SIZE]
    expected = {f"weibo:{p.id}" for p in first_page if p.created.date().isoformat() >= "2024-06-01"}
    assert {p.id for p in posts} == expected and expected
    stats = s.crawler.stats.get_stats()
    assert stats["yuqing/weibo/search_pages"] == 1
    assert stats["yuqing/weibo/search_page_limit"] == 1
    assert stats["yuqing/weibo/before_since"] == len(first_page) - len(expected)


def test_comment_page_limit_marks_threads_partial():
    s = spider(keywords="政务新媒体", max_pages="1", since="2024-06-01", max_comment_pages="1")
    items = run_callbacks(s, start(s))
    coverage = {c.post_id: c for c in items if isinstance(c, ThreadCoverageItem)}
    corpus = load_corpus()
    for post_id, cov in coverage.items():
        post = corpus.post(post_id.removeprefix("weibo:"))
        comments = [i for i in items if isinstance(i, CommentItem) and i.post_id == post_id]
        assert cov.comments_fetched == len(comments) == len({c.id for c in comments})
        needs_more = len(post.comments) > app.HOTFLOW_PAGE_SIZE or any(
            len(c.replies) > app.INLINE_REPLIES for c in post.comments[:app.HOTFLOW_PAGE_SIZE])
        assert cov.partial == needs_more
        if needs_more:
            assert "page_limit" in cov.partial_reason


def test_posts_come_before_their_comments():
    s = spider(keywords="停更", max_pages="1")
    items = run_callbacks(s, start(s))
    seen_posts: set[str] = set()
    for item in items:
        if isinstance(item, PostItem):
            seen_posts.add(item.id)
        elif isinstance(item, (CommentItem, ThreadCoverageItem)):
            assert item.post_id in seen_posts


def test_without_a_given_salt_the_spider_hashes_with_the_installations_own(tmp_path):
    salt_file = tmp_path / ".author_salt"
    crawler = get_crawler(WeiboSpider, {"YUQING_SETTINGS": Settings(_env_file=None, author_salt_file=salt_file)})
    s = crawler._create_spider(keywords="停更")
    assert s.author_salt == salt_file.read_text().strip() and len(s.author_salt) == 64
    with pytest.raises(ValueError, match="YUQING_AUTHOR_SALT"):
        get_crawler(WeiboSpider, {"YUQING_SETTINGS": Settings(_env_file=None, author_salt="short")})._create_spider(
            keywords="停更")


def test_keywords_are_required():
    with pytest.raises(ValueError, match="keywords"):
        spider(keywords=" , ")


@pytest.mark.parametrize("kind, reason", [("http_418", "blocked:http_418"), ("captcha", "blocked:captcha"),
                                          ("redirect_login", "blocked:login")])
def test_a_block_on_the_long_text_keeps_the_preview_and_asks_for_no_comments(kind, reason):
    s = spider(keywords="停更", max_pages="1")
    (search,) = start(s)
    requests = [r for r in search.callback(answer(search)) if isinstance(r, Request)]
    extend = next(r for r in requests if r.callback == s.parse_long_text)
    reply = app.failure_response(kind, "offline.test", f"{extend.meta['post_id']}:extend", 1)
    blocked = TextResponse(extend.url, status=reply.status, headers=reply.headers, body=reply.body,
                           encoding="utf-8", request=extend)
    out = list(extend.callback(blocked))
    post = next(i for i in out if isinstance(i, PostItem))
    coverage = next(i for i in out if isinstance(i, ThreadCoverageItem))
    assert [o for o in out if isinstance(o, Request)] == []  # nothing more asked for this post
    assert post.text and not post.text.endswith("全文")  # the preview, without its 全文 link
    assert coverage.partial and coverage.partial_reason == f"{reason}; long_text_missing"
    assert coverage.comments_fetched == 0 and coverage.comments_reported == post.comments_reported > 0
    assert s.crawler.stats.get_value(f"yuqing/blocked/{reason.split(':')[1]}") == 1


def test_since_is_recorded_for_the_crawl_run_as_iso_text():
    s = spider(keywords="停更", since="2024-06-01")
    assert s.since == "2024-06-01T00:00:00+08:00"
    assert spider(keywords="停更").since is None


def test_the_search_stops_at_the_first_page_entirely_before_since():
    """Search results come newest first: once a whole page is older than --since, later pages
    can only be older still, so they are not asked for."""
    posts = app.matching_posts("停更")
    assert len(posts) > app.SEARCH_PAGE_SIZE, "the offline search needs two pages for this test"
    after_all = (max(p.created for p in posts).date().replace(year=2030)).isoformat()
    s = spider(keywords="停更", max_pages="10", since=after_all, max_comment_pages="1")
    assert [i for i in run_callbacks(s, start(s)) if isinstance(i, PostItem)] == []
    stats = s.crawler.stats.get_stats()
    assert stats["yuqing/weibo/search_pages"] == 1 and stats["yuqing/weibo/since_stop"] == 1
    unbounded = spider(keywords="停更", max_pages="10", max_comment_pages="1")
    run_callbacks(unbounded, start(unbounded))
    assert unbounded.crawler.stats.get_stats()["yuqing/weibo/search_pages"] >= 2
    assert "yuqing/weibo/since_stop" not in unbounded.crawler.stats.get_stats()
