"""Stance training: the labelled-file reader, bench/train_stance.py's data and CV, determinism."""

import json

import pytest

from quality.evaluation import DATA_DIR, HELDOUT_COMMENTS, load_comment_file
from analysis.stance_model import SHIPPED_DATA
from analysis.stance_training import (
    LabelledText,
    StanceDataError,
    TrainingOptions,
    data_digest,
    fit,
    read_labelled,
    train_model,
)
from analysis.text import normalise
from bench import train_stance

# 5-fold cross-validated accuracy on the hand-written training comments (0.878 measured with the
# scikit-learn model; the hand-written gradient descent it replaced measured 0.883; rules alone
# 0.700). A little under, so that a regression shows.
CV_HANDWRITTEN_FLOOR = 0.85


@pytest.fixture(scope="module")
def examples():
    return train_stance.training_examples()


def test_the_shipped_training_file_is_what_the_script_exports(examples, tmp_path):
    out = tmp_path / "closures.jsonl"
    train_stance.export(examples, out)
    assert out.read_text(encoding="utf-8") == SHIPPED_DATA.read_text(encoding="utf-8")


def test_cross_validation_beats_the_rules_and_meets_its_floor(examples):
    cv = train_stance.cross_validate(examples)
    assert cv.accuracy["handwritten"] >= CV_HANDWRITTEN_FLOOR
    assert cv.accuracy["handwritten"] > cv.rules_accuracy["handwritten"]
    assert cv.counts["handwritten"] >= 700


def test_no_heldout_text_is_training_data(examples):
    training = {ex.text for ex in examples} | {r.text for r in read_labelled(SHIPPED_DATA)}
    for path in (HELDOUT_COMMENTS, DATA_DIR / "heldout_reactions.txt"):
        heldout = {normalise(c.text) for c in load_comment_file(path)}
        assert heldout and not heldout & training, path


def test_generated_commentary_counts_each_body_once_without_its_dressing(examples):
    generated = [ex for ex in examples if ex.source == "commentary"]
    assert generated and all(ex.weight == train_stance.COMMENTARY_WEIGHT for ex in generated)
    assert len({ex.text for ex in generated}) == len(generated)
    assert not any(ex.text.endswith("]") or ex.text.startswith(("说句实话", "讲真")) for ex in generated)
    assert {ex.stance for ex in generated} == {"support", "oppose", "neutral"}
    assert len(generated) < 150


def test_fitting_is_deterministic(examples):
    rows = train_stance.labelled(examples[::5])
    a, b = fit(rows, TrainingOptions(rules=True)), fit(rows, TrainingOptions(rules=True))
    texts = [r.text for r in rows[:50]]
    assert (a.decision_function(texts) == b.decision_function(texts)).all()
    assert data_digest(rows, TrainingOptions()) == data_digest(list(rows), TrainingOptions())


@pytest.mark.parametrize("line, message", [
    ("not json", "not a JSON object"),
    ('{"text": "", "stance": "support"}', "non-empty string"),
    ('{"text": "关了好", "stance": "FAVOR"}', "must be one of"),
    ('{"text": "关了好", "stance": "support", "weight": -1}', "positive number"),
    ('["关了好", "support"]', "expected an object"),
])
def test_bad_lines_are_refused_with_their_line_number(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "早该关了", "stance": "support"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(StanceDataError, match=f"bad.jsonl:2: .*{message}"):
        read_labelled(path)


def test_one_stance_only_is_refused_and_nothing_is_written(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(StanceDataError, match="at least two stances"):
        train_model([LabelledText("早该关了", "support")] * 5, out)
    assert not out.exists()


def test_missing_and_non_utf8_files_are_refused(tmp_path):
    with pytest.raises(StanceDataError, match="does not exist"):
        read_labelled(tmp_path / "none.jsonl")
    bad = tmp_path / "gbk.jsonl"
    bad.write_bytes(json.dumps({"text": "早该关了", "stance": "support"}, ensure_ascii=False).encode("gbk"))
    with pytest.raises(StanceDataError, match="not UTF-8"):
        read_labelled(bad)
