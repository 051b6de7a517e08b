"""The embedded SQLite store at realistic scale: indexing, searching, summaries, size, memory.

Run: ``.venv/bin/python bench/store.py [--sizes 10000,100000] [--quick] [--no-write]``.
For each size N it builds a fresh store in a temporary folder with N comments and 5,000
closure notices (``bench/store_corpus.py``, seeded) and measures, in that one run:

- upsert throughput in batches of 500 (as a crawl's pipeline sends them, larger than its 100),
  and re-upserting the same documents unchanged (a scheduled re-crawl: should be cheap);
- search latency p50/p95 (count + one page of 20 with highlights, as the API asks) for
  2-character terms, longer terms, a quoted phrase, a city filter and a deep page;
- the baseline a user would otherwise write: ``LIKE '%term%'`` (count + first page) over a
  plain table of the same comment texts in its own file, timed alternately with the store's
  search so machine noise hits both alike; hits of both are printed, and must agree;
- summaries by city and theme; the file's size per document (after a WAL checkpoint) and the
  full-text tables' share of it (``dbstat``); peak RSS of this process after indexing.

Documents are generated batch by batch while indexing, so the RSS figure is the store's
working set plus the interpreter, not a list of 100,000 dicts. ``ru_maxrss`` only grows, so
sizes run smallest first. The load average before and after is printed: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import store_corpus  # noqa: E402
from bench.report import write_section  # noqa: E402
from store.base import Query  # noqa: E402
from store.sqlite import SQLiteStore  # noqa: E402
from store.sqlite_query import MAX_RESULT_WINDOW  # noqa: E402

SEED = 2024
ANNOUNCEMENTS = 5_000
BATCH = 500
PAGE_SIZE = 20
# Repetitions per search: enough for a stable p95 (the 19th of 20) in a few seconds.
REPS = 20
SUMMARY_REPS = 5
QUICK = {"sizes": [1_000], "announcements": 200, "reps": 3, "summary_reps": 1}
TWO_CHAR_TERMS = ("关停", "注销")
BUSIEST_CITY = "昆明市"  # the corpus draws cities with Zipf weights; this one leads


@dataclass(frozen=True)
class Latency:
    name: str
    p50_ms: float
    p95_ms: float
    hits: int


@dataclass(frozen=True)
class Baseline:
    term: str
    store: Latency
    like: Latency
    count_only: Latency  # the store's count of the same hits (Store.count), part of every search

    @property
    def ratio(self) -> float:
        return self.like.p50_ms / self.store.p50_ms if self.store.p50_ms else float("inf")


@dataclass(frozen=True)
class SizeResult:
    comments: int
    announcements: int
    upsert_comments_per_s: float
    upsert_announcements_per_s: float
    reupsert_per_s: float
    reupsert_unchanged: int
    searches: list[Latency]
    baselines: list[Baseline]
    summaries: list[Latency]
    bytes_per_doc: float
    bytes_per_announcement: float
    bytes_per_comment: float
    file_mb: float
    search_index_mb: float  # the Tantivy directory beside the file (store/sqlite_search_index.py)
    shares: "FileShares"
    peak_rss_mb: float


@dataclass(frozen=True)
class FileShares:
    """Where the file's pages go (SQLite's ``dbstat``), each table with its indexes."""

    documents: float  # docs: the JSON and the columns summaries read
    values: float  # doc_values: one row per filter field value
    fulltext: float  # fts_*: the bigram index


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def latency(name: str, seconds: list[float], hits: int) -> Latency:
    return Latency(name, statistics.median(seconds) * 1000, percentile(seconds, 0.95) * 1000, hits)


def timed(call: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    hits = call()
    return time.perf_counter() - started, hits


def batches(docs: Iterable[dict], size: int = BATCH) -> Iterator[list[dict]]:
    it = iter(docs)
    while batch := list(islice(it, size)):
        yield batch


def peak_rss_mb() -> float:
    # ru_maxrss is KiB on Linux (bytes on macOS, where this reads 1024× too high).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def index(store: SQLiteStore, kind: str, docs: Iterable[dict], expect: str) -> tuple[float, int]:
    """Upsert ``docs`` in batches; seconds spent in ``upsert`` only (not generating), and count."""
    seconds, count = 0.0, 0
    for batch in batches(docs):
        started = time.perf_counter()
        report = store.upsert(kind, batch)
        seconds += time.perf_counter() - started
        count += len(batch)
        done = getattr(report, expect)
        if report.errors or done != len(batch):
            raise SystemExit(f"upsert of {kind} did not {expect} every document: {report}")
    return seconds, count


class LikeTable:
    """What a user without the full-text index runs: ``text LIKE '%term%'`` over a plain table."""

    def __init__(self, path: Path, texts: Iterable[str]):
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("CREATE TABLE comments (pk INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        self.conn.execute("BEGIN")
        self.conn.executemany("INSERT INTO comments (text) VALUES (?)", ((t,) for t in texts))
        self.conn.execute("COMMIT")

    def search(self, term: str) -> int:
        pattern = f"%{term}%"
        total = self.conn.execute("SELECT count(*) FROM comments WHERE text LIKE ?", (pattern,)).fetchone()[0]
        self.conn.execute("SELECT pk, text FROM comments WHERE text LIKE ? ORDER BY pk LIMIT ?",
                          (pattern, PAGE_SIZE)).fetchall()
        return total

    def close(self) -> None:
        self.conn.close()


def search_cases(store: SQLiteStore) -> list[tuple[str, str, Query]]:
    """(label, kind, query) of every timed search; the deep page is the last one the
    page/size window reaches (or the last page of hits when there are fewer)."""
    broad = Query(q="政务")
    hits = store.count("comment", broad)
    deep = max(1, min(MAX_RESULT_WINDOW, hits) // PAGE_SIZE)
    return [
        *[(f"`{t}` (2 characters)", "comment", Query(q=t)) for t in TWO_CHAR_TERMS],
        ("`政务新媒体` (5 characters)", "comment", Query(q="政务新媒体")),
        ("`形式主义 考核` (two terms, AND)", "comment", Query(q="形式主义 考核")),
        ('`"停止更新"` (quoted phrase)', "comment", Query(q='"停止更新"')),
        (f"`注销` + city = {BUSIEST_CITY}", "comment", Query(q="注销", filters={"city": BUSIEST_CITY})),
        ("`政务`, deepest page the 10,000-hit window reaches", "comment", Query(q="政务", page=deep)),
        ("no text, newest first, the same deep page", "comment", Query(sort="date_desc", page=deep)),
        ("`关停` in notices (title and body)", "announcement", Query(q="关停")),
    ]


def measure_searches(store: SQLiteStore, reps: int) -> list[Latency]:
    out = []
    for label, kind, query in search_cases(store):
        store.search(kind, query)  # first call: page cache and statement cache
        runs = [timed(lambda: store.search(kind, query).total) for _ in range(reps)]
        out.append(latency(label, [s for s, _ in runs], runs[0][1]))
    return out


def measure_baselines(store: SQLiteStore, like: LikeTable, reps: int) -> list[Baseline]:
    out = []
    for term in TWO_CHAR_TERMS:
        query = Query(q=term)
        store.search("comment", query)
        like.search(term)
        ours, theirs, counts = [], [], []
        for _ in range(reps):  # alternate, so a burst of load hits all three alike
            ours.append(timed(lambda: store.search("comment", query).total))
            theirs.append(timed(lambda: like.search(term)))
            counts.append(timed(lambda: store.count("comment", query)))
        mine = latency("store", [s for s, _ in ours], ours[0][1])
        base = latency("LIKE", [s for s, _ in theirs], theirs[0][1])
        if mine.hits != base.hits:
            print(f"warning: {term}: the store finds {mine.hits}, LIKE finds {base.hits}", file=sys.stderr)
        out.append(Baseline(term, mine, base, latency("count", [s for s, _ in counts], counts[0][1])))
    return out


def measure_summaries(store: SQLiteStore, reps: int) -> list[Latency]:
    cases = [("comments by city", "comment", "city"), ("comments by theme", "comment", "theme"),
             ("notices by city", "announcement", "city")]
    out = []
    for label, kind, by in cases:
        runs = [timed(lambda: len(store.summarize(kind, by))) for _ in range(reps)]
        out.append(latency(label, [s for s, _ in runs], runs[0][1]))
    return out


def file_shares(path: Path) -> FileShares:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    total = sum(size for _, size in rows) or 1
    share = {"documents": 0, "values": 0, "fulltext": 0}
    for name, size in rows:
        if name.startswith("fts_"):
            share["fulltext"] += size
        elif name.startswith("doc_values"):
            share["values"] += size
        elif name.startswith(("docs", "sqlite_autoindex_docs")):
            share["documents"] += size
    return FileShares(**{k: v / total for k, v in share.items()})


def file_bytes(path: Path) -> int:
    """The store file's size with its write-ahead log folded in. A checkpoint from a
    connection of our own, as any reader may run one; the store itself is not touched."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size + sum(p.stat().st_size for p in path.parent.glob(f"{path.name}-*"))


