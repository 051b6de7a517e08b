"""`yuqing explain URL` on the offline web: list pages (every link, the rule that decided,
next pages), article pages (fields with their sources, the closure decision) and the one-line
errors. Explain runs the crawl's own functions, so its followed links are held against the
layout corpus's gold for every tuned list page, and its pager against every pagination family."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from demo.layouts.score import load_gold
from yuqing.cli import app

GOLD = load_gold()
TUNED = [v for v in GOLD["variants"] if not GOLD["layouts"][v["layout"]]["held_out"]]
runner = CliRunner()


def _explain(web, path: str, *extra: str) -> dict:
    result = runner.invoke(app, ["explain", "--json", *extra, web.url(path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_short_trs_list_is_a_list_and_furniture_is_turned_down_by_name(offline_web):
    found = _explain(offline_web, "/layouts/trs-ul/r3/tzgg/index.html")
    assert found["kind"] == "list" and "trs" in found["signals"]["pagination"]
    followed = [link["url"] for link in found["links"] if link["follow"]]
    assert followed == [offline_web.url(u) for u in GOLD["variants"][1]["lists"]["/layouts/trs-ul/r3/tzgg/index.html"]["notices"]]
    rules = {link["text"]: link["rule"] for link in found["links"]}
    assert rules["政府信息公开年报"] == "region:nav"
    assert rules["区政府召开第十二次常务会议研究部署重点工作"] == "region:sidebar"
    assert rules["中华人民共和国中央人民政府"] == "region:friends"
    assert rules["隐私声明与使用帮助"] == "region:footer"
    assert found["next_pages"] == []


@pytest.mark.parametrize("variant", TUNED, ids=lambda v: f"{v['layout']}-r{v['rows']}")
def test_explain_follows_the_gold_notices_and_pages_of_every_tuned_list(offline_web, variant):
    start = variant["start"]
    found = _explain(offline_web, start)
    gold = variant["lists"][start]
    assert found["kind"] == "list", found["reason"]
    followed = {link["url"] for link in found["links"] if link["follow"] and link["kind"] == "headline"}
    assert followed == {offline_web.url(u) for u in gold["notices"]}
    for page in gold["next_pages"]:  # a gold page with a query matches when its pairs are all there
        base, _, query = page.partition("?")
        assert any(u.startswith(offline_web.url(base)) and all(p in u for p in query.split("&") if p)
                   for u in found["next_pages"]), (page, found["next_pages"])
    if not gold["next_pages"]:
        assert found["next_pages"] == []


def test_a_jcms_dataproxy_answer_is_explained_as_the_list_it_is(offline_web):
    # XML, not HTML: the crawl reads it as a datastore, and so does explain.
    path = ("/layouts/jcms-cdata/r20/module/web/jpage/dataproxy.jsp?columnid=1229&startrecord=21"
            "&endrecord=24&perpage=20")
    found = _explain(offline_web, path, "--as", "page")
    assert found["kind"] == "list" and "jcms" in found["signals"]["pagination"]
    followed = [link["url"] for link in found["links"] if link["follow"]]
    assert len(followed) == 4 and all("/art/2024/" in u for u in followed)
    assert found["next_pages"] == []  # a proxy answer asks for nothing more


def test_one_page_pagers_say_so(offline_web):
    asp = _explain(offline_web, "/layouts/asp-gbk/r3/news/list.asp?classid=12")
    assert "pager_text" in asp["signals"]["pagination"] and asp["signals"]["last_page"]
    trs = _explain(offline_web, "/layouts/trs-ul/r1/tzgg/index.html")  # createPageHTML(1, 0, "index", "html")
    assert trs["kind"] == "list" and trs["next_pages"] == [] and trs["signals"]["notice_links"] == 1


def test_a_javascript_pager_gives_the_page_its_script_computes(offline_web):
    found = _explain(offline_web, "/layouts/js-pager/r20/tzgg/list.html")
    assert found["next_pages"] == [offline_web.url("/layouts/js-pager/r20/tzgg/list_2.html")]


def test_an_article_shows_its_fields_sources_and_the_closure_sentence(offline_web):
    found = _explain(offline_web, "/layouts/trs-ul/r3/tzgg/202405/t20240528_100000.html")
    assert found["kind"] == "article" and found["reason"] == "article meta"
    article = found["article"]
    assert article["title"] == {"value": "关于“某某发布”微信公众号停止更新的公告", "source": "meta"}
    assert article["date"]["value"].startswith("2024-05-28") and article["date"]["source"] == "meta"
    assert article["issuer"]["value"] and article["body_chars"] > 50
    closure = found["closure"]
    assert closure["closure"] and "公众号" in closure["sentence"] and "停止更新" in closure["sentence"]


def test_an_article_whose_meta_date_disagrees_says_which_date_was_used(offline_web):
    found = _explain(offline_web, "/layouts/trs-ul/r20/tzgg/202405/t20240525_100003.html")
    date = found["article"]["date"]
    assert date["value"].startswith("2024-05-25") and date["source"] == "label (over meta)"
    assert date["overruled"].startswith("2024-06-28")
    assert found["closure"]["closure"] is False


def test_the_table_names_the_rules(offline_web):
    result = runner.invoke(app, ["explain", offline_web.url("/layouts/dl-dd/r3/tzgg/index.html")])
    assert result.exit_code == 0, result.output
    assert "page kind: list" in result.stdout and "region:sidebar" in result.stdout
    assert "followed 3" in result.stdout


@pytest.mark.parametrize("path, code, says", [
    ("/layouts/files/notice.pdf", 1, "is not an HTML page (Content-Type: application/pdf)"),
    ("/layouts/files/broken.html", 1, "binary content, not HTML"),
    ("/robots.txt", 1, "is not an HTML page (Content-Type: text/plain"),
    ("/layouts/no/such/page.html", 1, "answered HTTP 404"),
])
def test_pages_that_cannot_be_explained_get_one_line(offline_web, path, code, says):
    result = runner.invoke(app, ["explain", offline_web.url(path)])
    assert result.exit_code == code
    assert says in result.output and result.output.strip().count("\n") == 0


def test_unreachable_and_bad_urls(offline_web):
    result = runner.invoke(app, ["explain", "http://127.0.0.1:1/tzgg/"])
    assert result.exit_code == 1 and "cannot reach http://127.0.0.1:1/tzgg/" in result.output
    result = runner.invoke(app, ["explain", "www.example.gov.cn/tzgg/"])
    assert result.exit_code == 2 and "is not an http(s) URL" in result.output
    result = runner.invoke(app, ["explain", "--as", "sideways", offline_web.url("/layouts/")])
    assert result.exit_code == 2 and "--as must be" in result.output
