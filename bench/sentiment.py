"""Sentiment throughput: stock snownlp against analysis.sentiment on the same 10,000 comments.

Run: ``.venv/bin/python bench/sentiment.py [--count N]``. Prints texts/s for both, their ratio
and the largest score difference, and writes them to BENCHMARKS.md (section ``sentiment``).

The fast scorer is timed from empty caches (``reset_caches``: no context tables, no segment
memo), so the figure includes filling them; the texts are generated comments with random
character substitutions, so most ideograph runs are new to the memo. Model loading (a few
seconds, once per process) is reported apart, as stock snownlp's import-time load is.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import sentiment  # noqa: E402
from quality.sentiment_samples import sample_texts  # noqa: E402
from bench.report import write_section  # noqa: E402

SEED = 2024


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="texts to score (default 10000)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    texts = sample_texts(args.count, seed=SEED, comments_only=True)
    chars = sum(map(len, texts)) / len(texts)

    started = time.perf_counter()
    import snownlp

    stock_load = time.perf_counter() - started
    started = time.perf_counter()
    sentiment.score("预热")
    fast_load = time.perf_counter() - started

    started = time.perf_counter()
    stock = [snownlp.SnowNLP(t).sentiments for t in texts]
    stock_s = time.perf_counter() - started

    sentiment.reset_caches()
    started = time.perf_counter()
    batch = sentiment.score_many(texts)
    batch_s = time.perf_counter() - started

    sentiment.reset_caches()
    started = time.perf_counter()
    single = [sentiment.score(t) for t in texts]
    single_s = time.perf_counter() - started

    fresh = sample_texts(args.count, seed=SEED + 1, comments_only=True)
    started = time.perf_counter()
    sentiment.score_many(fresh)
    warm_s = time.perf_counter() - started

    max_diff = max(max(abs(a - b) for a, b in zip(stock, batch)), max(abs(a - b) for a, b in zip(stock, single)))
    over = sum(abs(a - b) > 1e-9 for a, b in zip(stock, batch)) + sum(abs(a - b) > 1e-9 for a, b in zip(stock, single))
    n = len(texts)
    rows = [
        ("stock `SnowNLP(t).sentiments`", rate(n, stock_s), 1.0),
        ("`score_many(texts)`, empty caches", rate(n, batch_s), stock_s / batch_s),
        ("`score(t)` one at a time, empty caches", rate(n, single_s), stock_s / single_s),
        (f"`score_many` on {n:,} *other* comments, warm tables", rate(n, warm_s), stock_s / warm_s),
    ]
    table = "| scorer | texts/s | × stock |\n|---|---:|---:|\n" + "\n".join(
        f"| {name} | {r:,.0f} | {x:.1f} |" for name, r, x in rows
    )
    body = (
        f"{n:,} generated Weibo-style comments (mean {chars:.1f} characters; "
        f"`quality.sentiment_samples`, seed {SEED}), one core.\n\n{table}\n\n"
        f"Largest |fast − stock| over all {2 * n:,} fast scores: **{max_diff:.3g}** "
        f"({over} above 1e-9). Model load: stock import {stock_load:.1f} s, fast scorer {fast_load:.1f} s "
        f"(once per process)."
    )
    print(body)
    if not args.no_write:
        write_section("sentiment", "Sentiment: stock snownlp vs analysis.sentiment", body)


if __name__ == "__main__":
    main()
