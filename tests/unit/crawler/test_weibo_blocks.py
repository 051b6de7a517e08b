"""Block detection (crawler/blocks.py) and thread coverage bookkeeping (crawler/parsing/coverage.py)."""

from __future__ import annotations

import pytest
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler

from crawler.blocks import CAPTCHA, HTTP_418, HTTP_432, LOGIN, advice, detect_block
from crawler.parsing.coverage import (PAGE_LIMIT, STAT_FETCHED, STAT_PARTIAL, STAT_REPORTED, STAT_SHARE,
                                      STAT_THREADS, STAT_UNREPORTED, CommentThread)


@pytest.mark.parametrize("status, headers, payload, reason", [
    (418, {}, None, HTTP_418),
    (432, {}, None, HTTP_432),
    (302, {"Location": b"https://passport.weibo.cn/signin/login?entry=mweibo&r=x"}, None, LOGIN),
    (302, {"Location": [b"https://m.weibo.cn/visitor/visitor?a=b"]}, None, LOGIN),
    (200, {}, {"ok": -100, "url": "https://passport.weibo.cn/signin/welcome?entry=mweibo"}, LOGIN),
    (200, {}, {"ok": "-100", "url": "https://passport.weibo.cn/captcha?scene=limit"}, CAPTCHA),
    (200, {}, {"ok": -100}, LOGIN),
])
def test_each_block_shape(status, headers, payload, reason):
    block = detect_block(status, headers, payload)
    assert block is not None and block.reason == reason
    assert block.stat_key == f"yuqing/blocked/{reason}"
    assert "?" not in block.detail  # login URLs' queries (return addresses) stay out of logs


@pytest.mark.parametrize("status, headers, payload", [
    (200, {}, {"ok": 1, "data": {}}),
    (200, {}, {"ok": 0}),  # end of data, not a block
    (302, {"Location": "https://m.weibo.cn/detail/1"}, None),
    (200, {}, None),
])
def test_ordinary_answers_are_not_blocks(status, headers, payload):
    assert detect_block(status, headers, payload) is None


def test_advice_names_the_cookie_when_one_is_set():
    login = detect_block(200, {}, {"ok": -100, "url": "https://passport.weibo.cn/signin"})
    assert "expired" in advice(login, has_cookie=True)
    assert "set YUQING_WEIBO_COOKIE" in advice(login, has_cookie=False)
    teapot = detect_block(418, {}, None)
    assert "cookie" in advice(teapot, has_cookie=True) and "cookie" not in advice(teapot, has_cookie=False)


def test_thread_counts_distinct_comments_and_reasons():
    thread = CommentThread("weibo:1", comments_reported=5)
    assert thread.add("weibo:2") and not thread.add("weibo:2") and thread.add("weibo:3")
    thread.mark_partial("invalid_json")
    thread.mark_partial("invalid_json")
    cov = thread.coverage()
    assert (cov.post_id, cov.comments_fetched, cov.comments_reported) == ("weibo:1", 2, 5)
    assert cov.partial and cov.partial_reason == "invalid_json"
    assert thread.finished


def test_page_limit_marks_partial_and_stop_drops_the_queue():
    thread = CommentThread("weibo:1", max_pages=2)
    assert thread.may_fetch_page() and thread.may_fetch_page()
    assert not thread.may_fetch_page()
    thread.queue.extend(["a", "b"])
    thread.stop("blocked:login")
    assert thread.next_request() is None
    assert thread.coverage().partial_reason == f"{PAGE_LIMIT}; blocked:login"


def test_complete_thread_is_not_partial():
    cov = CommentThread("news:x").coverage()
    assert not cov.partial and cov.partial_reason is None and cov.comments_fetched == 0


def finish(thread: CommentThread, stats) -> list:
    return list(thread.advance(stats, "weibo"))


def test_thread_ends_add_to_the_runs_coverage_totals():
    stats = get_crawler(Spider).stats
    full = CommentThread("weibo:1", comments_reported=10)
    for n in range(9):
        full.add(f"weibo:1{n}")
    cut = CommentThread("weibo:2", comments_reported=30)
    for n in range(6):
        cut.add(f"weibo:2{n}")
    cut.stop("blocked:captcha")
    unknown = CommentThread("news:3")  # a site that shows no count
    unknown.add("news:31")
    for thread in (full, cut, unknown):
        assert len(finish(thread, stats)) == 1
    assert finish(full, stats) == []  # an ended thread is counted once
    assert stats.get_value(STAT_THREADS) == 3
    assert stats.get_value(STAT_PARTIAL) == 1
    assert stats.get_value(STAT_FETCHED) == 9 + 6 + 1
    assert stats.get_value(STAT_REPORTED) == 10 + 30
    assert stats.get_value(STAT_UNREPORTED) == 1
    # The share compares like with like: the thread without a reported count stays out.
    assert stats.get_value(STAT_SHARE) == pytest.approx((9 + 6) / (10 + 30), abs=1e-4)
