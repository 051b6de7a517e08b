"""The alert rules on generated daily series whose spikes are known in advance."""

from __future__ import annotations

import random
from datetime import date, timedelta

from analysis.alerts import AlertRules, DaySeries, comment_spikes, evaluate, share_jumps, watched_closures

RULES = AlertRules(spike_factor=3.0, spike_window_days=14, min_count=20, share_jump=0.25)
START = date(2024, 4, 1)


def _series(days: int, spikes: dict[int, int], seed: int, base=(25, 45)) -> DaySeries:
    """Ordinary days of 25-45 comments (10-20% negative), and ``spikes`` (day index → count)."""
    rng = random.Random(seed)
    one = DaySeries("昆明市")
    for n in range(days):
        day = (START + timedelta(days=n)).isoformat()
        count = spikes.get(n, rng.randint(*base))
        one.total[day] = count
        one.negative[day] = int(count * rng.uniform(0.10, 0.20))
        one.oppose[day] = int(count * rng.uniform(0.05, 0.15))
    return one


def _day(n: int) -> str:
    return (START + timedelta(days=n)).isoformat()


def test_every_known_spike_is_found_and_nothing_else():
    for seed in range(20):
        spikes = {20: 400, 41: 260, 55: 150}
        found = comment_spikes(_series(70, spikes, seed), RULES)
        assert {f.day for f in found} == {_day(n) for n in spikes}, seed


def test_a_spike_is_held_against_the_median_so_an_earlier_spike_does_not_hide_the_next():
    found = comment_spikes(_series(40, {20: 400, 22: 380}, seed=1), RULES)
    assert [f.day for f in found] == [_day(20), _day(22)]
    assert found[0].value == 400 and 25 <= found[0].baseline <= 45 and found[0].threshold == 3 * found[0].baseline


def test_quiet_days_below_the_minimum_raise_nothing():
    quiet = _series(30, {10: 15}, seed=2, base=(0, 3))  # 15 is 5× the median but under min_count
    assert comment_spikes(quiet, RULES) == []


def test_a_negative_share_jump_is_found_on_its_day():
    one = _series(40, {}, seed=3)
    one.negative[_day(30)] = int(one.total[_day(30)] * 0.8)
    found = share_jumps(one, RULES, "negative")
    assert [f.day for f in found] == [_day(30)]
    assert found[0].value >= 0.75 and found[0].baseline < 0.25


def test_an_oppose_share_jump_is_found_and_a_first_wave_is_not_a_jump():
    one = _series(40, {}, seed=4)
    one.oppose[_day(25)] = one.total[_day(25)]
    assert [f.rule for f in share_jumps(one, RULES, "oppose")] == ["oppose_jump"]
    first = DaySeries("西安市", total={"2024-05-01": 100}, oppose={"2024-05-01": 90})
    assert share_jumps(first, RULES, "oppose") == []


def test_watched_cities_raise_one_alert_per_notice_and_ids_are_stable():
    notices = [{"id": "a1", "city": "昆明市", "title": "关于停止更新的公告", "published_at": "2024-05-20"},
               {"id": "a2", "city": "西安市", "title": "关于注销的公告", "published_at": "2024-05-21"},
               {"id": "a3", "city": "昆明市", "title": "已删除", "published_at": "2024-05-22", "status": "taken_down"}]
    rules = AlertRules(watched_cities=("昆明市",))
    found = watched_closures(notices, rules)
    assert [(f.id, f.day) for f in found] == [("watched_closure:a1", "2024-05-20")]
    again = evaluate([_series(40, {20: 400}, seed=5)], notices, rules)
    assert {f.id for f in again} == {"watched_closure:a1", f"comment_spike:昆明市:{_day(20)}"}
