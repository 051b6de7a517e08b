"""The progress line of long crawls (crawler/progress.py)."""

from __future__ import annotations

import logging

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.progress import ProgressReporter
from crawler.spiders.gov import GovSpider


def reporter(**settings) -> ProgressReporter:
    crawler = get_crawler(GovSpider, settings_dict=settings)
    crawler.stats.open_spider()
    return ProgressReporter.from_crawler(crawler)


def test_the_line_counts_pages_items_stored_skipped_errors_and_failures():
    progress = reporter()
    stats = progress.stats
    for key, value in {"response_received_count": 12, "item_scraped_count": 5, "yuqing/not_closure": 3,
                       "item_dropped_count": 1, "yuqing/stored/announcement/inserted": 4,
                       "yuqing/stored/account/updated": 2, "yuqing/stored/announcement/unchanged": 9,
                       "yuqing/request_failed": 1, "yuqing/start_failed": 1, "log_count/ERROR": 1}.items():
        stats.set_value(key, value)
    assert progress.line() == "pages 12 | items 5 | stored 6 | skipped 4 | errors 1 | failed 2"


def test_a_clean_crawl_shows_no_failure_or_block_fields():
    progress = reporter()
    progress.stats.set_value("response_received_count", 3)
    assert progress.line() == "pages 3 | items 0 | stored 0 | skipped 0 | errors 0"


def test_the_closing_line_says_how_the_crawl_ended(caplog):
    progress = reporter(YUQING_PROGRESS_INTERVAL=30)
    progress.spider_opened(None)
    assert progress._task is not None and progress._task.running
    with caplog.at_level(logging.INFO, logger="yuqing.progress"):
        progress.spider_closed(None, "finished")
    assert not progress._task.running
    assert "done (finished): pages 0" in caplog.text


def test_interval_zero_switches_it_off():
    with pytest.raises(NotConfigured):
        reporter(YUQING_PROGRESS_INTERVAL=0)
