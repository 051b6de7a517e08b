"""Crawling the offline web: what analysis and storage cost on top of fetching and parsing.

Run: ``.venv/bin/python bench/crawl.py [--rounds N] [--quick] [--no-write]``.
Serves the offline web (``demo.server.OfflineWeb``) and crawls it with the gov, weibo and news
spiders, each twice side by side: with the project's pipelines into a fresh SQLite store, and
with ``ITEM_PIPELINES={}`` (fetch and parse only). Each crawl is a real ``scrapy crawl`` in a
child process (``tests/support/crawl.py:run_crawl``; Twisted's reactor runs once per process).

DOWNLOAD_DELAY=0 and AUTOTHROTTLE off, against 127.0.0.1: these figures are the crawler's own
cost. A real crawl waits out politeness delays (0.5 s and more per request to one site), which
dwarf everything measured here.

The pipeline run uses thin timing subclasses of the project's pipelines (below), so it also
reports where its time goes: the model warm-up in ``AnalysePipeline.open_spider``
(``analysis.enrich.warm_up``, once per process, before Scrapy's clock starts and so outside
the crawl's seconds), seconds in analysis per kind (hence comments analysed per second; posts
and comments are analysed a response at a time by ``crawler.analysis_batches``, timed too), and
seconds in storage. Crawl seconds are Scrapy's ``elapsed_time_seconds`` (spider opened to
spider closed, the last store flush included); the child's wall time is printed apart.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.schema import kind_of  # noqa: E402
from analysis.labelling import group_by  # noqa: E402
from crawler.analysis_batches import AnalyseBatchMiddleware  # noqa: E402
from crawler.items import ITEM_KIND  # noqa: E402
from crawler.pipelines import AnalysePipeline, CoveragePipeline, StorePipeline, SubjectPlacePipeline  # noqa: E402

PIPELINES_TIMED = {
    "crawler.pipelines.ValidatePipeline": 100,
    "bench.crawl.TimedAnalysePipeline": 300,
    "bench.crawl.TimedSubjectPlacePipeline": 400,
    "bench.crawl.TimedCoveragePipeline": 700,
    "bench.crawl.TimedStorePipeline": 800,
}
WEIBO_KEYWORDS = "政务新媒体,停更"
# Each crawl here takes about a second, so one burst of load on a shared machine can double
# it. Noise only ever adds time, so the fastest of a few rounds is the figure to keep.
ROUNDS = 3
NEWS_PATHS = ("/news/pinglun/", "/news/daily/")
# Stats the timing pipelines add (seconds are floats; Scrapy's stats take any value).
WARM_UP = "bench/warm_up_seconds"
STORE_SECONDS = "bench/store_seconds"


def analyse_key(kind: str) -> str:
    return f"bench/analyse/{kind}/seconds"


def analysed_key(kind: str) -> str:
    return f"bench/analyse/{kind}/count"


class TimedAnalysePipeline(AnalysePipeline):
    """The project's analysis, with its warm-up and per-kind seconds recorded in the stats."""

    def __init__(self, options, stats=None):
        super().__init__(options)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        plain = AnalysePipeline.from_crawler(crawler)
        return cls(plain.options, stats=crawler.stats)

    def open_spider(self, spider=None):
        started = time.perf_counter()
        super().open_spider(spider)
        self.stats.set_value(WARM_UP, time.perf_counter() - started)

    def process_item(self, item, spider=None):
        started = time.perf_counter()
        out = super().process_item(item, spider)
        kind = kind_of(out)
        if kind is not None:
            self.stats.inc_value(analyse_key(kind), time.perf_counter() - started, start=0.0)
            self.stats.inc_value(analysed_key(kind))
        return out


class WithStats:
    """A crawl component (mixed in before it) that records figures in the crawl's stats."""

    stats = None

    @classmethod
    def from_crawler(cls, crawler):
        component = super().from_crawler(crawler)
        component.stats = crawler.stats
        return component


class TimedAnalyseBatchMiddleware(WithStats, AnalyseBatchMiddleware):
    """The posts and comments analysed a response at a time, their seconds added to the same
    per-kind figures as the pipeline's (which then only passes their documents on)."""

    def analyse(self, items: list) -> None:
        for kind, group in group_by(items, lambda item: ITEM_KIND[type(item)]):
            started = time.perf_counter()
            super().analyse(group)
            self.stats.inc_value(analyse_key(kind), time.perf_counter() - started, start=0.0)


