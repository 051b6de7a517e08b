"""Summaries by city, theme, platform…, and timelines, checked against counts made here."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from statistics import mean

import pytest

from store.errors import InvalidQuery
from store.base import Query
from core.schema import DATE_FIELD, LIST_FIELDS
from tests.contract import corpus

FIELD_OF = {"theme": "themes", "platform": "platforms"}


@pytest.fixture
def loaded(store):
    return corpus.load(store)


def expected_groups(docs: list[dict], by_field: str, top_field: str | None, top: int) -> dict[str, dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for d in docs:
        value = d.get(by_field)
        for v in set(value) if by_field in LIST_FIELDS else [value]:
            if v is not None:
                groups[v].append(d)
    out = {}
    for key, members in groups.items():
        scores = [d["sentiment"] for d in members if d.get("sentiment") is not None]
        tops = Counter()
        if top_field:
            for d in members:
                value = d.get(top_field)
                for v in set(value) if top_field in LIST_FIELDS else [value]:
                    if v is not None:
                        tops[v] += 1
        out[key] = {
            "count": len(members),
            "mean": mean(scores) if scores else None,
            "labels": dict(Counter(d["sentiment_label"] for d in members if d.get("sentiment_label"))),
            "stances": dict(Counter(d["stance"] for d in members if d.get("stance"))),
            "top": sorted(tops.items(), key=lambda kv: (-kv[1], kv[0]))[:top],
        }
    return out


CASES = [
    ("announcement", "city", "themes"),
    ("announcement", "theme", "city"),
    ("announcement", "province", None),
    ("announcement", "platform", None),
    ("announcement", "sentiment_label", None),
    ("comment", "city", "themes"),
    ("comment", "author_region", None),
    ("comment", "stance", None),
    ("comment", "theme", "city"),
    ("post", "platform", None),
    ("account", "action", None),
]


@pytest.mark.parametrize("kind,by,top_field", CASES, ids=[f"{k}-by-{b}" for k, b, _ in CASES])
def test_summary_matches_counts_made_from_the_corpus(store, loaded, kind, by, top_field):
    docs = loaded.docs[kind]
    by_field = by if by in docs[0] else FIELD_OF[by]
    expected = expected_groups(docs, by_field, top_field, 3)
    groups = store.summarize(kind, by, top=3)
    assert [g.key for g in groups] == sorted(expected, key=lambda k: (-expected[k]["count"], k))
    for g in groups:
        want = expected[g.key]
        assert g.count == want["count"], g.key
        assert g.sentiment_mean == pytest.approx(want["mean"]) if want["mean"] is not None else g.sentiment_mean is None
        assert g.labels == want["labels"], g.key
        assert g.stances == want["stances"], g.key
        assert [tuple(t) for t in g.top] == want["top"], g.key


def test_summary_respects_the_query(store, loaded):
    docs = loaded.docs["announcement"]
    matched = [
        d for d in docs
        if d["id"] in corpus.matching(docs, ("title", "body"), "注销") and d["published_at"]
        and d["published_at"][:10] >= "2024-06-01"
    ]
    expected = expected_groups(matched, "city", "themes", 5)
    groups = store.summarize("announcement", "city", Query(q="注销", date_from="2024-06-01"))
    assert {g.key: g.count for g in groups} == {k: v["count"] for k, v in expected.items()}
    assert sum(g.count for g in groups) == len(matched) < len(docs)


def test_summary_by_a_field_the_kind_lacks_is_a_value_error(store, loaded):
    with pytest.raises(InvalidQuery):
        store.summarize("announcement", "author_region")


def _bucket_start(day: str, interval: str) -> str:
    d = date.fromisoformat(day)
    if interval == "week":
        d -= timedelta(days=d.weekday())
    elif interval == "month":
        d = d.replace(day=1)
    return d.isoformat()


@pytest.mark.parametrize("kind,interval", [("announcement", "month"), ("comment", "week"), ("announcement", "day")])
def test_timeline_buckets_count_documents_by_local_date(store, loaded, kind, interval):
    field = DATE_FIELD[kind]
    members: dict[str, list[dict]] = defaultdict(list)
    for d in loaded.docs[kind]:
        if corpus.day_of(d, field):
            members[_bucket_start(corpus.day_of(d, field), interval)].append(d)
    buckets = store.timeline(kind, interval)
    nonempty = {b.start: b for b in buckets if b.count}
    assert set(nonempty) == set(members)
    for start, docs in members.items():
        b = nonempty[start]
        assert b.count == len(docs)
        scores = [d["sentiment"] for d in docs if d.get("sentiment") is not None]
        assert b.sentiment_mean == (pytest.approx(mean(scores)) if scores else None)
        assert b.labels == dict(Counter(d["sentiment_label"] for d in docs if d.get("sentiment_label")))
    # Buckets are consecutive from the first to the last, empty ones included.
    starts = [b.start for b in buckets]
    assert starts == sorted(starts) and starts[0] == min(members) and starts[-1] == max(members)
    assert all(_bucket_start(s, interval) == s for s in starts)
    assert len(starts) == len(set(starts))
    if interval == "day":
        days = [date.fromisoformat(s) for s in starts]
        assert all((b - a).days == 1 for a, b in zip(days, days[1:]))
        assert any(b.count == 0 for b in buckets)


def test_timeline_respects_the_query(store, loaded):
    docs = [d for d in loaded.docs["comment"] if d["stance"] == "oppose"]
    buckets = store.timeline("comment", "month", Query(filters={"stance": "oppose"}))
    assert sum(b.count for b in buckets) == len(docs)


def test_iterate_yields_every_match_in_id_order(store, loaded):
    for kind, docs in loaded.docs.items():
        got = list(store.iterate(kind, batch_size=7))
        assert [d["id"] for d in got] == sorted(d["id"] for d in docs)
        assert got == sorted(docs, key=lambda d: d["id"])
    query = Query(q="关停", filters={"platform": "weibo"})
    expected = sorted(
        d["id"] for d in loaded.docs["comment"]
        if d["platform"] == "weibo" and corpus.contains_term(d["text"], "关停")
    )
    assert expected
    assert [d["id"] for d in store.iterate("comment", query, batch_size=2)] == expected
