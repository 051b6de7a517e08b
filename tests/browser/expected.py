"""What the page should show, worked out from the factory corpus in plain Python.

Nothing here asks the store or the app: the numbers come straight from the documents the
store was filled with, so a wrong SQL aggregate or template shows up as a mismatch.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from statistics import fmean

import yaml

THEMES_FILE = Path(__file__).resolve().parents[2] / "analysis" / "themes.yaml"
# The page's tables show each group's three most frequent themes (by city) or cities (by theme).
TOP_SHOWN = 3


@dataclass(frozen=True)
class ExpectedRow:
    key: str
    count: int
    mean: float
    labels: tuple[int, int, int]
    top: list[tuple[str, int]]


def theme_labels() -> dict[str, str]:
    taxonomy = yaml.safe_load(THEMES_FILE.read_text(encoding="utf-8"))
    return {key: theme["label"] for key, theme in taxonomy["themes"].items()}


def matches(doc: dict, term: str) -> bool:
    return term in doc["title"] + doc["body"]


def _row(key: str, docs: list[dict], top_of: str) -> ExpectedRow:
    shares = Counter(d["sentiment_label"] for d in docs)
    others = Counter(v for d in docs for v in _values(d, top_of))
    top = sorted(others.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_SHOWN]
    return ExpectedRow(key=key, count=len(docs), mean=fmean(d["sentiment"] for d in docs),
                       labels=(shares["positive"], shares["neutral"], shares["negative"]), top=top)


def _values(doc: dict, name: str) -> list[str]:
    value = doc.get(name)
    return [v for v in value if v] if isinstance(value, list) else [value] if value else []


def summary_by(docs: list[dict], by: str, top_of: str) -> list[ExpectedRow]:
    """Groups in the page's order: most documents first, then by key. Documents without
    the field are left out; a document counts once in each of its themes."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for d in docs:
        for value in _values(d, by):
            groups[value].append(d)
    rows = [_row(key, members, top_of) for key, members in groups.items()]
    return sorted(rows, key=lambda r: (-r.count, r.key))
