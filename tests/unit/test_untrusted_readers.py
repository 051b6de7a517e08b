"""Every reader of untrusted lines handles each line on its own (Hypothesis property tests).

Random bytes, lone surrogates, deep nesting and huge lines go to `yuqing analyze`, `yuqing
index load`, `POST /analyze` and the spiders' JSON parsing: a bad line is one error record
with its line number, every good line around it still comes out, nothing raises. Runs are
seeded (``derandomize``) and bounded, so the suite stays fast and repeatable.
"""

from __future__ import annotations

import io
import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from analysis.enrich import AnalysisOptions
from api.app import create_app
from core.config import Settings
from core.spill import parse_spill_line, spill_line
from core.untrusted import MAX_JSON_DEPTH, parse_json
from crawler.parsing import news as nw
from store import open_store
from yuqing.cli import app
from yuqing.commands.analyze import _analyze_stream

def seeded(max_examples: int):
    return settings(max_examples=max_examples, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large, HealthCheck.large_base_example])

GOOD_TEXTS = ["早就该关了，纯属浪费资源", "这个号是哪个部门的？", "昆明的政务号停更了，可惜"]


def deep(n: int) -> bytes:
    return b"[" * n + b"]" * n


# Lines a hostile or damaged input holds.
hostile_lines = st.one_of(
    st.binary(max_size=200).filter(lambda b: b"\n" not in b),
    st.just(b'{"text": "\\ud800"}'),  # a lone surrogate: valid JSON, not encodable text
    st.just(b'{"text": "ok\\udfff\\ud83d"}'),
    st.integers(min_value=MAX_JSON_DEPTH + 1, max_value=200_000).map(deep),
    st.integers(min_value=MAX_JSON_DEPTH + 1, max_value=50_000).map(lambda n: b'{"text": ' + deep(n) + b"}"),
    st.just(b'{"text": "' + "长".encode() * 300_000 + b'"'),  # a huge line, cut short
    st.just("\udcff".encode("utf-8", "surrogatepass")),  # an encoded surrogate: not UTF-8
    st.text(max_size=50).map(lambda t: t.encode("utf-8", "surrogatepass")).filter(lambda b: b"\n" not in b),
)
good_lines = st.sampled_from(GOOD_TEXTS).map(lambda t: json.dumps({"text": t}, ensure_ascii=False).encode("utf-8"))


@pytest.fixture(scope="module")
def options():
    return AnalysisOptions.from_settings(Settings(_env_file=None))


@seeded(40)
@given(st.lists(st.one_of(good_lines, hostile_lines), min_size=1, max_size=8))
def test_analyze_answers_every_line_in_order(options, lines):
    out = io.StringIO()
    ok, errors = _analyze_stream([line + b"\n" for line in lines], out, "comment", options)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    expected = [n for n, line in enumerate(lines, 1) if line.strip()]
    assert [r["line"] for r in records] == expected  # one record per line, in order
    assert ok + errors == len(expected)
    for record, n in zip(records, expected):
        if lines[n - 1] in {json.dumps({"text": t}, ensure_ascii=False).encode() for t in GOOD_TEXTS}:
            assert "error" not in record and record["sentiment_label"] in {"positive", "neutral", "negative"}
        else:
            assert "error" in record or "sentiment" in record
    out.getvalue().encode("utf-8")  # the output is always encodable text


def test_a_lone_surrogate_is_replaced_not_fatal(options):
    out = io.StringIO()
    _analyze_stream([b'{"text": "\\ud800\\u652f\\u6301"}\n', b'{"text": "' + "好".encode() + b'"}\n'], out, "comment",
                    options)
    first, second = [json.loads(line) for line in out.getvalue().splitlines()]
    assert (first["line"], second["line"]) == (1, 2) and "error" not in first and "error" not in second


