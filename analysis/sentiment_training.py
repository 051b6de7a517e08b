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

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from analysis import sentiment
from analysis.labelled_files import labelled_lines, training_text
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


# A labelled file's label column: what each value means. 1/0 as public Weibo sets write them
# (weibo_senti_100k: ``label,review``).
LABELS = {"positive": "positive", "negative": "negative", "pos": "positive", "neg": "negative",
          "1": "positive", "0": "negative"}
TEXT_COLUMNS = ("text", "review", "content")


def labelled_rows(path: Path | str) -> Iterator[tuple[int, str, str]]:
    """``(line, text, positive|negative)`` of a labelled file: JSON lines
    ``{"text": …, "sentiment": "positive"|"negative"}``, or CSV (``.csv``) with a ``label``
    column (positive/negative or 1/0) and a ``text``, ``review`` or ``content`` column.
    A row it cannot read is an error naming the file and line."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        for n, row in labelled_lines(path, TrainingDataError):
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise TrainingDataError(f"{path}:{n}: expected an object with \"text\" and \"sentiment\"")
            label = LABELS.get(str(row.get("sentiment", "")).strip().lower())
            if label is None:
                raise TrainingDataError(f"{path}:{n}: sentiment {row.get('sentiment')!r} is not positive or negative")
            yield n, row["text"], label
        return
    reader = csv.DictReader(io.StringIO(training_text(path, "labelled", TrainingDataError), newline=""))
    columns = reader.fieldnames or []
    text_column = next((c for c in TEXT_COLUMNS if c in columns), None)
    if text_column is None or "label" not in columns:
        raise TrainingDataError(f"{path}: expected a 'label' column and one of {', '.join(TEXT_COLUMNS)}; "
                                f"found {', '.join(columns) or 'no header'}")
    for n, row in enumerate(reader, 2):
        label = LABELS.get((row.get("label") or "").strip().lower())
        if label is None:
            raise TrainingDataError(f"{path}:{n}: label {row.get('label')!r} is not one of positive, negative, 1, 0")
        yield n, row.get(text_column) or "", label


def read_labelled(path: Path | str) -> tuple[list[str], list[str]]:
    """The positive and negative documents of a labelled file (``labelled_rows``), each on one
    line as the Bayes model reads them."""
    documents: dict[str, list[str]] = {"positive": [], "negative": []}
    for _, text, label in labelled_rows(path):
        text = " ".join(text.split())
        if text:
            documents[label].append(text)
    for label, found in documents.items():
        if not found:
            raise TrainingDataError(f"labelled file {path} has no {label} documents")
    return documents["positive"], documents["negative"]


def train_model(
    positive_file: Path | str,
    negative_file: Path | str,
    out_dir: Path | str,
    progress: Callable[[int, int], None] | None = None,
) -> TrainingSummary:
    """Train on the two files, save into ``out_dir`` and return what was made."""
    return train_documents(read_documents(positive_file, "positive"), read_documents(negative_file, "negative"),
                           out_dir, progress, {"positive_file": str(Path(positive_file).resolve()),
                                               "negative_file": str(Path(negative_file).resolve())})


def train_labelled(labelled_file: Path | str, out_dir: Path | str,
                   progress: Callable[[int, int], None] | None = None) -> TrainingSummary:
    """Train on one labelled file (``labelled_rows``), save into ``out_dir``."""
    positives, negatives = read_labelled(labelled_file)
    return train_documents(positives, negatives, out_dir, progress,
                           {"labelled_file": str(Path(labelled_file).resolve())})


def train_documents(positives: list[str], negatives: list[str], out_dir: Path | str,
                    progress: Callable[[int, int], None] | None, sources: dict[str, str]) -> TrainingSummary:
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
        **sources,
        "segmenter": f"snownlp-{snownlp_version()}",
    }
    (out / METADATA_FILE).write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    return summary
