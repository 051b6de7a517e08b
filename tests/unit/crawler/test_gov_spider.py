"""The gov spider's parse step on saved responses (no network): what it follows, what it
yields, and how it survives malformed pages. Whole crawls are in tests/crawl/."""

from __future__ import annotations

import logging

import pytest
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from crawler.items import AnnouncementItem
from crawler.sources import SourcesError
from demo.sites import all_expected, gov_sites
from yuqing.commands.demo import gov_crawl_args
from crawler.spiders.gov import GovSpider, Scope, StartUrlError, site_scope

from .helpers import fixture_page, html_response, saved_page


def make_spider(**args) -> GovSpider:
    crawler = get_crawler(GovSpider)
    spider = GovSpider.from_crawler(crawler, **args)
    crawler.stats.open_spider()
    return spider


def respond(url: str, html: str, role: str = "start", start: str | None = None, **kw) -> TextResponse:
    response = html_response(url, html, **kw)
    request = Request(url, meta={"gov": {"source": "adhoc", "start": start or url, "role": role, "scope": None}})
    return response.replace(request=request)


def stat(spider: GovSpider, key: str) -> int:
    return spider.crawler.stats.get_value(key, 0)


def test_start_urls_and_sources_become_start_requests():
    spider = make_spider(start_urls="http://a.gov.cn/tzgg/, http://b.gov.cn/x/index.html",
                         sources="demo-kunming", base_url="http://127.0.0.1:9")
    assert spider.starts == [("http://a.gov.cn/tzgg/", "adhoc"), ("http://b.gov.cn/x/index.html", "adhoc"),
                             ("http://127.0.0.1:9/gov/kunming/zwgk/tzgg/", "demo-kunming")]


def test_without_arguments_every_live_source_is_crawled():
    spider = make_spider()
    assert spider.starts and all(url.startswith("http") and ".gov.cn" in url for url, _ in spider.starts)


def test_an_unknown_source_is_a_clear_error():
    with pytest.raises(SourcesError, match="unknown source"):
        make_spider(sources="nowhere")


def test_scope_follows_the_sites_home_link():
    assert site_scope("http://h:1/gov/nj/col/col1465/index.html", "http://h:1/gov/nj/") == Scope("http://h:1", "/gov/nj/")
    # A home link elsewhere (another host, or not above the start URL) is ignored.
    assert site_scope("http://h:1/gov/nj/col/c/index.html", "http://other/") == Scope("http://h:1", "/gov/nj/col/c/")
    assert site_scope("http://h:1/gov/nj/col/c/index.html", "http://h:1/gov/xa/").prefix == "/gov/nj/col/c/"
    scope = Scope("http://h:1", "/gov/nj/")
    assert scope.allows("http://h:1/gov/nj/art/1.html")
    assert not scope.allows("http://h:1/gov/xa/art/1.html") and not scope.allows("http://h:2/gov/nj/a.html")


def test_a_list_yields_records_and_pages_within_the_site_and_wechat_links():
    spider = make_spider(start_urls="http://h/xa/xxgk/tzgg/index.html")
    out = list(spider.parse(respond("http://h/xa/xxgk/tzgg/index.html", fixture_page("trs_list.html"))))
    urls = [r.url for r in out]
    assert all(isinstance(r, Request) for r in out)
    assert "http://h/xa/xxgk/tzgg/202405/t20240513_1.html" in urls
    assert "https://mp.weixin.qq.com/s/AbCdEf123" in urls  # a WeChat article, off-site but followed
    assert "http://h/xa/xxgk/tzgg/index_3.html" in urls
    assert "http://h/xa/zt/yshj/" not in urls  # undated banner link on a list with dated rows
    roles = {r.url: r.meta["gov"]["role"] for r in out}
    assert roles["http://h/xa/xxgk/tzgg/index_1.html"] == "list"
    assert roles["http://h/xa/xxgk/tzgg/202405/t20240513_1.html"] == "record"
    assert stat(spider, "yuqing/list_pages") == 1


