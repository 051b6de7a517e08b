"""Stance models: one written by ``yuqing stance train`` (``YUQING_STANCE_MODEL``), or the shipped one.

A model directory holds ``stance.joblib`` (a scikit-learn pipeline) and ``model.json`` (its
id and how it was made); see :mod:`analysis.stance_training`.

The shipped closure-stance model is not committed as a binary: a pickled scikit-learn
pipeline is tied to the scikit-learn version that wrote it. It is built on first use, by the
same ``train_model`` that ``yuqing stance train`` runs, from the committed labelled file
``analysis/stance_closures.jsonl`` (exported by ``bench/train_stance.py --export``), into a
cache directory named after the digest of that file, the options, the training code version
and the scikit-learn version. Training is deterministic and takes a few seconds, so every
machine builds the same model with the same id; the equivalent command is

    yuqing stance train --labelled analysis/stance_closures.jsonl --rules --out DIR
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from analysis.stance_training import (
    METADATA_FILE,
    MODEL_FILE,
    STANCES,
    TrainingOptions,
    data_digest,
    read_labelled,
    train_model,
)

SHIPPED_DATA = Path(__file__).resolve().with_name("stance_closures.jsonl")
SHIPPED_NAME = "closures"
# The closure model weighs the rules' verdict too (cross-validated in bench/train_stance.py).
SHIPPED_OPTIONS = TrainingOptions(rules=True)


@dataclass(frozen=True)
class StanceModel:
    id: str
    path: Path
    pipeline: Any  # fitted sklearn Pipeline
    metadata: dict

    def probabilities(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Per text, a probability per stance: the softmax of the decision values."""
        classes = [str(c) for c in self.pipeline.classes_]
        decisions = self.pipeline.decision_function(list(texts))
        out = []
        for row in decisions:
            values = list(row) if hasattr(row, "__len__") else [-float(row), float(row)]
            top = max(values)
            exp = [math.exp(v - top) for v in values]
            total = sum(exp)
            probs = {c: e / total for c, e in zip(classes, exp)}
            out.append({s: probs.get(s, 0.0) for s in STANCES})
        return out


_lock = threading.Lock()
_cache: dict[tuple, StanceModel] = {}


def cache_root() -> Path:
    """Where the shipped model is built: $YUQING_CACHE_DIR, else $XDG_CACHE_HOME/yuqing, else ~/.cache/yuqing."""
    if os.environ.get("YUQING_CACHE_DIR"):
        return Path(os.environ["YUQING_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "yuqing"


def _read_dir(location: Path) -> StanceModel:
    import joblib

    model_file, meta_file = location / MODEL_FILE, location / METADATA_FILE
    if not model_file.is_file() or not meta_file.is_file():
        raise FileNotFoundError(f"no stance model at {location} (expected {MODEL_FILE} and {METADATA_FILE}; "
                                f"train one with `yuqing stance train --labelled FILE.jsonl --out {location}`)")
    try:
        metadata = json.loads(meta_file.read_text(encoding="utf-8"))
        model_id = str(metadata["id"])
    except (ValueError, KeyError) as exc:
        raise ValueError(f"stance model {location}: {METADATA_FILE} is not the file `stance train` writes") from exc
    return StanceModel(model_id, location, joblib.load(model_file), metadata)


_shipped_dirs: dict[tuple, Path] = {}


def remembered_dir(data: Path, make: Callable[[], Path], *key: object) -> Path:
    """``make()`` — a shipped model's directory, named by a digest of its training data — once
    per version of ``data``: reading and hashing the data on every text cost ~12 ms per model
    (``yuqing analyze`` ran at ~30 comments/s; a million comments took hours)."""
    stat = data.stat()
    full = (data, stat.st_mtime_ns, stat.st_size, cache_root(), *key)
    found = _shipped_dirs.get(full)
    if found is None:
        found = _shipped_dirs[full] = make()
    return found


def shipped_model_dir() -> Path:
    def make() -> Path:
        rows = read_labelled(SHIPPED_DATA)
        return cache_root() / "stance" / f"{SHIPPED_NAME}-{data_digest(rows, SHIPPED_OPTIONS)[:16]}"

    return remembered_dir(SHIPPED_DATA, make, "stance")


def build_shipped(target: Path | None = None) -> Path:
    """Train the shipped model into its cache directory (atomically) unless it is there."""
    target = target or shipped_model_dir()
    if (target / MODEL_FILE).is_file() and (target / METADATA_FILE).is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Built beside the target and renamed: a second process never reads half a model.
    tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        train_model(SHIPPED_DATA, tmp, SHIPPED_OPTIONS, name=SHIPPED_NAME)
        try:
            tmp.rename(target)
        except OSError:
            if not (target / MODEL_FILE).is_file():  # not another process's win: a real failure
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def load_model(location: Path | str | None = None) -> StanceModel:
    """The model in ``location`` (a `stance train` directory); the shipped one for None.

    Cached by directory and the model file's modification time and size, so retraining into
    the same directory is picked up by the next call."""
    with _lock:
        path = Path(location).resolve() if location is not None else build_shipped()
        model_file = path / MODEL_FILE
        try:
            stat = model_file.stat()
            key = (path, stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = None
        if key is not None and key in _cache:
            return _cache[key]
        model = _read_dir(path)
        _cache[key] = model
        return model


def model_id(location: Path | str | None = None) -> str:
    return load_model(location).id


def reset() -> None:
    with _lock:
        _cache.clear()
        _shipped_dirs.clear()
