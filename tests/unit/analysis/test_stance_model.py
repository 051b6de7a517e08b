"""The shipped stance model file: features, loading once, clear errors for a bad file."""

import json

import pytest

from analysis import stance_model
from analysis.stance import STANCES


def test_ngram_features_are_the_characters_pairs_and_triples():
    feats = stance_model.ngram_features("关 得好")  # whitespace carries no meaning
    assert {"c:关", "c:得", "c:好", "c:关得", "c:得好", "c:关得好"} == feats


def test_a_neutral_rule_verdict_is_no_evidence():
    assert stance_model.rule_features("neutral", False) == set()
    assert stance_model.rule_features("oppose", True) == {"r:oppose", "r:sarcasm"}


def test_weights_load_once_and_reset_forgets_them():
    first = stance_model.load_model()
    assert stance_model.load_model() is first
    stance_model.reset()
    again = stance_model.load_model()
    assert again is not first and again.weights == first.weights


def test_shipped_model_has_a_row_per_feature_and_class():
    model = stance_model.load_model()
    assert model.classes == STANCES
    assert len(model.weights) > 1000 and all(len(row) == len(STANCES) for row in model.weights.values())
    assert stance_model.WEIGHTS_PATH.stat().st_size < 2 * 2**20
    probs = model.probabilities({"c:早该关", "r:support"})
    assert abs(sum(probs.values()) - 1.0) < 1e-9 and max(probs, key=probs.get) == "support"


def test_missing_weights_say_how_to_rebuild_them(tmp_path):
    with pytest.raises(FileNotFoundError, match="train_stance"):
        stance_model.load_model(tmp_path / "nope.json")


def test_malformed_weights_are_refused(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"classes": list(STANCES), "bias": [0, 0, 0], "weights": {"c:关": [1, 2]}}))
    with pytest.raises(ValueError, match="one value per class"):
        stance_model.load_model(bad)
