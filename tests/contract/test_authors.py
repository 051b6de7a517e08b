"""Distinct voices: ``Group.authors`` against distinct author hashes counted here.

A commenter who writes ten comments is one voice; a summary that counts comments by IP
location would let one prolific account look like a province's opinion. The contract
corpus gives 40 comments to 9 author hashes spread over 7 regions (9 and 7 share no
factor), so one author appears in several regions and counting comments ≠ counting authors.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from store.base import Query
from core.schema import LIST_FIELDS
from tests.contract import corpus

FIELD_OF = {"theme": "themes", "platform": "platforms"}


@pytest.fixture
def loaded(store):
    return corpus.load(store)


def distinct_authors(docs: list[dict], field: str) -> dict[str, int]:
    """Per value of ``field``: how many different non-null author hashes wrote those documents."""
    seen: dict[str, set[str]] = defaultdict(set)
    counted: set[str] = set()
    for d in docs:
        value = d.get(field)
        for v in set(value) if field in LIST_FIELDS else [value]:
            if v is None:
                continue
            counted.add(v)
            if d.get("author_hash") is not None:
                seen[v].add(d["author_hash"])
    return {v: len(seen[v]) for v in counted}


CASES = [
    ("comment", "author_region"),
    ("comment", "city"),
    ("comment", "theme"),
    ("comment", "stance"),
    ("post", "platform"),
    ("post", "city"),
]


@pytest.mark.parametrize("kind,by", CASES, ids=[f"{k}-by-{b}" for k, b in CASES])
def test_authors_are_distinct_hashes_per_group(store, loaded, kind, by):
    docs = loaded.docs[kind]
    field = by if by in docs[0] else FIELD_OF.get(by, by)
    expected = distinct_authors(docs, field)
    groups = store.summarize(kind, by)
    assert {g.key: g.authors for g in groups} == expected


def test_authors_by_region_differ_from_comment_counts(store, loaded):
    comments = loaded.docs["comment"]
    groups = {g.key: g for g in store.summarize("comment", "author_region")}
    # One author hash spans several regions (an IP location can change), so per-region
    # authors add up to more than the distinct authors with a known region.
    known = {c["author_hash"] for c in comments if c["author_region"]}
    assert sum(g.authors for g in groups.values()) > len(known)
    assert sum(g.count for g in groups.values()) == sum(1 for c in comments if c["author_region"])
    # And a city's comments come from fewer authors than there are comments.
    assert any(g.authors < g.count for g in store.summarize("comment", "city"))


def test_authors_respect_the_query(store, loaded):
    comments = [c for c in loaded.docs["comment"]
                if c["stance"] == "oppose" and corpus.day_of(c, "created_at") >= "2024-06-10"]
    expected = distinct_authors(comments, "city")
    groups = store.summarize("comment", "city", Query(filters={"stance": "oppose"}, date_from="2024-06-10"))
    assert {g.key: g.authors for g in groups} == expected
    assert sum(g.count for g in groups) == len(comments) > 0


def test_kinds_without_authors_report_none(store, loaded):
    for kind, by in (("announcement", "city"), ("account", "action")):
        groups = store.summarize(kind, by)
        assert groups and all(g.authors is None for g in groups), kind


def test_documents_without_an_author_are_not_counted(store, loaded):
    anonymous = [
        {**c, "id": f"{c['id']}-anon", "author_hash": None, "author_region": "西藏"}
        for c in loaded.docs["comment"][:3]
    ]
    store.upsert("comment", anonymous)
    tibet = [g for g in store.summarize("comment", "author_region") if g.key == "西藏"]
    assert len(tibet) == 1 and tibet[0].count == 3 and tibet[0].authors == 0


def _authors_of(docs: list[dict]) -> int:
    return len({d["author_hash"] for d in docs if d.get("author_hash") is not None})


AUTHOR_FILTERS = [
    {}, {"city": "昆明市"}, {"themes": "formalism"}, {"stance": "oppose"},
    {"city": "昆明市", "themes": "formalism"}, {"city": ["昆明市", "西安市"]},
]


@pytest.mark.parametrize("filters", AUTHOR_FILTERS, ids=str)
def test_store_counts_distinct_authors_of_a_query(store, loaded, filters):
    def matches(d: dict) -> bool:
        for name, wanted in filters.items():
            wanted = wanted if isinstance(wanted, list) else [wanted]
            have = d.get(name)
            have = have if isinstance(have, list) else [have]
            if not set(have) & set(wanted):
                return False
        return True

    comments = [c for c in loaded.docs["comment"] if matches(c)]
    assert comments, filters
    assert store.authors("comment", Query(filters=filters)) == _authors_of(comments)


def test_store_counts_authors_with_words_and_dates(store, loaded):
    comments = [c for c in loaded.docs["comment"] if corpus.day_of(c, "created_at") >= "2024-06-10"]
    assert store.authors("comment", Query(date_from="2024-06-10")) == _authors_of(comments) > 0
    assert store.authors("comment", Query(filters={"author_region": "西藏"})) == 0


def test_store_authors_of_kinds_without_authors_is_none(store, loaded):
    assert store.authors("announcement") is None
    assert store.authors("account", Query(filters={"city": "昆明市"})) is None
