"""snownlp's naive Bayes sentiment classifier with per-word logs precomputed.

``snownlp.classification.bayes.Bayes.classify`` is cheap next to segmentation, but it still
computes ``log(count / total)`` for every word of every text. Here those logs are computed once
per vocabulary word at load time — the same ``log(float(count) / total)`` expression, so the
same doubles — and each text then costs a dict lookup and an addition per word, summed in the
same order as stock so the result is bit-identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import exp, log
from typing import Any, Sequence


@dataclass(frozen=True)
class BayesClassifier:
    """A loaded snownlp sentiment model (classes in the order snownlp iterates them)."""

    classes: tuple[str, ...]
    priors: tuple[float, ...]  # log(class total) - log(grand total)
    word_logs: dict[str, tuple[float, ...]]  # log(freq(word)) per class
    unseen_logs: tuple[float, ...]  # log(freq) of a word the class never saw (add-one)

    @classmethod
    def from_marshal(cls, data: dict[str, Any]) -> "BayesClassifier":
        """Build from the dict that ``Bayes.save`` writes: {'total': n, 'd': {class: AddOneProb}}."""
        classes = tuple(data["d"])
        if not classes:
            raise ValueError("sentiment model has no classes")
        probs = [data["d"][k] for k in classes]
        total = data["total"]
        priors = tuple(log(p["total"]) - log(total) for p in probs)
        vocabulary = set().union(*(p["d"] for p in probs))
        word_logs = {
            w: tuple(log(float(p["d"].get(w, p["none"])) / p["total"]) for p in probs) for w in vocabulary
        }
        unseen = tuple(log(float(p["none"]) / p["total"]) for p in probs)
        return cls(classes, priors, word_logs, unseen)

    def positive_probability(self, words: Sequence[str]) -> float:
        """What ``snownlp.sentiment.Sentiment.classify`` returns for these (stop-filtered) words."""
        scores = list(self.priors)
        get, unseen = self.word_logs.get, self.unseen_logs
        for word in words:
            logs = get(word, unseen)
            for i, value in enumerate(logs):
                scores[i] += value
        # Stock: for each class k, 1 / sum_j exp(score_j - score_k), starting the sum from 0;
        # an overflowing exp makes that class's probability 0; the largest probability wins,
        # ties to the earlier class. Same operations in the same order.
        best_class: str | int = 0
        best = 0
        for k, own in zip(self.classes, scores):
            try:
                total = 0
                for other in scores:
                    total += exp(other - own)
                probability = 1 / total
            except OverflowError:
                probability = 0
            if probability > best:
                best_class, best = k, probability
        return float(best) if best_class == "pos" else float(1 - best)
