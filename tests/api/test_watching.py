"""GET /announcements/{id}/history, the status filter, GET /alerts and GET /sources over a store
of their own (the shared API corpus is read-only)."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from core.schema import Alert, CrawlRun
from crawler.history import carry_history, mark_missing
from store import open_store
from tests.api.conftest import make_settings

T1, T2, T3 = "2024-06-01T00:00:00+00:00", "2024-06-02T00:00:00+00:00", "2024-06-03T00:00:00+00:00"


def _notice(doc_id: str, body: str, h: str, crawled: str) -> dict:
    return {"id": doc_id, "url": f"http://www.km.gov.cn/{doc_id}.html", "title": "关于“昆明城管”停止更新的公告",
            "body": body, "published_at": "2024-05-30", "content_hash": h, "crawled_at": crawled, "city": "昆明市"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('watching') / 'w.db'}"
    store = open_store(url)
    first = carry_history(_notice("a1", "自6月1日起停止更新。\n特此公告。", "h1", T1), None, T1)
    edited = carry_history(_notice("a1", "自7月1日起停止更新。\n特此公告。\n附：新渠道。", "h2", T2), first, T2)
    gone = carry_history(_notice("a2", "注销。", "g1", T1), None, T1)
    gone = mark_missing(mark_missing(gone, "HTTP 410", T2, 2), "HTTP 410", T3, 2)
    live = carry_history(_notice("a3", "停更。", "l1", T1), None, T1)
    store.upsert("announcement", [edited, gone, live])
    store.upsert("alert", [asdict(Alert(id=f"comment_spike:昆明市:2024-06-0{d}", rule="comment_spike",
                                        kind="comment", day=f"2024-06-0{d}", message=f"spike {d}", city="昆明市",
                                        value=90, baseline=10, threshold=30)) for d in (1, 3)])
    quiet = {"yuqing/source/kunming/pages": 1}
    store.upsert("crawl_run", [asdict(CrawlRun(id=f"gov:{n}", spider="gov", started_at=f"2024-06-0{n}T00:00:00+00:00",
                                               status="finished", args={"sources": ["kunming"]},
                                               counts=quiet if n > 1 else {"yuqing/source/kunming/pages": 4,
                                                                           "yuqing/source/kunming/list_records": 20}))
                               for n in range(1, 5)])
    store.close()
    return TestClient(create_app(make_settings(url)))


def test_history_lists_every_version_with_a_line_diff(client):
    body = client.get("/announcements/a1/history").json()
    assert body["status"] == "edited" and body["first_seen"] == T1
    assert [v["content_hash"] for v in body["versions"]] == ["h1", "h2"]
    assert body["versions"][0]["replaced_at"] == T2 and body["versions"][1]["replaced_at"] is None
    (diff,) = body["diffs"]
    assert [(line["op"], line["text"]) for line in diff["lines"]] == [
        ("delete", "自6月1日起停止更新。"), ("insert", "自7月1日起停止更新。"), ("equal", "特此公告。"),
        ("insert", "附：新渠道。")]


def test_history_of_an_unknown_notice_is_a_404_envelope(client):
    response = client.get("/announcements/nope/history")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_status_filters_and_the_takedown_fields(client):
    taken = client.get("/announcements", params={"status": "taken_down"}).json()
    assert [d["id"] for d in taken["data"]] == ["a2"]
    assert taken["data"][0]["missing_since"] == T2 and taken["data"][0]["missing_reason"] == "HTTP 410"
    assert {d["id"] for d in client.get("/announcements", params={"status": "edited"}).json()["data"]} == {"a1"}
    bad = client.get("/announcements", params={"status": "deleted"})
    assert bad.status_code == 422 and bad.json()["error"]["detail"][0]["parameter"] == "status"


def test_the_notice_page_says_edited_or_deleted(client):
    assert "已修改" in client.get("/announcement/a1").text and "<ins>附：新渠道。</ins>" in client.get("/announcement/a1").text
    assert "已删除" in client.get("/announcement/a2").text
    live = client.get("/announcement/a3").text
    assert "已修改" not in live and "已删除" not in live


def test_alerts_newest_day_first_and_on_the_search_page(client):
    body = client.get("/alerts").json()
    assert [a["day"] for a in body["data"]] == ["2024-06-03", "2024-06-01"] and body["count"] == 2
    assert client.get("/alerts", params={"rule": "oppose_jump"}).json()["count"] == 0
    assert client.get("/alerts", params={"colour": "red"}).status_code == 422
    assert "spike 3" in client.get("/").text


def test_sources_flag_a_source_that_went_quiet_with_the_command_to_run(client):
    body = client.get("/sources").json()
    (kunming,) = body["data"]
    assert kunming["needs_attention"] and "no list records in its last 3 runs" in kunming["reason"]
    assert kunming["last_success"] == "2024-06-01T00:00:00+00:00" and len(kunming["runs"]) == 4
    assert kunming["explain"].startswith("yuqing explain ")
    assert client.get("/sources", params={"needs_attention": "false"}).json()["count"] == 0
