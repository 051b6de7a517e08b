"""POST /analyze under load: a per-text cap, work off the event loop in stoppable chunks,
a concurrency limit and a time limit."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from fastapi.testclient import TestClient

from analysis.enrich import AnalysisOptions
from api import analysis_work as work
from api.app import create_app
from core.config import Settings
from core.limits import MAX_ANALYSIS_CHARS


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('limits') / 'api.db'}"
    with TestClient(create_app(Settings(_env_file=None, store=url))) as c:
        yield c


def test_a_text_past_the_cap_is_labelled_from_its_start_and_says_so(client):
    head = "昆明市的政务号停更了，早就该关了。"
    long_text = head + "好" * MAX_ANALYSIS_CHARS
    response = client.post("/analyze", json={"texts": [{"text": long_text}, {"text": head}]})
    assert response.status_code == 200, response.text
    capped, short = response.json()["data"]
    assert capped["truncated"] is True and short["truncated"] is False
    assert capped["city"] == short["city"] == "昆明市"


def test_the_cap_is_in_the_openapi_description(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]["AnalyzeResult"]
    assert str(MAX_ANALYSIS_CHARS) in schema["properties"]["truncated"]["description"]


def test_work_stops_between_chunks_when_asked():
    options = AnalysisOptions.from_settings(Settings(_env_file=None))
    records = [{"text": f"第{i}条：早就该关了"} for i in range(work.CHUNK_TEXTS * 5)]
    stop = threading.Event()
    seen = []

    from analysis import labelling

    original = labelling.label_texts

    def counting(kind, chunk, opts):
        seen.append(len(chunk))
        if len(seen) == 2:
            stop.set()  # the client left during the second chunk
        return original(kind, chunk, opts)

    labelling.label_texts = counting
    try:
        with pytest.raises(work.Stopped):
            work.label_in_chunks("comment", records, options, stop)
    finally:
        labelling.label_texts = original
    assert seen == [work.CHUNK_TEXTS, work.CHUNK_TEXTS]  # 3 of 5 chunks never ran


def _slow(stop: threading.Event, ran: list, seconds: float = 0.6) -> str:
    ran.append(time.monotonic())
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if stop.is_set():
            raise work.Stopped()
        time.sleep(0.01)
    return "done"


async def _never_gone() -> bool:
    return False


def test_at_most_max_concurrent_run_at_once_and_the_rest_wait():
    async def main():
        running, peak, lock = [0], [0], threading.Lock()

        def job(stop):
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            try:
                return _slow(stop, [], 0.3)
            finally:
                with lock:
                    running[0] -= 1

        results = await asyncio.gather(*[work.run_bounded(job, _never_gone) for _ in range(work.MAX_CONCURRENT * 3)])
        return results, peak[0]

    results, peak = asyncio.run(main())
    assert results == ["done"] * (work.MAX_CONCURRENT * 3) and peak == work.MAX_CONCURRENT


def test_time_limit_stops_the_work():
    stopped = threading.Event()

    def job(stop):
        try:
            return _slow(stop, [], 30)
        except work.Stopped:
            stopped.set()
            raise

    async def main():
        with pytest.raises(work.AnalysisTimeLimit):
            await work.run_bounded(job, _never_gone, time_limit_s=0.3)

    asyncio.run(main())
    assert stopped.wait(5)  # the thread really stopped, it did not run on for 30 s


def test_a_client_that_leaves_stops_its_work():
    stopped = threading.Event()
    calls = [0]

    async def gone_after_two_polls() -> bool:
        calls[0] += 1
        return calls[0] > 2

    def job(stop):
        try:
            return _slow(stop, [], 30)
        except work.Stopped:
            stopped.set()
            raise

    async def main():
        with pytest.raises(work.ApiError) as caught:
            await work.run_bounded(job, gone_after_two_polls)
        assert caught.value.code == "client_gone"

    asyncio.run(main())
    assert stopped.wait(5)


def test_a_new_event_loop_starts_with_every_analysis_slot_free():
    """Slots taken on a loop that is gone (its work outlived it) are not inherited by a new
    loop, even one the allocator puts at the same address."""
    from api.analysis_work import MAX_CONCURRENT, _semaphore

    async def take_every_slot() -> bool:
        slots = _semaphore()
        for _ in range(MAX_CONCURRENT):  # an inherited, taken slot would wait here: fail, not hang
            await asyncio.wait_for(slots.acquire(), timeout=5)
        return slots.locked()

    async def free_slots() -> int:
        slots, taken = _semaphore(), 0
        while not slots.locked():
            await slots.acquire()
            taken += 1
        return taken

    for _ in range(20):
        assert asyncio.run(take_every_slot())
    assert asyncio.run(free_slots()) == MAX_CONCURRENT
