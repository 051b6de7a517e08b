"""Retraining on domain text: the CLI, the model file, and exactness against stock snownlp."""

from __future__ import annotations

import json

import pytest
from snownlp import sentiment as stock_sentiment
from typer.testing import CliRunner

from analysis import sentiment
from quality.sentiment_samples import sample_texts
from analysis.sentiment_training import TrainingDataError, train_model
from yuqing.cli import app

# A tiny domain set: in snownlp's shopping-review model "僵尸号" and "关停" mean little;
# here they carry the stance of the commenter.
POSITIVE = ["僵尸号关停了，好事", "精简政务号，支持", "整合以后信息更集中，点赞", "早该关停这些僵尸号"]
NEGATIVE = ["说关停就关停，形式主义", "关停以后找不到通知，失望", "僵尸号也比没有强，太差了", "注销账号是倒退"]
DOMAIN_TEXTS = ["僵尸号关停", "又一个僵尸号关停了", "形式主义的注销", "关停", "支持整合"]


def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("train")
    out = root / "closures"
    result = CliRunner().invoke(app, ["sentiment", "train", "--pos", str(write_lines(root / "pos.txt", POSITIVE)),
                                      "--neg", str(write_lines(root / "neg.txt", NEGATIVE)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_cli_writes_snownlp_model_file_and_summary(trained):
    out, output = trained
    assert (out / "sentiment.marshal.3").is_file()  # snownlp's save appends .3 on Python 3
    meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert meta["positive_documents"] == len(POSITIVE) and meta["negative_documents"] == len(NEGATIVE)
    model = sentiment.load_model(out)
    assert model.id == meta["model_id"] and model.id in output
    assert model.id.startswith("custom:closures:") and len(model.id.split(":")[2]) == 8
    assert "segmented 8/8 documents" in output


def test_domain_scores_change_and_equal_stock_with_the_same_file(trained):
    out, _ = trained
    model = sentiment.load_model(out)
    stock = stock_sentiment.Sentiment()
    stock.load(str(out / "sentiment.marshal"))  # snownlp adds the .3 itself
    texts = DOMAIN_TEXTS + sample_texts(60, seed=3)
    custom = sentiment.score_many(texts, model)
    for text, value in zip(texts, custom):
        assert abs(value - stock.classify(text)) <= 1e-9, text
    default = sentiment.score_many(DOMAIN_TEXTS)
    assert max(abs(a - b) for a, b in zip(custom, default)) > 0.1
    assert sentiment.score("僵尸号关停", model) > sentiment.score("形式主义的注销", model)


def test_retraining_into_the_same_directory_changes_the_model_id(trained, tmp_path):
    out, _ = trained
    copy = tmp_path / "closures"
    first = train_model(write_lines(tmp_path / "p.txt", POSITIVE), write_lines(tmp_path / "n.txt", NEGATIVE), copy)
    assert sentiment.load_model(copy).id == first.model_id
    second = train_model(write_lines(tmp_path / "p.txt", POSITIVE[:2]), tmp_path / "n.txt", copy)
    assert second.model_id != first.model_id  # the id follows the file's bytes
    assert sentiment.load_model(copy).id == second.model_id
    assert sentiment.score("整合以后信息更集中", copy) != sentiment.score("整合以后信息更集中", out)


@pytest.mark.parametrize("problem", ["missing", "empty", "blank", "not-utf8"])
def test_bad_training_files_are_clear_errors(tmp_path, problem):
    pos = tmp_path / "pos.txt"
    if problem == "empty":
        pos.write_text("", encoding="utf-8")
    elif problem == "blank":
        pos.write_text("\n  \n\u3000\n", encoding="utf-8")
    elif problem == "not-utf8":
        pos.write_bytes("支持".encode("gbk"))
    neg = write_lines(tmp_path / "neg.txt", NEGATIVE)
    with pytest.raises(TrainingDataError, match="positive file"):
        train_model(pos, neg, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing half-written
    result = CliRunner().invoke(app, ["sentiment", "train", "--pos", str(pos), "--neg", str(neg),
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "positive file" in result.output


def test_score_command_uses_the_trained_model(trained):
    out, _ = trained
    result = CliRunner().invoke(app, ["sentiment", "score", "僵尸号关停", "--model", str(out)])
    assert result.exit_code == 0, result.output
    value, label, model_id, text = result.output.strip().split("\t")
    assert float(value) == pytest.approx(sentiment.score("僵尸号关停", sentiment.load_model(out)), abs=1e-4)
    assert model_id.startswith("custom:closures:") and text == "僵尸号关停"


def test_a_model_directory_can_be_passed_where_a_model_is_expected(trained):
    out, _ = trained
    loaded = sentiment.load_model(out)
    assert sentiment.score_many(DOMAIN_TEXTS, out) == sentiment.score_many(DOMAIN_TEXTS, loaded)
    assert sentiment.model_id(str(out)) == loaded.id
    assert sentiment.load_model(out) is loaded  # cached: unchanged file, no re-read


def test_documents_analysed_with_a_retrained_model_record_it(trained):
    """Settings.sentiment_model reaches the pipelines' enrich(), and each document says
    which model scored it."""
    from analysis.enrich import AnalysisOptions, enrich, enrich_many
    from core.config import Settings

    out, _ = trained
    options = AnalysisOptions.from_settings(Settings(_env_file=None, sentiment_model=out))
    model = sentiment.load_model(out)
    doc = enrich("comment", {"id": "weibo:1", "post_id": "weibo:0", "platform": "weibo", "text": "僵尸号关停"}, options)
    assert doc["sentiment_model"] == model.id
    assert doc["sentiment"] == round(sentiment.score("僵尸号关停", model), 6)
    many = enrich_many("comment", [{"id": f"weibo:{n}", "post_id": "weibo:0", "platform": "weibo", "text": t}
                                   for n, t in enumerate(DOMAIN_TEXTS)], options)
    assert [d["sentiment"] for d in many] == [round(v, 6) for v in sentiment.score_many(DOMAIN_TEXTS, model)]
    stock_doc = enrich("comment", {"id": "weibo:2", "post_id": "weibo:0", "platform": "weibo", "text": "僵尸号关停"},
                       AnalysisOptions.from_settings(Settings(_env_file=None)))
    assert stock_doc["sentiment_model"] == "snownlp-0.12.3" and stock_doc["sentiment"] != doc["sentiment"]


@pytest.mark.parametrize("name, content", [
    ("labelled.jsonl", "\n".join(json.dumps({"text": t, "sentiment": "positive"}, ensure_ascii=False) for t in POSITIVE)
     + "\n\n" + "\n".join(json.dumps({"text": t, "sentiment": "negative"}, ensure_ascii=False) for t in NEGATIVE)),
    # As public Weibo sets are written (weibo_senti_100k: label,review with 1/0), BOM and all.
    ("weibo.csv", "\ufefflabel,review\n" + "".join(f"1,{t}\n" for t in POSITIVE) + "".join(f"0,\"{t}\"\n" for t in NEGATIVE)),
])
def test_one_labelled_file_trains_the_same_model_as_two_files(tmp_path, trained, name, content):
    labelled = tmp_path / name
    labelled.write_text(content, encoding="utf-8")
    out = tmp_path / "from-labelled"
    result = CliRunner().invoke(app, ["sentiment", "train", "--labelled", str(labelled), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 positive and 4 negative documents" in result.output
    assert sentiment.score_many(DOMAIN_TEXTS, out) == sentiment.score_many(DOMAIN_TEXTS, trained[0])
    assert json.loads((out / "model.json").read_text(encoding="utf-8"))["labelled_file"] == str(labelled.resolve())


@pytest.mark.parametrize("name, content, message", [
    ("bad.csv", "label,body\n1,好\n", "expected a 'label' column"),
    ("bad.csv", "label,text\n2,好\n", "bad.csv:2: label '2'"),
    ("bad.jsonl", '{"text": "好", "sentiment": "neutral"}\n', "bad.jsonl:1: sentiment 'neutral'"),
    ("bad.jsonl", '{"text": "好", "sentiment": "positive"}\n', "has no negative documents"),
    ("bad.jsonl", "[1, 2]\n", 'expected an object with "text"'),
])
def test_a_labelled_file_it_cannot_use_is_named_with_the_reason(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(app, ["sentiment", "train", "--labelled", str(path), "--out", str(tmp_path / "m")])
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("args", [["--pos", "p.txt"], ["--labelled", "l.csv", "--pos", "p.txt", "--neg", "n.txt"], []])
def test_pos_and_neg_or_labelled_exactly(tmp_path, args):
    result = CliRunner().invoke(app, ["sentiment", "train", *args, "--out", str(tmp_path / "m")])
    assert result.exit_code == 2 and "give --pos and --neg, or --labelled" in result.output
