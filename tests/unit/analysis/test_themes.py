"""Themes from the YAML taxonomy: multi-label, negation, user-edited files."""

import pytest

from analysis.themes import THEME_IDS, TaxonomyError, classify, load_taxonomy


def test_shipped_taxonomy_has_the_seven_themes_with_chinese_labels():
    tax = load_taxonomy()
    assert tuple(t.id for t in tax.themes) == THEME_IDS
    assert tax.label("formalism") == "形式主义"
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t.label) for t in tax.themes)


def test_multi_label():
    got = classify("根据《国务院办公厅关于推进政务新媒体健康有序发展的意见》，推进集约化建设，切实为基层减负")
    assert set(got.themes) == {"regulation", "consolidation", "grassroots_workload"}


def test_negation_cancels_a_mention():
    assert "formalism" not in classify("这不是形式主义").themes
    assert "formalism" in classify("这是形式主义").themes


def test_rhetorical_question_restores_it():
    assert "formalism" in classify("这不是形式主义是什么？").themes
    assert "duplication_waste" in classify("这不是浪费吗").themes


def test_negation_is_clause_scoped():
    assert "formalism" in classify("不是我说，形式主义害死人").themes


def test_traditional_characters_match():
    assert "formalism" in classify("別洗了，就是形式主義").themes


def test_empty_text():
    assert classify("").themes == ()
    assert classify(None).themes == ()


def test_evidence_names_the_keywords():
    got = classify("僵尸号太多，阅读量个位数")
    assert "僵尸号" in got.evidence["duplication_waste"]
    assert "阅读量" in got.evidence["content_quality"]


def test_user_taxonomy_file(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text("themes:\n  cost:\n    label: 成本\n    keywords: [外包费]\n", encoding="utf-8")
    tax = load_taxonomy(str(path))
    assert classify("一年外包费十几万", tax).themes == ("cost",)


@pytest.mark.parametrize("content, message", [
    ("themes: []\n", "non-empty `themes:`"),
    ("themes:\n  x:\n    label: X\n", "non-empty `keywords:`"),
    ("themes: [unclosed\n", "not valid YAML"),
])
def test_malformed_taxonomy_says_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=message):
        load_taxonomy(str(path))


def test_missing_taxonomy_file(tmp_path):
    with pytest.raises(TaxonomyError, match="cannot read"):
        load_taxonomy(str(tmp_path / "nope.yaml"))


def test_phrase_rules_match_the_varying_middle_of_a_colloquial_phrase():
    from analysis.themes import classify

    assert "duplication_waste" in classify("花了那么多钱做的APP，没几个人用").themes
    assert "access_to_information" in classify("以后有啥政策变动，全靠邻居大妈口口相传").themes
    # a sentence end stops a phrase rule: the parts must be in the same sentence
    assert "duplication_waste" not in classify("花园很漂亮。有钱真好").themes


def test_shi_bu_shi_asks_rather_than_denies():
    from analysis.themes import classify

    assert "regulation" in classify("是不是网信办统一要求的").themes
    assert "formalism" not in classify("这不算形式主义").themes


def test_a_phrase_rule_without_two_sides_is_a_taxonomy_error(tmp_path):
    from analysis.themes import TaxonomyError, load_taxonomy

    path = tmp_path / "t.yaml"
    path.write_text("themes:\n  formalism:\n    keywords: [形式…]\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="both sides"):
        load_taxonomy(str(path))
