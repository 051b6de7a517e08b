"""Word boundaries in numbers and Latin text: where Unicode word breaking and the SQLite
backend's tokens part ways, the Elasticsearch analyzer follows SQLite.

The standard tokenizer keeps 2024.05.11, 10,000, 1.2万, a_b and don't as single tokens; the
SQLite backend splits at anything but letters and digits. Before the analyzer's character
filters, a search for 2024 found a notice dated 2024.05.11 in SQLite only. Expected hits
come from ``corpus.contains_term`` (a whole word or number, a Chinese term anywhere),
never from a store.
"""

from __future__ import annotations

import pytest

from store import open_store
from store.base import Query
from tests.contract import corpus
from tests.support.elastic import open_elastic_store, unique_prefix

TEXTS = [
    "本公告自2024.05.11起施行，账号停止更新。",
    "该公众号粉丝10,000人，阅读量1.2万。",
    "评分3.5分；联系邮箱gov_media@example.cn。",
    "网友：don't close it，别关停！",
    "客户端v2.0下线，请使用“e办通”APP。",
    "详见www.km.gov.cn通知公告栏目：关停名单",
]
QUERIES = ["2024", "05", "2024.05.11", "10", "000", "10,000", "1.2万", "2万", "3", "5", "gov", "media", "don",
           "t", "v2", "0", "km", "cn", "example", "关停", "e办通", "停止更新"]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    docs = [{"id": f"n{i}", "post_id": "p", "platform": "weibo", "text": text} for i, text in enumerate(TEXTS)]
    sqlite = open_store(f"sqlite:///{tmp_path_factory.mktemp('text') / 'text.db'}")
    elastic = open_elastic_store(unique_prefix("text"))
    for store in (sqlite, elastic):
        assert store.upsert("comment", docs).errors == []
    yield docs, sqlite, elastic
    sqlite.close()
    elastic.drop_everything()
    elastic.close()


@pytest.mark.parametrize("q", QUERIES)
def test_numbers_and_joined_words_split_alike(both, q):
    docs, sqlite, elastic = both
    expected = corpus.matching(docs, ("text",), q)
    assert expected, f"{q!r} should occur in the texts"
    assert {d["id"] for d in elastic.iterate("comment", Query(q=q))} == expected
    assert {d["id"] for d in sqlite.iterate("comment", Query(q=q))} == expected


def test_highlights_still_mark_the_right_characters(both):
    _, _, elastic = both
    (hit,) = elastic.search("comment", Query(q="05")).hits
    assert hit.highlights["text"] == ["本公告自2024.<mark>05</mark>.11起施行，账号停止更新。"]
    hits = elastic.search("comment", Query(q="关停")).hits
    assert hits and all("<mark>关停</mark>" in h.highlights["text"][0] for h in hits)
