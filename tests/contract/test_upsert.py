"""Writing documents: stable ids, insert vs update vs unchanged, bad documents reported, delete."""

from __future__ import annotations

import copy

import pytest

from store.base import Query, Store
from tests.contract import corpus


def test_store_satisfies_the_protocol(store):
    assert isinstance(store, Store)


def test_upsert_counts_inserts_then_unchanged(store):
    docs = corpus.announcements()
    first = store.upsert("announcement", docs)
    assert (first.inserted, first.updated, first.unchanged, first.errors) == (len(docs), 0, 0, [])
    again = store.upsert("announcement", corpus.announcements())
    assert (again.inserted, again.updated, again.unchanged, again.errors) == (0, 0, len(docs), [])
    assert store.count("announcement") == len(docs)


def test_changed_document_is_updated_in_place(store):
    docs = corpus.announcements()
    store.upsert("announcement", docs)
    changed = copy.deepcopy(docs[3])
    changed["title"] = "关于撤销“平安社区”视频号的公告"
    changed["city"] = "南京市"
    report = store.upsert("announcement", [changed, docs[4]])
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 1)
    assert store.count("announcement") == len(docs)
    assert store.get("announcement", changed["id"]) == changed
    # The index follows the update: the new words and filter value find it, the old do not.
    found = store.search("announcement", Query(q="视频号"))
    assert [h.doc["id"] for h in found.hits] == [changed["id"]]
    assert changed["id"] in {h.doc["id"] for h in store.search("announcement", Query(filters={"city": "南京市"}, size=100)).hits}
    old_city = docs[3]["city"]
    assert changed["id"] not in {d["id"] for d in store.iterate("announcement", Query(filters={"city": old_city}))}


def test_get_returns_the_document_as_stored_and_none_when_missing(store):
    loaded = corpus.load(store)
    for kind, docs in loaded.docs.items():
        assert store.get(kind, docs[0]["id"]) == docs[0]
    assert store.get("announcement", "no-such-id") is None
    # ids are per kind: an account id is not an announcement
    assert store.get("announcement", loaded.docs["account"][0]["id"]) is None


def test_bad_documents_are_reported_and_the_rest_of_the_batch_is_kept(store):
    good = corpus.announcements()[:3]
    bad_date = dict(corpus.announcements()[3], published_at="2024年5月10日")
    bad_list = dict(corpus.announcements()[4], themes="formalism")
    batch = [good[0], {"title": "没有编号的公告", "body": "…"}, good[1], bad_date, {"id": ""}, bad_list, good[2]]
    report = store.upsert("announcement", batch)
    assert report.inserted == 3
    reasons = dict(report.errors)
    assert len(report.errors) == 4
    assert bad_date["id"] in reasons and "published_at" in reasons[bad_date["id"]]
    assert bad_list["id"] in reasons and "themes" in reasons[bad_list["id"]]
    assert all(reason for _, reason in report.errors)
    assert [doc_id for doc_id, _ in report.errors].count("?") == 2  # both backends name a missing id alike
    assert store.count("announcement") == 3
    assert store.get("announcement", bad_date["id"]) is None


def test_unknown_kind_is_an_error_entry_not_an_exception(store):
    report = store.upsert("tweet", [{"id": "t1"}, {"id": "t2"}])
    assert report.inserted == 0
    assert [doc_id for doc_id, _ in report.errors] == ["t1", "t2"]
    assert "tweet" in report.errors[0][1]


def test_delete_removes_documents_from_get_search_and_counts(store):
    corpus.load(store)
    gone = ["ann-000", "ann-001", "no-such-id"]
    assert store.delete("announcement", gone) == 2
    assert store.get("announcement", "ann-000") is None
    assert store.count("announcement") == corpus.N_ANNOUNCEMENTS - 2
    hits = store.search("announcement", Query(q="政务新媒体", size=100)).hits
    assert not {"ann-000", "ann-001"} & {h.doc["id"] for h in hits}
    assert store.delete("announcement", ["ann-000"]) == 0


def test_health_reports_backend_and_counts(store):
    loaded = corpus.load(store)
    health = store.health()
    assert health.ok is True
    assert health.backend == store.backend
    for kind, docs in loaded.docs.items():
        assert health.counts[kind] == len(docs)


@pytest.mark.parametrize("kind", ["announcement", "comment"])
def test_count_with_and_without_query(store, kind):
    loaded = corpus.load(store)
    assert store.count(kind) == len(loaded.docs[kind])
    expected = corpus.matching(loaded.docs[kind], ("title", "body", "text"), "关停")
    assert store.count(kind, Query(q="关停")) == len(expected) > 0


def test_a_resent_document_differing_only_in_crawled_at_is_unchanged(store):
    """Scheduled re-crawls must report what is really new, not every fetched page."""
    doc = {"id": "vol-1", "url": "http://a.cn/1.html", "title": "关于停止更新的公告", "body": "停止更新微信公众号",
           "crawled_at": "2024-06-01T00:00:00+00:00"}
    assert store.upsert("announcement", [doc]).inserted == 1
    again = store.upsert("announcement", [{**doc, "crawled_at": "2024-06-02T00:00:00+00:00"}])
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 1)
    changed = store.upsert("announcement", [{**doc, "title": "关于注销的公告", "crawled_at": "2024-06-03T00:00:00+00:00"}])
    assert changed.updated == 1
    assert store.get("announcement", "vol-1")["crawled_at"] == "2024-06-03T00:00:00+00:00"
