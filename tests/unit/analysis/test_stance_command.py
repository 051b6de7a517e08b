"""`yuqing stance train|score` and YUQING_STANCE_MODEL: through the CLI to the analysed document."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from analysis import stance_model
from yuqing.cli import app

# A deliberately odd labelling: "关" alone marks opposition, so a model trained on it
# disagrees with the shipped one on texts the shipped model reads as support.
ODD = [("关关关，早该关", "oppose"), ("关得好", "oppose"), ("关了清净", "oppose"), ("早该关了", "oppose"),
       ("留着吧", "support"), ("别删号", "support"), ("保留这个号", "support"), ("留下挺好", "support"),
       ("名单在哪", "neutral"), ("什么时候的事", "neutral"), ("有通知吗", "neutral"), ("谁知道呢", "neutral")]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("stance")
    labelled = root / "odd.jsonl"
    labelled.write_text("".join(json.dumps({"text": t, "stance": s}, ensure_ascii=False) + "\n" for t, s in ODD),
                        encoding="utf-8")
    out = root / "odd-model"
    result = CliRunner().invoke(app, ["stance", "train", "--labelled", str(labelled), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_train_writes_the_model_and_says_how_to_use_it(trained):
    out, output = trained
    meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert (out / "stance.joblib").is_file() and meta["texts"] == len(ODD)
    assert meta["per_stance"] == {"support": 4, "oppose": 4, "neutral": 4}
    assert f"YUQING_STANCE_MODEL={out}" in output and meta["id"] in output


def test_score_uses_the_trained_model(trained):
    out, _ = trained
    result = CliRunner().invoke(app, ["stance", "score", "--model", str(out), "早该关了"])
    assert result.exit_code == 0, result.output
    stance, _, model_id, text = result.output.strip().split("\t")
    assert stance == "oppose" and model_id == stance_model.load_model(out).id and text == "早该关了"


def test_bad_labelled_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "早该关了", "stance": "yes"}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["stance", "train", "--labelled", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "bad.jsonl:1" in result.output and not (tmp_path / "o").exists()


def test_settings_reach_enrich_and_every_text_records_its_stance_model(trained):
    from analysis.enrich import AnalysisOptions, enrich, enrich_many
    from core.config import Settings

    out, _ = trained
    custom = AnalysisOptions.from_settings(Settings(_env_file=None, stance_model=out))
    shipped = AnalysisOptions.from_settings(Settings(_env_file=None))
    comment = {"id": "weibo:1", "post_id": "weibo:0", "platform": "weibo", "text": "早该关了"}
    doc, stock = enrich("comment", comment, custom), enrich("comment", comment, shipped)
    assert doc["stance_model"] == stance_model.load_model(out).id and doc["stance"] == "oppose"
    assert stock["stance_model"] == stance_model.load_model().id and stock["stance"] == "support"
    post = enrich_many("post", [{"id": "news:1", "url": "http://x/1", "platform": "news", "text": "早该关了"}], custom)
    assert post[0]["stance_model"] == doc["stance_model"]
    announcement = enrich("announcement", {"title": "关于停止更新的公告", "body": "自即日起停止更新。"}, shipped)
    assert "stance_model" not in announcement  # notices carry no stance


def test_settings_read_the_environment(monkeypatch, tmp_path):
    from core.config import Settings

    monkeypatch.setenv("YUQING_STANCE_MODEL", str(tmp_path))
    assert Settings(_env_file=None).stance_model == tmp_path
