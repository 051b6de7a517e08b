"""Retries wait longer each time instead of hammering a failing server."""

from scrapy import Spider
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler
from twisted.internet.error import TimeoutError as TxTimeoutError

from crawler.middlewares import BackoffRetryMiddleware


def drive(coro):
    """Run a coroutine that never suspends (the recorded sleep returns at once) without an
    event loop: other tests in the session may leave Twisted's asyncio loop installed."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    raise AssertionError("the middleware suspended on something other than its sleep")


def make(base=1.0, cap=30.0, times=5):
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    crawler = get_crawler(Spider, {"RETRY_TIMES": times, "YUQING_RETRY_BACKOFF_BASE": base,
                                   "YUQING_RETRY_BACKOFF_MAX": cap})
    crawler.spider = crawler._create_spider("t")
    mw = BackoffRetryMiddleware(crawler.settings, sleep=record)
    mw.crawler = crawler
    return mw, waits


def test_each_retry_of_a_5xx_waits_twice_as_long_up_to_the_cap():
    mw, waits = make(base=1.0, cap=3.0)
    request = Request("http://127.0.0.1/a")
    for _ in range(4):
        result = drive(mw.process_response(request, Response(request.url, status=503)))
        assert isinstance(result, Request)
        request = result
    assert waits == [1.0, 2.0, 3.0, 3.0]


def test_timeouts_are_retried_with_backoff_too():
    mw, waits = make(base=0.5)
    result = drive(mw.process_exception(Request("http://127.0.0.1/b"), TxTimeoutError()))
    assert isinstance(result, Request) and waits == [0.5]


def test_success_and_blocks_pass_through_without_waiting():
    mw, waits = make()
    request = Request("http://127.0.0.1/c")
    for status in (200, 418, 432, 404):
        assert isinstance(drive(mw.process_response(request, Response(request.url, status=status))), Response)
    assert waits == []


def test_gives_up_after_retry_times_without_a_last_wait():
    mw, waits = make(times=2)
    request = Request("http://127.0.0.1/d")
    results = []
    for _ in range(3):
        result = drive(mw.process_response(request, Response(request.url, status=500)))
        results.append(result)
        request = result if isinstance(result, Request) else request
    assert [type(r).__name__ for r in results] == ["Request", "Request", "Response"]
    assert waits == [1.0, 2.0]
