"""Announcement history (versions, takedown confirmations) and source health, as pure functions."""

from __future__ import annotations

from crawler.history import carry_history, current_version, mark_missing
from store.source_health import recent_health

T1, T2, T3 = "2024-06-01T00:00:00+00:00", "2024-06-02T00:00:00+00:00", "2024-06-03T00:00:00+00:00"


def _doc(body: str, h: str, crawled: str) -> dict:
    return {"id": "n1", "url": "http://x/1.html", "title": "关于停止更新的公告", "body": body,
            "published_at": "2024-05-30", "content_hash": h, "crawled_at": crawled}


def test_a_notice_first_stored_is_live_with_no_versions():
    doc = carry_history(_doc("a", "h1", T1), None, T1)
    assert (doc["status"], doc["first_seen"], doc["versions"], doc["missing_count"]) == ("live", T1, [], 0)


def test_an_unchanged_refetch_carries_the_history_over_unchanged():
    first = carry_history(_doc("a", "h1", T1), None, T1)
    again = carry_history(_doc("a", "h1", T2), first, T2)
    assert again["versions"] == [] and again["first_seen"] == T1 and again["status"] == "live"


def test_each_edit_keeps_the_version_before_it_with_its_dates():
    first = carry_history(_doc("a", "h1", T1), None, T1)
    second = carry_history(_doc("b", "h2", T2), first, T2)
    third = carry_history(_doc("c", "h3", T3), second, T3)
    assert third["status"] == "edited"
    assert [(v["body"], v["first_seen"], v["replaced_at"]) for v in third["versions"]] == [
        ("a", T1, T2), ("b", T2, T3)]
    assert current_version(third)["first_seen"] == T3


def test_missing_once_is_not_a_takedown_twice_is_and_reappearing_clears_it():
    doc = carry_history(_doc("a", "h1", T1), None, T1)
    once = mark_missing(doc, "HTTP 404", T2, confirmations=2)
    assert (once["status"], once["missing_count"], once["missing_since"]) == ("live", 1, T2)
    twice = mark_missing(once, "gone from its list", T3, confirmations=2)
    assert (twice["status"], twice["missing_count"], twice["missing_since"]) == ("taken_down", 2, T2)
    back = carry_history(_doc("a", "h1", T3), twice, T3)
    assert (back["status"], back["missing_count"], back["missing_since"]) == ("live", 0, None)


def _run(n: int, counts: dict, status="finished") -> dict:
    return {"id": f"gov:{n}", "spider": "gov", "started_at": f"2024-06-{n:02d}T00:00:00+00:00", "status": status,
            "counts": counts}


def test_a_source_with_no_list_records_for_three_runs_needs_attention_and_two_are_not_enough():
    ok = {"yuqing/source/km/pages": 5, "yuqing/source/km/list_records": 20, "yuqing/source/km/items": 3}
    empty = {"yuqing/source/km/pages": 1}
    two = recent_health([_run(1, ok), _run(2, empty), _run(3, empty)])
    assert not two[0].needs_attention
    three = recent_health([_run(1, ok), _run(2, empty), _run(3, empty), _run(4, empty)])
    (km,) = three
    assert km.needs_attention and "no list records" in km.reason and km.last_success == "2024-06-01T00:00:00+00:00"


def test_an_error_rate_jump_needs_attention_and_a_running_run_is_not_judged():
    calm = {"yuqing/source/xa/pages": 20, "yuqing/source/xa/list_records": 20}
    broken = {"yuqing/source/xa/pages": 2, "yuqing/source/xa/list_records": 20, "yuqing/source/xa/errors": 18}
    (xa,) = recent_health([_run(1, calm), _run(2, calm), _run(3, broken)])
    assert xa.needs_attention and "error rate jumped to 90%" in xa.reason
    (still,) = recent_health([_run(1, calm), _run(2, calm), _run(3, broken, status="running")])
    assert not still.needs_attention
