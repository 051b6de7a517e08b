"""One error envelope for 400, 404, 422 and 503, and no 500 for bad input."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from store import open_store
from tests.api.conftest import make_settings


def assert_envelope(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "detail"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def test_400_unparseable_search(client):
    error = assert_envelope(client.get("/announcements", params={"q": '"停止更新'}), 400, "bad_query")
    assert "quote" in error["message"]


def test_404_missing_document_and_unknown_route(client):
    error = assert_envelope(client.get("/announcements/ffffffffffffffff"), 404, "not_found")
    assert error["detail"] == {"id": "ffffffffffffffff"}
    assert_envelope(client.get("/no-such-thing"), 404, "not_found")


def test_422_lists_every_bad_parameter_with_its_reason(client):
    error = assert_envelope(
        client.get("/announcements", params={"date_from": "2024-13-01", "size": "many", "sort": "popular"}),
        422, "invalid_parameters")
    rows = {row["parameter"]: row for row in error["detail"]}
    assert set(rows) == {"date_from", "size", "sort"}
    assert "month" in rows["date_from"]["reason"] and rows["date_from"]["value"] == "2024-13-01"
    assert all(set(row) == {"parameter", "code", "reason", "value"} for row in error["detail"])
    # Codes, not English text, are what programs and the web page read.
    assert {name: row["code"] for name, row in rows.items()} == {
        "date_from": "bad_date", "size": "invalid", "sort": "not_allowed"}


def test_422_from_checks_across_parameters_has_the_same_shape(client):
    error = assert_envelope(client.get("/comments", params={"date_from": "2024-06-02", "date_to": "2024-06-01"}),
                            422, "invalid_parameters")
    assert error["detail"] == [{"parameter": "date_from", "code": "date_order", "value": "2024-06-02",
                                "reason": "date_from (2024-06-02) is after date_to (2024-06-01)"}]


@pytest.fixture
def garbage_db(tmp_path):
    """A store URL whose file is not a database: opening it fails like a corrupt disk would."""
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not an SQLite database\n" * 64)
    return f"sqlite:///{path}"


def test_503_when_the_store_cannot_be_opened(garbage_db):
    with TestClient(create_app(make_settings(garbage_db))) as client:
        health = client.get("/health")
        # Readiness: 503 so a load balancer stops routing here; the body still says why.
        assert health.status_code == 503 and health.headers["retry-after"]
        assert health.json()["status"] == "degraded" and health.json()["store"]["ok"] is False
        assert "broken.db" in health.json()["store"]["detail"]
        assert set(health.json()) == {"status", "version", "store", "counts"}
        # Liveness: the process runs, whatever the store does.
        live = client.get("/health/live")
        assert live.status_code == 200 and live.json()["status"] == "ok"
        for path in ("/announcements", "/announcements/abc", "/summary/cities", "/comments", "/accounts/summary"):
            error = assert_envelope(client.get(path), 503, "store_unavailable")
            assert "broken.db" in error["message"]
        # The page says so too, in HTML, with the same status.
        page = client.get("/")
        assert page.status_code == 503 and "store unavailable" in page.text


def test_503_when_a_working_store_goes_down(tmp_path, corpus):
    store = open_store(f"sqlite:///{tmp_path / 'later.db'}")
    store.upsert("announcement", corpus.announcements[:2])
    with TestClient(create_app(make_settings(f"sqlite:///{tmp_path / 'later.db'}"), store)) as client:
        assert client.get("/announcements").json()["count"] == 2
        store.close()
        error = assert_envelope(client.get("/announcements"), 503, "store_unavailable")
        assert "closed" in error["message"]
        down = client.get("/health")
        assert down.status_code == 503 and down.json()["store"]["ok"] is False


def test_store_that_comes_back_is_picked_up(tmp_path, monkeypatch):
    """Down at start, up later: the app reopens it without a restart."""
    import api.store_provider

    monkeypatch.setattr(api.store_provider, "REOPEN_INTERVAL_S", 0.0)
    path = tmp_path / "late.db"
    path.write_bytes(b"garbage" * 100)
    with TestClient(create_app(make_settings(f"sqlite:///{path}"))) as client:
        assert client.get("/announcements").status_code == 503
        path.unlink()
        assert client.get("/announcements").status_code == 200
        up = client.get("/health")
        assert up.status_code == 200 and up.json()["status"] == "ok"


@pytest.mark.parametrize("path", [
    "/announcements?q=%00", "/announcements?q=" + "关" * 600, "/announcements?page=-1",
    "/announcements?size=1e3", "/announcements?city=" + "x" * 5000, "/announcements/%E5%85%B3",
    "/announcements?cursor=eyJzIjoiZGF0ZV9kZXNjIiwidiI6IngiLCJpZCI6MX0", "/posts?partial=maybe",
    "/summary/cities?top=0", "/summary/timeline?kind=account", "/comments?q=OR", "/comments?q=--",
    "/crawl-runs?date_from=0000-00-00", "/announcements?date_from=2024-02-30",
])
def test_bad_input_never_gives_500(client, path):
    response = client.get(path)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "detail"}


def test_503_when_elasticsearch_is_unreachable():
    """Issue 3: the cluster is down at start → the API starts, /health says why, queries 503."""
    with TestClient(create_app(make_settings("http://127.0.0.1:9"))) as client:
        answer = client.get("/health")
        health = answer.json()
        assert answer.status_code == 503
        assert health["status"] == "degraded" and health["store"]["backend"] == "elasticsearch"
        assert "127.0.0.1:9" in health["store"]["detail"]
        error = assert_envelope(client.get("/announcements", params={"q": "关停"}), 503, "store_unavailable")
        assert "unreachable" in error["message"] or "unavailable" in error["message"]


def test_503_when_a_query_runs_past_the_time_limit(store_url, store):
    """A real store whose time limit is zero: every non-trivial read is stopped (QueryTimeout)."""
    impatient = open_store(store_url, query_timeout_ms=0)
    try:
        with TestClient(create_app(make_settings(store_url), impatient)) as client:
            # A date range: the rollups cannot answer it, so the documents are scanned.
            response = client.get("/summary/cities", params={"kind": "comment", "date_from": "2000-01-01"})
            error = assert_envelope(response, 503, "query_timeout")
            assert "stopped" in error["message"] and response.headers["retry-after"]
    finally:
        impatient.close()


def test_broken_json_body_names_the_body_not_a_character_offset(client):
    response = client.post("/analyze", content=b'{"texts": ["ok", }', headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert [row["parameter"] for row in error["detail"]] == ["body"]
    assert "not valid JSON" in error["detail"][0]["reason"] and "character" in error["detail"][0]["reason"]
    assert "invalid parameters: body" in error["message"]
