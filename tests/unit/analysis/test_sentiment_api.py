"""The public face of analysis.sentiment: labels, model ids, model loading errors."""

from __future__ import annotations

import gzip
import marshal
from importlib.metadata import version

import pytest

from analysis import sentiment


def test_label_thresholds_are_inclusive():
    assert sentiment.label(0.6) == "positive"
    assert sentiment.label(0.4) == "negative"
    assert sentiment.label(0.5) == "neutral"
    assert sentiment.label(0.55, positive=0.5, negative=0.2) == "positive"
    assert sentiment.label(0.3, positive=0.9, negative=0.3) == "negative"


def test_default_model_id_names_the_snownlp_release():
    assert sentiment.model_id() == f"snownlp-{version('snownlp')}"
    assert sentiment.load_model(None) is sentiment.default_model()
    assert sentiment.model_id(sentiment.default_model()) == sentiment.model_id()


def test_scores_are_probabilities_and_words_drop_stop_words():
    values = sentiment.score_many(["支持政务公开", "垃圾，浪费纳税人的钱", "的"])
    assert all(0.0 <= v <= 1.0 for v in values)
    assert values[0] > values[1]
    assert "的" not in sentiment.words("浪费纳税人的钱")


def test_missing_model_directory_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="sentiment train"):
        sentiment.load_model(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError):
        sentiment.load_model(tmp_path)  # a directory without a model file


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    (tmp_path / "sentiment.marshal.3").write_bytes(b"not a model at all")
    with pytest.raises(ValueError, match="not a snownlp model"):
        sentiment.load_model(tmp_path)
    (tmp_path / "sentiment.marshal.3").write_bytes(gzip.compress(marshal.dumps({"total": 1, "d": {}})))
    with pytest.raises(ValueError, match="no classes"):
        sentiment.load_model(tmp_path)
