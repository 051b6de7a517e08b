"""Sentiment on real Weibo posts: snownlp's shipped model against one retrained on Weibo.

snownlp's sentiment model was trained on shopping reviews; every comment yuqing stores gets its
score and a positive / neutral / negative label from it (``analysis.sentiment``). This measures
both on a public labelled set of Weibo posts the project did not write (the script takes its
path; the data never enters the repository)::

    python bench/sentiment_quality.py --labelled weibo_senti_100k.csv

The file is what ``yuqing sentiment train --labelled`` reads: CSV with a ``label`` column (``1``/``0``
or ``positive``/``negative``) and a ``text``, ``review`` or ``content`` column, or JSON lines. The posts are split by a hash of their text (the
same split on every run, a text never on both sides): the test share is scored by the shipped
model and by a model trained on the rest with ``analysis.sentiment_training.train_model``, the
code of ``yuqing sentiment train``.

Labels made from emoticons (weibo_senti_100k's were) would let a retrained model learn the
emoticons, not the words: bracketed emoticon tags (``[哈哈]``) are removed from every text
before anything reads it, unless ``--keep-emoticons``.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import sentiment  # noqa: E402
from analysis.sentiment_training import TrainingDataError, labelled_rows, train_model  # noqa: E402
from bench.report import write_section  # noqa: E402
from core.vocabulary import SENTIMENT_NEGATIVE_AT, SENTIMENT_POSITIVE_AT  # noqa: E402

EMOTICON = re.compile(r"\[[^\[\]\s]{1,8}\]")
TEST_SHARE = 0.2
REFERENCE_ROW = "reference: character 1-3-grams + logistic regression (scikit-learn)"


@dataclass(frozen=True)
class Post:
    text: str
    label: str  # positive / negative


@dataclass(frozen=True)
class ReadReport:
    rows: int
    empty: int  # nothing left once emoticons are removed
    duplicates: int  # the same text again (kept once; left out when its labels differ)
    conflicting: int  # texts labelled both ways (left out)


def clean(text: str, keep_emoticons: bool) -> str:
    text = text if keep_emoticons else EMOTICON.sub("", text)
    return " ".join(text.split())


def read_labelled(path: Path, keep_emoticons: bool = False) -> tuple[list[Post], ReadReport]:
    """The posts of a labelled file as ``yuqing sentiment train --labelled`` reads it, cleaned
    (``clean``), each text once; a text labelled both ways is left out."""
    labels: dict[str, str | None] = {}
    rows = empty = duplicates = 0
    for _, raw, label in labelled_rows(path):
        rows += 1
        text = clean(raw, keep_emoticons)
        if not text:
            empty += 1
            continue
        if text in labels:
            duplicates += 1
            if labels[text] != label:
                labels[text] = None
            continue
        labels[text] = label
    posts = [Post(text, label) for text, label in labels.items() if label is not None]
    conflicting = sum(1 for label in labels.values() if label is None)
    return posts, ReadReport(rows, empty, duplicates, conflicting)


def in_test(text: str, share: float) -> bool:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16) % 10_000 < share * 10_000


def split(posts: list[Post], share: float) -> tuple[list[Post], list[Post]]:
    train, test = [], []
    for post in posts:
        (test if in_test(post.text, share) else train).append(post)
    return train, test


@dataclass(frozen=True)
class Scores:
    accuracy: float  # positive when the score is ≥ 0.5
    accuracy_low: float  # Wilson 95% interval
    accuracy_high: float
    auc: float
    neutral_share: float  # labelled neutral by the pipeline's thresholds
    labelled_accuracy: float  # of the posts labelled positive or negative
    precision: dict[str, float]  # of the pipeline's positive / negative labels
    recall: dict[str, float]


def wilson(correct: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if not n:
        return 0.0, 0.0
    p = correct / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def scores_of(test: list[Post], values: list[float]) -> Scores:
    """``values``: probabilities of positive, as snownlp's scores are."""
    from sklearn.metrics import roc_auc_score

    gold = [p.label for p in test]
    correct = sum((v >= 0.5) == (g == "positive") for v, g in zip(values, gold))
    low, high = wilson(correct, len(test))
    labelled = [sentiment.label(v) for v in values]
    shown = [(lab, g) for lab, g in zip(labelled, gold) if lab != "neutral"]
    precision, recall = {}, {}
    for name in ("positive", "negative"):
        said = [g for lab, g in shown if lab == name]
        precision[name] = sum(g == name for g in said) / len(said) if said else 0.0
        recall[name] = sum(1 for lab, g in zip(labelled, gold) if lab == name and g == name) / max(gold.count(name), 1)
    return Scores(
        accuracy=correct / len(test), accuracy_low=low, accuracy_high=high,
        auc=roc_auc_score([g == "positive" for g in gold], values),
        neutral_share=labelled.count("neutral") / len(test),
        labelled_accuracy=sum(lab == g for lab, g in shown) / len(shown) if shown else 0.0,
        precision=precision, recall=recall,
    )


