"""The shipped stance model: logistic regression over character n-grams and the rules' verdict.

Trained offline by ``bench/train_stance.py`` (deterministic; see its docstring for the data
and the cross-validation figures) and shipped as ``stance_model.json`` next to this module.
This module only reads the weights and scores a text: no NumPy, no training code, a dict
lookup per feature, so a comment costs tens of microseconds.

Features (:func:`features`), all binary:

- ``c:`` character 1-, 2- and 3-grams of the normalised text. Chinese comments are short
  and unsegmented; n-grams catch phrasings no lexicon lists ("关了清净", "留着丢人") and
  survive the spelling variation of comments, where a segmenter trained on news does not.
- ``r:`` the rules' verdict when they take a side (``analysis.stance`` steps 1-3:
  ``r:support`` / ``r:oppose``) and ``r:sarcasm`` when a sarcasm marker or mock-praise frame
  fired. The rules encode what
  the n-grams cannot learn from a few hundred comments (negation scope, irony markers
  turning approval around); the model learns how far to trust them.

The model is a plain softmax over summed weights; weights for n-grams seen in fewer than two
training comments are not shipped (they cannot generalise and would only bloat the file).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

WEIGHTS_PATH = Path(__file__).resolve().with_name("stance_model.json")
NGRAM_SIZES = (1, 2, 3)
# Whitespace carries no meaning in Chinese comments; it only splits n-grams apart.
_SPACE = str.maketrans("", "", " \t\n\u3000")


@dataclass(frozen=True)
class StanceModel:
    classes: tuple[str, ...]  # order of the weight columns
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]  # feature -> one weight per class
    trained_on: str  # what the training script recorded (data sizes, CV accuracy)

    def probabilities(self, feats: set[str]) -> dict[str, float]:
        logits = list(self.bias)
        for f in feats:
            row = self.weights.get(f)
            if row is not None:
                for i, w in enumerate(row):
                    logits[i] += w
        top = max(logits)
        exp = [math.exp(v - top) for v in logits]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp)}


def ngram_features(text: str) -> set[str]:
    """``c:`` features: the character n-grams of an already normalised text."""
    compact = text.translate(_SPACE)
    return {"c:" + compact[i:i + n] for n in NGRAM_SIZES for i in range(len(compact) - n + 1)}


def rule_features(rule_stance: str, sarcasm: bool) -> set[str]:
    """``r:`` features: the rules' verdict when they took a side, and whether they saw irony.

    A neutral verdict gives no feature: it mostly means that no cue was found, which is no
    evidence of neutrality (on comments the rules were not tuned on, most of their errors are
    supportive comments without a listed cue). Cross-validation agreed (bench/train_stance.py).
    """
    side = {"r:" + rule_stance} if rule_stance != "neutral" else set()
    return side | ({"r:sarcasm"} if sarcasm else set())


def features(text: str, rule_stance: str, sarcasm: bool) -> set[str]:
    return ngram_features(text) | rule_features(rule_stance, sarcasm)


def model_from_json(data: dict) -> StanceModel:
    classes = tuple(data["classes"])
    weights = {f: tuple(row) for f, row in data["weights"].items()}
    if len(data["bias"]) != len(classes) or any(len(r) != len(classes) for r in weights.values()):
        raise ValueError("stance model: every weight row needs one value per class")
    return StanceModel(classes, tuple(data["bias"]), weights, str(data.get("trained_on", "")))


@lru_cache(maxsize=4)
def load_model(path: Path = WEIGHTS_PATH) -> StanceModel:
    """The weights file, read once per process (``reset`` forgets it, e.g. after retraining)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"stance model weights missing: {path}; rebuild them with "
                                f"`python bench/train_stance.py`") from exc
    return model_from_json(data)


def reset() -> None:
    load_model.cache_clear()