def test_list_pages_stop_at_the_limit():
    spider = make_spider(start_urls="http://h/xa/xxgk/tzgg/index.html", max_list_pages="2")
    out = list(spider.parse(respond("http://h/xa/xxgk/tzgg/index.html", fixture_page("trs_list.html"))))
    pages = [r.url for r in out if r.meta["gov"]["role"] == "list"]
    assert pages == ["http://h/xa/xxgk/tzgg/index_1.html", "http://h/xa/xxgk/tzgg/index_2.html"]
    assert stat(spider, "yuqing/list_page_limit") == 1


def test_a_closure_article_becomes_an_item():
    url = "http://www.kmwh.gov.cn/zwgk/tzgg/202405/t20240510_123.html"
    spider = make_spider(start_urls=url)
    out = list(spider.parse(respond(url, fixture_page("trs_detail.html"), role="record")))
    assert len(out) == 1 and isinstance(out[0], AnnouncementItem)
    item = out[0]
    assert (item.title, item.published_at, item.source) == (
        "关于“五华发布”微信公众号停止更新的公告", "2024-05-10T09:30:00+08:00", "adhoc")
    assert item.issuer == "昆明市五华区人民政府办公室" and item.column == "通知公告"


def test_an_ordinary_notice_is_counted_not_yielded():
    html = fixture_page("trs_detail.html").replace("停止更新", "评选表彰").replace("注销", "表彰")
    html = html.replace("整合", "宣传").replace("公众号", "").replace("政务新媒体", "")
    spider = make_spider(start_urls="http://h/a.html")
    assert list(spider.parse(respond("http://h/a.html", html, role="record"))) == []
    assert stat(spider, "yuqing/not_closure") == 1


def test_gbk_response_decodes_through_scrapy():
    spider = make_spider(start_urls="http://h/yl/ShowArticle.asp?ArticleID=9")
    response = respond("http://h/yl/ShowArticle.asp?ArticleID=9", fixture_page("asp_detail_gbk.html"),
                       role="record", encoding="gbk", content_type="text/html")
    (item,) = list(spider.parse(response))
    assert item.title == "岳麓区关于“岳麓教育”微信公众号停止更新的公告"


def test_a_closure_without_a_date_is_kept_and_counted(caplog):
    spider = make_spider(start_urls="http://h/a.html")
    with caplog.at_level(logging.WARNING):
        (item,) = list(spider.parse(respond("http://h/a.html", fixture_page("no_date.html"), role="record")))
    assert item.published_at is None
    assert stat(spider, "yuqing/no_date") == 1 and "states no publication date" in caplog.text


@pytest.mark.parametrize("body, counter", [
    (b"", "yuqing/malformed/empty"),
    (b"   \n  ", "yuqing/malformed/empty"),
    (b"<html><body><div></div></body></html>", "yuqing/malformed/no_text"),
])
def test_malformed_pages_warn_and_count_never_crash(caplog, body, counter):
    spider = make_spider(start_urls="http://h/a.html")
    response = TextResponse("http://h/a.html", body=body, encoding="utf-8",
                            request=Request("http://h/a.html", meta={"gov": {"source": "adhoc", "start": "http://h/a.html",
                                                                              "role": "record", "scope": None}}))
    with caplog.at_level(logging.WARNING):
        assert list(spider.parse(response)) == []
    assert stat(spider, counter) == 1 and "skipped" in caplog.text


def test_binary_responses_warn_and_count(caplog):
    spider = make_spider(start_urls="http://h/a.pdf")
    response = Response("http://h/a.pdf", body=b"%PDF-1.4\x00\x01", headers={"Content-Type": "application/pdf"},
                        request=Request("http://h/a.pdf"))
    with caplog.at_level(logging.WARNING):
        assert list(spider.parse(response)) == []
    assert stat(spider, "yuqing/malformed/not_text") == 1 and "application/pdf" in caplog.text


@pytest.mark.parametrize("url", ["notaurl", "www.km.gov.cn/zwgk/tzgg/", "ftp://h/x", "http:///nohost"])
def test_a_start_url_that_is_not_http_is_refused_up_front(url):
    with pytest.raises(StartUrlError, match="not an http"):
        make_spider(start_urls=url)