Scorer = Callable[[list[str]], list[float]]  # texts → probabilities of positive


def retrain(train: list[Post], out: Path) -> tuple[Scorer, float]:
    files = {}
    for name in ("positive", "negative"):
        files[name] = out / f"{name}.txt"
        files[name].write_text("\n".join(p.text for p in train if p.label == name) + "\n", encoding="utf-8")
    started = time.perf_counter()
    train_model(files["positive"], files["negative"], out / "model")
    model = sentiment.load_model(out / "model", refresh=True)  # held in memory: the directory may go
    return (lambda texts: sentiment.score_many(texts, model)), time.perf_counter() - started


def reference_model(train: list[Post]) -> tuple[Scorer, float]:
    """Not part of yuqing: character 1-3-gram TF-IDF and logistic regression (scikit-learn),
    the method of the stance model, on the same training share: how far a different
    learner gets on these posts, beside snownlp's naive Bayes."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    started = time.perf_counter()
    model = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2),
                          LogisticRegression(C=2.0, max_iter=2000))
    model.fit([p.text for p in train], [p.label for p in train])
    positive = list(model.classes_).index("positive")
    return (lambda texts: [float(row[positive]) for row in model.predict_proba(texts)]), time.perf_counter() - started


def counts(posts: list[Post]) -> str:
    pos = sum(p.label == "positive" for p in posts)
    return f"{len(posts):,} ({pos:,} positive, {len(posts) - pos:,} negative)"


def read_note(path: Path, report: ReadReport, keep_emoticons: bool) -> str:
    return (f"`{path.name}`: {report.rows:,} rows; {report.duplicates:,} repeated texts kept once, "
            f"{report.conflicting:,} texts labelled both ways left out, {report.empty:,} empty"
            f"{'' if keep_emoticons else ' once emoticon tags were removed'}")


def table(rows: dict[str, Scores]) -> list[str]:
    lines = ["| model | accuracy (95% CI) | ROC AUC | labelled neutral | labels' accuracy | positive P / R | "
             "negative P / R |", "|---|---|---|---|---|---|---|"]
    for name, s in rows.items():
        lines.append(
            f"| {name} | {s.accuracy:.3f} ({s.accuracy_low:.3f}–{s.accuracy_high:.3f}) | {s.auc:.3f} | "
            f"{s.neutral_share:.1%} | {s.labelled_accuracy:.3f} | "
            f"{s.precision['positive']:.3f} / {s.recall['positive']:.3f} | "
            f"{s.precision['negative']:.3f} / {s.recall['negative']:.3f} |")
    return lines


@dataclass(frozen=True)
class TestSet:
    path: Path
    note: str  # how it was read
    posts: list[Post]


def render(train: list[Post], sets: list[TestSet], results: list[dict[str, Scores]], trained_s: float,
           reference_s: float, keep_emoticons: bool, command: str) -> str:
    lines = [
        f"Command: `{command}` (the data is not in the repository). Trained on {counts(train)} posts of the first "
        "file, split from it by a hash of the text; scored on the rest of it, then on each further file whole "
        "(less any text also trained on). "
        + ("Emoticon tags (`[哈哈]`) kept in the texts." if keep_emoticons else
           "Emoticon tags (`[哈哈]`) removed from every text first: labels made from emoticons (weibo_senti_100k's) "
           "would let a model learn the emoticons instead of the words."),
        "",
        f"Accuracy: a score ≥ 0.5 read as positive. The pipeline's labels: positive at ≥ {SENTIMENT_POSITIVE_AT}, "
        f"negative at ≤ {SENTIMENT_NEGATIVE_AT}, neutral between (`YUQING_SENTIMENT_*`); their accuracy is over "
        "the posts they call positive or negative.",
    ]
    for i, (test_set, rows) in enumerate(zip(sets, results)):
        what = "the first file's test share" if i == 0 else "a further file, whole"
        commoner = max(sum(p.label == "positive" for p in test_set.posts) / len(test_set.posts),
                       sum(p.label == "negative" for p in test_set.posts) / len(test_set.posts))
        lines += ["", f"**{test_set.path.name}** ({what}): {test_set.note}; scored {counts(test_set.posts)}; "
                  f"always answering the commoner label scores {commoner:.3f}.", "", *table(rows)]
    lines += ["", f"Training the Weibo model (`yuqing sentiment train` code, one core): {trained_s:.0f} s. "
              "The reference rows are not part of yuqing: character 1-3-gram TF-IDF and logistic regression, the "
              f"stance model's method, trained on the same posts ({reference_s:.0f} s), show how far another "
              "learner gets on them."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict[str, Scores]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labelled", type=Path, required=True,
                        help="CSV: label (1/0 or positive/negative) and text; trained on part of it, scored on the rest")
    parser.add_argument("--also", type=Path, action="append", default=[],
                        help="another labelled CSV, scored whole (e.g. a human-labelled set); repeatable")
    parser.add_argument("--test-share", type=float, default=TEST_SHARE, help="share of the posts scored (default 0.2)")
    parser.add_argument("--keep-emoticons", action="store_true", help="leave [emoticon] tags in the texts")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    if not 0 < args.test_share < 1:
        parser.error("--test-share must be between 0 and 1")
    try:
        posts, report = read_labelled(args.labelled, args.keep_emoticons)
        further = [(path, *read_labelled(path, args.keep_emoticons)) for path in args.also]
    except TrainingDataError as exc:
        parser.error(str(exc))
    train, test = split(posts, args.test_share)
    if not train or not test:
        parser.error(f"{args.labelled}: too few posts to split ({len(posts)})")
    trained = {p.text for p in train}
    sets = [TestSet(args.labelled, read_note(args.labelled, report, args.keep_emoticons), test)]
    for path, more, more_report in further:
        kept = [p for p in more if p.text not in trained]
        note = read_note(path, more_report, args.keep_emoticons) + f", {len(more) - len(kept):,} also trained on"
        sets.append(TestSet(path, note, kept))
    print(f"{len(train):,} posts to train on; scoring " + ", ".join(f"{len(s.posts):,}" for s in sets), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        weibo, trained_s = retrain(train, Path(tmp))
    reference, reference_s = reference_model(train)
    models: dict[str, Scorer] = {f"snownlp's shipped model ({sentiment.model_id()})": sentiment.score_many,
                                 "retrained on the Weibo training posts": weibo, REFERENCE_ROW: reference}
    results = [{name: scores_of(s.posts, score([p.text for p in s.posts])) for name, score in models.items()}
               for s in sets]
    command = " ".join(["python bench/sentiment_quality.py --labelled", args.labelled.name,
                        *(f"--also {path.name}" for path in args.also),
                        *(["--keep-emoticons"] if args.keep_emoticons else [])])
    body = render(train, sets, results, trained_s, reference_s, args.keep_emoticons, command)
    print(body)
    if not args.no_write:
        write_section("sentiment_quality", "Sentiment on real Weibo posts: shipped and retrained snownlp models",
                      body)
    return results


if __name__ == "__main__":
    main()
