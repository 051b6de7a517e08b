"""bench/sentiment_quality.py on small files written here (the Weibo set is not in the
repository): reading, cleaning, the split, and a whole run with both models."""

from __future__ import annotations

import csv

import pytest

from analysis.sentiment_training import TrainingDataError
from bench import sentiment_quality as bench

POSITIVE = ["今天阳光真好，心情很愉快", "这个服务太贴心了，点赞", "终于办好了，效率真高，满意", "好开心啊，谢谢大家",
            "支持，做得漂亮", "太棒了，值得表扬", "办事顺利，工作人员很热情", "喜欢这个安排，非常方便"]
NEGATIVE = ["太失望了，一直没人回复", "排队三个小时，真让人生气", "服务很差，再也不来了", "烦死了，又出问题",
            "垃圾，浪费时间", "难受，什么都查不到", "气人，说好的通知呢", "糟糕透了，没人管"]


def write(path, rows, header=("label", "review")):
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)
    return path


def test_reading_removes_emoticons_keeps_one_copy_and_drops_conflicts(tmp_path):
    path = write(tmp_path / "w.csv", [
        ("1", "好开心[哈哈][哈哈]"), ("1", "好开心"), ("0", "好开心 "),  # the same text once cleaned, both labels
        ("1", "真不错[good]"), ("1", "真不错"),  # the same text and label twice
        ("0", "[泪][泪]"),  # nothing left
        ("0", "太 失望\n了"),
    ])
    posts, report = bench.read_labelled(path)
    assert [(p.text, p.label) for p in posts] == [("真不错", "positive"), ("太 失望 了", "negative")]
    assert (report.rows, report.empty, report.duplicates, report.conflicting) == (7, 1, 3, 1)
    kept, _ = bench.read_labelled(path, keep_emoticons=True)
    assert ("好开心[哈哈][哈哈]", "positive") in [(p.text, p.label) for p in kept]


@pytest.mark.parametrize("rows, header, message", [
    ([("1", "好")], ("label", "body"), "expected a 'label' column"),
    ([("2", "好")], ("label", "text"), "w.csv:2: label '2'"),
])
def test_a_file_it_cannot_read_is_named_with_the_reason(tmp_path, rows, header, message):
    path = write(tmp_path / "w.csv", rows, header)
    with pytest.raises(TrainingDataError, match=message):
        bench.read_labelled(path)


def test_the_split_depends_on_the_text_only_and_puts_each_text_on_one_side():
    posts = [bench.Post(f"第{i}条微博", "positive" if i % 2 else "negative") for i in range(2000)]
    train, test = bench.split(posts, 0.2)
    again_train, again_test = bench.split(list(reversed(posts)), 0.2)
    assert {p.text for p in test} == {p.text for p in again_test}
    assert not {p.text for p in train} & {p.text for p in test}
    assert 300 < len(test) < 500


def test_wilson_interval_holds_the_rate():
    low, high = bench.wilson(80, 100)
    assert low < 0.8 < high and high - low < 0.2


def test_a_run_scores_every_model_on_the_test_share_and_on_a_further_file(tmp_path, capsys):
    rows = [("1", f"{t}{n}号") for t in POSITIVE for n in range(12)] + [("0", f"{t}{n}号") for t in NEGATIVE for n in range(12)]
    path = write(tmp_path / "weibo.csv", rows)
    further = write(tmp_path / "human.csv", [("positive", "太棒了，值得表扬99号"), ("negative", "服务很差，再也不来了99号"),
                                              rows[0]], header=("label", "text"))
    on_share, on_further = bench.main(["--labelled", str(path), "--also", str(further), "--test-share", "0.3",
                                       "--no-write"])
    shipped, retrained, reference = on_share.values()
    assert retrained.accuracy >= 0.9 and reference.accuracy >= 0.9  # every test word was seen in training
    assert 0 <= shipped.accuracy <= 1 and shipped.accuracy_low <= shipped.accuracy <= shipped.accuracy_high
    assert set(on_further) == set(on_share)
    out = capsys.readouterr().out
    assert "| retrained on the Weibo training posts |" in out and "192 rows" in out
    # The further file's row that is also a training post is not scored; the other two are.
    trained_too = int(bench.in_test(rows[0][1], 0.3) is False)
    assert f"{trained_too} also trained on; scored {3 - trained_too} " in out


def test_bad_arguments_are_refused(tmp_path):
    path = write(tmp_path / "w.csv", [("1", "好")])
    with pytest.raises(SystemExit):
        bench.main(["--labelled", str(path), "--test-share", "1.5", "--no-write"])
    with pytest.raises(SystemExit):
        bench.main(["--labelled", str(tmp_path / "missing.csv"), "--no-write"])