@seeded(60)
@given(st.lists(hostile_lines, min_size=1, max_size=5), st.integers(min_value=0, max_value=5))
def test_parsing_never_raises_anything_but_value_error(lines, _):
    for line in lines:
        try:
            value = parse_json(line)
        except ValueError:
            continue
        json.dumps(value, ensure_ascii=False).encode("utf-8")  # whatever parses is clean text


def _spill_doc(n: int) -> bytes:
    doc = {"id": f"weibo:{n}", "post_id": "weibo:0", "platform": "weibo", "text": f"第{n}条评论"}
    return spill_line("comment", doc).encode("utf-8")


@seeded(25)
@given(st.lists(hostile_lines, min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_index_load_stores_every_good_line_and_names_each_bad_one(tmp_path_factory, bad, rnd):
    good = [_spill_doc(n) for n in range(10)]
    lines = good + [b + b"\n" for b in bad]
    rnd.shuffle(lines)
    folder = tmp_path_factory.mktemp("load")
    spill = folder / "spill.jsonl"
    spill.write_bytes(b"".join(lines))
    url = f"sqlite:///{folder / 'x.db'}"
    result = CliRunner().invoke(app, ["index", "load", str(spill), "--store", url])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    store = open_store(url)
    try:
        assert store.count("comment") == 10
    finally:
        store.close()
    broken = [n for n, line in enumerate(lines, 1) if line not in good and line.strip()]
    for n in broken[:5]:
        assert f"line {n}:" in result.output
    assert result.exit_code == (1 if broken else 0)


def test_spill_line_with_a_surrogate_is_stored_cleaned(tmp_path):
    kind, doc = parse_spill_line(b'{"kind": "comment", "doc": {"id": "weibo:1", "post_id": "weibo:0", '
                                 b'"platform": "weibo", "text": "\\ud800\\u597d"}}')
    assert doc["text"] == "\ufffd好"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('analyze') / 'api.db'}"
    with TestClient(create_app(Settings(_env_file=None, store=url)), raise_server_exceptions=False) as c:
        yield c


@seeded(40)
@given(hostile_lines)
def test_post_analyze_never_answers_500(client, body):
    response = client.post("/analyze", content=body, headers={"content-type": "application/json"})
    assert response.status_code in (200, 422), response.text[:300]
    assert "error" in response.json() or "data" in response.json()


def test_post_analyze_with_a_lone_surrogate_labels_it(client):
    response = client.post("/analyze", content=b'{"texts": [{"text": "\\ud800\\u652f\\u6301\\u5173\\u505c"}]}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 200, response.text
    assert response.json()["count"] == 1


def test_post_analyze_deep_nesting_is_a_422_naming_the_body(client):
    response = client.post("/analyze", content=deep(100_000), headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["detail"][0]["parameter"] == "body"


@seeded(60)
@given(hostile_lines)
def test_news_comment_api_answers_parse_or_are_refused(body):
    try:
        page = nw.parse_api_page(parse_json(body))
    except ValueError:
        return
    assert page is None or isinstance(page.comments, list)


@seeded(40)
@given(hostile_lines)
def test_weibo_answers_are_json_or_a_counted_problem(body):
    from scrapy.http import Request, TextResponse
    from scrapy.utils.test import get_crawler

    from crawler.spiders.weibo import WeiboSpider

    crawler = get_crawler(WeiboSpider, {"YUQING_SETTINGS": Settings(_env_file=None, author_salt="k" * 32)})
    spider = crawler._create_spider(base_url="http://offline.test/weibo", keywords="政务")
    url = "http://offline.test/weibo/api/container/getIndex"
    response = TextResponse(url, status=200, body=body, encoding="utf-8", request=Request(url))
    payload = spider._payload(response, None, "search")  # never raises
    if payload is None:
        counted = crawler.stats.get_stats()
        assert counted.get("yuqing/weibo/invalid_json") == 1 or any("block" in k for k in counted), counted
    else:
        json.dumps(payload, ensure_ascii=False).encode("utf-8")  # clean text only
