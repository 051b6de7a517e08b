"""Alert rules over daily series: pure arithmetic, evaluated after each crawl run.

Three rules (thresholds in ``core.config.Settings``, ``YUQING_ALERT_*``):

- ``comment_spike``: a city's comments on one day exceed ``factor`` × the median of the
  ``window`` days before it (days without comments count as 0) and at least ``min_count``;
  the median, not the mean, so one earlier spike does not hide the next one.
- ``negative_jump`` / ``oppose_jump``: a city's share of negative (or opposing) comments on
  one day is at least ``jump`` above its share over the window before it, on at least
  ``min_count`` comments that day (a share of 3 comments is noise).
- ``watched_closure``: a closure notice published by a watched city.

Each alert's id is ``rule:city:day``: re-evaluating after every run finds the same alerts
again and the store keeps one of each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median


# Days of a city's history a day needs before it can be a spike: against one or two days,
# every second day of a new thread's discussion would look like a spike.
MIN_HISTORY_DAYS = 3


@dataclass(frozen=True)
class AlertRules:
    spike_factor: float = 3.0
    spike_window_days: int = 14
    min_count: int = 20
    share_jump: float = 0.25
    watched_cities: tuple[str, ...] = ()


@dataclass
class DaySeries:
    """One city's comments per day (ISO day → count), and the negative and opposing ones."""

    city: str
    total: dict[str, int] = field(default_factory=dict)
    negative: dict[str, int] = field(default_factory=dict)
    oppose: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    rule: str
    city: str | None
    day: str
    value: float
    baseline: float
    threshold: float
    message: str
    document_id: str | None = None

    @property
    def id(self) -> str:
        if self.document_id:
            return f"{self.rule}:{self.document_id}"
        return f"{self.rule}:{self.city}:{self.day}"


def _days_before(day: str, window: int) -> list[str]:
    start = date.fromisoformat(day)
    return [(start - timedelta(days=n)).isoformat() for n in range(window, 0, -1)]


def comment_spikes(series: DaySeries, rules: AlertRules) -> list[Finding]:
    found = []
    first = min(series.total, default=None)
    for day, count in sorted(series.total.items()):
        if count < rules.min_count:
            continue
        # Days before the city's first comment are unknown, not quiet: they do not count.
        before = [d for d in _days_before(day, rules.spike_window_days) if d >= first]
        if len(before) < MIN_HISTORY_DAYS:
            continue
        base = median(series.total.get(d, 0) for d in before)
        threshold = max(rules.spike_factor * base, rules.min_count)
        if count > threshold:
            found.append(Finding("comment_spike", series.city, day, count, base, threshold,
                                 f"{series.city}: {count} comments on {day}, more than {rules.spike_factor:g}× the "
                                 f"median of the {len(before)} days before ({base:g})"))
    return found


def share_jumps(series: DaySeries, rules: AlertRules, which: str) -> list[Finding]:
    """``which``: "negative" or "oppose"."""
    part = getattr(series, which)
    found = []
    for day, count in sorted(series.total.items()):
        if count < rules.min_count:
            continue
        share = part.get(day, 0) / count
        before = _days_before(day, rules.spike_window_days)
        total_before = sum(series.total.get(d, 0) for d in before)
        if total_before < rules.min_count:
            continue  # nothing to jump from: a first wave is a comment_spike, not a share jump
        base = sum(part.get(d, 0) for d in before) / total_before
        if share - base >= rules.share_jump:
            label = "negative" if which == "negative" else "opposing"
            found.append(Finding(f"{which}_jump", series.city, day, round(share, 4), round(base, 4),
                                 rules.share_jump,
                                 f"{series.city}: {share:.0%} of {count} comments on {day} were {label}, "
                                 f"up from {base:.0%} over the {rules.spike_window_days} days before"))
    return found


def watched_closures(notices: list[dict], rules: AlertRules) -> list[Finding]:
    """Closure notices of the watched cities (``notices``: announcement documents)."""
    watched = set(rules.watched_cities)
    found = []
    for doc in notices:
        if doc.get("city") in watched and doc.get("status") != "taken_down":
            day = (doc.get("published_at") or doc.get("first_seen") or "")[:10]
            found.append(Finding("watched_closure", doc["city"], day, 1, 0, 1,
                                 f"{doc['city']}: new closure notice {doc.get('title')!r} ({day})",
                                 document_id=doc["id"]))
    return found


def evaluate(series: list[DaySeries], notices: list[dict], rules: AlertRules) -> list[Finding]:
    found: list[Finding] = []
    for one in series:
        found += comment_spikes(one, rules)
        found += share_jumps(one, rules, "negative")
        found += share_jumps(one, rules, "oppose")
    found += watched_closures(notices, rules)
    return found
