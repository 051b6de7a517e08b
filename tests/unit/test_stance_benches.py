"""bench/stance_nlpcc.py and bench/reactions_quality.py on small files written here (the real
data is not in the repository): parsing, the official metric, and the per-target protocol."""

from __future__ import annotations

import json

import pytest

from bench import reactions_quality, stance_nlpcc

TRAIN_TARGETS = {"IphoneSE": ("好看想买", "太贵不买", "发布会消息"),
                 "俄罗斯在叙利亚的反恐行动": ("打击恐怖分子干得好", "不该出兵干涉", "今日新闻报道")}


def task_file(path, rows, bom=False):
    text = "ID\tTARGET\tTEXT\tSTANCE\n" + "".join(f"{i}\t{t}\t{x}\t{s}\n" for i, (t, x, s) in enumerate(rows, 1))
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")
    return path


def test_official_metric_is_the_mean_of_favor_and_against_f1():
    gold = ["support", "support", "oppose", "neutral"]
    got = ["support", "oppose", "oppose", "support"]
    mean, fav, aga = stance_nlpcc.official(gold, got)
    # FAVOR: tp 1, fp 1, fn 1 -> 0.5; AGAINST: tp 1, fp 1, fn 0 -> 2/3. NONE is not averaged in.
    assert fav == pytest.approx(0.5) and aga == pytest.approx(2 / 3) and mean == pytest.approx(7 / 12)


def test_one_model_per_target_with_the_test_files_spelling(tmp_path, capsys):
    rows = []
    for target, (favor, against, none) in TRAIN_TARGETS.items():
        for n in range(6):
            rows += [(target, f"{favor}{n}", "FAVOR"), (target, f"{against}{n}", "AGAINST"),
                     (target, f"{none}{n}", "NONE")]
    rows.append(("IphoneSE", "没有标注的一条", ""))  # the real training file has 14 such rows
    train = task_file(tmp_path / "train.txt", rows, bom=True)
    test = task_file(tmp_path / "test.txt", [
        ("iPhone SE", "好看想买啊", "FAVOR"), ("iPhone SE", "太贵不买了", "AGAINST"),
        ("俄罗斯叙利亚反恐行动", "打击恐怖分子干得好啊", "FAVOR"), ("俄罗斯叙利亚反恐行动", "不该出兵干涉呀", "AGAINST"),
    ])
    stance_nlpcc.main(["--train", str(train), "--test", str(test), "--no-write"])
    out = capsys.readouterr().out
    assert "36 labelled posts over 2 targets (1 skipped)" in out
    assert "**Official metric: 1.0000**" in out
    assert "| iphonese | 18 | 2 |" in out and "| 俄罗斯叙利亚反恐行动 | 18 | 2 |" in out


def test_a_file_without_the_task_header_is_refused(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("1\tIphoneSE\t好\tFAVOR\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="header"):
        stance_nlpcc.read_task_file(bad)


def test_realtext_needs_a_committed_label_for_each_text(tmp_path):
    labels = [json.loads(x) for x in reactions_quality.REALTEXT_LABELS.read_text(encoding="utf-8").splitlines()]
    assert len(labels) >= 30 and all(set(x) == {"url", "sha1", "stance", "themes"} for x in labels)
    local = tmp_path / "dev.jsonl"
    local.write_text(json.dumps({"url": labels[0]["url"], "text": "一段改过的文字"}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    with pytest.raises(SystemExit, match="no committed label"):
        reactions_quality.load_realtext(local)


@pytest.mark.parametrize("labels_path", [reactions_quality.REALTEXT_TUNE_LABELS, reactions_quality.REALTEXT_HELDOUT_LABELS],
                         ids=lambda p: p.name)
def test_the_2026_12_07_realtext_sets_are_labels_only_and_share_no_page(labels_path):
    from analysis.stance import STANCES
    from analysis.themes import THEME_IDS

    labels = [json.loads(x) for x in labels_path.read_text(encoding="utf-8").splitlines()]
    assert len(labels) >= 20 and all(set(x) == {"url", "sha1", "stance", "themes"} for x in labels)
    assert all(x["stance"] in STANCES and set(x["themes"]) <= set(THEME_IDS) for x in labels)
    pages = {path: {json.loads(x)["url"] for x in path.read_text(encoding="utf-8").splitlines()}
             for path in (reactions_quality.REALTEXT_LABELS, reactions_quality.REALTEXT_TUNE_LABELS,
                          reactions_quality.REALTEXT_HELDOUT_LABELS)}
    others = set().union(*(urls for path, urls in pages.items() if path != labels_path))
    assert not pages[labels_path] & others, "a page in two real-text sets: the held-out one is tuned on"


def test_with_the_encoder_both_models_are_measured_side_by_side(tmp_path, capsys):
    rows = [(target, f"{text}{n}", label) for target, texts in TRAIN_TARGETS.items() for n in range(6)
            for text, label in zip(texts, ("FAVOR", "AGAINST", "NONE"))]
    train = task_file(tmp_path / "train.txt", rows)
    test = task_file(tmp_path / "test.txt", [("iPhone SE", "好看想买啊", "FAVOR"), ("iPhone SE", "太贵不买了", "AGAINST")])
    stance_nlpcc.main(["--train", str(train), "--test", str(test), "--encoder", "--no-write"])
    out = capsys.readouterr().out
    assert "plus `encoder=True`" in out and "(n-grams + sentence encoder;" in out
    side = [line for line in out.splitlines() if line.startswith("| n-grams")]
    assert [line.split(" | ")[0] for line in side] == ["| n-grams", "| n-grams + sentence encoder"]


def test_a_realtext_set_gathered_in_part_is_scored_and_named_as_its_share(tmp_path, monkeypatch):
    texts = ["关了好，省得天天看形式主义的推送", "关了以后去哪里看通知？"]
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps({"url": f"https://example.org/{i}", "stance": s, "themes": [],
                                          "sha1": reactions_quality.hashlib.sha1(t.encode()).hexdigest()[:12]}) + "\n"
                              for i, (t, s) in enumerate(zip(texts, ("support", "neutral")))), encoding="utf-8")
    local = tmp_path / "texts.jsonl"  # only the first text could be gathered again
    local.write_text(json.dumps({"url": "https://example.org/0", "text": texts[0]}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    monkeypatch.setattr(reactions_quality, "REALTEXT_SETS", [("real text", "realtext", labels)])
    sets = reactions_quality.scores({"realtext": local})
    assert sets["real text, 1 of its 2 texts"].n == 1
    table = reactions_quality.table(sets, encoder=sets)
    assert "stance with the encoder: accuracy | macro-F1 |" in table.splitlines()[0]
    assert all(line.count("|") == 8 for line in table.splitlines())
