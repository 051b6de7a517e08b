"""The numbers behind the page's charts, from the store's own timeline and summaries.

A timeline bar is split by stance for posts and comments (what the reaction *says* about
the closure); announcements are not split at all: they take no stance, and notices carry no
tone (snownlp scores formal notices near 0 or 1 whatever they say, issue 18). Buckets have no
stance counts of their own, so the stance split is one timeline per stance with the same
filters — three cheap aggregate queries, no new store method.
"""

from __future__ import annotations

from dataclasses import replace

from api.web import labels
from api.web.charts import Bar, CityBar, Part, interval_for
from core.vocabulary import STANCES
from store.base import Group, Query, Store

# Cities drawn in the by-city chart (the table below lists them all).
CITY_BARS = 12
# Filters a notice shares with the reaction to it: the place (a comment's city is the city
# its post is about). Platform, theme and stance mean different things per kind.
SHARED_WITH_NOTICES = ("city", "province")


def _parts(counts: dict[str, int], stance: bool) -> list[Part]:
    """The stance split of a bar; none for notices."""
    return [Part(k, labels.STANCES[k], counts.get(k, 0)) for k in STANCES] if stance else []


def timeline_bars(store: Store, kind: str, query: Query, *, with_notices: bool) -> tuple[list[Bar], str]:
    """Bars per day, week or month (chosen from the span of the data) and the interval used."""
    monthly = store.timeline(kind, "month", query)
    if not monthly:
        return [], "month"
    first = query.date_from or monthly[0].start
    last = query.date_to or monthly[-1].start[:8] + "28"
    interval = interval_for(first, last)
    buckets = monthly if interval == "month" else store.timeline(kind, interval, query)
    stance = kind != "announcement"
    split: dict[str, dict[str, int]] = {b.start: {} for b in buckets}
    if stance:
        for s in STANCES:
            narrowed = replace(query, filters={**query.filters, "stance": s})
            for b in store.timeline(kind, interval, narrowed):
                split.setdefault(b.start, {})[s] = b.count
    notices: dict[str, int] = {}
    if with_notices:
        shared = {k: v for k, v in query.filters.items() if k in SHARED_WITH_NOTICES}
        notice_query = Query(filters=shared, date_from=query.date_from, date_to=query.date_to)
        notices = {b.start: b.count for b in store.timeline("announcement", interval, notice_query)}
    bars = [Bar(start=b.start, count=b.count, parts=_parts(split.get(b.start, {}), stance),
                notices=notices.get(b.start, 0) if with_notices else None) for b in buckets]
    return bars, interval


def city_bars(groups: list[Group], kind: str) -> list[CityBar]:
    stance = kind != "announcement"
    return [CityBar(g.key, g.count, _parts(g.stances, stance))
            for g in groups[:CITY_BARS]]
