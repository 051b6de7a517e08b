"""Gov spider throughput against ``scrapy bench``, in the same run (issue 19, item 4).

Run: ``.venv/bin/python bench/gov_throughput.py [--rounds N] [--no-write]``.

Alternately, ``--rounds`` times: ``scrapy bench`` (Scrapy's own link-following spider on its
local server, for ``BENCH_SECONDS``) and the gov spider without pipelines over the whole
list-page layout corpus (``demo/web/layouts/``: 103 list pages and ~720 notices, every page
read as a list and every notice through article extraction) on the offline web. Pages/s is
``response_received_count / elapsed_time_seconds`` from each crawl's own stats; the fastest
round of each is kept (noise on a shared machine only ever adds time). The ratio is the
figure: both crawls see the same machine at the same time.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demo.layouts.score import load_gold  # noqa: E402
from demo.server import OfflineWeb  # noqa: E402
from tests.support.crawl import run_crawl  # noqa: E402

ROUNDS = 3
# scrapy bench runs until stopped; 10 s is past its ramp-up (its first second is slow).
BENCH_SECONDS = 10


def scrapy_bench(workdir: Path) -> float:
    """Pages/s of ``scrapy bench`` (run outside the project, with Scrapy's defaults)."""
    done = subprocess.run([sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={BENCH_SECONDS}"],
                          cwd=workdir, capture_output=True, text=True, timeout=120)
    pages = re.search(r"'response_received_count': (\d+)", done.stderr)
    seconds = re.search(r"'elapsed_time_seconds': ([\d.]+)", done.stderr)
    if not (pages and seconds):
        raise SystemExit(f"scrapy bench printed no stats:\n{done.stderr[-2000:]}")
    return int(pages.group(1)) / float(seconds.group(1))


def gov_crawl(web: OfflineWeb, workdir: Path) -> tuple[float, int]:
    gold = load_gold()
    starts = [web.url(v["start"]) for v in gold["variants"]]
    result = run_crawl("gov", {"start_urls": ",".join(starts)}, store_url=None, workdir=workdir,
                       extra_settings={"LOG_LEVEL": "WARNING"})
    if result.returncode != 0:
        raise SystemExit(f"gov crawl failed:\n{result.stderr[-3000:]}")
    pages = result.stats["response_received_count"]
    return pages / result.stats["elapsed_time_seconds"], pages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    bench, gov, pages = [], [], 0
    load_before = os.getloadavg()
    with OfflineWeb() as web, tempfile.TemporaryDirectory(prefix="yuqing-gov-tp-") as scratch:
        for n in range(args.rounds):
            bench.append(scrapy_bench(Path(scratch)))
            rate, pages = gov_crawl(web, Path(scratch) / f"gov{n}")
            gov.append(rate)
            print(f"round {n + 1}: scrapy bench {bench[-1]:.1f} pages/s, gov spider {gov[-1]:.1f} pages/s", flush=True)
    load_after = os.getloadavg()
    ratio = max(gov) / max(bench)
    print(f"fastest: scrapy bench {max(bench):.1f}, gov {max(gov):.1f} pages/s; ratio {ratio:.2f}")
    if not args.no_write:
        from bench.report import write_section

        body = (f"Command: `.venv/bin/python bench/gov_throughput.py --rounds {args.rounds}`. `scrapy bench` "
                f"({BENCH_SECONDS} s) and the gov spider without pipelines over the layout corpus ({pages} pages, "
                f"DOWNLOAD_DELAY=0), alternately, fastest of {args.rounds} rounds each.\n\n"
                "| crawl | pages/s |\n|---|---|\n"
                f"| scrapy bench | {max(bench):.1f} |\n| gov spider, layout corpus | {max(gov):.1f} |\n"
                f"| ratio | **{ratio:.2f}** |\n\n"
                f"Load average {load_before[0]:.1f} before, {load_after[0]:.1f} after (2 cores shared with other work: "
                "the ratio, not the pages/s, is the figure to compare).")
        write_section("gov_throughput", "Gov spider throughput against scrapy bench", body)


if __name__ == "__main__":
    main()
