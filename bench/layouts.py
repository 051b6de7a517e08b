"""The gov spider on the list-page layout corpus: which links it follows, against the gold.

Run: ``.venv/bin/python bench/layouts.py [--part tuned|held-out|both] [--no-write] [--misses]``.

Serves the offline web, crawls every variant's start page of the chosen part with
``scrapy crawl gov`` (a real crawl over loopback HTTP, items to a feed), and scores the
offline web's request log with ``demo.layouts.score``: recall and precision of notice links,
further list pages found, closure notices extracted. The held-out layouts (``held_out`` in
``demo/web/layouts/_gold.yaml``) were written with the rest, before any tuning, and are
never used to tune ``crawler/extraction/listing.py`` or ``rules.yaml``; both figures are
written to BENCHMARKS.md side by side.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demo.layouts.score import CorpusScore, load_gold, score  # noqa: E402
from demo.server import OfflineWeb  # noqa: E402
from tests.support.crawl import run_crawl  # noqa: E402


def crawl_part(web: OfflineWeb, gold: dict, held_out: bool, workdir: Path) -> CorpusScore:
    starts = [web.url(v["start"]) for v in gold["variants"] if gold["layouts"][v["layout"]]["held_out"] == held_out]
    web.clear_requests()
    result = run_crawl("gov", {"start_urls": ",".join(starts)}, store_url=None, workdir=workdir)
    if result.returncode != 0:
        raise SystemExit(f"crawl failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return score(gold, web.requests, [i["url"] for i in result.items], held_out=held_out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("tuned", "held-out", "both"), default="both")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    parser.add_argument("--misses", action="store_true", help="list every variant's misses and wrong follows")
    args = parser.parse_args(argv)
    gold = load_gold()
    parts = {"tuned": [False], "held-out": [True], "both": [False, True]}[args.part]
    scores = []
    with OfflineWeb() as web, tempfile.TemporaryDirectory(prefix="yuqing-layouts-") as scratch:
        for held_out in parts:
            scores.append(crawl_part(web, gold, held_out, Path(scratch) / ("held" if held_out else "tuned")))
    for s in scores:
        print(s.summary())
        if args.misses:
            print(s.misses_by_layout())
    if not args.no_write and args.part == "both":
        from bench.report import write_section

        held = [lid for lid, meta in gold["layouts"].items() if meta["held_out"]]
        body = ("Command: `.venv/bin/python bench/layouts.py`. The gov spider crawls every variant "
                "(1, 3 and 20 rows) of every layout in `demo/web/layouts/` over loopback HTTP; the offline "
                "web's request log is scored against `_gold.yaml` (`demo/layouts/score.py`). "
                f"Held-out layouts, written before tuning and never tuned on: {', '.join(held)}.\n\n"
                "| part | layouts | recall | precision | further pages | closures |\n|---|---|---|---|---|---|\n")
        for s in scores:
            body += (f"| {s.part} | {len({v.layout for v in s.variants})} | {s.recall:.3f} | {s.precision:.3f} | "
                     f"{s._sum('pages_found')}/{s._sum('pages')} | {s._sum('closures_found')}/{s._sum('closures')} |\n")
        body += "\nMisses and wrong follows by layout:\n\n```\n"
        body += "\n".join(f"{s.part}:\n{s.misses_by_layout()}" for s in scores) + "\n```\n"
        write_section("layouts", "Gov spider: list-page layout corpus", body)


if __name__ == "__main__":
    main()
