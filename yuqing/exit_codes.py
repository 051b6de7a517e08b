"""What `yuqing crawl` exits with: one meaning per code, so cron and `yuqing schedule` can tell
"all done" from "done, but look at the log" from "you typed it wrong" from "nothing was crawled".

| code | meaning |
|---|---|
| 0 | complete: every page answered, something was stored, nothing spilled, no error logged |
| 1 | completed with logged errors or blocks, a start URL that failed, documents spilled to the
      spill file (store went down mid-crawl), or a crawl that stored nothing at all |
| 2 | bad arguments (Click/Typer's usage error code) |
| 3 | store unusable: the store could not be opened or answered, so nothing was crawled |
"""

from __future__ import annotations

from dataclasses import dataclass

COMPLETE = 0
COMPLETED_WITH_ERRORS = 1
BAD_ARGUMENTS = 2
STORE_UNUSABLE = 3


@dataclass(frozen=True)
class Outcome:
    code: int
    reasons: tuple[str, ...] = ()


def crawl_outcome(stats: dict) -> Outcome:
    """The exit code of a finished crawl, from its stats, with the reasons it is not 0."""
    reasons: list[str] = []
    errors = stats.get("log_count/ERROR", 0)
    if errors:
        reasons.append(f"{errors} errors were logged")
    blocked = sum(v for k, v in stats.items() if k.startswith("yuqing/blocked") and isinstance(v, (int, float)))
    if blocked:
        reasons.append(f"{blocked} blocks")
    if stats.get("yuqing/start_failed"):
        reasons.append(f"{stats['yuqing/start_failed']} start URLs failed")
    spilled = sum(v for k, v in stats.items() if k.startswith("yuqing/unsaved/") and isinstance(v, (int, float)))
    if spilled or stats.get("yuqing/spill_file"):
        reasons.append(f"{spilled} documents went to the spill file {stats.get('yuqing/spill_file', '')}".rstrip())
    stored = sum(v for k, v in stats.items()
                 if k.startswith("yuqing/stored/") and not k.startswith(("yuqing/stored/crawl_run/", "yuqing/stored/alert/"))
                 and isinstance(v, (int, float)))
    # A run that met its documents again without re-fetching them (304, refresh interval) stored
    # nothing new yet saw the source alive; only a run that saw nothing at all is suspect.
    seen = stored + stats.get("yuqing/incremental/not_modified", 0) + stats.get("yuqing/incremental/fresh", 0)
    if not seen:
        reasons.append("nothing was stored")
    if stats.get("finish_reason") not in (None, "finished"):
        reasons.append(f"the crawl ended with {stats.get('finish_reason')!r}")
    return Outcome(COMPLETED_WITH_ERRORS if reasons else COMPLETE, tuple(reasons))
