"""Retrain snownlp's sentiment model on domain text (``yuqing sentiment train``).

snownlp's model was trained on shopping reviews; comments on closed government accounts use
other words for praise and scorn ("僵尸号", "形式主义"). ``snownlp.sentiment.train`` retrains the
naive Bayes model from one positive and one negative file (one document per line) and ``save``
writes it. This module does the same with snownlp's own ``Bayes`` class — so the file is
exactly what snownlp writes and reads — but segments the documents with the fast segmenter
(identical words, ~50× faster) and without touching snownlp's module-level global classifier.

The output directory holds ``sentiment.marshal.3`` (snownlp's ``save`` appends ``.3`` on
Python 3 to the ``sentiment.marshal`` name it is given) and ``model.json`` describing how it
was made. Point ``YUQING_SENTIMENT_MODEL`` at the directory to score with it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from analysis import sentiment
from analysis.labelled_files import training_text
from analysis.snownlp_fast.model_files import snownlp_version

# Documents are segmented in chunks of this size so that progress can be reported; large
# enough that the vectorised segmenter runs at full speed.
CHUNK = 2000
METADATA_FILE = "model.json"


class TrainingDataError(ValueError):
    """A training file is missing, unreadable or has no documents."""


@dataclass(frozen=True)
class TrainingSummary:
    out_dir: str
    model_file: str
    model_id: str
    positive_documents: int
    negative_documents: int
    positive_words: int
    negative_words: int
    vocabulary: int


def read_documents(path: Path | str, role: str) -> list[str]:
    """Non-blank lines of a UTF-8 file; a clear error for anything else."""
    text = training_text(path, role, TrainingDataError)
    # splitlines: the same line breaks as the codecs reader snownlp's ``train`` uses.
    documents = [line for line in text.splitlines() if line.strip()]
    if not documents:
        raise TrainingDataError(f"{role} file {path} has no documents (one per line expected)")
    return documents


def train_model(
    positive_file: Path | str,
    negative_file: Path | str,
    out_dir: Path | str,
    progress: Callable[[int, int], None] | None = None,
) -> TrainingSummary:
    """Train on the two files, save into ``out_dir`` and return what was made."""
    positives = read_documents(positive_file, "positive")
    negatives = read_documents(negative_file, "negative")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise TrainingDataError(f"output {out} exists and is not a directory")

    # Imported here: importing snownlp loads its stock models (seconds, hundreds of MB),
    # which only training needs.
    from snownlp.classification.bayes import Bayes

    documents = negatives + positives  # the order of snownlp's Sentiment.train: neg, then pos
    labels = ["neg"] * len(negatives) + ["pos"] * len(positives)
    data = []
    for start in range(0, len(documents), CHUNK):
        chunk = documents[start:start + CHUNK]
        data += [[words, label] for words, label in zip(sentiment.words_many(chunk), labels[start:start + CHUNK])]
        if progress:
            progress(start + len(chunk), len(documents))
    classifier = Bayes()
    classifier.train(data)

    out.mkdir(parents=True, exist_ok=True)
    classifier.save(str(out / sentiment.MODEL_FILE_NAME))
    model_file = sentiment.model_path(out)
    if not model_file.is_file():
        raise RuntimeError(f"snownlp did not write the expected model file {model_file}")
    model = sentiment.load_model(out, refresh=True)
    summary = TrainingSummary(
        out_dir=str(out), model_file=str(model_file), model_id=model.id,
        positive_documents=len(positives), negative_documents=len(negatives),
        positive_words=sum(len(words) for words, label in data if label == "pos"),
        negative_words=sum(len(words) for words, label in data if label == "neg"),
        vocabulary=len(set(classifier.d["pos"].d) | set(classifier.d["neg"].d)),
    )
    metadata = {
        **asdict(summary),
        "trained_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "positive_file": str(Path(positive_file).resolve()),
        "negative_file": str(Path(negative_file).resolve()),
        "segmenter": f"snownlp-{snownlp_version()}",
    }
    (out / METADATA_FILE).write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    return summary