def search_index_bytes(path: Path) -> int:
    folder = path.with_name(path.name + ".search")
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def run_size(folder: Path, comments: int, announcements: int, reps: int, summary_reps: int) -> SizeResult:
    path = folder / f"store-{comments}.db"
    store = SQLiteStore(path)
    src = store_corpus.TextSource()
    empty = file_bytes(path)
    ann_s, ann_n = index(store, "announcement", store_corpus.announcements(announcements, SEED), "inserted")
    with_notices = file_bytes(path)
    com_s, com_n = index(store, "comment", store_corpus.comments(comments, SEED, src), "inserted")
    rss = peak_rss_mb()
    size = file_bytes(path)
    index_size = search_index_bytes(path)
    re_s, re_n = index(store, "comment", store_corpus.comments(comments, SEED, src), "unchanged")
    like = LikeTable(folder / f"like-{comments}.db", (d["text"] for d in store_corpus.comments(comments, SEED, src)))
    try:
        searches = measure_searches(store, reps)
        baselines = measure_baselines(store, like, reps)
        summaries = measure_summaries(store, summary_reps)
    finally:
        like.close()
        store.close()
    return SizeResult(
        comments=com_n, announcements=ann_n, upsert_comments_per_s=com_n / com_s,
        upsert_announcements_per_s=ann_n / ann_s, reupsert_per_s=re_n / re_s, reupsert_unchanged=re_n,
        searches=searches, baselines=baselines, summaries=summaries,
        bytes_per_doc=size / (com_n + ann_n), bytes_per_announcement=(with_notices - empty) / ann_n,
        bytes_per_comment=(size - with_notices) / com_n, file_mb=size / 2**20, search_index_mb=index_size / 2**20, shares=file_shares(path),
        peak_rss_mb=rss,
    )


