"""GET /crawl-runs: newest first, with counts and errors."""

from __future__ import annotations


def test_runs_newest_first_with_counts(client, corpus):
    body = client.get("/crawl-runs").json()
    expected = sorted(corpus.crawl_runs, key=lambda r: r["started_at"], reverse=True)
    assert [r["id"] for r in body["data"]] == [r["id"] for r in expected]
    assert body["data"][0]["counts"] == expected[0]["counts"] and body["data"][0]["errors"] == expected[0]["errors"]


def test_runs_filtered_by_spider_and_status(client, corpus):
    body = client.get("/crawl-runs", params={"spider": "gov", "status": "failed"}).json()
    assert [r["id"] for r in body["data"]] == [r["id"] for r in corpus.crawl_runs
                                                if r["spider"] == "gov" and r["status"] == "failed"]
