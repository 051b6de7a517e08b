"""Stance models: `stance train` directories, the shipped model built on first use, clear errors."""

import json

import pytest

from analysis import stance_model
from analysis.stance import STANCES, classify_many, classify_stance
from analysis.stance_training import METADATA_FILE, MODEL_FILE, TrainingOptions, train_model, LabelledText

TINY = [LabelledText(t, s) for t, s in [
    ("早该关了", "support"), ("关得好，浪费资源", "support"), ("支持关停僵尸号", "support"),
    ("关了去哪看通知", "oppose"), ("一刀切，不方便", "oppose"), ("反对关停，老人看不到", "oppose"),
    ("请问名单在哪", "neutral"), ("什么时候关的", "neutral"), ("有没有完整名单", "neutral"),
]]


def test_shipped_model_is_built_once_into_the_cache_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("YUQING_CACHE_DIR", str(tmp_path))
    stance_model.reset()
    first = stance_model.load_model()
    assert first.path.parent == tmp_path / "stance" and (first.path / MODEL_FILE).is_file()
    assert first.id.startswith("closures-") and stance_model.load_model() is first
    stance_model.reset()
    again = stance_model.load_model()  # read back from the cache: the same model, not retrained
    assert again is not first and again.id == first.id
    assert sorted(p.name for p in (tmp_path / "stance").iterdir()) == [first.path.name]
    stance_model.reset()


def test_the_shipped_model_id_is_the_same_on_every_build(tmp_path, monkeypatch):
    """Deterministic: the id names the data, options, code and sklearn version, so two builds agree."""
    ids = []
    for sub in ("a", "b"):
        monkeypatch.setenv("YUQING_CACHE_DIR", str(tmp_path / sub))
        stance_model.reset()
        ids.append(stance_model.load_model().id)
    stance_model.reset()
    assert ids[0] == ids[1]


def test_probabilities_sum_to_one_and_lean_the_right_way():
    model = stance_model.load_model()
    support, oppose = model.probabilities(["早该关了，纯属浪费资源", "关了以后去哪里看停水通知？太不方便了"])
    assert abs(sum(support.values()) - 1) < 1e-9 and max(support, key=support.get) == "support"
    assert max(oppose, key=oppose.get) == "oppose"


def test_a_trained_directory_is_used_when_given(tmp_path):
    out = tmp_path / "m"
    summary = train_model(TINY, out, TrainingOptions(words=False))
    model = stance_model.load_model(out)
    assert model.id == summary.model_id and model.id != stance_model.load_model().id
    got = classify_stance("支持关停", model=model)
    assert got.stance in STANCES
    assert [r.stance for r in classify_many(["支持关停", "  "], model=out)][1] == "neutral"


def test_missing_model_says_how_to_train_one(tmp_path):
    with pytest.raises(FileNotFoundError, match="stance train"):
        stance_model.load_model(tmp_path / "nope")


def test_metadata_without_an_id_is_refused(tmp_path):
    out = tmp_path / "m"
    train_model(TINY, out, TrainingOptions(words=False))
    (out / METADATA_FILE).write_text(json.dumps({"classes": list(STANCES)}))
    with pytest.raises(ValueError, match="not the file"):
        stance_model.load_model(out)


def test_the_shipped_data_is_read_once_per_version_of_the_file(tmp_path, monkeypatch):
    """Reading and hashing the training data on every text cost ~12 ms a comment; it is read
    again only when the file changes."""
    data = tmp_path / "closures.jsonl"
    data.write_bytes(stance_model.SHIPPED_DATA.read_bytes())
    monkeypatch.setattr(stance_model, "SHIPPED_DATA", data)
    monkeypatch.setenv("YUQING_CACHE_DIR", str(tmp_path / "cache"))
    reads = []
    real_read = stance_model.read_labelled
    monkeypatch.setattr(stance_model, "read_labelled", lambda path: reads.append(path) or real_read(path))
    stance_model.reset()
    first = stance_model.shipped_model_dir()
    assert stance_model.shipped_model_dir() == first and len(reads) == 1
    with data.open("a", encoding="utf-8") as more:
        more.write(json.dumps({"text": "关得好，支持精简", "stance": "support"}, ensure_ascii=False) + "\n")
    changed = stance_model.shipped_model_dir()
    assert len(reads) == 2 and changed != first  # new data, new digest, new directory
    stance_model.reset()
