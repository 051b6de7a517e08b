"""A trained theme model next to the taxonomy's rules (``yuqing themes train``, ``YUQING_THEMES_MODEL``).

The keyword rules (``analysis/themes.py``) find a theme only when a listed word is there;
commenters say "一个街道三个号" or "花钱找公司代运营" for duplication and waste without any.
A linear model over the same character and word n-grams as the stance model
(:mod:`analysis.stance_training`) learns such wording from labelled comments; a comment's
themes are the rules' themes **plus** the model's. Union, not the model alone: in 5-fold
cross-validation on the 716 labelled training comments, rules alone 0.715 micro-F1 (a
figure flattered by the rules having been tuned on part of them), model alone 0.70, union
0.74, model fed the rules' hits 0.72-0.73 (``bench/train_themes.py`` prints the current
figures).

Input of ``train_model``: JSON lines ``{"text": ..., "themes": ["formalism", ...]}`` (an
empty list for a text with no theme). Output directory: ``themes.joblib`` (a dict of
per-theme scikit-learn pipelines) and ``model.json``. One binary linear SVM per theme with
balanced class weights; a theme is predicted when its decision value exceeds
:data:`THRESHOLD` (chosen by the same cross-validation: a slightly negative threshold
trades precision for the recall the rules lack).

The shipped model is built on first use from ``analysis/themes_comments.jsonl`` (exported
by ``bench/train_themes.py``) into the cache, exactly as the shipped stance model is
(:mod:`analysis.stance_model`).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

from analysis.labelled_files import labelled_lines
from analysis.stance_model import cache_root, remembered_dir
from analysis.stance_training import normalised_texts, segmented_texts

MODEL_FILE = "themes.joblib"
METADATA_FILE = "model.json"
SHIPPED_DATA = Path(__file__).resolve().with_name("themes_comments.jsonl")
SHIPPED_NAME = "themes"
THRESHOLD = -0.2
C = 1.0
TRAINING_CODE_VERSION = 2  # 2: features shared by every theme (ThemeClassifiers)
# A theme with fewer positive texts than this gets no model (the rules still find it).
MIN_POSITIVES = 3


class ThemesDataError(ValueError):
    """A labelled themes file is missing or malformed; the message says where."""


@dataclass(frozen=True)
class LabelledThemes:
    text: str
    themes: frozenset[str]


def read_labelled(path: Path | str, known: Sequence[str]) -> list[LabelledThemes]:
    out = []
    for n, row in labelled_lines(path, ThemesDataError):
        text, themes = (row.get("text"), row.get("themes")) if isinstance(row, dict) else (None, None)
        if not isinstance(text, str) or not text.strip():
            raise ThemesDataError(f"{path}:{n}: \"text\" must be a non-empty string")
        if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
            raise ThemesDataError(f"{path}:{n}: \"themes\" must be a list of theme ids")
        unknown = sorted(set(themes) - set(known))
        if unknown:
            raise ThemesDataError(f"{path}:{n}: unknown theme ids {unknown}; the taxonomy has {', '.join(known)}")
        out.append(LabelledThemes(text, frozenset(themes)))
    if not out:
        raise ThemesDataError(f"labelled file {path} has no labelled lines")
    return out


def _features():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer

    return Pipeline([
        ("normalise", FunctionTransformer(normalised_texts)),
        ("features", FeatureUnion([
            ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 4), sublinear_tf=True)),
            ("words", Pipeline([("segment", FunctionTransformer(segmented_texts)),
                                ("tfidf", TfidfVectorizer(analyzer="word", token_pattern=r"\S+",
                                                          ngram_range=(1, 2), sublinear_tf=True))])),
        ])),
    ])


@dataclass
class ThemeClassifiers:
    """The features, fitted once on every training text (they do not depend on the labels),
    and a linear classifier per theme over them. Until training code 2 each theme was a
    whole pipeline of its own: seven identical feature extractions (normalising and
    segmenting the text seven times) per comment, ~35 ms of a comment's analysis."""

    features: Any  # fitted Pipeline: normalise → FeatureUnion
    classifiers: dict[str, Any]  # theme id → fitted LinearSVC

    @property
    def themes(self) -> list[str]:
        return sorted(self.classifiers)


