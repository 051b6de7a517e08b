"""The gov spider on the list-page layout corpus: which links it follows, against the gold.

Run: ``.venv/bin/python bench/layouts.py [--part tuned|held-out|both] [--no-write] [--misses]
[--before TREE]``. ``--before`` adds rows for the spider of an earlier source tree (e.g.
``git archive 8b55592 | tar -x -C /tmp/before``: the corpus with the classifier as it was
before issue 17) crawling the same corpus in the same run.

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
import importlib.util
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demo.layouts.score import CorpusScore, load_gold, score  # noqa: E402
from demo.server import OfflineWeb  # noqa: E402
from tests.support.crawl import run_crawl  # noqa: E402


def _tree_run_crawl(tree: Path):
    """The earlier tree's own ``run_crawl``: it runs ``scrapy crawl`` from that tree's root, so
    the child imports that tree's spider and rules."""
    spec = importlib.util.spec_from_file_location("before_crawl", tree.resolve() / "tests" / "support" / "crawl.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module.run_crawl


def crawl_part(web: OfflineWeb, gold: dict, held_out: bool, workdir: Path, tree: Path | None = None) -> CorpusScore:
    starts = [web.url(v["start"]) for v in gold["variants"] if gold["layouts"][v["layout"]]["held_out"] == held_out]
    web.clear_requests()
    workdir.mkdir(parents=True, exist_ok=True)
    crawl = run_crawl if tree is None else _tree_run_crawl(tree)
    result = crawl("gov", {"start_urls": ",".join(starts)}, store_url=None, workdir=workdir)
    if result.returncode != 0:
        raise SystemExit(f"crawl failed ({result.returncode}):\n{result.stderr[-3000:]}")
    found = score(gold, web.requests, [i["url"] for i in result.items], held_out=held_out)
    if tree is not None:
        found.part += f" (before: {tree.name})"
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("tuned", "held-out", "both"), default="both")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    parser.add_argument("--misses", action="store_true", help="list every variant's misses and wrong follows")
    parser.add_argument("--before", type=Path, help="an earlier source tree whose spider is scored too")
    args = parser.parse_args(argv)
    gold = load_gold()
    parts = {"tuned": [False], "held-out": [True], "both": [False, True]}[args.part]
    scores = []
    with OfflineWeb() as web, tempfile.TemporaryDirectory(prefix="yuqing-layouts-") as scratch:
        for held_out in parts:
            if args.before is not None:
                scores.append(crawl_part(web, gold, held_out, Path(scratch) / f"before-{held_out}", args.before))
            scores.append(crawl_part(web, gold, held_out, Path(scratch) / ("held" if held_out else "tuned")))
    for s in scores:
        print(s.summary())
        if args.misses:
            print(s.misses_by_layout())
    if not args.no_write and args.part == "both":
        from bench.report import write_section

        held = [lid for lid, meta in gold["layouts"].items() if meta["held_out"]]
        command = "`.venv/bin/python bench/layouts.py" + (f" --before {args.before}" if args.before else "") + "`"
        if args.before:
            command += (f" (`{args.before}`: an earlier source tree, e.g. `git archive 8b55592 | tar -x -C "
                        f"{args.before}` — the corpus with the spider as it was before issue 17)")
        body = (f"Command: {command}. The gov spider crawls every variant "
                "(1, 3 and 20 rows) of every layout in `demo/web/layouts/` over loopback HTTP; the offline "
                "web's request log is scored against `_gold.yaml` (`demo/layouts/score.py`). "
                f"Held-out layouts, written before tuning and never tuned on: {', '.join(held)}.\n\n"
                "| part | layouts | recall | precision | further pages | closures |\n|---|---|---|---|---|---|\n")
        for s in scores:
            body += (f"| {s.part} | {len({v.layout for v in s.variants})} | {s.recall:.3f} | {s.precision:.3f} | "
                     f"{s._sum('pages_found')}/{s._sum('pages')} | {s._sum('closures_found')}/{s._sum('closures')} |\n")
        body += ("\nAll layouts, held-out ones included, were written for this project (modelled on real CMS "
                 "families, not copied); no figure here comes from real government list pages, which this "
                 "corpus does not hold. A new site is judged with `yuqing explain URL`.\n")
        body += "\nMisses and wrong follows by layout (this tree):\n\n```\n"
        body += "\n".join(f"{s.part}:\n{s.misses_by_layout()}" for s in scores if "before" not in s.part) + "\n```\n"
        write_section("layouts", "Gov spider: list-page layout corpus", body)


if __name__ == "__main__":
    main()
