"""`migrate` with real mapping changes: what reindexing gains, what it refuses, and that
searches keep answering while it runs."""

from __future__ import annotations

import threading

import pytest

from store import elastic_mappings
from store.base import Query
from store.errors import StoreError
from tests.contract import corpus
from tests.support.elastic import open_elastic_store, unique_prefix

# Searches the background reader must have answered before and after the swap.
READS_EACH_SIDE = 5


@pytest.fixture
def es_store():
    store = open_elastic_store(unique_prefix("migrate"))
    yield store
    store.drop_everything()
    store.close()


def _with_field(monkeypatch, kind: str, field: str, mapping: dict) -> None:
    """Change the mapping module as a developer would: one field of one kind, redefined."""
    original = elastic_mappings.properties

    def changed(k: str, analyzer: str = elastic_mappings.DEFAULT_ANALYZER) -> dict:
        props = original(k, analyzer)
        return {**props, field: mapping} if k == kind else props

    monkeypatch.setattr(elastic_mappings, "properties", changed)


class Reader(threading.Thread):
    """Searches the store in a loop, recording every answer and every failure."""

    def __init__(self, store, query: Query):
        super().__init__(daemon=True)
        self.store, self.query = store, query
        self.totals: list[int] = []
        self.failures: list[BaseException] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.totals.append(self.store.search("announcement", self.query).total)
            except BaseException as exc:  # the test reports whatever went wrong
                self.failures.append(exc)

    def wait_for(self, n: int) -> None:
        start = len(self.totals) + len(self.failures)
        while len(self.totals) + len(self.failures) < start + n and self.is_alive():
            self.stop.wait(0.005)


def test_a_new_subfield_is_built_for_existing_documents_while_searches_go_on(es_store, monkeypatch):
    docs = corpus.announcements()
    es_store.upsert("announcement", docs)
    alias = es_store.indices.alias("announcement")
    part = next(d["district"] for d in docs if d.get("district"))[:2]  # 盘龙 of 盘龙区
    # district is a keyword: exact only. A release makes it searchable by words too.
    words = {"match_phrase": {"district.text": part}}
    assert es_store.es.count(index=alias, query=words)["count"] == 0

    query = Query(q="政务新媒体")
    expected = len(corpus.matching(docs, ("title", "body"), "政务新媒体"))
    reader = Reader(es_store, query)
    reader.start()
    reader.wait_for(READS_EACH_SIDE)
    _with_field(monkeypatch, "announcement", "district",
                {"type": "keyword", "fields": {"text": {"type": "text", "analyzer": "yuqing_text"}}})
    (step,) = es_store.migrate(["announcement"])
    reader.wait_for(READS_EACH_SIDE)
    reader.stop.set()
    reader.join()

    assert (step.action, step.previous, step.index, step.documents) == (
        "reindexed", f"{alias}-v1", f"{alias}-v2", len(docs))
    assert reader.failures == []
    assert len(reader.totals) >= 2 * READS_EACH_SIDE and set(reader.totals) == {expected}
    in_district = sum(1 for d in docs if part in (d.get("district") or ""))
    assert es_store.es.count(index=alias, query=words)["count"] == in_district > 0
    assert es_store.migrate(["announcement"])[0].action == "unchanged"


def test_a_mapping_the_documents_do_not_fit_is_refused_with_ids_and_reasons(es_store, monkeypatch):
    comments = corpus.comments()
    es_store.upsert("comment", comments)
    alias = es_store.indices.alias("comment")
    # keyword → long: a commenter's IP region (浙江, 广东…) is a word, not a number
    _with_field(monkeypatch, "comment", "author_region", {"type": "long"})
    holders = [c["id"] for c in comments if c.get("author_region")]
    assert holders

    with pytest.raises(StoreError) as err:
        es_store.migrate(["comment"])
    message = str(err.value)
    assert "alias unchanged" in message and "author_region" in message
    assert any(doc_id in message for doc_id in holders)
    # nothing moved: the old index still serves, the half-built copy is gone
    assert es_store.indices.live_indices("comment") == [f"{alias}-v1"]
    assert list(es_store.indices.versions("comment")) == [f"{alias}-v1"]
    assert es_store.count("comment") == len(comments)


def test_a_kind_created_by_another_process_between_two_looks_is_used_not_refused(monkeypatch):
    """Two crawlers starting on one store: one finds no alias, the other creates the kind, then
    the first finds the name taken. It is the other's alias, not a plain index."""
    first, other = open_elastic_store(unique_prefix("race")), None
    try:
        other = open_elastic_store(first.prefix)
        manager = first.indices
        real_exists = manager.es.indices.exists

        def exists_after_the_other_created_it(**kwargs):
            other.indices.ensure("comment")  # the other process wins the race right here
            return real_exists(**kwargs)

        monkeypatch.setattr(manager.es.indices, "exists", exists_after_the_other_created_it)
        manager.ensure("comment")
        assert len(manager.live_indices("comment")) == 1
        first.upsert("comment", [{"id": "c1", "post_id": "p1", "text": "支持整合"}])
        assert first.count("comment") == 1
    finally:
        if other is not None:
            other.close()
        first.drop_everything()
        first.close()
