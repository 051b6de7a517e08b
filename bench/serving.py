"""The HTTP stack side by side: uvicorn's pure-Python h11 and asyncio against httptools and
uvloop (what ``yuqing serve`` runs), same app, same store, alternating in one run.

Run: ``.venv/bin/python bench/serving.py [--comments 1000000] [--rounds 3] [--quick] [--no-write]``.

The store is ``bench/api.py``'s cached one of that size (built there first if missing).
Both servers run 2 workers over the same file and stay up for the whole run; each round
loads every summary route on one, then on the other, from 8 concurrent keep-alive clients
(``bench/api.load``). Reported per route and stack: the median over the rounds of p50 and
p95 ms, and the server's CPU time per request (user + system over its worker processes,
from ``/proc``): on a shared 2-core machine the CPU per request varies far less between
runs than the latencies, so it is the figure that says what the stack costs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import api  # noqa: E402
from bench.report import write_section  # noqa: E402

CLIENTS = 8
PER_CLIENT = 16
WORKERS = 2
# (label, command): each is started with the port appended.
STACKS = {
    "h11 + asyncio": [sys.executable, "-c",
                      "import sys, uvicorn; uvicorn.run('api.app:app_from_environment', factory=True, host='127.0.0.1',"
                      f" port=int(sys.argv[1]), http='h11', loop='asyncio', workers={WORKERS}, log_level='warning')"],
    "httptools + uvloop (yuqing serve)": [sys.executable, "-c", "from yuqing.cli import main; main()", "serve",
                                          "--workers", str(WORKERS), "--port"],
}


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and its worker processes so far."""
    total = 0.0
    for p in [pid, *api.children(pid)]:
        try:
            fields = api.stat_fields(p)
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def measure(proc, port: int, path: str, per_client: int = PER_CLIENT) -> tuple[float, float, float]:
    api.load(port, path, 1, 2)  # warm-up
    before = cpu_seconds(proc.pid)
    timing = api.load(port, path, CLIENTS, per_client)
    cpu_ms = (cpu_seconds(proc.pid) - before) * 1000 / (CLIENTS * per_client)
    if timing.errors:
        raise SystemExit(f"{path} answered {timing.errors}")
    return timing.p50, timing.p95, cpu_ms


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smoke run: 2,000 comments, 500 notices, one short round")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    notices, per_client = (500, 2) if args.quick else (50_000, PER_CLIENT)
    if args.quick:
        args.comments, args.rounds = 2_000, 1

    if args.comments > 100_000:
        source, _ = api.build_sqlite(100_000, notices, False)
        path, _ = api.replicate_sqlite(source, 100_000, args.comments, notices)
    else:
        path, _ = api.build_sqlite(args.comments, notices, False)
    env = {**os.environ, "YUQING_STORE": f"sqlite:///{path}", "YUQING_LOG_LEVEL": "WARNING"}
    routes = [(label, p) for group, label, p in api.ROUTES if group == "summary"]
    servers = {}
    try:
        for name, cmd in STACKS.items():
            port = api.free_port()
            servers[name] = (api.start_server([*cmd, str(port)], port, env), port)
        figures: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
        load_before = os.getloadavg()
        for n in range(args.rounds):
            for name, (proc, port) in servers.items():
                for label, route in routes:
                    figures.setdefault((name, label), []).append(measure(proc, port, route, per_client))
            print(f"round {n + 1} of {args.rounds} done", flush=True)
        load_after = os.getloadavg()
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait(30)

    def med(name: str, label: str, i: int) -> float:
        return statistics.median(f[i] for f in figures[(name, label)])

    names = list(STACKS)
    head = "| summary route | " + " | ".join(f"{n}: p50 / p95 ms | {n}: CPU ms per request" for n in names) + " |"
    lines = [head, "|---|" + "---:|---:|" * len(names)]
    for label, _ in routes:
        cells = [f"{med(n, label, 0):.1f} / {med(n, label, 1):.1f} | {med(n, label, 2):.2f}" for n in names]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    cpu = {n: statistics.median(med(n, label, 2) for label, _ in routes) for n in names}
    p95 = {n: statistics.median(med(n, label, 1) for label, _ in routes) for n in names}
    a, b = names
    summary = (f"Median over the routes: CPU per request {cpu[a]:.2f} → {cpu[b]:.2f} ms ({cpu[b] / cpu[a]:.2f}×), "
               f"p95 {p95[a]:.1f} → {p95[b]:.1f} ms ({p95[b] / p95[a]:.2f}×).")
    body = "\n".join([
        f"Command: `python bench/serving.py --comments {args.comments} --rounds {args.rounds}`. The summary routes of "
        f"`bench/api.py` on its store of {args.comments:,} comments and {notices:,} notices, {CLIENTS} concurrent clients × "
        f"{per_client} requests per route, both servers up at once with {WORKERS} workers each and loaded in turn, "
        f"{args.rounds} rounds; each cell is the median over the rounds. Load average {tuple(round(x, 2) for x in load_before)} "
        f"before, {tuple(round(x, 2) for x in load_after)} after.",
        "", *lines, "", summary])
    print(body)
    if not args.no_write:
        write_section("serving", "Serving stack: h11 + asyncio against httptools + uvloop", body)
    return {"cpu": cpu, "p95": p95, "figures": figures}


if __name__ == "__main__":
    main()
