"""What ``doc_row`` derives from a document and what it refuses, for both backends."""

from __future__ import annotations

import json

import pytest

from store.documents import doc_row


def test_filter_values_are_text_deduplicated_and_sorted():
    row = doc_row("comment", {"id": "weibo:1", "city": "昆明市", "province": "", "themes": ["formalism", "formalism", "",
                                                                                          "resource_waste"],
                              "author_region": 3, "stance": None, "created_at": "2024-05-01T14:05:00+08:00"})
    assert row.values == [("author_region", "3"), ("city", "昆明市"), ("themes", "formalism"),
                          ("themes", "resource_waste")]
    assert row.date.day == "2024-05-01" and row.json == json.dumps(json.loads(row.json), ensure_ascii=False,
                                                                    sort_keys=True, separators=(",", ":"))
    flags = doc_row("announcement", {"id": "a", "title": "关停", "weak_id": True, "platforms": [False]})
    assert ("platforms", "false") in flags.values


@pytest.mark.parametrize("doc,why", [
    ({"id": "x", "themes": "formalism"}, "themes must be a list, not str"),
    ({"id": "x", "themes": ""}, "themes must be a list, not str"),
    ({"id": "x", "city": {"name": "昆明市"}}, "city: {'name': '昆明市'} is not a string, number or boolean"),
    ({"id": "x", "themes": [["nested"]]}, "themes: ['nested'] is not a string, number or boolean"),
    ({"id": "x", "text": 3}, "text must be text, not int"),
    ({"id": "x", "sentiment": True}, "sentiment must be a number, not True"),
    ({"id": "x", "sentiment": float("nan")}, "not JSON-serialisable"),
    ({"id": " "}, "document has no id"),
])
def test_a_bad_document_is_refused_saying_why(doc, why):
    with pytest.raises(ValueError) as refused:
        doc_row("comment", doc)
    assert why in str(refused.value)
