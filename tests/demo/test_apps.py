"""The CMS back ends: 大汉 JCMS dataproxy.jsp paging and the old ASP list/show pages."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from demo.sites import gov_site, load_expected
from tests.demo.conftest import fetch

PROXY = "/gov/nanjing/module/web/jpage/dataproxy.jsp"
RECORD = re.compile(r"<record><!\[CDATA\[(.*?)\]\]></record>", re.S)


def _proxy(web, method: str = "GET", **params) -> str:
    if method == "POST":
        page = fetch(web.url(PROXY + "?" + urlencode({k: params.pop(k) for k in ("startrecord", "endrecord", "perpage")})),
                     data=urlencode(params).encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    else:
        page = fetch(web.url(PROXY + "?" + urlencode(params)))
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/xml")
    return page.body.decode("utf-8")


def test_column_page_embeds_the_first_records_as_cdata(web):
    html = fetch(web.url(gov_site("nanjing").list_path)).body.decode("utf-8")
    store = re.search(r'<script type="text/xml">(.*?)</script>', html, re.S).group(1)
    assert "<datastore>" in store and "<nextgroup>" in store
    embedded = RECORD.findall(store)
    total = int(re.search(r"<totalrecord>(\d+)</totalrecord>", store).group(1))
    assert 0 < len(embedded) < total == len(load_expected("nanjing"))
    assert all('href="/gov/nanjing/art/2024/' in r for r in embedded)


def test_dataproxy_pages_through_every_record(web):
    total = len(load_expected("nanjing"))
    first = RECORD.findall(_proxy(web, startrecord=1, endrecord=3, perpage=3, columnid=1465))
    rest = RECORD.findall(_proxy(web, "POST", startrecord=4, endrecord=total + 10, perpage=3, columnid="1465",
                                 webid="1", path="/"))
    assert len(first) == 3 and len(first) + len(rest) == total
    hrefs = [re.search(r'href="([^"]+)"', r).group(1) for r in first + rest]
    assert sorted(hrefs) == sorted(e.path for e in load_expected("nanjing"))
    assert len(set(hrefs)) == total


def test_dataproxy_past_the_end_and_unknown_column(web):
    past = _proxy(web, startrecord=500, endrecord=520, perpage=20, columnid=1465)
    assert RECORD.findall(past) == []
    assert f"<totalrecord>{len(load_expected('nanjing'))}</totalrecord>" in past
    unknown = _proxy(web, startrecord=1, endrecord=20, perpage=20, columnid=999)
    assert RECORD.findall(unknown) == [] and "<totalrecord>0</totalrecord>" in unknown
    garbage = _proxy(web, startrecord="abc", endrecord="", perpage="x", columnid="../../etc")
    assert "<totalrecord>0</totalrecord>" in garbage


def test_asp_list_pages_chain_by_next_page_links(web):
    site = gov_site("yuelu")
    first = fetch(web.url(site.list_path))
    assert first.headers.get("Server") == "Microsoft-IIS/6.0"
    text = first.body.decode("gbk")
    assert '<a href="list.asp?classid=12&page=2">下一页</a>' in text
    last_page = re.search(r"页次：<b>1</b>/(\d+)页", text).group(1)
    last = fetch(web.url(f"/gov/yuelu/list.asp?classid=12&page={last_page}")).body.decode("gbk")
    assert "下一页" in last and "page=" + str(int(last_page) + 1) not in last  # plain text on the last page


def test_asp_missing_pages_are_404(web):
    for path in ("/gov/yuelu/list.asp?classid=12&page=99", "/gov/yuelu/ShowArticle.asp?ArticleID=1",
                 "/gov/yuelu/ShowArticle.asp?ArticleID=../_site", "/gov/yuelu/list.asp"):
        assert fetch(web.url(path)).status == 404, path