def fit(rows: Sequence[LabelledThemes], theme_ids: Sequence[str]) -> ThemeClassifiers:
    """The features and a classifier for every theme with enough positive texts."""
    from sklearn.svm import LinearSVC

    texts = [r.text for r in rows]
    features = _features()
    matrix = features.fit_transform(texts)
    classifiers = {}
    for theme in theme_ids:
        y = [theme in r.themes for r in rows]
        if sum(y) >= MIN_POSITIVES and sum(y) < len(y):
            classifiers[theme] = LinearSVC(C=C, class_weight="balanced", random_state=0).fit(matrix, y)
    return ThemeClassifiers(features, classifiers)


def predict(models: ThemeClassifiers | dict[str, Any], texts: Sequence[str],
            threshold: float = THRESHOLD) -> list[set[str]]:
    """Each text's themes. ``models`` may also be a model trained before training code 2 (a
    whole pipeline per theme, as ``yuqing themes train`` saved it then)."""
    out: list[set[str]] = [set() for _ in texts]
    if not texts:
        return out
    if isinstance(models, ThemeClassifiers):
        matrix = models.features.transform(list(texts))
        decisions = {theme: clf.decision_function(matrix) for theme, clf in models.classifiers.items()}
    else:
        decisions = {theme: pipeline.decision_function(list(texts)) for theme, pipeline in models.items()}
    for theme, values in decisions.items():
        for i, value in enumerate(values):
            if value > threshold:
                out[i].add(theme)
    return out


def data_digest(rows: Sequence[LabelledThemes]) -> str:
    import sklearn

    h = hashlib.sha256(json.dumps([C, THRESHOLD, TRAINING_CODE_VERSION, sklearn.__version__]).encode())
    for r in rows:
        h.update(json.dumps([r.text, sorted(r.themes)], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def train_model(labelled: Path | str, out_dir: Path | str, theme_ids: Sequence[str],
                name: str | None = None) -> dict:
    """Train on the labelled file, save into ``out_dir``; returns the metadata written."""
    import joblib
    import sklearn

    rows = read_labelled(labelled, theme_ids)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ThemesDataError(f"output {out} exists and is not a directory")
    models = fit(rows, theme_ids)
    if not models.classifiers:
        raise ThemesDataError(f"{labelled}: no theme has {MIN_POSITIVES} or more labelled texts")
    digest = data_digest(rows)
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(models, out / MODEL_FILE, compress=3)
    metadata = {
        "id": f"{name or out.resolve().name}-{digest[:10]}",
        "themes": models.themes,
        "texts": len(rows),
        "per_theme": {t: sum(t in r.themes for r in rows) for t in theme_ids},
        "threshold": THRESHOLD, "c": C, "data_sha256": digest, "sklearn": sklearn.__version__,
        "trained_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    }
    (out / METADATA_FILE).write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    return metadata


@dataclass(frozen=True)
class ThemesModel:
    id: str
    models: ThemeClassifiers | dict[str, Any]

    def predict(self, texts: Sequence[str]) -> list[set[str]]:
        return predict(self.models, texts)


_lock = threading.Lock()
_cache: dict[tuple, ThemesModel] = {}


def _build_shipped(theme_ids: Sequence[str]) -> Path:
    def make() -> Path:
        digest = data_digest(read_labelled(SHIPPED_DATA, theme_ids))
        return cache_root() / "themes" / f"{SHIPPED_NAME}-{digest[:16]}"

    target = remembered_dir(SHIPPED_DATA, make, "themes", tuple(theme_ids))
    if (target / MODEL_FILE).is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        train_model(SHIPPED_DATA, tmp, theme_ids, name=SHIPPED_NAME)
        try:
            tmp.rename(target)
        except OSError:
            if not (target / MODEL_FILE).is_file():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def load_model(location: Path | str | None, theme_ids: Sequence[str]) -> ThemesModel:
    """The model in ``location`` (a `themes train` directory); the shipped one for None."""
    import joblib

    with _lock:
        path = Path(location).resolve() if location is not None else _build_shipped(theme_ids)
        model_file, meta_file = path / MODEL_FILE, path / METADATA_FILE
        if not model_file.is_file() or not meta_file.is_file():
            raise FileNotFoundError(f"no themes model at {path} (train one with `yuqing themes train`)")
        stat = model_file.stat()
        key = (path, stat.st_mtime_ns, stat.st_size)
        if key not in _cache:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            _cache[key] = ThemesModel(str(meta["id"]), joblib.load(model_file))
        return _cache[key]


def reset() -> None:
    with _lock:
        _cache.clear()
