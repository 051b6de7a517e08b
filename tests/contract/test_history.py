"""Watching over time on both stores: a notice's versions and takedown, alerts, fetched pages,
and the source health read from crawl runs — the same answers from SQLite and Elasticsearch."""

from __future__ import annotations

from dataclasses import asdict

from core.schema import Alert, CrawlRun, FetchedPage
from crawler.history import carry_history, mark_missing
from store.base import Query
from store.source_health import recent_health
from tests.contract import corpus


def _edited_and_taken_down(store):
    docs = corpus.announcements()
    first = [carry_history(d, None, "2024-06-01T00:00:00+00:00") for d in docs]
    store.upsert("announcement", first)
    changed = {**docs[0], "body": docs[0]["body"] + "\n（2024年6月3日更新：生效日期推迟至7月1日。）",
               "content_hash": "edited0000000000", "crawled_at": "2024-06-03T00:00:00+00:00"}
    edited = carry_history(changed, store.get("announcement", docs[0]["id"]), "2024-06-03T00:00:00+00:00")
    gone = store.get("announcement", docs[1]["id"])
    once = mark_missing(gone, "HTTP 404", "2024-06-03T00:00:00+00:00", confirmations=2)
    twice = mark_missing(once, "HTTP 404", "2024-06-04T00:00:00+00:00", confirmations=2)
    report = store.upsert("announcement", [edited, twice])
    assert (report.updated, report.errors) == (2, [])
    return docs, once


def test_an_edited_notice_keeps_its_earlier_version(store):
    docs, _ = _edited_and_taken_down(store)
    stored = store.get("announcement", docs[0]["id"])
    assert stored["status"] == "edited"
    (earlier,) = stored["versions"]
    assert earlier["body"] == docs[0]["body"] and earlier["content_hash"] == docs[0].get("content_hash")
    assert earlier["first_seen"] == "2024-06-01T00:00:00+00:00" and earlier["replaced_at"] == "2024-06-03T00:00:00+00:00"
    assert stored["first_seen"] == "2024-06-01T00:00:00+00:00"


def test_a_takedown_needs_its_confirmations_and_keeps_the_first_miss(store):
    docs, once = _edited_and_taken_down(store)
    assert once["status"] == "live" and once["missing_count"] == 1  # one miss is not a takedown
    stored = store.get("announcement", docs[1]["id"])
    assert (stored["status"], stored["missing_count"], stored["missing_since"]) == (
        "taken_down", 2, "2024-06-03T00:00:00+00:00")


def test_status_filters_find_edited_and_taken_down_notices(store):
    docs, _ = _edited_and_taken_down(store)
    ids = lambda status: {h.doc["id"] for h in store.search("announcement", Query(filters={"status": status},
                                                                                     size=100)).hits}
    assert ids("edited") == {docs[0]["id"]}
    assert ids("taken_down") == {docs[1]["id"]}
    assert ids(["edited", "taken_down"]) == {docs[0]["id"], docs[1]["id"]}
    assert len(ids("live")) == len(docs) - 2


def test_alerts_are_listed_newest_day_first_and_filtered_by_rule(store):
    alerts = [asdict(Alert(id=f"comment_spike:昆明市:2024-05-{d:02d}", rule="comment_spike", kind="comment",
                           day=f"2024-05-{d:02d}", message="spike", city="昆明市", value=90.0, baseline=10.0,
                           threshold=30.0)) for d in (3, 9, 6)]
    alerts.append(asdict(Alert(id="watched_closure:abc", rule="watched_closure", kind="announcement",
                               day="2024-05-07", message="new notice", city="西安市", document_id="abc")))
    assert store.upsert("alert", alerts).inserted == 4
    assert store.upsert("alert", alerts).unchanged == 4  # re-evaluation stores nothing new
    days = [h.doc["day"] for h in store.search("alert", Query(sort="date_desc", highlight=False)).hits]
    assert days == ["2024-05-09", "2024-05-07", "2024-05-06", "2024-05-03"]
    spikes = store.search("alert", Query(filters={"rule": "comment_spike"}, sort="date_desc"))
    assert spikes.total == 3 and {h.doc["city"] for h in spikes.hits} == {"昆明市"}


def test_fetched_pages_keep_their_validators(store):
    page = asdict(FetchedPage(id="p1", url="http://www.km.gov.cn/a.html", etag='"abc"',
                              last_modified="Sun, 05 May 2024 01:00:00 GMT", fetched_at="2024-06-01T00:00:00+00:00",
                              checked_at="2024-06-01T00:00:00+00:00", source="kunming"))
    store.upsert("page", [page])
    assert store.get("page", "p1") == page


def test_source_health_reads_the_same_runs_from_both_stores(store):
    runs = []
    for n, records in enumerate([12, 0, 0, 0]):  # oldest first: a source that went quiet
        runs.append(asdict(CrawlRun(id=f"gov:{n}", spider="gov", started_at=f"2024-06-0{n + 1}T00:00:00+00:00",
                                    status="finished", counts={"yuqing/source/kunming/pages": 3,
                                                               "yuqing/source/kunming/list_records": records,
                                                               "yuqing/source/xian/pages": 4,
                                                               "yuqing/source/xian/list_records": 8})))
    store.upsert("crawl_run", runs)
    stored = [h.doc for h in store.search("crawl_run", Query(sort="date_desc", size=50, highlight=False)).hits]
    health = {h.source: h for h in recent_health(stored)}
    assert health["kunming"].needs_attention and not health["xian"].needs_attention
    assert health["kunming"].last_success == "2024-06-01T00:00:00+00:00"
    assert [r.list_records for r in health["kunming"].runs] == [0, 0, 0, 12]