def render(results: list[SizeResult], load_before: tuple[float, ...], load_after: tuple[float, ...],
           start_rss: float) -> str:
    heads = " | ".join(f"{r.comments:,} comments" for r in results)
    line = "|---|" + "---:|" * len(results)

    def row(label: str, cells: Iterable[str]) -> str:
        return f"| {label} | " + " | ".join(cells) + " |"

    lines = [f"| indexing | {heads} |", line,
             row("upsert comments, docs/s (batches of 500)", (f"{r.upsert_comments_per_s:,.0f}" for r in results)),
             row(f"upsert {results[0].announcements:,} notices, docs/s",
                 (f"{r.upsert_announcements_per_s:,.0f}" for r in results)),
             row("re-upsert unchanged comments, docs/s", (f"{r.reupsert_per_s:,.0f}" for r in results)),
             row("file size, MB", (f"{r.file_mb:,.1f}" for r in results)),
             row("search index beside the file, MB", (f"{r.search_index_mb:,.1f}" for r in results)),
             row("file size per document, bytes", (f"{r.bytes_per_doc:,.0f}" for r in results)),
             row("… per notice / per comment, bytes",
                 (f"{r.bytes_per_announcement:,.0f} / {r.bytes_per_comment:,.0f}" for r in results)),
             row("share of the file: documents / filter values / full text",
                 (f"{r.shares.documents:.0%} / {r.shares.values:.0%} / {r.shares.fulltext:.0%}" for r in results)),
             row("peak RSS after indexing, MB", (f"{r.peak_rss_mb:,.0f}" for r in results)),
             "", f"| search: p50 / p95 ms (hits) | {heads} |", line]
    for i, first in enumerate(results[0].searches):
        lines.append(row(first.name, (f"{r.searches[i].p50_ms:.1f} / {r.searches[i].p95_ms:.1f} ({r.searches[i].hits:,})"
                                      for r in results)))
    lines += ["", f"| 2-character term, p50 ms (hits) | {heads} |", line]
    for i, first in enumerate(results[0].baselines):
        lines.append(row(f"`{first.term}` store (`Store.search`)",
                         (f"{r.baselines[i].store.p50_ms:.1f} ({r.baselines[i].store.hits:,})" for r in results)))
        lines.append(row(f"`{first.term}` … of which the count (`Store.count`)",
                         (f"{r.baselines[i].count_only.p50_ms:.2f} ({r.baselines[i].count_only.hits:,})"
                          for r in results)))
        lines.append(row(f"`{first.term}` `LIKE '%{first.term}%'` scan",
                         (f"{r.baselines[i].like.p50_ms:.1f} ({r.baselines[i].like.hits:,})" for r in results)))
        lines.append(row(f"`{first.term}` LIKE ÷ store", (f"**{r.baselines[i].ratio:.1f}×**" for r in results)))
    lines += ["", f"| summary: p50 / p95 ms (groups) | {heads} |", line]
    for i, first in enumerate(results[0].summaries):
        lines.append(row(first.name, (f"{r.summaries[i].p50_ms:.1f} / {r.summaries[i].p95_ms:.1f} ({r.summaries[i].hits})"
                                      for r in results)))
    load = "load average {:.2f} / {:.2f} / {:.2f}"
    notes = (
        f"Each size is a fresh store with N generated comments plus {results[0].announcements:,} closure notices "
        f"(`bench/store_corpus.py`, seed {SEED}), indexed in batches of {BATCH}. A search is what the API runs for "
        f"one request: the count, one page of {PAGE_SIZE} ranked hits and their highlights; the LIKE baseline is a "
        f"count plus the first page (unranked) over a plain table holding only the same comment texts (the best "
        f"case for a scan), timed alternately with the store's search. File sizes are after a WAL checkpoint; "
        f"per notice and per comment are the growth while each kind was indexed. Peak RSS is the whole process "
        f"(Python, the generator, SQLite's cache) and only grows, "
        f"so each column includes the ones before it; {start_rss:,.0f} MB before any indexing. "
        f"Machine shared with other work: {load.format(*load_before)} before, {load.format(*load_after)} after."
    )
    return notes + "\n\n" + "\n".join(lines)


def main(argv: list[str] | None = None) -> list[SizeResult]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comment counts, comma-separated (default 10000,100000)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1,000 comments, 200 notices, few repetitions")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    if args.quick:
        sizes, announcements = QUICK["sizes"], QUICK["announcements"]
        reps, summary_reps = QUICK["reps"], QUICK["summary_reps"]
    else:
        try:
            sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
        except ValueError:
            parser.error(f"--sizes takes comma-separated whole numbers, not {args.sizes!r}")
        if not sizes or min(sizes) < 1:
            parser.error("--sizes needs at least one count of 1 or more")
        announcements, reps, summary_reps = ANNOUNCEMENTS, REPS, SUMMARY_REPS
    load_before, start_rss = os.getloadavg(), peak_rss_mb()
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="yuqing-bench-store-") as folder:
        for n in sizes:
            started = time.perf_counter()
            results.append(run_size(Path(folder), n, announcements, reps, summary_reps))
            print(f"{n:,} comments measured in {time.perf_counter() - started:.0f} s", flush=True)
    body = render(results, load_before, os.getloadavg(), start_rss)
    print(body)
    if not args.no_write:
        write_section("store", "Store: embedded SQLite at scale", body)
    return results


if __name__ == "__main__":
    main()
