"""Sentiment: snownlp's score, computed fast, and a three-way label.

``score(text)`` returns exactly what ``snownlp.SnowNLP(text).sentiments`` returns (tests pin it
to 1e-9 on a thousand varied texts; in practice the doubles are identical), from snownlp's own
shipped model files, but 20–100× faster: see ``analysis/snownlp_fast`` for how. Pipelines
should prefer ``score_many`` — a batch is segmented in one vectorised pass.

The segmenter and the stop words are always snownlp's. The Bayes model is snownlp's unless a
retrained one is loaded (``yuqing sentiment train``; ``load_model(dir)``), and ``model_id``
names the model behind a score so every stored document says what produced its number.

One deliberate difference: ``SnowNLP('')`` raises ZeroDivisionError, not in sentiment but in
the BM25 index its constructor builds. The sentiment classifier itself
(``snownlp.sentiment.classify('')``) gives the model's prior, as for whitespace-only text, and
that is what ``score('')`` returns.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from analysis.snownlp_fast.bayes import BayesClassifier
from analysis.snownlp_fast.model_files import (
    load_marshal,
    load_stopwords,
    marshal_file,
    parse_marshal,
    segmenter_path,
    sentiment_path,
    snownlp_version,
)
from analysis.snownlp_fast.segmenter import Segmenter
from core.vocabulary import SENTIMENT_NEGATIVE_AT, SENTIMENT_POSITIVE_AT

# Name of the model file inside a trained model directory, as given to snownlp's ``save``
# (which writes ``sentiment.marshal.3`` on Python 3).
MODEL_FILE_NAME = "sentiment.marshal"


@dataclass(frozen=True)
class SentimentModel:
    """A loaded Bayes sentiment model and the id recorded with its scores."""

    id: str
    path: Path
    classifier: BayesClassifier


@dataclass
class _Loaded:
    segmenter: Segmenter | None = None
    stopwords: frozenset[str] | None = None
    default: SentimentModel | None = None
    custom: dict[tuple[Path, int, int], SentimentModel] | None = None


_loaded = _Loaded()
_load_lock = threading.Lock()


def reset_caches() -> None:
    """Empty the caches that grow with use (context tables, segment memo, retrained models);
    the segmenter's model stays loaded. Scores are unaffected."""
    with _load_lock:
        if _loaded.segmenter is not None:
            _loaded.segmenter.clear()
        _loaded.custom = None


def unload() -> None:
    """Forget everything loaded, including snownlp's model files (~400 MB; reloading takes seconds)."""
    global _loaded
    with _load_lock:
        _loaded = _Loaded()


def _segmenter() -> Segmenter:
    if _loaded.segmenter is None:
        with _load_lock:
            if _loaded.segmenter is None:
                _loaded.stopwords = load_stopwords()
                _loaded.segmenter = Segmenter(load_marshal(segmenter_path()))
    return _loaded.segmenter


def default_model() -> SentimentModel:
    """snownlp's shipped sentiment model."""
    if _loaded.default is None:
        with _load_lock:
            if _loaded.default is None:
                path = marshal_file(sentiment_path())
                _loaded.default = SentimentModel(
                    id=f"snownlp-{snownlp_version()}", path=path,
                    classifier=BayesClassifier.from_marshal(load_marshal(path)),
                )
    return _loaded.default


def model_path(location: Path | str) -> Path:
    """The model file for a directory written by ``yuqing sentiment train`` (or a file path)."""
    location = Path(location)
    return marshal_file(location / MODEL_FILE_NAME) if location.is_dir() else marshal_file(location)


def load_model(location: Path | str | None = None, refresh: bool = False) -> SentimentModel:
    """A retrained model from its directory (or file); snownlp's own for None.

    Cached by path, modification time and size, so retraining into the same directory is
    picked up by the next call, and a repeated call costs one ``stat``. (File times tick
    every few milliseconds; ``refresh`` re-reads regardless, for a file just rewritten.)"""
    if location is None:
        return default_model()
    path = model_path(location).resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise FileNotFoundError(f"no sentiment model at {path} (train one with `yuqing sentiment train`)") from exc
    if not path.is_file():
        raise FileNotFoundError(f"no sentiment model at {path} (train one with `yuqing sentiment train`)")
    key = (path, stat.st_mtime_ns, stat.st_size)
    cached = None if refresh else (_loaded.custom or {}).get(key)
    if cached is not None:
        return cached
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()[:8]
    name = path.parent.name if Path(location).is_dir() else path.name
    model = SentimentModel(id=f"custom:{name}:{digest}", path=path,
                           classifier=BayesClassifier.from_marshal(parse_marshal(raw, str(path))))
    with _load_lock:
        _loaded.custom = _loaded.custom or {}
        _loaded.custom[key] = model
    return model


def resolve(model: SentimentModel | Path | str | None) -> SentimentModel:
    """A loaded model from a model, a model directory (e.g. ``Settings.sentiment_model``) or None."""
    return model if isinstance(model, SentimentModel) else load_model(model)


def words(text: str) -> list[str]:
    """The words the classifier sees: snownlp's segmentation without its stop words."""
    return words_many([text])[0]


def words_many(texts: Iterable[str]) -> list[list[str]]:
    segmenter = _segmenter()
    stop = _loaded.stopwords or frozenset()
    return [[w for w in ws if w not in stop] for ws in segmenter.segment_many(texts)]


ModelArg = SentimentModel | Path | str | None


def score(text: str, model: ModelArg = None) -> float:
    """Probability that ``text`` is positive, exactly as ``SnowNLP(text).sentiments``
    (with ``model``: as a snownlp ``Sentiment`` loaded with that model file)."""
    return score_many([text], model)[0]


def score_many(texts: Iterable[str], model: ModelArg = None) -> list[float]:
    """``score`` for many texts; one batch is segmented in a single vectorised pass."""
    classifier = resolve(model).classifier
    return [classifier.positive_probability(ws) for ws in words_many(list(texts))]


def label(value: float, positive: float = SENTIMENT_POSITIVE_AT, negative: float = SENTIMENT_NEGATIVE_AT) -> str:
    """positive / neutral / negative by the configured thresholds (inclusive)."""
    if value >= positive:
        return "positive"
    if value <= negative:
        return "negative"
    return "neutral"


def model_id(model: ModelArg = None) -> str:
    """Which model produced a score, stored with every analysed document:
    ``snownlp-0.12.3`` for the shipped model, ``custom:<dir>:<sha256[:8]>`` for a retrained one."""
    return resolve(model).id