def _failure(url: str, role: str, status: int | None):
    request = Request(url, meta={"gov": {"source": "adhoc", "start": url, "role": role, "scope": None}})
    if status is None:
        failure = Failure(DNSLookupError("no such host"))
    else:
        failure = Failure(HttpError(Response(url, status=status, request=request)))
    failure.request = request
    return failure


def test_a_start_url_that_fails_is_an_error_naming_the_status(caplog):
    spider = make_spider(start_urls="http://h/tzgg/")
    with caplog.at_level(logging.WARNING):
        spider.failed(_failure("http://h/tzgg/", "start", 404))
        spider.failed(_failure("http://nowhere.invalid/", "start", None))
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 2
    assert "http://h/tzgg/" in errors[0].getMessage() and "HTTP 404" in errors[0].getMessage()
    assert "no such host" in errors[1].getMessage()
    assert stat(spider, "yuqing/start_failed") == 2


def test_a_record_that_fails_is_a_warning_and_the_crawl_goes_on(caplog):
    spider = make_spider(start_urls="http://h/tzgg/")
    with caplog.at_level(logging.WARNING):
        spider.failed(_failure("http://h/tzgg/t1.html", "record", 500))
    (record,) = caplog.records
    assert record.levelno == logging.WARNING and "HTTP 500" in record.getMessage()
    assert stat(spider, "yuqing/request_failed") == 1 and stat(spider, "yuqing/start_failed") == 0


def test_a_page_with_a_wrong_charset_header_is_decoded_again():
    spider = make_spider(start_urls="http://h/yl/ShowArticle.asp?ArticleID=9")
    response = respond("http://h/yl/ShowArticle.asp?ArticleID=9", fixture_page("asp_detail_gbk.html"),
                       role="record", encoding="gbk", content_type="text/html; charset=utf-8")
    (item,) = list(spider.parse(response))
    assert item.title == "岳麓区关于“岳麓教育”微信公众号停止更新的公告" and "\ufffd" not in item.body
    assert stat(spider, "yuqing/recoded") == 1


def test_an_overview_page_as_start_leads_to_the_full_list():
    """A user gives the site's home page: its 更多>> link is followed as a list."""
    url = "http://h/gov/kunming/"
    spider = make_spider(start_urls=url)
    out = list(spider.parse(respond(url, saved_page("gov/kunming/index.html"))))
    lists = [r.url for r in out if r.meta["gov"]["role"] == "list"]
    assert lists == ["http://h/gov/kunming/zwgk/tzgg/"]
    assert any(r.meta["gov"]["role"] == "record" for r in out)


def test_the_demo_crawls_the_offline_web_as_its_named_sources():
    """`yuqing demo` names the `demo` group, so stored announcements say which site they came from."""
    args = gov_crawl_args("http://127.0.0.1:9")
    opts = dict(zip(args[::2], args[1::2]))
    spider = make_spider(sources=opts["--source"], base_url=opts["--base-url"])
    assert sorted(url for url, _ in spider.starts) == sorted(f"http://127.0.0.1:9{s.list_path}" for s in gov_sites())
    assert {source for _, source in spider.starts} == {f"demo-{s.id}" for s in gov_sites()}


def test_a_start_url_redirected_to_https_keeps_its_site_in_scope():
    """http://… → https://… (most city portals now): the records on the https page are the site's."""
    spider = make_spider(start_urls="http://h/xa/xxgk/tzgg/")
    response = respond("https://h/xa/xxgk/tzgg/index.html", fixture_page("trs_list.html"),
                       start="http://h/xa/xxgk/tzgg/")
    out = list(spider.parse(response))
    assert "https://h/xa/xxgk/tzgg/202405/t20240513_1.html" in [r.url for r in out]
    assert stat(spider, "yuqing/offsite") == 0
    # …and links written with the other scheme stay on the site too.
    assert Scope("https://h", "/xa/").allows("http://h/xa/a.html")
    assert not Scope("https://h", "/xa/").allows("ftp://h/xa/a.html")