def timed_spider_middlewares() -> dict:
    """The project's spider middlewares with the analysis batches timed (-s replaces the dict)."""
    from crawler import settings as project_settings

    return {**project_settings.SPIDER_MIDDLEWARES, "crawler.analysis_batches.AnalyseBatchMiddleware": None,
            "bench.crawl.TimedAnalyseBatchMiddleware": project_settings.SPIDER_MIDDLEWARES[
                "crawler.analysis_batches.AnalyseBatchMiddleware"]}


class StoreTimed(WithStats):
    """A storage stage (place look-ups, coverage, upserts and the final flush) with its seconds
    recorded in the crawl's stats."""

    def _timed(self, call, *args):
        started = time.perf_counter()
        try:
            return call(*args)
        finally:
            if self.stats:
                self.stats.inc_value(STORE_SECONDS, time.perf_counter() - started, start=0.0)

    def process_item(self, item, spider=None):
        return self._timed(super().process_item, item, spider)


class TimedSubjectPlacePipeline(StoreTimed, SubjectPlacePipeline):
    pass


class TimedCoveragePipeline(StoreTimed, CoveragePipeline):
    pass


class TimedStorePipeline(StoreTimed, StorePipeline):
    def close_spider(self, spider=None):
        return self._timed(super().close_spider, spider)


@dataclass(frozen=True)
class CrawlFigures:
    spider: str
    pipelines: bool
    pages: int
    items: int
    seconds: float
    wall_seconds: float
    warm_up: float = 0.0
    comments: int = 0
    comment_seconds: float = 0.0
    analyse_seconds: float = 0.0
    store_seconds: float = 0.0

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds

    @property
    def items_per_s(self) -> float:
        return self.items / self.seconds


def spider_args(spider: str, base_url: str, start_urls: list[str]) -> dict[str, str]:
    if spider == "gov":
        return {"start_urls": ",".join(start_urls)}
    if spider == "weibo":
        return {"keywords": WEIBO_KEYWORDS, "base_url": f"{base_url}/weibo"}
    return {"start_urls": ",".join(base_url + p for p in NEWS_PATHS)}


def crawl_once(spider: str, args: dict[str, str], pipelines: bool, folder: Path) -> CrawlFigures:
    from tests.support.crawl import run_crawl

    extra = {"LOG_LEVEL": "WARNING", "ITEM_PIPELINES": PIPELINES_TIMED if pipelines else {}}
    if pipelines:
        extra["SPIDER_MIDDLEWARES"] = timed_spider_middlewares()
    if not pipelines:  # nor the crawl-run record: fetch and parse only
        extra["EXTENSIONS"] = {"crawler.runs.CrawlRunRecorder": None}
    db = folder / f"{spider}-{time.monotonic_ns()}.db"
    started = time.perf_counter()
    # A store URL even without pipelines: run_crawl then writes no feed, so both runs do the same work
    # but for the pipelines; with no pipelines and no run record nothing opens the store.
    result = run_crawl(spider, args, store_url=f"sqlite:///{db}", extra_settings=extra, workdir=folder)
    wall = time.perf_counter() - started
    stats = result.stats
    if not stats.get("elapsed_time_seconds"):
        raise SystemExit(f"{spider} crawl left no stats (exit {result.returncode}):\n{result.stderr[-3000:]}")
    kinds = ("announcement", "post", "comment")
    return CrawlFigures(
        spider=spider, pipelines=pipelines, pages=int(stats.get("response_received_count", 0)),
        items=int(stats.get("item_scraped_count", 0)), seconds=float(stats["elapsed_time_seconds"]),
        wall_seconds=wall, warm_up=float(stats.get(WARM_UP, 0.0)),
        comments=int(stats.get(analysed_key("comment"), 0)),
        comment_seconds=float(stats.get(analyse_key("comment"), 0.0)),
        analyse_seconds=sum(float(stats.get(analyse_key(k), 0.0)) for k in kinds),
        store_seconds=float(stats.get(STORE_SECONDS, 0.0)),
    )


def fastest(runs: list[CrawlFigures]) -> CrawlFigures:
    """The least disturbed of repeated crawls: the machine's noise only ever adds time."""
    return min(runs, key=lambda r: r.seconds)


