"""GET /summary/cities, /summary/themes, /summary/timeline against figures computed here.

Every count is checked with the total it is out of and the ratio (``{count, total, ratio}``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest

TOP = 3


def docs_of(corpus, kind: str) -> list[dict]:
    return corpus.by_kind()[kind]


def expected_groups(docs: list[dict], key_of, other_of, top: int = TOP) -> dict[str, dict]:
    """Per group: documents, mean sentiment, label and stance counts, top co-occurring keys."""
    members: dict[str, list[dict]] = defaultdict(list)
    for d in docs:
        for key in key_of(d):
            members[key].append(d)
    out = {}
    for key, ds in members.items():
        others = Counter(o for d in ds for o in other_of(d))
        out[key] = {
            "documents": len(ds),
            "sentiment_mean": round(sum(d["sentiment"] for d in ds) / len(ds), 4),
            "labels": Counter(d["sentiment_label"] for d in ds),
            "stances": Counter(d["stance"] for d in ds if d.get("stance")),
            "top": [[k, n] for k, n in sorted(others.items(), key=lambda kv: (-kv[1], kv[0]))[:top]],
            "authors": len({d["author_hash"] for d in ds if d.get("author_hash")}),
        }
    return out


def city_of(d):
    return [d["city"]] if d.get("city") else []


def themes_of(d):
    return d.get("themes") or []


def check_share(got: dict, count: int, total: int) -> None:
    assert (got["count"], got["total"]) == (count, total)
    assert got["ratio"] == pytest.approx(count / total if total else 0.0, abs=1e-4)


def distinct_authors(docs: list[dict]) -> int:
    """Distinct commenters: a pseudonym is per platform (schema.pseudonymise), so a voice
    is a (platform, author_hash) pair."""
    return len({(d["platform"], d["author_hash"]) for d in docs if d.get("author_hash")})


def check_row(row: dict, want: dict, kind: str, total: int) -> None:
    assert row["documents"] == want["documents"]
    check_share(row["documents_share"], want["documents"], total)
    if kind == "announcement":
        # Issue 18: snownlp's tone of a formal notice is not meaningful, so it is not summarised.
        assert row["sentiment_mean"] is None and row["labels"] == {}
    else:
        assert row["sentiment_mean"] == pytest.approx(want["sentiment_mean"], abs=1e-4)
        for label in ("positive", "neutral", "negative"):
            check_share(row["labels"][label], want["labels"].get(label, 0), want["documents"])
    if kind == "announcement":
        assert row["stances"] == {}
        assert row["authors"] is None and row["authors_share"] is None
    else:
        for stance in ("support", "oppose", "neutral"):
            check_share(row["stances"][stance], want["stances"].get(stance, 0), want["documents"])


@pytest.mark.parametrize("kind", ["announcement", "post", "comment"])
def test_by_city(client, corpus, kind):
    docs = docs_of(corpus, kind)
    want = expected_groups(docs, city_of, themes_of)
    body = client.get("/summary/cities", params={"kind": kind, "top": TOP}).json()
    assert body["kind"] == kind and body["total"] == len(docs) and body["count"] == len(want)
    assert body["authors"] == (None if kind == "announcement" else distinct_authors(docs))
    assert [r["documents"] for r in body["data"]] == sorted((w["documents"] for w in want.values()), reverse=True)
    for row in body["data"]:
        check_row(row, want[row["city"]], kind, len(docs))
        assert [[t["key"], t["count"]] for t in row["top_themes"]] == want[row["city"]]["top"]
        for t in row["top_themes"]:
            check_share(t, t["count"], row["documents"])
        if kind != "announcement":
            assert row["authors"] == want[row["city"]]["authors"]
            check_share(row["authors_share"], row["authors"], body["authors"])


@pytest.mark.parametrize("kind", ["announcement", "comment"])
def test_by_theme(client, corpus, kind):
    docs = docs_of(corpus, kind)
    want = expected_groups(docs, themes_of, city_of)
    body = client.get("/summary/themes", params={"kind": kind, "top": TOP}).json()
    assert body["count"] == len(want) == len({t for d in docs for t in d["themes"]})
    for row in body["data"]:
        check_row(row, want[row["theme"]], kind, len(docs))
        assert [[c["key"], c["count"]] for c in row["top_cities"]] == want[row["theme"]]["top"]
    # A document with several themes counts in each theme, once; one without any in none.
    assert sum(r["documents"] for r in body["data"]) == sum(len(set(d["themes"])) for d in docs)


def test_summary_honours_filters(client, corpus):
    docs = [d for d in corpus.announcements if "weibo" in d["platforms"] and d["published_at"] >= "2024-04-01"]
    want = expected_groups(docs, city_of, themes_of)
    body = client.get("/summary/cities", params={"platform": "weibo", "date_from": "2024-04-01"}).json()
    assert body["total"] == len(docs)
    assert {r["city"]: r["documents"] for r in body["data"]} == {k: w["documents"] for k, w in want.items()}


def check_regions(rows: list[dict], comments: list[dict]) -> None:
    located = [c for c in comments if c["author_region"]]
    per_region = Counter(c["author_region"] for c in located)
    assert [r["region"] for r in rows] == sorted(per_region, key=lambda k: (-per_region[k], k))
    for r in rows:
        mine = [c for c in located if c["author_region"] == r["region"]]
        check_share(r["comments_share"], len(mine), len(located))
        assert r["comments"] == len(mine)
        assert r["commenters"] == len({c["author_hash"] for c in mine})
        check_share(r["commenters_share"], r["commenters"], distinct_authors(located))


def test_comment_summaries_give_commenter_regions(client, corpus):
    body = client.get("/summary/cities", params={"kind": "comment"}).json()
    check_regions(body["author_regions"], corpus.comments)
    city = client.get("/summary/themes", params={"kind": "comment", "city": "长沙市"}).json()
    check_regions(city["author_regions"], [c for c in corpus.comments if c["city"] == "长沙市"])
    assert client.get("/summary/cities").json()["author_regions"] is None


def test_regions_route_summarises_comments_by_commenter_province(client, corpus):
    comments = [c for c in corpus.comments if c["stance"] != "support"]
    want = expected_groups(comments, lambda d: [d["author_region"]] if d["author_region"] else [], themes_of)
    body = client.get("/summary/regions", params={"stance": ["oppose", "neutral"]}).json()
    assert body["kind"] == "comment" and body["total"] == len(comments)
    assert {r["region"] for r in body["data"]} == set(want)
    for row in body["data"]:
        check_row(row, want[row["region"]], "comment", len(comments))
        assert row["authors"] == want[row["region"]]["authors"]
    assert client.get("/summary/regions", params={"kind": "post"}).status_code == 422


def test_stance_filter_on_announcements_is_422(client):
    response = client.get("/summary/cities", params={"kind": "announcement", "stance": "oppose"})
    assert response.status_code == 422
    assert response.json()["error"]["detail"][0]["parameter"] == "stance"


def test_unknown_kind_is_422(client):
    response = client.get("/summary/themes", params={"kind": "tweet"})
    assert response.status_code == 422 and response.json()["error"]["detail"][0]["parameter"] == "kind"


def test_timeline_by_month_includes_empty_months(client, corpus):
    months = Counter(d["published_at"][:7] + "-01" for d in corpus.announcements)
    body = client.get("/summary/timeline", params={"interval": "month"}).json()
    starts = [b["start"] for b in body["data"]]
    assert starts[0] == min(months) and starts[-1] == max(months)
    assert {b["start"]: b["documents"] for b in body["data"] if b["documents"]} == dict(months)
    assert sum(b["documents"] for b in body["data"]) == body["total"] == body["dated"] == len(corpus.announcements)
    for b in body["data"]:
        check_share(b["documents_share"], months.get(b["start"], 0), len(corpus.announcements))
        # Issue 18: no tone summary for announcements (snownlp's score of a notice is not meaningful).
        assert b["labels"] == {} and b["sentiment_mean"] is None


def test_timeline_by_week_of_comments(client, corpus):
    def monday(day: str) -> str:
        d = date.fromisoformat(day)
        return (d - timedelta(days=d.weekday())).isoformat()

    docs = [c for c in corpus.comments if c["stance"] == "support"]
    weeks = Counter(monday(c["created_at"][:10]) for c in docs)
    negative = Counter(monday(c["created_at"][:10]) for c in docs if c["sentiment_label"] == "negative")
    body = client.get("/summary/timeline", params={"kind": "comment", "interval": "week", "stance": "support"}).json()
    got = {b["start"]: b for b in body["data"]}
    assert {k: b["documents"] for k, b in got.items() if b["documents"]} == dict(weeks)
    assert {k: b["labels"]["negative"]["count"] for k, b in got.items() if b["labels"]["negative"]["count"]} == \
        dict(negative)


def test_bad_interval_is_422(client):
    response = client.get("/summary/timeline", params={"interval": "year"})
    assert response.status_code == 422 and response.json()["error"]["detail"][0]["parameter"] == "interval"
