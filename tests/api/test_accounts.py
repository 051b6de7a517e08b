"""GET /accounts and /accounts/summary."""

from __future__ import annotations

from collections import Counter

import pytest


@pytest.mark.parametrize("params,keep", [
    ({"platform": "weibo"}, lambda a: a["platform"] == "weibo"),
    ({"action": "deregister"}, lambda a: a["action"] == "deregister"),
    ({"city": "青岛市", "action": "merge"}, lambda a: a["city"] == "青岛市" and a["action"] == "merge"),
    ({"province": "江苏省"}, lambda a: a["province"] == "江苏省"),
    ({"date_from": "2024-03-01", "date_to": "2024-04-30"},
     lambda a: "2024-03-01" <= a["effective_date"] <= "2024-04-30"),
])
def test_account_filters(client, corpus, params, keep):
    expected = {a["id"] for a in corpus.accounts if keep(a)}
    body = client.get("/accounts", params={**params, "size": 50}).json()
    assert body["count"] == len(expected) > 0
    assert {a["id"] for a in body["data"]} == expected


def test_accounts_of_one_announcement(client, corpus):
    doc = corpus.announcements[0]
    body = client.get("/accounts", params={"announcement_id": doc["id"]}).json()
    assert {a["id"] for a in body["data"]} == {a["id"] for a in corpus.accounts if a["announcement_id"] == doc["id"]}


def test_unknown_action_is_422(client):
    response = client.get("/accounts", params={"action": "explode"})
    assert response.status_code == 422
    assert response.json()["error"]["detail"][0]["parameter"] == "action"


def test_summary_counts_platform_and_action_per_city(client, corpus):
    body = client.get("/accounts/summary").json()
    placed = [a for a in corpus.accounts if a["city"]]
    per_city = Counter(a["city"] for a in placed)
    assert body["total"] == len(corpus.accounts)
    assert body["count"] == len(per_city)
    assert {row["city"]: row["accounts"] for row in body["data"]} == dict(per_city)
    assert [row["accounts"] for row in body["data"]] == sorted(per_city.values(), reverse=True)
    for row in body["data"]:
        in_city = [a for a in placed if a["city"] == row["city"]]
        assert row["platforms"] == dict(Counter(a["platform"] for a in in_city))
        assert row["actions"] == dict(Counter(a["action"] for a in in_city))
    assert body["platforms"] == dict(Counter(a["platform"] for a in corpus.accounts))
    assert body["actions"] == dict(Counter(a["action"] for a in corpus.accounts))


def test_summary_honours_filters(client, corpus):
    body = client.get("/accounts/summary", params={"platform": "wechat"}).json()
    wechat = [a for a in corpus.accounts if a["platform"] == "wechat" and a["city"]]
    assert {row["city"]: row["accounts"] for row in body["data"]} == dict(Counter(a["city"] for a in wechat))
    assert all(set(row["platforms"]) == {"wechat"} for row in body["data"])
