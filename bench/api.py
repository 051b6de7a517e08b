"""The API at scale: every summary, search and list route against a real server process.

Run: ``.venv/bin/python bench/api.py [--sizes 10000,100000,1000000] [--announcements 50000]
[--replicate-above 100000] [--elastic-sizes 10000] [--quick] [--no-write]``.

For each size N: a SQLite store with N generated comments and the notices
(``bench/store_corpus.py``, seeded), built in batches of 500 through ``Store.upsert`` (the
build rate is measured then) and cached under ``$YUQING_BENCH_CACHE`` (default
``/tmp/yuqing-bench``; ``--rebuild`` to build again), never in the repository; a store
larger than ``--replicate-above`` is the smaller store's comments copied in SQL with new
ids, posts and authors, its rollups scaled to match (checked against a count). Then
``yuqing serve`` in its own process (uvicorn, ``--workers`` processes, 2 by default) and,
for each route, 20 requests from 1 client and 64 from 8 concurrent clients (keep-alive
connections, one per client), after warm-up requests (one, then one from each client at
once, so that the worker processes, which keep their own answers, have met the route).
Reported: p50/p95 ms, any status other than 200 (503 is a query past the time limit), and
the server's peak RSS (``VmHWM``).

``--elastic-sizes``: the same routes on the Elasticsearch backend against osmem-server,
an in-memory OpenSearch-compatible server (not a real cluster: its figures say nothing of
Elasticsearch's), served by ``bench/api_elastic_server.py`` (the same app under uvicorn,
with the header shim osmem needs).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import store_corpus  # noqa: E402
from bench.report import write_section  # noqa: E402
from store.sqlite_schema import SCHEMA_VERSION  # noqa: E402

SEED = 2024
BATCH = 500
# A bulk load's batch: what `yuqing index load` and `index copy` write per transaction into SQLite.
BULK_BATCH = 5_000
ONE_CLIENT_REQUESTS = 20
CLIENTS = 8
PER_CLIENT = 8
QUICK = {"sizes": [2_000], "announcements": 500, "one": 2, "per_client": 1, "append": 500}
CACHE = Path(os.environ.get("YUQING_BENCH_CACHE", "/tmp/yuqing-bench"))
ROOT = Path(__file__).resolve().parent.parent
CURSOR_MARK = "{deep_cursor}"
# Replaced by a number of its own in every request: a query asked once, whose count no
# cache holds (``SearchIndex.count`` remembers a query's count until the index changes).
NEW_MARK = "{new}"
# Stripped from the path and sent as ``Cache-Control: no-cache``: the summary is made afresh,
# not sent from the memory of answers the API keeps until the store changes
# (``api/response_cache.py``): what a summary costs right after a write.
NO_CACHE_MARK = "{no-cache}"
_requests = itertools.count()


def fresh(path: str) -> str:
    return path.replace(NEW_MARK, str(next(_requests)))


def q(text: str) -> str:
    return quote(text, safe="")


# (group, label, path). Cities: 西安市 is mid-sized in the corpus (Zipf rank 3), 昆明市 the largest.
ROUTES: list[tuple[str, str, str]] = [
    ("summary", "comments by city", "/summary/cities?kind=comment"),
    ("summary", "comments by theme", "/summary/themes?kind=comment"),
    ("summary", "commenter regions", "/summary/regions"),
    ("summary", "comment timeline, weeks", "/summary/timeline?kind=comment&interval=week"),
    ("summary", "comment timeline, days, one city", f"/summary/timeline?kind=comment&interval=day&city={q('西安市')}"),
    ("summary", "comment timeline, one theme, a date range",
     "/summary/timeline?kind=comment&interval=week&theme=formalism&date_from=2024-06-01&date_to=2024-07-31"),
    ("summary", "notices by city", "/summary/cities?kind=announcement"),
    ("summary", "notices by theme", "/summary/themes?kind=announcement"),
    ("summary", "comments by theme, one city", f"/summary/themes?kind=comment&city={q('西安市')}"),
    ("summary", "comments by city, made afresh each time",
     f"/summary/cities?kind=comment{NO_CACHE_MARK}"),
    ("summary", "comment timeline, weeks, made afresh each time",
     f"/summary/timeline?kind=comment&interval=week{NO_CACHE_MARK}"),
    ("summary", "one city's comments by city, made afresh each time", f"/summary/cities?kind=comment&city={q('西安市')}"
     f"{NO_CACHE_MARK}"),
    ("search", f"notices q=关停", f"/announcements?q={q('关停')}"),
    ("search", "comments q=形式主义", f"/comments?q={q('形式主义')}"),
    ("search", "comments q=关停 + city", f"/comments?q={q('关停')}&city={q('昆明市')}"),
    ("search", "notices q=停止更新, newest first", f"/announcements?q={q('停止更新')}&sort=date_desc"),
    # The same matches (no notice holds the excluded word), a query never asked before.
    ("search", "notices q=停止更新, newest first, a new query each time",
     f"/announcements?q={q('停止更新 -zzq')}{NEW_MARK}x&sort=date_desc"),
    ("list", "comments, page 1", "/comments"),
    ("list", "comments, page 500 (offset 9,980)", "/comments?page=500"),
    ("list", "comments past hit 10,000 (cursor)", f"/comments?cursor={CURSOR_MARK}"),
    ("list", "comments of one city, page 100", f"/comments?city={q('西安市')}&page=100"),
    ("list", "notices, page 1", "/announcements"),
    # The web pages journalists read (HTML, no target of their own): the search page runs
    # the search and summarises its matches by city, theme and time (scans, remembered by
    # the store until it changes: a new search pays them, its next page does not); the
    # reaction page summarises one city's comments.
    ("page", "notice search page, q=关停 + a new word each time", f"/?q={q('关停 -zzq')}{NEW_MARK}x"),
    ("page", "notice search page, q=关停, page 2", f"/?q={q('关停')}&page=2"),
    ("page", "reaction page, one city", f"/reaction?city={q('西安市')}"),
]


@dataclass
class Timing:
    p50: float
    p95: float
    errors: dict[int, int] = field(default_factory=dict)


@dataclass
class SizeRun:
    backend: str
    comments: int
    announcements: int
    build: dict
    rss_mb: float
    timings: dict[tuple[str, int], Timing]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


# --- building ------------------------------------------------------------------------

def _upsert_all(store, kind: str, docs, size: int | None = None) -> float:
    started, n = time.perf_counter(), 0
    while batch := list(islice(docs, size or BATCH)):
        report = store.upsert(kind, batch)
        if report.errors:
            raise SystemExit(f"refused while building: {report.errors[:3]}")
        n += len(batch)
    return n / (time.perf_counter() - started)


def build_sqlite(comments: int, announcements: int, rebuild: bool) -> tuple[Path, dict]:
    from store.sqlite import SQLiteStore

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"api-{comments}-{announcements}-seed{SEED}-schema{SCHEMA_VERSION}.db"
    stats_path = path.with_suffix(".json")
    if path.exists() and stats_path.exists() and not rebuild:
        return path, json.loads(stats_path.read_text())
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    print(f"building {path} …", flush=True)
    store = SQLiteStore(path)
    try:
        rate_c = _upsert_all(store, "comment", store_corpus.comments(comments, SEED))
        rate_a = _upsert_all(store, "announcement", store_corpus.announcements(announcements, SEED))
    finally:
        store.close()
    stats = {"comments_per_s": round(rate_c), "announcements_per_s": round(rate_a),
             "file_mb": round(path.stat().st_size / 2**20, 1), "built": time.strftime("%Y-%m-%d %H:%M")}
    stats_path.write_text(json.dumps(stats))
    return path, stats


def replicate_sqlite(source: Path, source_comments: int, comments: int, announcements: int) -> tuple[Path, dict]:
    """A store of ``comments`` made from a smaller one by copying its comments with new ids,
    posts and authors, in SQL (the rollups scaled to match), for sizes whose build through
    ``upsert`` would outlast a run on a shared machine. Same texts, cities, labels and days;
    ``comments // source_comments`` times the authors and posts."""
    import sqlite3

    copies = comments // source_comments
    if copies * source_comments != comments:
        raise SystemExit(f"{comments} is not a multiple of {source_comments}")
    path = CACHE / f"api-{comments}-{announcements}-seed{SEED}-schema{SCHEMA_VERSION}-x{copies}.db"
    stats_path = path.with_suffix(".json")
    if path.exists() and stats_path.exists():
        return path, json.loads(stats_path.read_text())
    print(f"replicating {source} ×{copies} into {path} …", flush=True)
    # The backup API copies a consistent snapshot (a file copy can miss what is still in the WAL).
    path.unlink(missing_ok=True)
    src, conn = sqlite3.connect(source), sqlite3.connect(path, isolation_level=None, timeout=60)
    src.backup(conn)
    src.close()
    conn.execute("PRAGMA cache_size=-262144")
    started = time.perf_counter()
    conn.execute("BEGIN")
    (top,) = conn.execute("SELECT max(pk) FROM docs").fetchone()
    for k in range(1, copies):
        off, tag = k * top, f"-r{k}"
        conn.execute(
            "INSERT INTO docs (pk, kind, id, doc, day, ts, sentiment, sentiment_label, stance, author)"
            " SELECT pk + ?, kind, id || ?, json_set(doc, '$.id', id || ?, '$.post_id',"
            " json_extract(doc, '$.post_id') || ?, '$.author_hash', author || ?), day, ts, sentiment,"
            " sentiment_label, stance, author || ? FROM docs WHERE kind = 'comment' AND pk <= ?",
            (off, tag, tag, tag, tag, tag, top))
        conn.execute(
            "INSERT INTO doc_values (doc, field, value) SELECT v.doc + ?, v.field,"
            " CASE v.field WHEN 'post_id' THEN v.value || ? ELSE v.value END"
            " FROM doc_values v JOIN docs d ON d.pk = v.doc WHERE d.kind = 'comment' AND d.pk <= ?",
            (off, tag, top))
        conn.execute("INSERT INTO fts_comment (rowid, text) SELECT rowid + ?, text FROM fts_comment WHERE rowid <= ?",
                     (off, top))
        conn.execute("INSERT INTO agg_author_facets (kind, author, facets) SELECT kind, author || ?, facets"
                     " FROM agg_author_facets WHERE kind = 'comment' AND author NOT LIKE '%-r%'", (tag,))
        print(f"  copy {k} of {copies - 1}", flush=True)
    conn.execute("UPDATE agg_counts SET n = n * ?, s_nano = s_nano * ?, s_n = s_n * ? WHERE kind = 'comment'",
                 (copies, copies, copies))
    conn.execute("UPDATE agg_voices SET authors = authors * ? WHERE kind = 'comment'", (copies,))
    conn.execute("COMMIT")
    (n,) = conn.execute("SELECT count(*) FROM docs WHERE kind = 'comment'").fetchone()
    (kept,) = conn.execute("SELECT sum(n) FROM agg_counts WHERE kind = 'comment' AND a_field = ''"
                           " AND b_field = '' AND a_value = '' AND b_value = ''").fetchone()
    conn.close()
    if n != comments or kept != comments:
        raise SystemExit(f"replication made {n} comments, rollups say {kept}; expected {comments}")
    source_stats = json.loads(source.with_suffix(".json").read_text())
    stats = {**source_stats, "replicated_from": source_comments, "replicate_s": round(time.perf_counter() - started),
             "file_mb": round(path.stat().st_size / 2**20, 1)}
    stats_path.write_text(json.dumps(stats))
    return path, stats


