"""Newest observation wins: whatever order two versions of a document arrive in (a spill
loaded after a re-crawl, two crawlers on one store), the store keeps the one observed last."""

from __future__ import annotations

import threading

import pytest

from store.base import Query


def _post(observed: str, fetched: int, partial: bool) -> dict:
    return {"id": "weibo:4999000000000001", "url": "https://m.weibo.cn/detail/4999000000000001",
            "platform": "weibo", "text": "政务号说停就停，留言也没人回了", "city": "南京市", "province": "江苏省",
            "comments_reported": 12, "comments_fetched": fetched, "partial": partial,
            "created_at": "2024-05-04T10:00:00+08:00", "crawled_at": observed}


EARLY = _post("2024-06-01T08:00:00.100000+00:00", 0, True)
# Observed 0.4 s later in the same second: the thread's end, amended onto the post.
LATE = _post("2024-06-01T08:00:00.500000+00:00", 12, False)


def test_new_after_old_replaces(store):
    assert store.upsert("post", [EARLY]).inserted == 1
    report = store.upsert("post", [LATE])
    assert (report.updated, report.stale) == (1, 0)
    assert store.get("post", LATE["id"]) == LATE


def test_old_after_new_is_kept_out(store):
    store.upsert("post", [LATE])
    report = store.upsert("post", [EARLY])
    assert (report.inserted, report.updated, report.unchanged, report.stale, report.errors) == (0, 0, 0, 1, [])
    assert store.get("post", LATE["id"]) == LATE
    # The search index follows the kept version, not the refused one.
    assert store.count("post", Query(filters={"partial": False})) == 1
    assert store.count("post", Query(filters={"partial": True})) == 0


def test_old_after_new_in_one_batch(store):
    report = store.upsert("post", [LATE, EARLY])
    assert (report.inserted, report.stale) == (1, 1)
    assert store.get("post", LATE["id"])["comments_fetched"] == 12


def test_an_offset_in_another_zone_is_compared_as_a_time(store):
    # 16:00:01 in Beijing is 08:00:01 UTC: later than LATE, though it sorts earlier as text.
    beijing = {**EARLY, "comments_fetched": 5, "crawled_at": "2024-06-01T16:00:01+08:00"}
    store.upsert("post", [LATE])
    assert store.upsert("post", [beijing]).updated == 1
    assert store.get("post", LATE["id"])["comments_fetched"] == 5


def test_equal_observation_is_written(store):
    # The same observation settled later (places from an announcement loaded since) is written.
    store.upsert("post", [{**LATE, "city": None, "province": None}])
    assert store.upsert("post", [LATE]).updated == 1
    assert store.get("post", LATE["id"])["city"] == "南京市"


def test_documents_without_observation_time_are_always_written(store):
    run = {"id": "gov:2024-06-01T08:00:00+00:00", "spider": "gov", "started_at": "2024-06-01T08:00:00+00:00",
           "status": "running", "counts": {}, "errors": [], "args": {}}
    store.upsert("crawl_run", [run])
    assert store.upsert("crawl_run", [{**run, "status": "finished"}]).updated == 1
    assert store.get("crawl_run", run["id"])["status"] == "finished"


@pytest.mark.parametrize("rounds", [3])
def test_two_writers_racing_end_with_the_newest(store, rounds):
    versions = [_post(f"2024-06-01T08:00:{n:02d}.000000+00:00", n, n < 19) for n in range(20)]
    for _ in range(rounds):
        threads = [threading.Thread(target=store.upsert, args=("post", versions[i::2])) for i in (0, 1)]
        threads[1].start()
        threads[0].start()
        for t in threads:
            t.join()
        kept = store.get("post", versions[0]["id"])
        assert kept == versions[-1]
