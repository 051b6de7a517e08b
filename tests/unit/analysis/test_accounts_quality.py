"""Floors for the closed-accounts registry on the in-sample and held-out sets (issue 18).

Figures: ``bench/accounts_quality.py`` → BENCHMARKS.md (with the real-text dev set, which is kept
outside the repository and so has no floor here). Lower a floor only deliberately, saying why in
the commit. The held-out file was written before issue 18 changed any rule and is never tuned on:
raise its floors only when the registry improves for a reason that generalises.
"""

import json

import pytest
import yaml

from analysis.accounts import ACTIONS
from core.vocabulary import PLATFORM_IDS
from quality.evaluation_accounts import (
    REALTEXT_HELDOUT_LABELS,
    REALTEXT_LABELS,
    REALTEXT_TUNE_LABELS,
    load_heldout_accounts,
    load_in_sample_accounts,
    load_realtext_accounts,
    score_accounts,
)

# In-sample (62 notices, 112 accounts), measured 2026-12-02: P 1.000, R 1.000, action 0.964.
IN_SAMPLE_PRECISION_FLOOR = 0.97
IN_SAMPLE_RECALL_FLOOR = 0.95
IN_SAMPLE_ACTION_FLOOR = 0.92
# Held-out (30 notices, 56 accounts), measured 2026-12-02: before issue 18's changes P 0.815, R 0.946;
# after the precision rules P 0.932, R 0.982; after the kept-before-closed rule (a shape the issue
# names, tested on its own examples) P 0.965, R 0.982, F1 0.973, action 0.982.
# Precision first: its floor is the one to keep.
HELDOUT_PRECISION_FLOOR = 0.93
HELDOUT_RECALL_FLOOR = 0.93
HELDOUT_ACTION_FLOOR = 0.93


@pytest.fixture(scope="module")
def in_sample():
    return score_accounts(load_in_sample_accounts())


@pytest.fixture(scope="module")
def heldout():
    return score_accounts(load_heldout_accounts())


def test_heldout_set_is_as_promised():
    items = load_heldout_accounts()
    assert len(items) >= 30 and sum(len(i["expect"]["accounts"]) for i in items) >= 50
    assert any(i.get("wechat_account") for i in items)  # the self-reference shape is covered
    assert any(not i["expect"]["accounts"] for i in items)  # and notices that close nothing
    in_sample_bodies = {i["body"] for i in load_in_sample_accounts()}
    assert not in_sample_bodies & {i["body"] for i in items}


def test_in_sample_accounts(in_sample):
    assert in_sample.accounts.precision >= IN_SAMPLE_PRECISION_FLOOR, in_sample.errors
    assert in_sample.accounts.recall >= IN_SAMPLE_RECALL_FLOOR, in_sample.errors
    assert in_sample.action.value >= IN_SAMPLE_ACTION_FLOOR, in_sample.errors


def test_heldout_accounts(heldout):
    # No error list in the message: reading held-out disagreements while tuning would spoil the set.
    assert heldout.accounts.precision >= HELDOUT_PRECISION_FLOOR
    assert heldout.accounts.recall >= HELDOUT_RECALL_FLOOR
    assert heldout.action.value >= HELDOUT_ACTION_FLOOR


REALTEXT_LABEL_FILES = [REALTEXT_LABELS, REALTEXT_TUNE_LABELS, REALTEXT_HELDOUT_LABELS]


@pytest.mark.parametrize("path", REALTEXT_LABEL_FILES, ids=lambda p: p.name)
def test_realtext_labels_are_labels_only_in_the_registry_vocabulary(path):
    labels = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert len(labels) >= 10 and all(set(entry) == {"url", "accounts"} for entry in labels)
    assert len({e["url"] for e in labels}) == len(labels), "a URL labelled twice"
    for entry in labels:
        for account in entry["accounts"]:
            assert set(account) == {"name", "platform", "action"}, (entry["url"], account)
            assert account["platform"] in PLATFORM_IDS and account["action"] in ACTIONS, (entry["url"], account)
            assert account["name"] and not any(q in account["name"] for q in "“”\"《》「」@"), account


def test_no_page_is_in_two_realtext_sets():
    """The held-out set stays held out only if no page of it is also tuned on."""
    urls = [{e["url"] for e in yaml.safe_load(p.read_text(encoding="utf-8"))} for p in REALTEXT_LABEL_FILES]
    for i, a in enumerate(urls):
        for b in urls[i + 1:]:
            assert not a & b, a & b


def test_a_missing_realtext_text_is_an_error(tmp_path):
    labels = yaml.safe_load(REALTEXT_LABELS.read_text(encoding="utf-8"))
    partial = tmp_path / "texts.jsonl"
    partial.write_text(json.dumps({"url": labels[0]["url"], "text": "示例"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no text for"):
        load_realtext_accounts(partial)
    # … unless asked for the part whose texts could be gathered (the bench names the share)
    assert [item["id"] for item in load_realtext_accounts(partial, partial=True)] == [labels[0]["url"]]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        load_realtext_accounts(bad)
