"""GET /export/{kind}: every matching record, JSON Lines or CSV, with provenance.

Expected records are picked from the factory corpus here, in plain Python, and compared
field by field with what the route streamed.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import fields

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.exporting import EXPORT_PARAMS, LIST_PARAMS, columns, records
from store import open_store
from store.base import Query
from core.schema import SCHEMAS
from tests.api.conftest import make_settings
from tests.api.factories import comment, post
from core import __version__

KIND_DOCS = {"announcement": "announcements", "account": "accounts", "post": "posts", "comment": "comments"}


def jsonl(response) -> tuple[dict, list[dict]]:
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert set(lines[0]) == {"_meta"}
    return lines[0]["_meta"], lines[1:]


def csv_rows(response) -> tuple[list[str], list[dict]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    reader = csv.DictReader(io.StringIO(text[1:], newline=""))
    return list(reader.fieldnames or []), list(reader)


def source_url(corpus, kind: str, doc: dict) -> str | None:
    """Where a record came from, found independently: a comment's post, an account's notice."""
    if kind == "comment":
        return next(p["url"] for p in corpus.posts if p["id"] == doc["post_id"])
    if kind == "account":
        return next(a["url"] for a in corpus.announcements if a["id"] == doc["announcement_id"])
    return doc["url"]


def as_csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "|".join(json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, dict) else str(v)
                        for v in value)
    return str(value)


@pytest.mark.parametrize("kind", list(KIND_DOCS))
def test_jsonl_export_holds_every_document_with_provenance(client, corpus, kind):
    docs = sorted(getattr(corpus, KIND_DOCS[kind]), key=lambda d: d["id"])
    response = client.get(f"/export/{kind}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert response.headers["content-disposition"].startswith(f'attachment; filename="yuqing-{kind}-')
    meta, rows = jsonl(response)
    assert meta["kind"] == kind and meta["count"] == len(docs) and meta["query"] == {}
    assert meta["yuqing_version"] == __version__ and meta["store_backend"] == "sqlite"
    assert response.headers["x-yuqing-count"] == str(len(docs))
    assert [r["id"] for r in rows] == [d["id"] for d in docs]
    schema = [f.name for f in fields(SCHEMAS[kind])]
    for row, doc in zip(rows, docs):
        assert list(row)[: len(schema)] == schema
        assert {k: row[k] for k in schema} == {k: doc[k] for k in schema}
        assert row["url"] == source_url(corpus, kind, doc)
        assert {"crawled_at", "sentiment_model"} <= set(row)


def test_comment_export_takes_the_list_filters(client, corpus):
    params = {"city": "长沙市", "stance": ["support", "oppose"], "date_from": "2024-05-15"}
    expected = sorted(c["id"] for c in corpus.comments if c["city"] == "长沙市"
                      and c["stance"] in ("support", "oppose") and c["created_at"][:10] >= "2024-05-15")
    assert 0 < len(expected) < len(corpus.comments)
    meta, rows = jsonl(client.get("/export/comment", params=params))
    assert [r["id"] for r in rows] == expected
    assert meta["query"] == {"filters": {"city": "长沙市", "stance": ["support", "oppose"]}, "date_from": "2024-05-15"}
    listed = client.get("/comments", params={**params, "size": 50}).json()
    assert sorted(h["id"] for h in listed["data"]) == expected and listed["count"] == len(expected)
    # The provenance header carries the same query, readable as JSON despite Latin-1 headers.
    response = client.get("/export/comment", params=params)
    assert json.loads(response.headers["x-yuqing-query"]) == meta["query"]


def test_export_accepts_the_same_filters_as_the_list_route():
    for kind, listed in LIST_PARAMS.items():
        exported = set(EXPORT_PARAMS[kind].model_fields)
        assert exported == set(listed.model_fields) - {"page", "size", "cursor", "sort"} | {"format"}, kind


def test_search_export(client, corpus):
    expected = sorted(a["id"] for a in corpus.announcements if "重复建设" in a["body"] or "重复建设" in a["title"])
    _, rows = jsonl(client.get("/export/announcement", params={"q": "重复建设"}))
    assert [r["id"] for r in rows] == expected and expected


@pytest.mark.parametrize("ask", [{"params": {"format": "csv"}}, {"headers": {"Accept": "text/csv"}}])
def test_csv_export_is_flat_with_bom_and_documented_columns(client, corpus, ask):
    response = client.get("/export/announcement", **ask)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].endswith('.csv"')
    assert response.headers["x-yuqing-kind"] == "announcement"
    assert response.headers["x-yuqing-count"] == str(len(corpus.announcements))
    header, rows = csv_rows(response)
    assert header == columns("announcement")
    by_id = {a["id"]: a for a in corpus.announcements}
    assert sorted(by_id) == [r["id"] for r in rows]
    for row in rows:
        doc = by_id[row["id"]]
        assert row["themes"] == "|".join(doc["themes"]) and row["platforms"] == "|".join(doc["platforms"])
        assert row["title"] == doc["title"] and row["body"] == doc["body"]  # Chinese and newlines intact
        assert row["url"] == doc["url"] and row["sentiment_model"] == as_csv_text(doc["sentiment_model"])
        assert row["place_ambiguous"] == as_csv_text(doc["place_ambiguous"])
        assert row["sentiment"] == as_csv_text(doc["sentiment"])


def test_csv_export_of_comments_joins_lists_and_keeps_source_urls(client, corpus):
    header, rows = csv_rows(client.get("/export/comment", params={"format": "csv", "platform": "news"}))
    expected = sorted((c for c in corpus.comments if c["platform"] == "news"), key=lambda c: c["id"])
    assert header == columns("comment") and "author_hash" in header
    assert [r["id"] for r in rows] == [c["id"] for c in expected]
    for row, doc in zip(rows, expected):
        assert row["url"] == source_url(corpus, "comment", doc)
        assert row["themes"] == as_csv_text(doc["themes"]) and row["author_hash"] == doc["author_hash"]


def test_bad_exports_answer_with_the_error_envelope(client):
    bad = client.get("/export/announcement", params={"stance": "oppose"})
    assert bad.status_code == 422 and bad.json()["error"]["detail"][0]["parameter"] == "stance"
    assert client.get("/export/comment", params={"format": "xlsx"}).status_code == 422
    assert client.get("/export/comment", params={"page": 2}).status_code == 422
    syntax = client.get("/export/comment", params={"q": "OR"})
    assert syntax.status_code == 400 and syntax.json()["error"]["code"] == "bad_query"
    assert client.get("/export/crawl_run").status_code == 404


@pytest.fixture
def odd_store(tmp_path):
    """A store with what an export must not pass on as-is: a stray author name stored by a
    buggy crawler, and comment text that a spreadsheet would run as a formula."""
    store = open_store(f"sqlite:///{tmp_path / 'odd.db'}")
    store.upsert("post", [post(id="weibo:1", url="http://127.0.0.1:8765/weibo/1")])
    store.upsert("comment", [
        {**comment(id="weibo:c1", author_hash="00000000000000aa", author_region="云南"), "screen_name": "张三"},
        comment(id="weibo:c2", text="=HYPERLINK(\"http://evil.example\",\"点我\")", author_hash="00000000000000bb"),
    ])
    yield store
    store.close()


def test_export_never_carries_fields_outside_the_schema(odd_store, tmp_path):
    with TestClient(create_app(make_settings(f"sqlite:///{tmp_path / 'odd.db'}"), odd_store)) as c:
        _, rows = jsonl(c.get("/export/comment"))
        header, csv_data = csv_rows(c.get("/export/comment", params={"format": "csv"}))
    assert odd_store.get("comment", "weibo:c1")["screen_name"] == "张三"  # stored, yet…
    assert all("screen_name" not in r for r in rows) and "screen_name" not in header
    assert "张三" not in json.dumps(rows, ensure_ascii=False)
    assert rows[0]["author_hash"] == "00000000000000aa"
    # JSON keeps the text as written; CSV defuses the formula for spreadsheets.
    assert rows[1]["text"].startswith("=HYPERLINK")
    assert csv_data[1]["text"] == "'" + rows[1]["text"]


class CountingStore:
    """A real store that counts the documents ``iterate`` has handed out so far."""

    def __init__(self, inner):
        self.inner, self.pulled, self.batch_sizes = inner, 0, []

    def iterate(self, kind, query=None, batch_size=500):
        self.batch_sizes.append(batch_size)
        for doc in self.inner.iterate(kind, query, batch_size=batch_size):
            self.pulled += 1
            yield doc

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_records_stream_without_reading_the_whole_set(store, corpus):
    spy = CountingStore(store)
    stream = records(spy, "comment", Query(), batch_size=5)
    first = next(stream)
    assert first["id"] == min(c["id"] for c in corpus.comments)
    assert spy.pulled == 1 < len(corpus.comments)  # one record out, not the set
    rest = list(stream)
    assert spy.pulled == len(rest) + 1 == len(corpus.comments) and spy.batch_sizes == [5]
