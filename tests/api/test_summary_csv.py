"""Every summary as CSV: ``format=csv`` or ``Accept: text/csv``, one flat row per group.

The JSON answers are checked against the corpus in ``test_summary.py``; here each CSV
row is checked against the corpus too, through the documented column names.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest

from api.routes.summary import CSV_COLUMNS


def read_csv(response) -> tuple[list[str], list[dict]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text[1:], newline=""))
    return list(reader.fieldnames or []), list(reader)


def num(text: str) -> float:
    return float(text)


def test_cities_csv_has_the_documented_columns_and_the_corpus_numbers(client, corpus):
    response = client.get("/summary/cities", params={"kind": "comment", "format": "csv", "top": 2})
    header, rows = read_csv(response)
    assert header == CSV_COLUMNS["cities"]
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="yuqing-summary-cities-comment-') and disposition.endswith('.csv"')
    assert response.headers["x-yuqing-kind"] == "comment"
    assert response.headers["x-yuqing-count"] == str(len(corpus.comments))
    per_city = Counter(c["city"] for c in corpus.comments)
    voices = len({(c["platform"], c["author_hash"]) for c in corpus.comments})
    assert {r["city"]: int(r["documents"]) for r in rows} == dict(per_city)
    for row in rows:
        mine = [c for c in corpus.comments if c["city"] == row["city"]]
        assert int(row["documents_total"]) == len(corpus.comments)
        assert num(row["documents_ratio"]) == pytest.approx(len(mine) / len(corpus.comments), abs=1e-4)
        assert int(row["authors"]) == len({c["author_hash"] for c in mine})
        assert int(row["authors_total"]) == voices
        negative = sum(c["sentiment_label"] == "negative" for c in mine)
        assert int(row["label_negative"]) == negative
        assert num(row["label_negative_ratio"]) == pytest.approx(negative / len(mine), abs=1e-4)
        oppose = sum(c["stance"] == "oppose" for c in mine)
        assert int(row["stance_oppose"]) == oppose
        themes = Counter(t for c in mine for t in c["themes"])
        top = sorted(themes.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
        assert row["top_themes"] == "|".join(f"{k}:{n}" for k, n in top)


def test_csv_and_json_agree(client):
    params = {"kind": "announcement", "platform": "weibo"}
    body = client.get("/summary/themes", params=params).json()
    header, rows = read_csv(client.get("/summary/themes", params={**params, "format": "csv"}))
    assert header == CSV_COLUMNS["themes"]
    assert [r["theme"] for r in rows] == [r["theme"] for r in body["data"]]
    for got, want in zip(rows, body["data"]):
        assert int(got["documents"]) == want["documents"]
        # Announcements have no authors, no stance and (issue 18) no tone: empty cells, not zeros.
        assert want["sentiment_mean"] is None and want["labels"] == {}
        assert got["authors"] == got["authors_total"] == got["stance_support"] == ""
        assert got["sentiment_mean"] == got["label_positive_ratio"] == ""
        assert got["top_cities"] == "|".join(f"{c['key']}:{c['count']}" for c in want["top_cities"])


def test_accept_header_asks_for_csv_and_format_json_wins(client, corpus):
    header, rows = read_csv(client.get("/summary/timeline", params={"interval": "month"},
                                       headers={"Accept": "text/csv"}))
    assert header == CSV_COLUMNS["timeline"]
    months = Counter(d["published_at"][:7] + "-01" for d in corpus.announcements)
    assert {r["start"]: int(r["documents"]) for r in rows if int(r["documents"])} == dict(months)
    assert all(int(r["documents_total"]) == len(corpus.announcements) for r in rows)
    forced = client.get("/summary/timeline", params={"format": "json"}, headers={"Accept": "text/csv"})
    assert forced.headers["content-type"].startswith("application/json") and forced.json()["data"]


def test_regions_csv_counts_commenters(client, corpus):
    header, rows = read_csv(client.get("/summary/regions", params={"format": "csv"}))
    assert header == CSV_COLUMNS["regions"]
    located = [c for c in corpus.comments if c["author_region"]]
    for row in rows:
        mine = [c for c in located if c["author_region"] == row["region"]]
        assert int(row["documents"]) == len(mine)
        assert int(row["authors"]) == len({c["author_hash"] for c in mine})
    assert {r["region"] for r in rows} == {c["author_region"] for c in located}


def test_account_summary_csv(client, corpus):
    response = client.get("/accounts/summary", params={"format": "csv", "province": "湖南省"})
    header, rows = read_csv(response)
    accounts = [a for a in corpus.accounts if a["province"] == "湖南省"]
    platforms = sorted({a["platform"] for a in accounts})
    assert header[:4] == ["city", "accounts", "accounts_total", "accounts_ratio"]
    assert [c for c in header if c.startswith("platform_") and not c.endswith("_ratio")] == \
        [f"platform_{p}" for p in platforms]
    assert json.loads(response.headers["x-yuqing-query"]) == {"filters": {"province": "湖南省"}}
    for row in rows:
        mine = [a for a in accounts if a["city"] == row["city"]]
        assert int(row["accounts"]) == len(mine) and int(row["accounts_total"]) == len(accounts)
        for p in platforms:
            n = sum(a["platform"] == p for a in mine)
            assert (row[f"platform_{p}"] or "0") == str(n)
        for action in {a["action"] for a in mine}:
            n = sum(a["action"] == action for a in mine)
            assert int(row[f"action_{action}"]) == n
            assert num(row[f"action_{action}_ratio"]) == pytest.approx(n / len(mine), abs=1e-4)


def test_account_summary_json_gives_shares(client, corpus):
    body = client.get("/accounts/summary").json()
    total = len(corpus.accounts)
    for platform, s in body["platform_shares"].items():
        n = sum(a["platform"] == platform for a in corpus.accounts)
        assert (s["count"], s["total"]) == (n, total) and s["ratio"] == pytest.approx(n / total, abs=1e-4)
    for row in body["data"]:
        assert row["accounts_share"]["total"] == total
        assert sum(s["count"] for s in row["action_shares"].values()) == row["accounts"]
        assert all(s["total"] == row["accounts"] for s in row["platform_shares"].values())


def test_bad_format_is_422(client):
    response = client.get("/summary/cities", params={"format": "xlsx"})
    assert response.status_code == 422 and response.json()["error"]["detail"][0]["parameter"] == "format"
