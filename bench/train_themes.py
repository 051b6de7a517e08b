"""Export the shipped theme model's training data and cross-validate rules, model and both.

    python bench/train_themes.py            # cross-validate, then write analysis/themes_comments.jsonl
    python bench/train_themes.py --cv-only  # figures only

Training data: the in-sample labelled comments (``tests/data/comments_*.txt``) and the extra
training comments (``tests/data/stance_train_extra.txt``), with their theme labels. Never the
held-out files (``heldout_comments.txt``, ``heldout_reactions.txt``): those are scored only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quality.evaluation import DATA_DIR, load_comment_file, load_comments  # noqa: E402
from analysis.text import normalise  # noqa: E402
from analysis.themes import THEME_IDS, classify  # noqa: E402
from analysis.themes_model import SHIPPED_DATA, LabelledThemes, fit, predict  # noqa: E402

FOLDS = 5


def training_rows() -> list[tuple[str, LabelledThemes]]:
    """(source, row) for every training comment."""
    rows = [("insample", c) for c in load_comments()]
    rows += [("extra", c) for c in load_comment_file(DATA_DIR / "stance_train_extra.txt")]
    return [(src, LabelledThemes(normalise(c.text), frozenset(c.themes))) for src, c in rows]


def micro_f1(gold: list[set], predicted: list[set]) -> float:
    tp = sum(len(g & p) for g, p in zip(gold, predicted))
    fp = sum(len(p - g) for g, p in zip(gold, predicted))
    fn = sum(len(g - p) for g, p in zip(gold, predicted))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def cross_validate(rows: list[tuple[str, LabelledThemes]]) -> dict[str, float]:
    """Micro-F1 of the rules, the model and their union, by 5 folds assigned by a hash of the text."""
    fold = [int(hashlib.sha1(r.text.encode()).hexdigest(), 16) % FOLDS for _, r in rows]
    model_pred: list[set] = [set() for _ in rows]
    for k in range(FOLDS):
        train = [r for (_, r), f in zip(rows, fold) if f != k]
        test_idx = [i for i, f in enumerate(fold) if f == k]
        for i, p in zip(test_idx, predict(fit(train, THEME_IDS), [rows[i][1].text for i in test_idx])):
            model_pred[i] = p
    gold = [set(r.themes) for _, r in rows]
    rules = [set(classify(r.text, normalised=True).themes) for _, r in rows]
    out = {}
    for name, subset in (("all", ("insample", "extra")), ("extra", ("extra",))):
        idx = [i for i, (src, _) in enumerate(rows) if src in subset]
        g = [gold[i] for i in idx]
        out[f"{name}: rules"] = round(micro_f1(g, [rules[i] for i in idx]), 3)
        out[f"{name}: model"] = round(micro_f1(g, [model_pred[i] for i in idx]), 3)
        out[f"{name}: rules+model"] = round(micro_f1(g, [rules[i] | model_pred[i] for i in idx]), 3)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv-only", action="store_true")
    args = parser.parse_args(argv)
    rows = training_rows()
    print(f"{len(rows)} comments; 5-fold CV micro-F1: {cross_validate(rows)}")
    if args.cv_only:
        return
    SHIPPED_DATA.write_text("".join(json.dumps({"text": r.text, "themes": sorted(r.themes), "source": src},
                                               ensure_ascii=False) + "\n" for src, r in rows), encoding="utf-8")
    print(f"wrote {SHIPPED_DATA}")


if __name__ == "__main__":
    main(sys.argv[1:])