def index_once(path: Path) -> dict:
    """Open the store once before it is served, which builds its search index beside it if
    the file has none (``store/sqlite_search_index.py``); the seconds that took are kept
    with the cached file's figures (delete ``<file>.search`` to measure it again)."""
    from store.sqlite import SQLiteStore

    stats_path = path.with_suffix(".json")
    stats = json.loads(stats_path.read_text())
    started = time.perf_counter()
    SQLiteStore(path).close()
    took = time.perf_counter() - started
    if took > 1 or "index_s" not in stats:
        stats["index_s"] = round(took, 1)
        stats_path.write_text(json.dumps(stats))
    return {"index_s": stats["index_s"]}


# Comments appended to each store (then deleted) to time upserts at that size, in this run,
# after as many again are written and deleted untimed: a file just built or copied is not
# in the page cache, and the first 10,000 into a cold 1M file ran at half the rate (1,165
# against ~2,600 docs/s warm, same code, minutes apart).
APPEND = 10_000
APPEND_SEED = 77
WARM_SEED = 78


def append_rate(path: Path, count: int, size: int | None = None) -> dict:
    """Upsert ``count`` new comments into the store at ``path`` in batches of ``size`` (500),
    then delete them: the write rate at this store's size, under this run's load (the build's
    own rate depends on how busy the machine was when the cache was filled)."""
    from store.sqlite import SQLiteStore

    store = SQLiteStore(path)
    try:
        warm_docs = list(store_corpus.comments(count, WARM_SEED))
        _upsert_all(store, "comment", iter(warm_docs), size)
        store.delete("comment", [d["id"] for d in warm_docs])
        docs = list(store_corpus.comments(count, APPEND_SEED))
        rate = _upsert_all(store, "comment", iter(docs), size)
        started = time.perf_counter()
        removed = store.delete("comment", [d["id"] for d in docs])
        delete_rate = removed / (time.perf_counter() - started)
    finally:
        store.close()
    return {"append_per_s": round(rate), "delete_per_s": round(delete_rate)}


