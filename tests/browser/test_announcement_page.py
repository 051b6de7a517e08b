"""From a hit to the notice's own page: full text with the search marked, the accounts it
closes, and a citation a journalist can paste."""

from __future__ import annotations

import pytest

from tests.browser.actions import search
from tests.browser.conftest import CRAWLED_AT, DESKTOP
from tests.browser.expected import matches

ACTIONS = {"stop_updating": "停止更新", "deregister": "注销", "merge": "合并"}
PLATFORMS = {"wechat": "微信公众号", "weibo": "微博", "douyin": "抖音", "app": "客户端 App"}


def expected_citation(doc: dict) -> str:
    return f"{doc['issuer']}. {doc['title']}[EB/OL]. ({doc['published_at']})[{CRAWLED_AT[:10]}]. {doc['url']}"


def test_results_list_the_accounts_each_notice_closes(visit, corpus):
    visit.open("/?city=%E8%A5%BF%E5%AE%89%E5%B8%82&sort=date_asc")  # 西安市, oldest first
    docs = sorted((d for d in corpus.announcements if d["city"] == "西安市"), key=lambda d: d["published_at"])
    rows = visit.page.locator("li.hit").all()
    assert len(rows) == len(docs)
    for row, doc in zip(rows, docs):
        lines = row.locator(".accounts li").all_inner_texts()
        accounts = [a for a in corpus.accounts if a["announcement_id"] == doc["id"]]
        assert len(lines) == len(accounts) > 0
        for line, a in zip(lines, accounts):
            assert line.startswith(a["name"]) and ACTIONS[a["action"]] in line and a["effective_date"] in line
            assert (f"改由 {a['successor']}" in line) == bool(a["successor"])


@pytest.mark.parametrize("visit", [{"viewport": DESKTOP, "permissions": ["clipboard-read", "clipboard-write"]}],
                         indirect=True)
def test_a_hit_opens_the_notice_with_full_text_accounts_and_citation(visit, corpus):
    visit.open("/")
    search(visit, "集约化 关停")
    doc = next(d for d in sorted(corpus.announcements, key=lambda d: d["id"])
               if matches(d, "集约化") and matches(d, "关停"))
    hit = visit.page.locator("li.hit", has=visit.page.locator(f'a.source[href="{doc["url"]}"]'))
    with visit.page.expect_navigation():
        hit.locator("h3 a").click()
    page = visit.page
    assert page.get_by_role("heading", level=1).inner_text() == doc["title"]
    assert doc["title"] in page.title()
    text = page.locator(".fulltext")
    assert text.inner_text() == doc["body"]
    assert sorted(text.locator("mark").all_inner_texts()) == sorted(
        ["关停"] * doc["body"].count("关停") + ["集约化"] * doc["body"].count("集约化"))
    accounts = [a for a in corpus.accounts if a["announcement_id"] == doc["id"]]
    table = page.locator(".accounts-table tbody tr")
    assert table.count() == len(accounts)
    for i, a in enumerate(accounts):
        cells = table.nth(i).locator("th, td").all_inner_texts()
        evidence = f"{a['evidence']} （把握 {a['confidence']:.2f}）" if a["evidence"] else "–"
        assert cells == [a["name"], PLATFORMS[a["platform"]], ACTIONS[a["action"]], a["effective_date"],
                         a["successor"] or "–", evidence]
    assert page.locator("#citation").inner_text() == expected_citation(doc)

    page.get_by_role("button", name="复制引用").click()
    page.get_by_role("status").filter(has_text="已复制").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == expected_citation(doc)

    with page.expect_navigation():
        page.get_by_role("link", name="返回搜索").click()
    assert page.get_by_role("searchbox").input_value() == "集约化 关停"


def test_an_unknown_notice_says_so(visit):
    visit.open("/announcement/ffffffffffffffff")
    alert = visit.page.get_by_role("alert").inner_text()
    assert "找不到这条公告" in alert and "ffffffffffffffff" in alert
    assert [e for e in visit.console_errors if "status of 404" in e]
    visit.console_errors.clear()
