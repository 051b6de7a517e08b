"""The crawl's run log names a source that needs attention, with the command to run."""

from __future__ import annotations

import logging
from dataclasses import asdict

from core.schema import CrawlRun
from crawler.source_stats import SourceStatsMiddleware, source_key
from crawler.storage import CrawlStorage
from store import open_store

START = "http://www.km.gov.cn/zwgk/tzgg/"
KEY = source_key("adhoc", START)


class Stats:
    def __init__(self, values):
        self.values = values

    def get_stats(self):
        return dict(self.values)

    def inc_value(self, key, n=1):
        self.values[key] = self.values.get(key, 0) + n


class Spider:
    name = "gov"
    starts = [(START, "adhoc")]


def test_a_source_quiet_for_three_runs_is_logged_with_yuqing_explain(tmp_path, caplog):
    store = open_store(f"sqlite:///{tmp_path / 'runs.db'}")
    figures = [{f"yuqing/source/{KEY}/pages": 4, f"yuqing/source/{KEY}/list_records": 20}] + \
        [{f"yuqing/source/{KEY}/pages": 1}] * 3
    store.upsert("crawl_run", [asdict(CrawlRun(id=f"gov:{n}", spider="gov", started_at=f"2024-06-0{n + 1}T00:00:00Z",
                                               status="finished", counts=c)) for n, c in enumerate(figures)])
    stats = Stats(dict(figures[-1]))
    mw = SourceStatsMiddleware(stats, CrawlStorage(store))
    with caplog.at_level(logging.WARNING, logger="crawler.source_stats"):
        mw.spider_closed(Spider(), "finished")
    assert f"source {KEY} needs attention: no list records in its last 3 runs" in caplog.text
    assert f"`yuqing explain {START}`" in caplog.text
    assert stats.values["yuqing/sources/needs_attention"] == 1
    store.close()


def test_ad_hoc_sites_are_told_apart_and_named_sources_keep_their_id():
    assert source_key("adhoc", START) == "adhoc:www.km.gov.cn_zwgk_tzgg"
    assert source_key("adhoc", "http://www.xa.gov.cn/gsgg/") != source_key("adhoc", START)
    assert source_key("kunming", START) == "kunming"