def test_a_start_page_that_is_neither_list_nor_closure_says_so(caplog):
    spider = make_spider(start_urls="http://h/about.html")
    html = ("<html><head><title>关于我们_某某区人民政府</title></head><body><p>" + "某某区位于某某市东部，辖8个街道。" * 20
            + "</p></body></html>")
    with caplog.at_level(logging.WARNING):
        assert list(spider.parse(respond("http://h/about.html", html))) == []
    assert "start URL http://h/about.html is not a notice list" in caplog.text
    assert "`yuqing explain http://h/about.html`" in caplog.text  # where to look next


def test_a_start_list_without_records_says_so(caplog):
    spider = make_spider(start_urls="http://h/tzgg/")
    html = "<html><body><div class='page'><a href='index_1.html'>下一页</a></div></body></html>"
    with caplog.at_level(logging.WARNING):
        list(spider.parse(respond("http://h/tzgg/", html)))
    assert "looks like a list" not in caplog.text  # it has a further page: not empty
    empty = "<html><body><ul class='list'></ul><div class='page'><a href='index.html'>1</a></div></body></html>"
    with caplog.at_level(logging.WARNING):
        list(spider.parse(respond("http://h/tzgg/index.html", empty)))
    assert "looks like a list but links to no notices" in caplog.text
    assert "`yuqing explain http://h/tzgg/index.html` shows each link" in caplog.text


def _served(entry) -> tuple[bytes, str | None]:
    """A detail page of the offline web as the server sends it: bytes and Content-Type."""
    site = next(s for s in gov_sites() if s.id == entry.site)
    if "ShowArticle.asp" in entry.path:
        source = (site.root / "_asp" / f"article_{entry.path.rsplit('=', 1)[1]}.html").read_text(encoding="utf-8")
        return site.encode(source), site.content_type()
    source = saved_page(entry.path.removeprefix("/"))
    return (site.encode(source), site.content_type()) if entry.path.startswith("/gov/") else (source.encode(), None)


@pytest.mark.parametrize("entry", all_expected(), ids=lambda e: e.path)
def test_a_single_notice_given_as_the_start_url_is_judged_as_its_gold_says(entry):
    url = f"http://127.0.0.1{entry.path}"
    body, content_type = _served(entry)
    spider = make_spider(start_urls=url)
    response = HtmlResponse(url, body=body, headers={"Content-Type": content_type} if content_type else {},
                            request=Request(url, meta={"gov": {"source": "adhoc", "start": url, "role": "start",
                                                                "scope": None}}))
    items = [o for o in spider.parse(response) if isinstance(o, AnnouncementItem)]
    assert len(items) == int(entry.closure)
    if entry.closure:
        assert (items[0].title, items[0].issuer) == (entry.title, entry.issuer)
    assert stat(spider, "yuqing/list_pages") == 0  # read as the notice it is, not walked as a list


@pytest.mark.parametrize("value", ["abc", "0", "-3", ""])
def test_a_bad_list_page_limit_is_a_clear_error(value):
    with pytest.raises(ValueError, match="max_list_pages must be a whole number"):
        make_spider(start_urls="http://h/tzgg/", max_list_pages=value)


def test_a_repeated_pager_does_not_use_up_the_list_page_limit():
    """Every TRS list page carries the whole createPageHTML pager: pages already asked for
    are not asked again, and do not count toward the limit."""
    spider = make_spider(start_urls="http://h/xa/xxgk/tzgg/index.html", max_list_pages="3")
    html = fixture_page("trs_list.html")
    first = [r.url for r in spider.parse(respond("http://h/xa/xxgk/tzgg/index.html", html))
             if r.meta["gov"]["role"] == "list"]
    again = [r.url for r in spider.parse(respond("http://h/xa/xxgk/tzgg/index_1.html", html, role="list",
                                                 start="http://h/xa/xxgk/tzgg/index.html"))
             if r.meta["gov"]["role"] == "list"]
    assert first == [f"http://h/xa/xxgk/tzgg/index_{n}.html" for n in (1, 2, 3)]
    assert again == []  # index_1's pager names index_2 and index_3, both asked for already
    assert stat(spider, "yuqing/list_page_limit") == 0
