"""The Elasticsearch mappings: every schema field mapped on purpose, hashes that notice change."""

from __future__ import annotations

import dataclasses

import pytest

from store import elastic_mappings as m
from core.schema import DATE_FIELD, FILTER_FIELDS, KINDS, SCHEMAS, TEXT_FIELDS


@pytest.mark.parametrize("kind", KINDS)
def test_every_schema_field_is_mapped_explicitly(kind):
    fields = {f.name for f in dataclasses.fields(SCHEMAS[kind])}
    mapped = set(m.properties(kind))
    assert fields - mapped == set(), f"add these {kind} fields to store/elastic_mappings.py"
    assert mapped - fields <= {"id", *m.INTERNAL_FIELDS}


@pytest.mark.parametrize("kind", KINDS)
def test_filters_are_keywords_dates_are_dates_text_is_cjk(kind):
    props = m.properties(kind)
    for name in FILTER_FIELDS[kind]:
        assert props[name]["type"] in ("keyword", "boolean"), name
    assert props[DATE_FIELD[kind]]["type"] == "date"
    for name in TEXT_FIELDS[kind]:
        assert props[name]["type"] == "text"
        assert props[name]["analyzer"] == "yuqing_text"
    if "sentiment" in props:
        assert props["sentiment"]["type"] == "double"


def test_mapping_hash_changes_with_the_analyzer_and_the_revision(monkeypatch):
    base = m.mapping_hash("announcement")
    assert base == m.mapping_hash("announcement")
    assert m.mapping_hash("announcement", "smartcn") != base
    assert m.mapping_hash("comment") != base
    monkeypatch.setattr(m, "MAPPING_REVISION", m.MAPPING_REVISION + 1)
    assert m.mapping_hash("announcement") != base


def test_template_matches_only_its_versioned_indices():
    body = m.template("yuqing", "announcement")
    assert body["index_patterns"] == ["yuqing-announcement-v*"]
    meta = body["template"]["mappings"]["_meta"]["yuqing"]
    assert meta["mapping_hash"] == m.mapping_hash("announcement")
    assert body["template"]["mappings"]["dynamic"] is False
    assert body["template"]["settings"]["analysis"]["analyzer"]["yuqing_text"]["filter"][-1] == "cjk_bigram"


def test_plugin_analyzers_need_no_custom_analysis_settings():
    assert "analysis" not in m.index_settings("smartcn")
    assert m.properties("announcement", "ik")["body"]["analyzer"] == "ik_max_word"
    assert m.properties("announcement", "ik")["body"]["search_analyzer"] == "ik_smart"


@pytest.mark.parametrize(
    "index,version",
    [("yuqing-announcement-v1", 1), ("yuqing-announcement-v12", 12), ("yuqing-announcement", None),
     ("yuqing-announcement-vx", None), ("other-announcement-v1", None)],
)
def test_index_version(index, version):
    assert m.index_version("yuqing", "announcement", index) == version
