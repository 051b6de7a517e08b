"""Posts and comments analysed a response at a time: the same documents as one by one, in the
same order, requests let through where the spider yielded them."""

from __future__ import annotations

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from core.config import Settings
from crawler import analysis_batches
from crawler.analysis_batches import AnalyseBatchMiddleware
from crawler.items import CommentItem, PostItem, ThreadCoverageItem
from crawler.pipelines import AnalysePipeline
from crawler.pipelines.analyse import ANALYSED
from crawler.settings import ITEM_PIPELINES

TEXTS = ["早该关了，一年发不了几条", "关了以后去哪看通知？", "一个街道三个号，花钱找公司代运营", "支持整合"]


def drive(coro):
    """Run a coroutine that never suspends, without an event loop (as test_middlewares does)."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    raise AssertionError("suspended")


def run(middleware, outputs: list) -> list:
    async def spider_output():
        for out in outputs:
            yield out

    async def collect():
        return [out async for out in middleware.process_spider_output(None, spider_output())]

    return drive(collect())


def crawler_with(pipelines: dict):
    settings = Settings(_env_file=None, store="sqlite:///unused.db")
    return get_crawler(Spider, {"YUQING_SETTINGS": settings, "ITEM_PIPELINES": pipelines})


def comment(n: int, text: str) -> CommentItem:
    return CommentItem(id=f"weibo:c{n}", post_id="weibo:p1", platform="weibo", text=text)


def without_time(document) -> dict:
    return {k: v for k, v in vars(document).items() if k != "crawled_at"}


def test_a_responses_items_are_analysed_together_and_keep_their_order():
    crawler = crawler_with(ITEM_PIPELINES)
    middleware = AnalyseBatchMiddleware.from_crawler(crawler)
    pipeline = AnalysePipeline.from_crawler(crawler)
    post = PostItem(id="weibo:p1", url="http://127.0.0.1/p1", platform="weibo", text="昆明多个政务号停更",
                    subject_city_hint="昆明市")
    comments = [comment(n, t) for n, t in enumerate(TEXTS)]
    more = Request("http://127.0.0.1/next")
    coverage = ThreadCoverageItem(post_id="weibo:p1", comments_fetched=4)
    outputs = [post, comments[0], comments[1], more, comments[2], comments[3], coverage]
    assert run(middleware, list(outputs)) == outputs  # the same objects, in the spider's order
    for item in [post, *comments]:
        batched = getattr(item, ANALYSED)
        delattr(item, ANALYSED)
        alone = pipeline.process_item(item)  # no document on it: analysed alone
        assert alone is not batched and without_time(batched) == without_time(alone)
    assert not hasattr(coverage, ANALYSED)


def test_the_pipeline_passes_on_the_batchs_document():
    crawler = crawler_with(ITEM_PIPELINES)
    item = comment(9, "支持")
    run(AnalyseBatchMiddleware.from_crawler(crawler), [item])
    assert AnalysePipeline.from_crawler(crawler).process_item(item) is getattr(item, ANALYSED)


def test_a_long_run_of_items_is_analysed_in_bounded_batches(monkeypatch):
    monkeypatch.setattr(analysis_batches, "MAX_BATCH", 3)
    sizes = []
    middleware = AnalyseBatchMiddleware.from_crawler(crawler_with(ITEM_PIPELINES))
    real = middleware.analyse
    monkeypatch.setattr(middleware, "analyse", lambda items: sizes.append(len(items)) or real(items))
    items = [comment(n, TEXTS[n % 4]) for n in range(7)]
    assert run(middleware, list(items)) == items
    assert sizes == [3, 3, 1] and all(hasattr(item, ANALYSED) for item in items)


def test_a_failing_batch_leaves_its_items_to_the_pipeline(monkeypatch, caplog):
    crawler = crawler_with(ITEM_PIPELINES)
    middleware = AnalyseBatchMiddleware.from_crawler(crawler)

    def broken(*args, **kwargs):
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(analysis_batches, "enrich_many", broken)
    items = [comment(n, t) for n, t in enumerate(TEXTS)]
    assert run(middleware, list(items)) == items
    assert not any(hasattr(item, ANALYSED) for item in items) and "analysing each alone" in caplog.text
    assert AnalysePipeline.from_crawler(crawler).process_item(items[0]).stance == "support"


def test_off_when_no_pipeline_analyses():
    with pytest.raises(NotConfigured):
        AnalyseBatchMiddleware.from_crawler(crawler_with({}))
    with pytest.raises(NotConfigured):
        AnalyseBatchMiddleware.from_crawler(crawler_with({"crawler.pipelines.AnalysePipeline": None}))
