"""List pages: records and pagination in each CMS style, and list-vs-article decisions."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from crawler.extraction import classify_page, list_signals, parse_datastore, parse_html

from .helpers import fixture_page

TRS_LIST = "http://h/xa/xxgk/tzgg/index.html"
JCMS_LIST = "http://h/nj/col/col1465/index.html"
ASP_LIST = "http://h/yl/list.asp?classid=12"


def signals(name: str, url: str, rules):
    return list_signals(parse_html(fixture_page(name)), url, rules)


def test_trs_create_page_html_gives_the_numbered_pages(rules):
    s = signals("trs_list.html", TRS_LIST, rules)
    assert s.pages == [f"http://h/xa/xxgk/tzgg/index_{n}.html" for n in (1, 2, 3)]
    assert "trs" in s.pagination


def test_list_records_are_the_dated_headlines(rules):
    s = signals("trs_list.html", TRS_LIST, rules)
    dated = [r.url for r in s.records if r.dated]
    assert dated[0] == "http://h/xa/xxgk/tzgg/202405/t20240513_1.html"
    assert "https://mp.weixin.qq.com/s/AbCdEf123" in dated and len(dated) == 5
    # The full headline comes from @title when the link text is cut short.
    by_url = {r.url: r for r in s.records}
    assert by_url[dated[0]].text == "关于注销“西安市场监管”新浪微博账号的公告"
    undated = [r.url for r in s.records if not r.dated]
    assert "http://h/xa/zt/yshj/" in undated and "http://h/xa/" not in dated
    assert s.home_url == "http://h/xa/"


def test_jcms_records_are_read_from_cdata(rules):
    s = signals("jcms_list.html", JCMS_LIST, rules)
    assert [r.url for r in s.records if r.dated] == [
        "http://h/nj/art/2024/5/16/art_1465_1.html",
        "http://h/nj/art/2024/5/15/art_1465_2.html",
        "http://h/nj/art/2024/5/14/art_1465_3.html",
    ]
    assert "jcms" in s.pagination


def test_jcms_further_records_come_from_the_dataproxy(rules):
    s = signals("jcms_list.html", JCMS_LIST, rules)
    assert len(s.pages) == 2  # records 4-6 and 7-8 of 8, three per group
    first = urlsplit(s.pages[0])
    assert first.path == "/nj/module/web/jpage/dataproxy.jsp"
    query = parse_qs(first.query)
    assert query["startrecord"] == ["4"] and query["endrecord"] == ["6"] and query["perpage"] == ["3"]
    assert query["columnid"] == ["1465"] and query["unitid"] == ["3965"]
    assert parse_qs(urlsplit(s.pages[1]).query)["endrecord"] == ["8"]


def test_a_dataproxy_answer_is_read_as_a_list_and_asks_for_nothing_more(rules):
    xml = ('<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>8</totalrecord><recordset>'
           '<record><![CDATA[<li><a href="/nj/art/2024/5/1/art_1465_7.html">关于“鼓楼健康”微信公众号停更的公告</a>'
           '<span>2024-05-01</span></li>]]></record></recordset></datastore>')
    url = "http://h/nj/module/web/jpage/dataproxy.jsp?startrecord=7&endrecord=8&perpage=3&columnid=1465"
    s = list_signals(parse_html(parse_datastore(xml)), url, rules)
    assert [r.url for r in s.records] == ["http://h/nj/art/2024/5/1/art_1465_7.html"]
    assert s.records[0].dated and s.pages == []


def test_asp_next_page_links_and_dates_in_the_next_cell(rules):
    s = signals("asp_list.html", ASP_LIST, rules)
    assert s.pages == ["http://h/yl/list.asp?classid=12&page=2", "http://h/yl/list.asp?classid=12&page=3"]
    assert "next" in s.pagination
    by_url = {r.url: r for r in s.records}
    # Listed undated in the sidebar first, then dated in the list: dated wins.
    assert by_url["http://h/yl/ShowArticle.asp?ArticleID=2902"].dated
    assert by_url["http://h/yl/ShowArticle.asp?ArticleID=2880"].dated
    assert not by_url["http://h/yl/"].dated


def test_list_or_article(rules):
    def kind(name, url, **kw):
        s = signals(name, url, rules)
        tree = parse_html(fixture_page(name))
        has_meta = bool(tree.xpath("//meta[@name='ArticleTitle']"))
        return classify_page(s, rules, has_article_meta=has_meta, wechat=False, **kw).kind

    assert kind("trs_list.html", TRS_LIST) == "list"
    assert kind("jcms_list.html", JCMS_LIST) == "list"
    assert kind("asp_list.html", ASP_LIST) == "list"
    assert kind("trs_detail.html", "http://h/a.html") == "article"
    assert kind("jcms_detail.html", "http://h/a.html") == "article"
    assert kind("asp_detail_gbk.html", "http://h/a.html") == "article"
    assert kind("no_date.html", "http://h/a.html", reached_as="record") == "article"


def test_a_short_last_page_reached_through_the_pager_is_a_list(rules):
    html = ('<html><body><table><tr><td><a href="ShowArticle.asp?ArticleID=1">关于“某某发布”停止更新的公告</a></td>'
            '<td>2024-5-1</td></tr></table><a href="list.asp?page=1">首页</a></body></html>')
    s = list_signals(parse_html(html), ASP_LIST + "&page=2", rules)
    assert classify_page(s, rules, has_article_meta=False, wechat=False, reached_as="page").kind == "list"
    # Issue 17: a start URL is a list whatever its row count (it used to need 4 dated rows).
    start = classify_page(s, rules, has_article_meta=False, wechat=False, reached_as="start")
    assert (start.kind, start.reason) == ("list", "start URL linking to 1 notice(s)")
    # …but a record, even one whose page links to a notice, stays an article.
    assert classify_page(s, rules, has_article_meta=False, wechat=False, reached_as="record").kind == "article"


def test_more_links_lead_from_an_overview_page_to_the_full_list(rules):
    html = """<html><body><a href="/">首页</a>
    <div class="box"><h2>通知公告</h2><ul>
      <li><a href="/tzgg/202405/t1.html">关于“某某发布”微博停止更新的公告</a><span>2024-05-10</span></li>
      <li><a href="/tzgg/202405/t2.html">关于端午节放假安排的通知公告</a><span>2024-05-09</span></li>
    </ul><a class="more" href="/tzgg/">更多&gt;&gt;</a></div>
    <div class="box"><h2>政策文件</h2><a href="/zcwj/">+ 更多</a><a href="/zcjd/">MORE</a></div>
    <p><a href="/about/">更多服务请拨打12345热线</a></p></body></html>"""
    s = list_signals(parse_html(html), "http://h/", rules)
    assert s.more_lists == ["http://h/tzgg/", "http://h/zcwj/", "http://h/zcjd/"]
    assert not s.pagination  # an article's sidebar has 更多 links too: they are not a pager
    assert [r.url for r in s.records if r.dated] == ["http://h/tzgg/202405/t1.html", "http://h/tzgg/202405/t2.html"]
