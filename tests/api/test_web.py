"""GET /: the server-rendered search page (works without JS: a plain form GET).

Pages are read with parsel (Scrapy's selector library) the way a reader scans them:
results, totals, the side summary, the filters; expected values come from the corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

from parsel import Selector

from tests.support.scans import watch_scans

PAGE_SIZE = 20  # results per page (api/web/search_view.py)


def read(response) -> Selector:
    assert response.headers["content-type"].startswith("text/html")
    return Selector(response.text)


def total_shown(page: Selector) -> int:
    return int(re.search(r"共 (\d+) 条", page.css("#results h2 .count::text").get()).group(1))


def hit_ids(page: Selector) -> list[str]:
    return [href.split("?")[0].rsplit("/", 1)[1] for href in page.css("li.hit h3 a::attr(href)").getall()]


def side_rows(page: Selector, by: str) -> list[tuple[str, int]]:
    rows = page.css(f'#summary section[data-by="{by}"] tbody tr')
    return [(parse_qs(urlsplit(r.css("th a::attr(href)").get()).query)[by][0], int(r.css("td::text").get()))
            for r in rows]


def test_page_lists_announcements_with_filters_and_summaries(client, corpus):
    response = client.get("/")
    assert response.status_code == 200
    page = read(response)
    form = page.css("form#search")
    assert form.attrib["method"] == "get" and form.attrib["action"] == "/"
    assert total_shown(page) == len(corpus.announcements)
    assert len(hit_ids(page)) == PAGE_SIZE
    docs = corpus.announcements
    options = {name: set(page.css(f"select[name={name}] option::attr(value)").getall()) - {""}
               for name in ("province", "city", "platform", "theme")}
    assert options["province"] == {d["province"] for d in docs if d["province"]}
    assert options["city"] == {d["city"] for d in docs if d["city"]}
    assert options["theme"] == {t for d in docs for t in d["themes"]}
    assert options["platform"] == {p for d in docs for p in d["platforms"]}
    cities = Counter(d["city"] for d in docs if d["city"])
    assert dict(side_rows(page, "city")) == dict(cities)
    assert "形式主义" in response.text  # theme ids shown with their Chinese labels
    assert not page.css(".problem")


def test_search_highlights_and_links_to_detail_and_source(client, corpus):
    page = read(client.get("/", params={"q": "关停"}))
    expected = {d["id"]: d for d in corpus.announcements if "关停" in d["title"] + d["body"]}
    assert total_shown(page) == len(expected)
    assert set(hit_ids(page)) == set(expected)
    for hit in page.css("li.hit"):
        assert hit.css("mark::text").getall() and set(hit.css("mark::text").getall()) == {"关停"}
        doc_id = hit_ids(hit)[0]
        # The title opens the notice here (keeping the search to mark in its text); 原文 the source.
        assert hit.css("h3 a::attr(href)").get() == f"/announcement/{doc_id}?q=%E5%85%B3%E5%81%9C"
        assert hit.css("a.source::attr(href)").get() == expected[doc_id]["url"]


def test_each_result_lists_the_accounts_it_closes(client, corpus):
    page = read(client.get("/", params={"city": "西安市", "sort": "date_asc"}))
    docs = sorted((d for d in corpus.announcements if d["city"] == "西安市"), key=lambda d: d["published_at"])
    assert hit_ids(page) == [d["id"] for d in docs]
    for hit, doc in zip(page.css("li.hit"), docs):
        accounts = [a for a in corpus.accounts if a["announcement_id"] == doc["id"]]
        shown = hit.css(".accounts li")
        assert [li.css("b::text").get() for li in shown] == [a["name"] for a in accounts]
        for li, account in zip(shown, accounts):
            text = "".join(li.css("::text").getall())
            assert account["effective_date"] in text
            assert {"stop_updating": "停止更新", "deregister": "注销", "merge": "合并"}[account["action"]] in text
            assert (account["successor"] or "改由") in text if account["successor"] else "改由" not in text


def test_filters_without_js(client, corpus):
    # A form submits untouched fields empty: they mean "any".
    response = client.get("/", params={"q": "", "province": "", "city": "长沙市", "platform": "", "theme": "",
                                       "date_from": "", "date_to": "", "sort": "date_desc"})
    assert response.status_code == 200
    page = read(response)
    expected = [d for d in corpus.announcements if d["city"] == "长沙市"]
    assert total_shown(page) == len(expected)
    assert set(hit_ids(page)) == {d["id"] for d in expected}
    assert page.css("select[name=city] option[selected]::attr(value)").get() == "长沙市"
    # The active filter is shown with a link that removes it.
    chip = page.css(".chips li")[0]
    assert "长沙市" in chip.get()
    assert chip.css("a::attr(href)").get() == "/?sort=date_desc"


def test_date_range_and_province(client, corpus):
    params = {"province": "江苏省", "date_from": "2024-03-01", "date_to": "2024-06-30"}
    page = read(client.get("/", params=params))
    expected = {d["id"] for d in corpus.announcements
                if d["province"] == "江苏省" and "2024-03-01" <= d["published_at"] <= "2024-06-30"}
    assert 0 < len(expected) and set(hit_ids(page)) == expected
    assert page.css("input[name=date_from]::attr(value)").get() == "2024-03-01"


def test_paging_links(client, corpus):
    first = read(client.get("/"))
    pager = first.css("nav.pager")
    assert pager.css("a[aria-current=page]::text").get() == "1"
    next_url = pager.css("a[rel=next]::attr(href)").get()
    assert pager.css("a[aria-label='第 2 页']::attr(href)").get() == next_url
    second = read(client.get(next_url))
    assert "page=2" in next_url
    assert len(hit_ids(second)) == len(corpus.announcements) - PAGE_SIZE
    assert not set(hit_ids(second)) & set(hit_ids(first))
    assert second.css("nav.pager a[rel=prev]::attr(href)").get() == "/"


def test_a_page_past_the_end_says_so(client, corpus):
    page = read(client.get("/", params={"page": 9}))
    assert hit_ids(page) == []
    assert "第 9 页没有结果" in page.css(".empty").get() and "共 2 页" in page.css(".empty").get()


def test_nothing_found_explains_why(client, corpus):
    found = [d for d in corpus.announcements if "关停" in d["body"]]
    city, platform = next((c, p) for c in sorted({d["city"] for d in corpus.announcements if d["city"]})
                          for p in ("wechat", "weibo", "douyin", "app")
                          if not any(d["city"] == c and p in d["platforms"] for d in found))
    page = read(client.get("/", params={"q": "关停", "city": city, "platform": platform}))
    empty = "".join(page.css(".empty ::text").getall())
    assert "没有找到与“关停”相关的公告" in empty and "筛选条件可能太窄" in empty
    assert len(page.css(".chips a[aria-label]")) == 2  # each filter can be removed
    lone = "".join(read(client.get("/", params={"q": "猫"})).css(".empty ::text").getall())
    assert "单个汉字（猫）" in lone


def test_markup_in_documents_and_queries_stays_text(client):
    found = client.get("/", params={"q": "不是标签"}).text
    assert "<script>alert(1)</script>" not in found and "&lt;script&gt;" in found
    reflected = client.get("/", params={"q": '"><script>alert(2)</script>'})
    assert reflected.status_code == 400
    assert "<script>alert(2)" not in reflected.text
    assert "搜索语法有误" in reflected.text


def test_static_assets(client):
    assert "addEventListener" in client.get("/static/app.js").text
    assert "mark" in client.get("/static/style.css").text


def test_no_asset_comes_from_another_site(client):
    """The page works offline: every script, stylesheet and image is served from here."""
    for path in ("/", "/reaction"):
        page = read(client.get(path))
        for url in page.css("script::attr(src), link::attr(href), img::attr(src)").getall():
            assert url.startswith(("/", "data:")), url


def test_theme_labels_follow_the_users_taxonomy(tmp_path, store, store_url):
    from fastapi.testclient import TestClient

    from analysis.themes import DEFAULT_THEMES_FILE
    from api.app import create_app
    from tests.api.conftest import make_settings

    edited = tmp_path / "themes.yaml"
    edited.write_text(DEFAULT_THEMES_FILE.read_text(encoding="utf-8").replace("label: 形式主义", "label: 形式主义（自定义）"),
                      encoding="utf-8")
    with TestClient(create_app(make_settings(store_url, themes_file=edited), store)) as client:
        assert "形式主义（自定义）" in client.get("/", params={"theme": "formalism"}).text


def test_a_new_search_scans_its_matches_once_for_the_summaries_and_timeline(client, corpus, monkeypatch):
    """The side summaries (by city, by theme) and the timeline of a search are scanned in
    one statement (``Store.prepare_overview``), not one scan each; page 2 scans nothing."""
    scans = watch_scans(monkeypatch)
    page = read(client.get("/", params={"q": "关停 -从未出现的词"}))
    assert scans == ["overview_rows"]
    cities = Counter(d["city"] for d in corpus.announcements if "关停" in d["title"] + d["body"] and d.get("city"))
    assert side_rows(page, "city") == sorted(cities.items(), key=lambda kv: (-kv[1], kv[0]))[:len(side_rows(page, "city"))]
    assert page.css("svg.timeline")
    read(client.get("/", params={"q": "关停 -从未出现的词", "page": 2}))
    assert scans == ["overview_rows"]
