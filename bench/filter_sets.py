"""Filters on summaries and timelines: a set from the value index against a check per row.

Run: ``.venv/bin/python bench/filter_sets.py [--comments 1000000] [--rounds 3] [--no-write]``.
Uses ``bench/api.py``'s cached SQLite store of that size (built, or replicated from the
100,000 store, when missing) and answers each filtered summary and timeline the rollups
cannot (so the store scans) both ways in one run: ``filters_as_sets=True``
(``d.pk IN (SELECT doc FROM doc_values …)``, what summaries and timelines use) and the
``EXISTS`` check per row (what searches use). Each cell is the fastest of the rounds; the
ratio is the figure to compare on a shared machine. (Searches keep the row checks: see
``store.sqlite_query.build_where``.)
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from store.base import Query  # noqa: E402
from store.sqlite import SQLiteStore  # noqa: E402
from store.sqlite_query import build_where  # noqa: E402
from store.sqlite_summary import group_field, summarize_groups, timeline_buckets  # noqa: E402

CITY = "西安市"
PROVINCE = "陕西省"
SUMMARIES = [  # (what, kind, by, filters)
    # One city by theme is a rollup look-up since schema 4; one province is not.
    ("comments by theme, one province", "comment", "theme", {"province": PROVINCE}),
    ("comments by city, one theme and platform", "comment", "city", {"themes": "formalism", "platform": "weibo"}),
    ("notices by city, one platform", "announcement", "city", {"platforms": "weibo"}),
]
TIMELINES = [  # (what, kind, interval, filters)
    ("comment weeks, one platform and theme", "comment", "week", {"platform": "weibo", "themes": "formalism"}),
    ("comment days, one city and theme", "comment", "day", {"city": CITY, "themes": "consolidation"}),
]

def _bench_api():
    """bench/api.py as a module (its name would clash with the project's ``api`` package)."""
    spec = importlib.util.spec_from_file_location("bench_api", REPO / "bench" / "api.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_api"] = module
    spec.loader.exec_module(module)
    return module


def cached_store(comments: int, announcements: int) -> Path:
    api = _bench_api()
    base = min(comments, 100_000)
    path, _ = api.build_sqlite(base, announcements, False)
    if comments > base:
        path, _ = api.replicate_sqlite(path, base, comments, announcements)
    return path


def fastest(run: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def measure(path: Path, rounds: int) -> list[tuple[str, float, float]]:
    store = SQLiteStore(path, query_timeout_ms=120_000)
    rows = []
    try:
        with store._reading() as conn:
            for what, kind, by, filters in SUMMARIES:
                field, query = group_field(kind, by), Query(filters=filters)
                times = {}
                for as_sets in (False, True):
                    src = build_where(kind, query, filters_as_sets=as_sets).source()
                    times[as_sets] = fastest(lambda: summarize_groups(conn, kind, field, src, 5), rounds)
                rows.append((f"summary: {what}", times[False], times[True]))
            for what, kind, interval, filters in TIMELINES:
                times = {}
                for as_sets in (False, True):
                    src = build_where(kind, Query(filters=filters), filters_as_sets=as_sets).source()
                    times[as_sets] = fastest(lambda: timeline_buckets(conn, interval, src), rounds)
                rows.append((f"timeline: {what}", times[False], times[True]))
    finally:
        store.close()
    return rows


def table(rows: list[tuple[str, float, float]]) -> str:
    lines = ["| query | row checks (EXISTS), ms | set from the index, ms | sets ÷ checks |", "|---|---:|---:|---:|"]
    lines += [f"| {what} | {a:,.0f} | {b:,.0f} | {b / a:.2f}× |" for what, a, b in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=1_000_000, help="comments in the store (default 1000000)")
    parser.add_argument("--announcements", type=int, default=50_000, help="notices in the store (default 50000)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each query; the fastest is kept (default 3)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    path = cached_store(args.comments, args.announcements)
    load_before = os.getloadavg()[0]
    rows = measure(path, args.rounds)
    load_after = os.getloadavg()[0]
    body = (f"Store: {args.comments:,} comments and {args.announcements:,} notices (`bench/api.py`'s cache, "
            f"`{path.name}`). Each query the rollups cannot answer is run both ways in this run, fastest of "
            f"{args.rounds}. Summaries and timelines use the set (`build_where(..., filters_as_sets=True)`); "
            "searches keep the row checks, which stop at the page. Load average "
            f"{load_before:.1f} before, {load_after:.1f} after.\n\n" + table(rows) +
            f"\n\nCommand: `python bench/filter_sets.py --comments {args.comments}`.")
    print(body)
    if not args.no_write:
        from bench.report import write_section

        write_section("filter_sets", "Filtered summaries: a set from the value index against row checks", body)


if __name__ == "__main__":
    main()
