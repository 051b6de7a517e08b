"""Source health from the crawl-run records: is a source still giving what it used to?

Each run keeps per-source figures (``yuqing/source/<id>/pages|list_records|items|errors``,
counted by ``crawler/source_stats.py``). A source needs attention when its last
``EMPTY_RUNS`` runs found no list records (the site was redesigned, or blocks the crawler,
and would otherwise yield nothing, silently, for ever), or when the error rate of its last
run jumped (``ERROR_RATE_JUMP`` above the runs before it, and at least ``ERROR_RATE_FLOOR``).

Pure: crawl_run documents in, one ``SourceHealth`` per source out (``GET /sources`` and the
crawl's run log read the same answer).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SOURCE_STAT = "yuqing/source/"
# Runs in a row without list records before a source is flagged: one empty run is often a
# site's maintenance window; three scheduled runs (a day at the default 6-hour cron) are not.
EMPTY_RUNS = 3
# An error rate (failed requests per page) this much above the earlier runs' average, and at
# least the floor, is a jump: a WAF that started refusing, a column moved.
ERROR_RATE_JUMP = 0.3
ERROR_RATE_FLOOR = 0.5
RECENT_RUNS = 10


@dataclass
class SourceRun:
    run_id: str
    started_at: str
    status: str
    pages: int = 0
    list_records: int = 0
    items: int = 0
    errors: int = 0

    @property
    def error_rate(self) -> float:
        return self.errors / max(self.pages + self.errors, 1)


@dataclass
class SourceHealth:
    source: str
    spider: str
    runs: list[SourceRun] = field(default_factory=list)  # newest first
    last_success: str | None = None  # start of the newest run that found list records or items
    needs_attention: bool = False
    reason: str = ""


def source_runs(run: dict) -> dict[str, SourceRun]:
    """The per-source figures of one crawl_run document."""
    out: dict[str, SourceRun] = {}
    for key, value in (run.get("counts") or {}).items():
        if not key.startswith(SOURCE_STAT):
            continue
        source, _, figure = key[len(SOURCE_STAT):].rpartition("/")
        one = out.setdefault(source, SourceRun(run["id"], run.get("started_at", ""), run.get("status", "")))
        if figure in ("pages", "list_records", "items", "errors"):
            setattr(one, figure, int(value))
    return out


def recent_health(runs: list[dict], recent: int = RECENT_RUNS, empty_runs: int = EMPTY_RUNS) -> list[SourceHealth]:
    """Every source seen in ``runs`` (crawl_run documents, any order), with its recent runs."""
    by_source: dict[str, SourceHealth] = {}
    for run in sorted(runs, key=lambda r: r.get("started_at") or "", reverse=True):
        if run.get("status") == "running":
            continue
        for source, figures in source_runs(run).items():
            health = by_source.setdefault(source, SourceHealth(source, run.get("spider", "")))
            if len(health.runs) < recent:
                health.runs.append(figures)
            if health.last_success is None and (figures.list_records or figures.items):
                health.last_success = figures.started_at
    for health in by_source.values():
        judge(health, empty_runs)
    return sorted(by_source.values(), key=lambda h: (not h.needs_attention, h.source))


def judge(health: SourceHealth, empty_runs: int = EMPTY_RUNS) -> None:
    runs = health.runs
    if health.spider == "gov" and len(runs) >= empty_runs and all(r.list_records == 0 for r in runs[:empty_runs]):
        health.needs_attention = True
        health.reason = f"no list records in its last {empty_runs} runs (site redesigned, or blocking the crawler?)"
        return
    if len(runs) >= 2:
        latest, earlier = runs[0], runs[1:]
        before = sum(r.error_rate for r in earlier) / len(earlier)
        if latest.error_rate >= ERROR_RATE_FLOOR and latest.error_rate - before >= ERROR_RATE_JUMP:
            health.needs_attention = True
            health.reason = (f"error rate jumped to {latest.error_rate:.0%} of requests in its last run "
                             f"(from {before:.0%})")
