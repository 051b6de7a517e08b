"""Sentiment: snownlp's score and a three-way label.

(First version: stock snownlp. Replaced by a faster scorer with identical scores, issue 5.)
"""

from __future__ import annotations

from typing import Iterable

from snownlp import SnowNLP

MODEL_ID = "snownlp-0.12.3"


def score(text: str) -> float:
    """Probability that ``text`` is positive, exactly as ``SnowNLP(text).sentiments``."""
    return float(SnowNLP(text).sentiments) if text and text.strip() else 0.5


def score_many(texts: Iterable[str]) -> list[float]:
    return [score(t) for t in texts]


def label(value: float, positive: float = 0.6, negative: float = 0.4) -> str:
    """positive / neutral / negative by the configured thresholds (inclusive)."""
    if value >= positive:
        return "positive"
    if value <= negative:
        return "negative"
    return "neutral"


def model_id() -> str:
    """Which model produced a score; stored with every analysed document."""
    return MODEL_ID