# Notices appended the same way (their bodies are long: the text expansion and the full-text
# rows are most of their cost), in batches of BATCH.
NOTICES_APPENDED = 2_000


def notice_append_rate(path: Path, count: int) -> int:
    """Upsert ``count`` new notices into the store at ``path`` (after half as many written and
    deleted untimed), then delete them: docs/s."""
    from store.sqlite import SQLiteStore

    store = SQLiteStore(path)
    try:
        warm_docs = list(store_corpus.announcements(max(count // 2, 1), WARM_SEED))
        _upsert_all(store, "announcement", iter(warm_docs))
        store.delete("announcement", [d["id"] for d in warm_docs])
        docs = list(store_corpus.announcements(count, APPEND_SEED))
        rate = _upsert_all(store, "announcement", iter(docs))
        store.delete("announcement", [d["id"] for d in docs])
    finally:
        store.close()
    return round(rate)


# With --before, this tree's upserts and the tree before's alternate, this many rounds each,
# and each keeps its best: whichever writes first into a file just served ran up to 1.7×
# slower (1,947 against 3,354 docs/s at 1M in batches of 500, the same file minutes apart).
BEFORE_ROUNDS = 2


def sqlite_store(comments: int, announcements: int, rebuild: bool = False,
                 replicate_from: int = 0) -> tuple[Path, dict]:
    """The cached store of this size (built, or copied from a smaller one, when missing)."""
    if replicate_from and comments > replicate_from:
        source, _ = build_sqlite(replicate_from, announcements, False)
        return replicate_sqlite(source, replicate_from, comments, announcements)
    return build_sqlite(comments, announcements, rebuild)


# Run in the earlier tree: its own store of the same size (its schema's cache file, the same
# file when the schema is unchanged), by the functions every tree since --before has had.
_BEFORE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from bench import api
comments, announcements, replicate_from, count, bulk = map(int, sys.argv[2:7])
if replicate_from and comments > replicate_from:
    source, _ = api.build_sqlite(replicate_from, announcements, False)
    path, _ = api.replicate_sqlite(source, replicate_from, comments, announcements)
else:
    path, _ = api.build_sqlite(comments, announcements, False)
rate = api.append_rate(path, count)["append_per_s"]
api.BATCH = bulk  # the bulk batch, through the module constant every such tree has
print(json.dumps({"append_per_s": rate, "bulk_append_per_s": api.append_rate(path, count)["append_per_s"]}))
"""


def append_rate_before(tree: Path, comments: int, announcements: int, replicate_from: int, count: int) -> dict:
    """The same upserts written by an earlier source tree (``--before``), alternated with this
    tree's (``BEFORE_ROUNDS``), so the two rates are side by side in one run: on the same warm
    file, or, when the schema changed in between, on the earlier tree's copy of the same store."""
    done = subprocess.run([sys.executable, "-c", _BEFORE, str(tree), str(comments), str(announcements),
                           str(replicate_from), str(count), str(BULK_BATCH)], cwd=tree, capture_output=True,
                          text=True, check=True,
                          env={**os.environ, "YUQING_BENCH_CACHE": str(CACHE)})
    rates = json.loads(done.stdout.strip().splitlines()[-1])
    return {f"{name}_before": rate for name, rate in rates.items()}


def build_elastic(url: str, prefix: str, comments: int, announcements: int) -> dict:
    from tests.support.elastic import JsonHeadersNode
    from store.elastic import ElasticStore

    store = ElasticStore.from_url(url, index_prefix=prefix, node_class=JsonHeadersNode)
    try:
        store.drop_everything()
        store.close()
        store = ElasticStore.from_url(url, index_prefix=prefix, node_class=JsonHeadersNode)
        rate_c = _upsert_all(store, "comment", store_corpus.comments(comments, SEED))
        rate_a = _upsert_all(store, "announcement", store_corpus.announcements(announcements, SEED))
    finally:
        store.close()
    return {"comments_per_s": round(rate_c), "announcements_per_s": round(rate_a)}


# --- serving and loading ---------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(cmd: list[str], port: int, env: dict) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("server did not answer /health in 120 s")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def stat_fields(pid: int | str) -> list[str]:
    """``/proc/<pid>/stat`` after the command name: state, ppid, … (``man 5 proc``, from field 3)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int(stat_fields(entry.name)[1]) == pid:
                out.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


def server_rss_mb(pid: int) -> float:
    """Peak RSS of the server: its process, or the sum over its worker processes."""
    workers = [c for c in children(pid) if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
    return sum(peak_rss_mb(w) for w in workers) if workers else peak_rss_mb(pid)


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    headers = {"Cache-Control": "no-cache"} if NO_CACHE_MARK in path else {}
    conn.request("GET", path.replace(NO_CACHE_MARK, ""), headers=headers)
    resp = conn.getresponse()
    return resp.status, resp.read()


def load(port: int, path: str, clients: int, per_client: int) -> Timing:
    seconds: list[float] = []
    errors: dict[int, int] = {}
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(per_client):
            started = time.perf_counter()
            status, _ = get(conn, fresh(path))
            took = time.perf_counter() - started
            with lock:
                seconds.append(took)
                if status != 200:
                    errors[status] = errors.get(status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ms = [s * 1000 for s in seconds]
    return Timing(statistics.median(ms), percentile(ms, 95), errors)


def measure(port: int, one: int = ONE_CLIENT_REQUESTS, per_client: int = PER_CLIENT) -> dict[tuple[str, int], Timing]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    status, body = get(conn, "/comments?page=500")
    if status != 200:
        raise SystemExit(f"/comments?page=500 answered {status}: {body[:300]!r}")
    cursor = json.loads(body)["next_cursor"]
    out: dict[tuple[str, int], Timing] = {}
    for _, label, path in ROUTES:
        path = path.replace(CURSOR_MARK, q(cursor or ""))
        # A fresh connection: uvicorn closes one left idle past its keep-alive (5 s) while a
        # slow route was being loaded.
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        get(conn, fresh(path))  # warm-up
        load(port, path, CLIENTS, 1)  # … in every worker process (each keeps its own answers)
        out[(label, 1)] = load(port, path, 1, one)
        out[(label, CLIENTS)] = load(port, path, CLIENTS, per_client)
        t1, t8 = out[(label, 1)], out[(label, CLIENTS)]
        print(f"  {label:48s} 1: {t1.p50:7.1f} / {t1.p95:7.1f}   8: {t8.p50:7.1f} / {t8.p95:7.1f}"
              f"  {t1.errors or ''}{t8.errors or ''}", flush=True)
    conn.close()
    return out


def run_sqlite(comments: int, announcements: int, rebuild: bool, quick: bool = False,
               replicate_from: int = 0, workers: int = 1, before: Path | None = None) -> SizeRun:
    path, build = sqlite_store(comments, announcements, rebuild, replicate_from)
    # As it is now: a migration since the cache was filled changes it.
    build = {**build, **index_once(path), "file_mb": round(path.stat().st_size / 2**20, 1)}
    appended = QUICK["append"] if quick else APPEND
    best: dict[str, int] = {}
    for _ in range(BEFORE_ROUNDS if before else 1):
        rates = {**append_rate(path, appended), "bulk_append_per_s": append_rate(path, appended, BULK_BATCH)["append_per_s"]}
        if before:
            rates.update(append_rate_before(before, comments, announcements, replicate_from, appended))
        for key, rate in rates.items():
            best[key] = max(best.get(key, 0), rate)
    build.update(best)
    build["notices_append_per_s"] = notice_append_rate(path, QUICK["append"] if quick else NOTICES_APPENDED)
    port = free_port()
    env = {**os.environ, "YUQING_STORE": f"sqlite:///{path}", "YUQING_LOG_LEVEL": "WARNING"}
    proc = start_server([sys.executable, "-c", "from yuqing.cli import main; main()", "serve", "--port", str(port),
                         "--workers", str(workers)], port, env)
    try:
        print(f"sqlite, {comments:,} comments:", flush=True)
        timings = measure(port, QUICK["one"], QUICK["per_client"]) if quick else measure(port)
        rss = server_rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(30)
    return SizeRun("sqlite", comments, announcements, build, rss, timings)


# osmem answers a summary in ~0.5 s at 2,000 comments: fewer requests keep its run short.
ELASTIC_ONE_CLIENT, ELASTIC_PER_CLIENT = 5, 2


def run_elastic(comments: int, announcements: int, quick: bool = False) -> SizeRun:
    from osmem_server import OsmemServer

    server = OsmemServer.start(japanese=False)
    try:
        build = build_elastic(server.url, "bench", comments, announcements)
        port = free_port()
        proc = start_server([sys.executable, str(ROOT / "bench" / "api_elastic_server.py"), server.url, "bench",
                             str(port)], port, dict(os.environ))
        try:
            print(f"osmem, {comments:,} comments:", flush=True)
            timings = (measure(port, QUICK["one"], QUICK["per_client"]) if quick
                       else measure(port, ELASTIC_ONE_CLIENT, ELASTIC_PER_CLIENT))
            rss = peak_rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(30)
        build["osmem_rss_mb"] = round(peak_rss_mb(server.process.pid))
    finally:
        server.close()
    return SizeRun("osmem", comments, announcements, build, rss, timings)


# --- report ------------------------------------------------------------------------------

# p95 targets, ms, per route group, on SQLite at the largest size.
TARGETS = {"summary": 50.0, "search": 100.0, "list": 100.0}
# docs/s a store of the largest size takes a bulk load's upserts at.
BUILD_TARGET = 5_000


def verdict(runs: list[SizeRun]) -> list[str]:
    """The targets, checked on the largest SQLite store of the run."""
    sqlite_runs = [r for r in runs if r.backend == "sqlite"]
    if not sqlite_runs:
        return []
    r = max(sqlite_runs, key=lambda x: x.comments)
    out = [f"Targets at {r.comments:,} comments on SQLite (p95):"]
    for clients in (1, CLIENTS):
        for group, limit in TARGETS.items():
            labels = [label for g, label, _ in ROUTES if g == group]
            missed = [f"{label} ({r.timings[(label, clients)].p95:.0f} ms)" for label in labels
                      if r.timings[(label, clients)].p95 > limit]
            met = len(labels) - len(missed)
            out.append(f"- {clients} client{'s' if clients > 1 else ''}, {group} ≤ {limit:.0f} ms: {met} of "
                       f"{len(labels)} routes" + (f"; missed: {', '.join(missed)}" if missed else ""))
    failed = sum(sum(t.errors.values()) for t in r.timings.values())
    out.append(f"- responses other than 200: {failed}")
    if "bulk_append_per_s" in r.build:
        bulk, small = r.build["bulk_append_per_s"], r.build["append_per_s"]
        out.append(f"- build ≥ {BUILD_TARGET:,} docs/s, new comments upserted in batches of {BULK_BATCH:,} (a bulk "
                   f"load): {bulk:,} docs/s, {'met' if bulk >= BUILD_TARGET else 'missed'} (in batches of {BATCH}, "
                   f"as a crawl writes: {small:,})")
    return out


def render(runs: list[SizeRun], command: str, load_before, load_after, workers: int = 1) -> str:
    cols = [f"{r.backend} {r.comments:,}" for r in runs]
    head = "| route | " + " | ".join(f"{c}: 1 client | {c}: 8 clients" for c in cols) + " |"
    sep = "|---|" + "---:|---:|" * len(runs)
    notices = ", ".join(sorted({f"{r.announcements:,} ({r.backend})" for r in runs}))
    lines = [
        f"Command: `{command}`. Each column is one store: N generated comments plus "
        f"{notices} notices (`bench/store_corpus.py`, seed {SEED}), served by a real "
        f"`yuqing serve` process (uvicorn, SQLite: {workers} worker process{'es' if workers > 1 else ''}, "
        "osmem: one); cells are p50 / p95 ms over "
        f"{ONE_CLIENT_REQUESTS} requests from 1 client and {CLIENTS * PER_CLIENT} from {CLIENTS} concurrent "
        f"clients (osmem: {ELASTIC_ONE_CLIENT} and {CLIENTS * ELASTIC_PER_CLIENT}), after warm-up requests (one, then one from each client at once, so that the worker processes, which keep their own answers, have met the route). Any status other than 200 is named in the cell (503: the query "
        "time limit). **osmem** columns are the Elasticsearch backend against osmem-server, an in-memory "
        "OpenSearch-compatible server — not a real cluster. Targets at 1M comments on SQLite: summaries "
        f"p95 ≤ 50 ms, searches and lists p95 ≤ 100 ms, no 503, build ≥ {BUILD_TARGET:,} docs/s. "
        f"Machine shared with other work: load average {load_before} before, {load_after} after."
        " On this shared machine the same route on the same store has differed by up to 2× between runs"
        " (notices q=关停 at 10,000: 56 ms in one run, 108 ms in the next): compare cells within one run."
        " Each API process keeps its summary answers until the store changes (`api/response_cache.py`), so"
        " after the warm-up a repeated summary is sent from memory; the rows made afresh each time ask with"
        " `Cache-Control: no-cache`: what a summary costs right after a write (osmem keeps nothing). The page rows"
        " are the HTML pages journalists read; no target. A search's summaries scan its matches: a new search"
        " pays for them, its further pages find them remembered by the store until it changes.",
        "", head, sep,
    ]
    for group, label, path in ROUTES:
        cells = []
        for r in runs:
            for clients in (1, CLIENTS):
                t = r.timings[(label, clients)]
                err = " " + ", ".join(f"{n}× {s}" for s, n in sorted(t.errors.items())) if t.errors else ""
                cells.append(f"{t.p50:.1f} / {t.p95:.1f}{err}")
        lines.append(f"| {group}: {label} (`{path.split('?')[0]}`) | " + " | ".join(cells) + " |")
    lines += ["", *verdict(runs)]
    lines += ["", "| store | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(runs)]
    lines.append("| build (when the cache was filled): comments upserted, docs/s (batches of 500) | " + " | ".join(
        f"{r.build['comments_per_s']:,}" + (f" (the {r.build['replicated_from']:,} store's; this one copied from it "
                                            f"in SQL, {r.build['replicate_s']} s)" if "replicated_from" in r.build else "")
        for r in runs) + " |")
    lines.append(f"| {APPEND:,} new comments upserted into the store in this run, docs/s (then deleted) | " + " | ".join(
        f"{r.build['append_per_s']:,}" if "append_per_s" in r.build else "–" for r in runs) + " |")
    lines.append(f"| … in batches of {BULK_BATCH:,} (a bulk load: `yuqing index load` / `index copy` into SQLite), "
                 "docs/s | " + " | ".join(f"{r.build['bulk_append_per_s']:,}" if "bulk_append_per_s" in r.build
                                          else "–" for r in runs) + " |")
    for key, what in (("append_per_s_before", f"batches of {BATCH}"), ("bulk_append_per_s_before",
                                                                        f"batches of {BULK_BATCH:,}")):
        if any(key in r.build for r in runs):
            lines.append(f"| … the same {APPEND:,} in {what} written by the tree before (`--before`; the two "
                         f"alternated, the best of {BEFORE_ROUNDS} rounds each), docs/s | " + " | ".join(f"{r.build[key]:,}" if key in r.build else "–" for r in runs) + " |")
    lines.append("| … and deleted again, docs/s | " + " | ".join(
        f"{r.build['delete_per_s']:,}" if "delete_per_s" in r.build else "–" for r in runs) + " |")
    lines.append("| build: notices upserted, docs/s | "
                 + " | ".join(f"{r.build['announcements_per_s']:,}" for r in runs) + " |")
    lines.append(f"| {NOTICES_APPENDED:,} new notices upserted into the store in this run, docs/s (batches of {BATCH}, "
                 "then deleted) | " + " | ".join(f"{r.build['notices_append_per_s']:,}" if "notices_append_per_s"
                                                  in r.build else "–" for r in runs) + " |")
    lines.append("| search index built from the file when the store first opened it, s | " + " | ".join(
        f"{r.build['index_s']:,}" if "index_s" in r.build else "–" for r in runs) + " |")
    lines.append("| SQLite file, MB | " + " | ".join(str(r.build.get("file_mb", "–")) for r in runs) + " |")
    lines.append("| server peak RSS, MB (all workers) | " + " | ".join(f"{r.rss_mb:.0f}" for r in runs) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[SizeRun]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comment counts (default 10000,100000,1000000)")
    parser.add_argument("--announcements", type=int, default=50_000, help="notices in every store (default 50000)")
    parser.add_argument("--elastic-sizes", default="", help="comment counts for the osmem leg (default: none)")
    parser.add_argument("--elastic-announcements", type=int, default=5_000,
                        help="notices in the osmem stores (default 5000: osmem indexes and aggregates in memory, slowly)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 2,000 comments, 500 notices, few requests")
    parser.add_argument("--rebuild", action="store_true", help="build the SQLite stores again instead of the cache")
    parser.add_argument("--replicate-above", type=int, default=100_000, metavar="N",
                        help="make larger stores by copying the N-comment store's comments in SQL instead of "
                             "upserting them (a shared machine built 1M through upsert at ~130 docs/s); "
                             "0: upsert every store (default 100000)")
    parser.add_argument("--workers", type=int, default=2,
                        help="`yuqing serve --workers` for the SQLite stores (default 2: one per core here)")
    parser.add_argument("--before", type=Path, metavar="TREE",
                        help="an earlier source tree (e.g. `git worktree add /tmp/before REV`): its upsert rate "
                             "on each SQLite store, alternated with this tree's")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    sizes = QUICK["sizes"] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    announcements = QUICK["announcements"] if args.quick else args.announcements
    elastic = [int(s) for s in args.elastic_sizes.split(",") if s]
    load_before = tuple(round(x, 2) for x in os.getloadavg())
    runs = [run_sqlite(n, announcements, args.rebuild, args.quick, args.replicate_above, args.workers, args.before)
            for n in sizes]
    runs += [run_elastic(n, QUICK["announcements"] if args.quick else args.elastic_announcements, args.quick)
             for n in elastic]
    load_after = tuple(round(x, 2) for x in os.getloadavg())
    command = "python bench/api.py " + " ".join(argv if argv is not None else sys.argv[1:])
    body = render(runs, command.strip(), load_before, load_after, args.workers)
    print(body)
    if not args.no_write and not args.quick:
        write_section("api", "API at scale: summaries, searches and lists, 10k → 1M comments", body)
    return runs


if __name__ == "__main__":
    main()
