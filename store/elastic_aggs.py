"""Summaries and timelines as Elasticsearch aggregations, and their answers as dataclasses.

The cluster does the counting (terms, avg, date_histogram); Python only reshapes the
buckets. Nothing here pulls documents.
"""

from __future__ import annotations

from typing import Any

from store.base import Bucket, Group
from store.elastic_mappings import DAY_FIELD
from store.errors import InvalidQuery
from core.schema import AUTHORED_KINDS, FILTER_FIELDS

# A summary lists every group (every city, every theme), not a top N: the API pages and
# trims. Cities and themes number in the hundreds; this bound only stops a runaway field
# (a free-text keyword by mistake) from building a huge response.
MAX_GROUPS = 10_000
# Sentiment labels and stances are small closed sets (3 values each); room to spare.
MAX_LABELS = 20

# Distinct authors per group come from a `cardinality` aggregation (HyperLogLog++), which
# Elasticsearch documents as "close to accurate" below `precision_threshold` (exact in
# practice at these sizes: the contract suite compares it with SQLite's exact
# COUNT(DISTINCT)) and approximate above it (errors of a fraction of a percent). 40,000 is
# the largest threshold Elasticsearch accepts; a city's, theme's or province's distinct
# commenters stay well below it at this project's scale (thousands of comments per city),
# so the counts are exact. Cost: about 8 bytes × threshold per group at most (≤ 320 KB,
# per the Elasticsearch docs), for the groups of one summary only. A deployment whose
# groups pass 40,000 distinct authors gets estimates, not errors.
AUTHOR_PRECISION = 40_000

# The singular names users group by, for the list fields that hold them (as in SQLite).
_GROUP_ALIASES = {"theme": "themes", "platform": "platforms"}
# What the `top` list of a group holds: a city's top themes, a theme's top cities.
_TOP_OF = {"city": "themes", "themes": "city"}

INTERVALS = ("day", "week", "month")


def group_field(kind: str, by: str) -> str:
    """The field a ``by`` counts (``theme`` → ``themes``): one of the kind's filter fields,
    so that every group can be opened as a filter. ValueError when the kind has none."""
    allowed = FILTER_FIELDS.get(kind, ())
    field = by if by in allowed else _GROUP_ALIASES.get(by, by)
    if field not in allowed:
        names = sorted(set(allowed) | {k for k, v in _GROUP_ALIASES.items() if v in allowed})
        raise InvalidQuery(f"{kind} cannot be summarised by {by!r}; by one of: {', '.join(names)}")
    return field


def _terms(field: str, size: int) -> dict[str, Any]:
    # Count desc then key asc: the order the Store protocol promises. An empty string is
    # "no value" (the SQLite backend never records one), so it never forms a group.
    return {"terms": {"field": field, "size": size, "order": [{"_count": "desc"}, {"_key": "asc"}],
                      "exclude": [""]}}


def _breakdown() -> dict[str, Any]:
    """Sub-aggregations every group and bucket carries."""
    return {
        "sentiment_mean": {"avg": {"field": "sentiment"}},
        "labels": _terms("sentiment_label", MAX_LABELS),
    }


def _authors() -> dict[str, Any]:
    return {"cardinality": {"field": "author_hash", "precision_threshold": AUTHOR_PRECISION}}


def authors_aggs() -> dict[str, Any]:
    """Distinct authors of every matching document (``Store.authors``)."""
    return {"authors": _authors()}


def parse_authors(aggregations: dict[str, Any]) -> int:
    return int(aggregations["authors"]["value"])


def summary_aggs(kind: str, by: str, top: int) -> dict[str, Any]:
    field = group_field(kind, by)
    sub = _breakdown()
    sub["stances"] = _terms("stance", MAX_LABELS)
    if kind in AUTHORED_KINDS:  # the mapping test guarantees author_hash is mapped for them
        # Absent for announcements and accounts, so their groups report authors=None.
        sub["authors"] = _authors()
    top_field = _TOP_OF.get(field)
    if top_field and top_field in FILTER_FIELDS[kind] and top > 0:
        sub["top"] = _terms(top_field, top)
    groups = _terms(field, MAX_GROUPS)
    groups["aggs"] = sub
    return {"groups": groups}


def _counts(agg: dict[str, Any] | None) -> dict[str, int]:
    return {str(b["key"]): int(b["doc_count"]) for b in (agg or {}).get("buckets", [])}


def _mean(agg: dict[str, Any] | None) -> float | None:
    value = (agg or {}).get("value")
    return float(value) if value is not None else None


def parse_groups(aggregations: dict[str, Any]) -> list[Group]:
    groups = []
    for b in aggregations["groups"]["buckets"]:
        groups.append(Group(
            key=str(b["key"]),
            count=int(b["doc_count"]),
            sentiment_mean=_mean(b.get("sentiment_mean")),
            labels=_counts(b.get("labels")),
            stances=_counts(b.get("stances")),
            top=[(str(t["key"]), int(t["doc_count"])) for t in b.get("top", {}).get("buckets", [])],
            authors=int(b["authors"]["value"]) if "authors" in b else None,
        ))
    # The cluster already orders by count then key; sorting again costs nothing and keeps
    # the promise even on servers that ignore a multi-key order.
    groups.sort(key=lambda g: (-g.count, g.key))
    return groups


def timeline_aggs(interval: str) -> dict[str, Any]:
    if interval not in INTERVALS:
        raise InvalidQuery(f"unknown interval {interval!r}; one of: {', '.join(INTERVALS)}")
    return {
        "timeline": {
            # On the date as written (DAY_FIELD), like date filters: calendar weeks start on
            # Monday, months on the 1st.
            # min_doc_count 0: empty buckets between the first and the last dated
            # document are kept, because a chart needs the gaps.
            "date_histogram": {"field": DAY_FIELD, "calendar_interval": interval, "format": "yyyy-MM-dd",
                               "min_doc_count": 0},
            "aggs": _breakdown(),
        }
    }


def parse_timeline(aggregations: dict[str, Any]) -> list[Bucket]:
    return [
        Bucket(
            start=str(b["key_as_string"])[:10],
            count=int(b["doc_count"]),
            sentiment_mean=_mean(b.get("sentiment_mean")),
            labels=_counts(b.get("labels")),
        )
        for b in aggregations["timeline"]["buckets"]
    ]
