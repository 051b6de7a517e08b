"""Analysis work for ``POST /analyze``: off the event loop, bounded, stoppable.

Labelling is CPU work (about 1 s per 100,000 characters, linear: BENCHMARKS.md). Run on the
event loop it would stall every other request; run unbounded, a few large requests would
take every core and keep them after their clients left. So:

- it runs in a worker thread, in chunks of ``CHUNK_TEXTS`` texts, checking between chunks
  whether it should stop (each text is capped at ``core.limits.MAX_ANALYSIS_CHARS``, so a
  chunk ends within a second or two);
- at most ``MAX_CONCURRENT`` requests are analysed at once (one per core of a small
  server); a request waits ``QUEUE_WAIT_S`` for a slot, then is told the server is busy;
- a request runs at most ``TIME_LIMIT_S``; a client that disconnects stops its work at the
  next chunk; the slot is given back only when the worker has really stopped.
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from typing import Awaitable, Callable, TypeVar

from api.errors import ApiError

T = TypeVar("T")

CHUNK_TEXTS = 20
MAX_CONCURRENT = 2
QUEUE_WAIT_S = 10.0
TIME_LIMIT_S = 60.0
# How often the client's connection is checked while its work runs.
DISCONNECT_POLL_S = 0.25


class Stopped(Exception):
    """The work was asked to stop (time limit, client gone) and did, between chunks."""


class AnalysisBusy(ApiError):
    status, code = 503, "analysis_busy"


class AnalysisTimeLimit(ApiError):
    status, code = 503, "analysis_time_limit"


# One per event loop (tests run several apps, each TestClient on its own loop), held weakly:
# keyed by id(loop), a new loop at a dead loop's address inherited its semaphore, slots
# still taken by work the dead loop never saw end, and answered 503 busy to its first request.
_slots: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]" = weakref.WeakKeyDictionary()


def _semaphore() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    slots = _slots.get(loop)
    if slots is None:
        slots = _slots[loop] = asyncio.Semaphore(MAX_CONCURRENT)
    return slots


def label_in_chunks(kind: str, records: list[dict], options, stop: threading.Event) -> list[dict]:
    """``label_texts`` over ``records`` a chunk at a time; Stopped as soon as ``stop`` is set."""
    from analysis.labelling import label_texts

    out: list[dict] = []
    for start in range(0, len(records), CHUNK_TEXTS):
        if stop.is_set():
            raise Stopped()
        out.extend(label_texts(kind, records[start:start + CHUNK_TEXTS], options))
    return out


async def run_bounded(work: Callable[[threading.Event], T], client_gone: Callable[[], Awaitable[bool]],
                      time_limit_s: float | None = None) -> T:
    """Run ``work(stop)`` in a thread under the concurrency limit and the time limit."""
    limit = TIME_LIMIT_S if time_limit_s is None else time_limit_s
    slots = _semaphore()
    try:
        await asyncio.wait_for(slots.acquire(), timeout=QUEUE_WAIT_S)
    except asyncio.TimeoutError:
        raise AnalysisBusy(f"{MAX_CONCURRENT} analyses are running and none ended within {QUEUE_WAIT_S:.0f} s; "
                           "try again shortly, or stream a large corpus through `yuqing analyze`",
                           detail={"max_concurrent": MAX_CONCURRENT}) from None
    stop = threading.Event()
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(None, work, stop)
    future.add_done_callback(lambda _: slots.release())  # the slot is free when the thread is
    deadline = time.monotonic() + limit
    try:
        while True:
            done, _ = await asyncio.wait({future}, timeout=DISCONNECT_POLL_S)
            if done:
                return future.result()
            if time.monotonic() > deadline:
                stop.set()
                raise AnalysisTimeLimit(f"the analysis ran past {limit:.0f} s and was stopped; send fewer or "
                                        "shorter texts per request", detail={"time_limit_s": limit})
            if await client_gone():
                stop.set()
                # Nobody reads this answer; 499 (nginx's "client closed request") keeps it out of the 5xx figures.
                raise ApiError("the client disconnected; its analysis was stopped", status=499, code="client_gone")
    except BaseException:
        stop.set()  # cancelled (server shutting down) or any failure: the thread stops at its next chunk
        raise
