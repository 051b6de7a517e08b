"""Analysis cost by text length: time per 1,000 characters from 100 to 1,000,000 characters.

Run: ``.venv/bin/python bench/analysis_cost.py [--quick] [--no-write]``. Labels one text of
each length as a comment and as an announcement (places, themes, accounts, stance,
sentiment) with the per-text cap lifted, so the figure is the analysis's own cost: a flat
"ms per 1k characters" down the table is linear cost; a column that grows with length is a
quadratic step (account extraction's clause lookup was one: 40,000 characters took 6 s).
The last column is the capped cost POST /analyze and the crawl pay (``MAX_ANALYSIS_CHARS``).
Writes its section of BENCHMARKS.md (``analysis-cost``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import enrich  # noqa: E402
from analysis.enrich import AnalysisOptions, warm_up  # noqa: E402
from analysis.labelling import label_texts  # noqa: E402
from bench.report import write_section  # noqa: E402
from core.config import Settings  # noqa: E402
from core.limits import MAX_ANALYSIS_CHARS  # noqa: E402

LENGTHS = (100, 1_000, 10_000, 100_000, 1_000_000)
QUICK_LENGTHS = (100, 1_000, 10_000)
# A closure notice and the reaction to it, repeated: places, accounts, actions, successors,
# themes and stance cues all recur, as in a long real notice or a pasted thread.
SAMPLE = ("关于停止更新“昆明城管”微信公众号的公告：为推进政务新媒体集约化建设，自2024年6月1日起，"
          "“昆明城管”微信公众号停止更新，相关信息改由“昆明发布”发布。网友说：早就该关了，纯属浪费资源；"
          "也有人问：这个号是哪个部门的？以后去哪里反映问题？")


def text_of(length: int) -> str:
    return (SAMPLE * (length // len(SAMPLE) + 1))[:length]


def seconds(kind: str, text: str, options: AnalysisOptions) -> float:
    started = time.perf_counter()
    label_texts(kind, [{"text": text}], options)
    return time.perf_counter() - started


def measure(lengths, options) -> list[tuple[int, dict[str, float], float]]:
    rows = []
    for length in lengths:
        text = text_of(length)
        cap = enrich.MAX_ANALYSIS_CHARS
        enrich.MAX_ANALYSIS_CHARS = max(length, cap)  # the analysis's own cost, uncapped
        try:
            uncapped = {kind: seconds(kind, text, options) for kind in ("comment", "announcement")}
        finally:
            enrich.MAX_ANALYSIS_CHARS = cap
        capped = seconds("announcement", text, options)
        rows.append((length, uncapped, capped))
    return rows


def table(rows) -> str:
    lines = ["| characters | comment s | comment ms / 1k chars | announcement s | announcement ms / 1k chars "
             f"| announcement s, capped at {MAX_ANALYSIS_CHARS:,} |",
             "|---:|---:|---:|---:|---:|---:|"]
    for length, uncapped, capped in rows:
        per = {k: v / length * 1000 * 1000 for k, v in uncapped.items()}
        lines.append(f"| {length:,} | {uncapped['comment']:.4f} | {per['comment']:.2f} | {uncapped['announcement']:.4f} "
                     f"| {per['announcement']:.2f} | {capped:.4f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="up to 10,000 characters only (smoke run)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    options = AnalysisOptions.from_settings(Settings(_env_file=None))
    warm_up(options)
    seconds("comment", text_of(1_000), options)  # first call fills the segmenter's caches
    body = table(measure(QUICK_LENGTHS if args.quick else LENGTHS, options))
    print(body)
    if not args.no_write:
        write_section("analysis-cost", "Analysis cost by text length", body + "\n\nCommand: "
                      "`.venv/bin/python bench/analysis_cost.py`. Flat ms per 1k characters = linear cost.")


if __name__ == "__main__":
    main()