def render(pairs: list[tuple[CrawlFigures, CrawlFigures]], rounds: int, warm_ups: list[float],
           load_before: tuple[float, ...], load_after: tuple[float, ...]) -> str:
    lines = ["| spider | run | pages | items | seconds | pages/s | items/s | wall s |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for off, full in pairs:
        for run, label in ((off, "`ITEM_PIPELINES={}`"), (full, "full pipeline → SQLite")):
            lines.append(f"| {run.spider} | {label} | {run.pages:,} | {run.items:,} | {run.seconds:.2f} | "
                         f"{run.pages_per_s:,.0f} | {run.items_per_s:,.0f} | {run.wall_seconds:.1f} |")
    lines += ["", "| spider | full ÷ off (seconds) | in analysis, s | in storage, s | comments analysed | comments/s in analysis |",
              "|---|---:|---:|---:|---:|---:|"]
    for off, full in pairs:
        per_s = f"{full.comments / full.comment_seconds:,.0f}" if full.comment_seconds else "–"
        lines.append(f"| {full.spider} | **{full.seconds / off.seconds:.2f}×** | {full.analyse_seconds:.2f} | "
                     f"{full.store_seconds:.2f} | {full.comments:,} | {per_s} |")
    load = "{:.2f} / {:.2f} / {:.2f}"
    notes = (
        "The offline web (`demo.server.OfflineWeb`) on 127.0.0.1, each spider crawled with the project's pipelines "
        "into a fresh SQLite store and with `-s ITEM_PIPELINES={}` (fetch and parse only), alternately"
        + (f", {rounds} rounds, the fastest of each kept" if rounds > 1 else "")
        + ". **DOWNLOAD_DELAY=0 and AUTOTHROTTLE off**: this is the crawler's own cost; a real crawl is bound by "
        "its politeness delays (0.5 s or more per request to one site), not by any figure here. Seconds are "
        "Scrapy's `elapsed_time_seconds` (spider opened → closed, the last store flush included, the warm-up "
        "not); wall s is the whole child process (interpreter, imports, warm-up). In analysis / storage: time "
        "inside the analysis and store pipelines' `process_item` (and the store's final flush)."
        f"\n\nOne-off model warm-up (`analysis.enrich.warm_up`, in each crawl process before its first item): "
        f"median **{statistics.median(warm_ups):.1f} s** over {len(warm_ups)} crawls "
        f"(min {min(warm_ups):.1f}, max {max(warm_ups):.1f})."
        f"\n\nMachine shared with other work: load average {load.format(*load_before)} before, "
        f"{load.format(*load_after)} after."
    )
    return notes + "\n\n" + "\n".join(lines)


def main(argv: list[str] | None = None) -> list[tuple[CrawlFigures, CrawlFigures]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help=f"crawls of each spider and mode; the fastest counts (default {ROUNDS})")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: the news spider only (the smallest crawl with comments), one round")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be 1 or more")
    from bench.report import write_section
    from demo.server import OfflineWeb

    spiders, rounds = (["news"], 1) if args.quick else (["gov", "weibo", "news"], args.rounds)
    load_before = os.getloadavg()
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}", flush=True)
    pairs: list[tuple[CrawlFigures, CrawlFigures]] = []
    warm_ups: list[float] = []
    with tempfile.TemporaryDirectory(prefix="yuqing-bench-crawl-") as scratch, OfflineWeb() as web:
        for spider in spiders:
            crawl_args = spider_args(spider, web.base_url, web.gov_start_urls())
            off_runs, full_runs = [], []
            for _ in range(rounds):
                off_runs.append(crawl_once(spider, crawl_args, False, Path(scratch)))
                full_runs.append(crawl_once(spider, crawl_args, True, Path(scratch)))
                warm_ups.append(full_runs[-1].warm_up)
            off, full = fastest(off_runs), fastest(full_runs)
            if (off.pages, off.items) != (full.pages, full.items):
                print(f"warning: {spider}: {off.pages} pages / {off.items} items without pipelines, "
                      f"{full.pages} / {full.items} with them", file=sys.stderr)
            print(f"{spider}: {off.seconds:.2f} s without pipelines, {full.seconds:.2f} s with", flush=True)
            pairs.append((off, full))
    body = render(pairs, rounds, warm_ups, load_before, os.getloadavg())
    print(body)
    if not args.no_write:
        write_section("crawl", "Crawl: the offline web with and without analysis and storage", body)
    return pairs


if __name__ == "__main__":
    main()
