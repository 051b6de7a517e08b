"""`yuqing analyze`, `yuqing reanalyze` and POST /analyze on real inputs and a real SQLite store."""

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from crawler.pipelines import account_docs
from store import open_store
from yuqing.cli import app
from yuqing.config import Settings
from yuqing.commands.analyze import OUTPUT_FIELDS

runner = CliRunner()


def _lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_analyze_comments_with_a_broken_line_in_the_middle():
    stdin = "\n".join([
        json.dumps({"text": "早就该关了，一年发不了几条，纯属浪费资源", "subject_city": "昆明"}, ensure_ascii=False),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "关得好啊，以后政策变了咱们就靠猜了[微笑]"}, ensure_ascii=False),
    ])
    result = runner.invoke(app, ["analyze"], input=stdin)
    assert result.exit_code == 0, result.output
    out = _lines(result.stdout)
    assert [o["line"] for o in out] == [1, 2, 3, 4]
    assert set(OUTPUT_FIELDS) <= set(out[0])
    assert (out[0]["stance"], out[0]["city"], out[0]["sentiment_label"]) == ("support", "昆明市", "negative")
    assert "invalid JSON" in out[1]["error"]
    assert "text" in out[2]["error"]
    assert out[3]["stance"] == "oppose"


def test_analyze_announcements():
    record = {"text": "自2024年6月1日起，“张家港城管”微信公众号停止更新，相关信息将通过“张家港发布”发布。",
              "issuer": "张家港市城市管理局", "published_at": "2024-05-21"}
    result = runner.invoke(app, ["analyze", "--kind", "announcement"], input=json.dumps(record, ensure_ascii=False))
    [out] = _lines(result.stdout)
    assert (out["city"], out["district"], out["admin_code"]) == ("苏州市", "张家港市", "320582")
    assert out["platforms"] == ["wechat"]
    assert out["accounts"][0]["successor"] == "张家港发布"


def test_analyze_rejects_unknown_kind():
    result = runner.invoke(app, ["analyze", "--kind", "tweet"], input="")
    assert result.exit_code != 0


def test_reanalyze_relabels_every_kind(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    st = open_store(url)
    ann = {"id": "a1", "url": "http://127.0.0.1/a1", "title": "关于停止更新的公告", "issuer": "雁塔区人民政府",
           "body": "“雁塔城管”政务微博自2024年3月31日起停止更新。", "published_at": "2024-03-18",
           "city": "wrong", "themes": [], "accounts": []}
    stale_account = {"id": "a1:0", "announcement_id": "a1", "name": "旧", "platform": "wechat",
                     "action": "merge", "city": "wrong"}
    post = {"id": "weibo:1", "url": "http://127.0.0.1/p1", "platform": "weibo", "text": "西安关了一批政务号",
            "city": "西安市", "stance": None}
    comment = {"id": "weibo:c1", "post_id": "weibo:1", "platform": "weibo", "text": "早该关了，浪费资源",
               "stance": None, "themes": []}
    for kind, doc in (("announcement", ann), ("account", stale_account), ("post", post), ("comment", comment)):
        assert st.upsert(kind, [doc]).errors == []
    st.close()
    monkeypatch.setenv("YUQING_DEV", "1")
    result = runner.invoke(app, ["reanalyze", "--store", url])
    assert result.exit_code == 0, result.output
    assert "1 announcements" in result.stdout and "1 comments" in result.stdout
    st = open_store(url)
    try:
        got = st.get("announcement", "a1")
        assert (got["city"], got["district"]) == ("西安市", "雁塔区")
        accounts = list(st.iterate("account"))
        assert [(a["name"], a["platform"], a["city"]) for a in accounts] == [("雁塔城管", "weibo", "西安市")]
        assert accounts == account_docs(got)
        c = st.get("comment", "weibo:c1")
        assert (c["stance"], c["city"]) == ("support", "西安市")
        assert "duplication_waste" in c["themes"]
    finally:
        st.close()


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('analyze') / 'api.db'}"
    with TestClient(create_app(Settings(store=url, dev=True))) as c:
        yield c


def test_post_analyze(client):
    body = {"kind": "comment", "texts": [{"text": "早就该关了，纯属浪费资源"}, {"text": "这个号是哪个部门的？"}]}
    r = client.post("/analyze", json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["count"] == 2
    assert [d["stance"] for d in data["data"]] == ["support", "neutral"]
    assert set(OUTPUT_FIELDS) <= set(data["data"][0])


def test_post_analyze_too_many_texts(client):
    r = client.post("/analyze", json={"texts": [{"text": "好"}] * 1001})
    assert r.status_code == 413
    err = r.json()["error"]
    assert err["code"] == "payload_too_large" and "at most 1000" in err["message"]


def test_post_analyze_bad_body(client):
    r = client.post("/analyze", json={"kind": "tweet", "texts": [{"text": ""}]})
    assert r.status_code == 422
    assert "error" in r.json()
