"""Re-crawls fetch only what changed: pages a second demo crawl asks for, against the first.

Run: ``.venv/bin/python bench/recrawl.py [--no-write]``.
Serves the offline web and crawls every government site plus the changing column
(``demo/apps/watch.py``) with ``yuqing crawl gov``, as ``yuqing schedule`` runs it, into one
fresh SQLite store, four times:

1. first crawl (empty store);
2. again, nothing changed;
3. again after the column changed (one notice edited, one deleted, one withdrawn, one new);
4. ``--full``, for reference: what every re-crawl cost before (every list page, every notice).

Per run: requests the offline web served, pages answered in full (200), answers 304 Not
Modified, known notices not asked for (checked within the refresh interval, no validators),
and list pages not walked. Counts, not timings: they do not depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demo.apps import watch  # noqa: E402
from demo.server import OfflineWeb  # noqa: E402
from store import open_store  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


@dataclass
class RunFigures:
    name: str
    requests: int
    full_pages: int
    not_modified: int
    fresh: int
    list_stop: int
    exit_code: int


def crawl(web: OfflineWeb, store_url: str, *extra: str) -> int:
    starts = [*web.gov_start_urls(), web.url(watch.LIST)]
    env = {**os.environ, "YUQING_DEV": "1", "YUQING_DOWNLOAD_DELAY": "0", "YUQING_STORE": store_url}
    args = [a for url in starts for a in ("--start-url", url)]
    done = subprocess.run([sys.executable, "-m", "yuqing.cli", "crawl", "gov", *extra, *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=900)
    return done.returncode


def last_run(store_url: str) -> dict:
    store = open_store(store_url)
    try:
        runs = sorted(store.iterate("crawl_run"), key=lambda r: r["started_at"])
    finally:
        store.close()
    return runs[-1]["counts"]


def measure() -> list[RunFigures]:
    figures = []
    with tempfile.TemporaryDirectory() as tmp, OfflineWeb() as web:
        store_url = f"sqlite:///{Path(tmp) / 'recrawl.db'}"
        watch.set_epoch(0)
        try:
            for name, epoch, extra in [("1. first crawl", 0, ()), ("2. again, nothing changed", 0, ()),
                                       ("3. after the column changed", 1, ()),
                                       ("4. --full (every page again)", 1, ("--full",))]:
                watch.set_epoch(epoch)
                web.clear_requests()
                code = crawl(web, store_url, *extra)
                served = [r for r in web.requests if not r.endswith("/robots.txt")]
                robots = len(web.requests) - len(served)
                counts = last_run(store_url)
                figures.append(RunFigures(name, len(served), counts.get("response_received_count", 0) - robots,
                                          counts.get("yuqing/incremental/not_modified", 0),
                                          counts.get("yuqing/incremental/fresh", 0),
                                          counts.get("yuqing/incremental/list_stop", 0), code))
        finally:
            watch.set_epoch(0)
    return figures


def table(figures: list[RunFigures]) -> str:
    first = figures[0].requests
    rows = ["| run | requests | share of the first | full pages (200) | 304 Not Modified | known, not asked for "
            "| list pages not walked | exit |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for f in figures:
        rows.append(f"| {f.name} | {f.requests} | {f.requests / first:.0%} | {f.full_pages} | {f.not_modified} "
                    f"| {f.fresh} | {f.list_stop} | {f.exit_code} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> list[RunFigures]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    figures = measure()
    body = (table(figures) + "\n\nThe offline web's nine government sites plus the changing column "
            "(`demo/apps/watch.py`), crawled by `yuqing crawl gov` into one SQLite store. Requests exclude "
            "robots.txt. Static pages of the offline web send no validators, so a known notice there is not "
            "asked for again within the refresh interval (`YUQING_REFRESH_HOURS`, 24 h); the column's pages "
            "send ETag and Last-Modified, so its known notices on the list pages walked are asked for "
            "conditionally (304). Run 3 finds the edit (a 200 for the changed notice), the new notice, and the "
            "two notices gone from the list (counted missing; a second run confirms the takedown). "
            "`python bench/recrawl.py`.")
    print(body)
    if not args.no_write:
        from bench.report import write_section

        write_section("recrawl", "Re-crawls: pages fetched by a second crawl against the first", body)
    return figures


if __name__ == "__main__":
    main()
