"""The government sites against their gold data: every listed page reachable, every page listed,
values on the page as the gold says, encodings on the wire as old sites send them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from parsel import Selector

from demo.sites import ACTIONS, PLATFORMS, GovSite, all_expected, gov_sites, load_expected
from tests.demo.conftest import fetch
from tests.demo.walk import detail_paths

ROBOTS_DISALLOWED = "/gov/kunming/internal/"
SITES = gov_sites()


def _get(web, path_or_url: str) -> bytes:
    url = path_or_url if path_or_url.startswith("http") else web.url(path_or_url)
    page = fetch(url)
    assert page.status == 200, url
    return page.body


@pytest.fixture(scope="module")
def walked(web):
    return {site.id: detail_paths(site, web.base_url, lambda url: _get(web, url)) for site in SITES}


def test_corpus_is_large_and_varied():
    entries = all_expected()
    closures = [e for e in entries if e.closure]
    assert len(closures) >= 36
    assert len(entries) - len(closures) >= 14
    assert len({e.city for e in closures}) >= 9
    assert {"昆明市", "长沙市", "西安市", "青岛市", "苏州市", "南京市"} <= {e.city for e in closures}
    assert any(e.district == "张家港市" and e.city == "苏州市" and e.province == "江苏省" for e in closures)
    assert len({e.district for e in closures if e.district}) >= 8
    assert {s.style for s in SITES} == {"trs", "jcms", "asp"}
    assert any(e.path.startswith("/mp/s/") for e in closures)
    assert {a.action for e in closures for a in e.accounts} == set(ACTIONS)


@pytest.mark.parametrize("site", SITES, ids=lambda s: s.id)
def test_every_listed_page_is_gold_and_every_gold_page_is_listed(site: GovSite, walked):
    linked, pages = walked[site.id]
    assert len(pages) >= 2, "every site paginates"
    gold = {e.path for e in load_expected(site.id)}
    assert linked - {p for p in linked if p.startswith(ROBOTS_DISALLOWED)} == gold
    assert len(gold) == len(load_expected(site.id)), "a path is listed twice in expected.yaml"


@pytest.mark.parametrize("site", SITES, ids=lambda s: s.id)
def test_gold_entries_are_well_formed(site: GovSite):
    for e in load_expected(site.id):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", e.published_at), e.path
        assert set(e.platforms) <= set(PLATFORMS), e.path
        assert e.province.endswith("省") and e.city.endswith("市"), e.path
        assert e.closure == bool(e.accounts), e.path
        for a in e.accounts:
            assert a.action in ACTIONS and a.platform in e.platforms, e.path
            assert a.effective_date is None or a.effective_date >= e.published_at, e.path


def _text(sel: Selector) -> str:
    return "".join(sel.xpath("//body//text()").getall())


@pytest.mark.parametrize("site", SITES, ids=lambda s: s.id)
def test_pages_show_what_the_gold_says(web, site: GovSite):
    for e in load_expected(site.id):
        raw = _get(web, e.path)
        y, m, d = (int(x) for x in e.published_at.split("-"))
        if e.path.startswith("/mp/s/"):
            sel = Selector(text=raw.decode("utf-8"))
            assert sel.css("#activity-name::text").get().strip() == e.title
            assert sel.css("#js_name::text").get().strip()
            ct = int(re.search(r'var ct = "(\d+)"', raw.decode("utf-8")).group(1))
            when = datetime.fromtimestamp(ct, timezone(timedelta(hours=8)))
            assert when.date().isoformat() == e.published_at
        else:
            html = raw.decode(site.encoding)
            sel = Selector(text=html)
            title = sel.css("title::text").get()
            if site.style == "jcms":
                assert title == f"{e.title} - {site.name}"
            else:
                assert title == f"{e.title}_{site.name}"
            if site.style == "trs":
                assert sel.css('meta[name="ArticleTitle"]::attr(content)').get() == e.title
                assert sel.css('meta[name="PubDate"]::attr(content)').get().startswith(e.published_at)
                assert re.search(rf"发布时间：{e.published_at} \d\d:\d\d", _text(sel))
            elif site.style == "jcms":
                assert f"日期：{e.published_at}" in _text(sel)
            else:
                assert not sel.css("meta[name]"), "old ASP pages carry no guideline meta tags"
                assert f"更新时间：{y}年{m}月{d}日" in _text(sel)
        assert e.issuer in raw.decode("utf-8" if e.path.startswith("/mp/") else site.encoding), e.path
        for account in e.accounts:
            assert account.name in raw.decode("utf-8" if e.path.startswith("/mp/") else site.encoding)


@pytest.mark.parametrize("site", [s for s in SITES if s.encoding != "utf-8"], ids=lambda s: s.id)
def test_gbk_sites_send_gbk_bytes_declared_in_the_page(web, site: GovSite):
    for e in load_expected(site.id)[:3] + [None]:
        page = fetch(web.url(e.path if e else site.list_path))
        assert page.status == 200
        # Like IIS 6: no charset in the header; the page's <meta http-equiv> names it.
        assert page.headers["Content-Type"] == "text/html"
        assert b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' in page.body
        with pytest.raises(UnicodeDecodeError):
            page.body.decode("utf-8")
        text = page.body.decode("gb2312")  # the declared charset decodes it strictly
        assert site.name in text
        if e:
            assert e.title in text


def test_utf8_sites_declare_utf8(web):
    page = fetch(web.url("/gov/nanjing/col/col1465/index.html"))
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "南京市人民政府" in page.body.decode("utf-8")


def test_dates_appear_in_the_three_written_forms(web):
    trs = _get(web, load_expected("kunming")[1].path).decode("utf-8")
    jcms = _get(web, load_expected("nanjing")[0].path).decode("utf-8")
    asp = _get(web, load_expected("yuelu")[0].path).decode("gbk")
    assert re.search(r"发布时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}", trs)
    assert re.search(r"日期：\d{4}-\d{2}-\d{2}", jcms)
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", asp)


def test_pages_carry_breadcrumbs_sidebars_and_footers(web):
    for site in SITES:
        e = next(x for x in load_expected(site.id) if not x.path.startswith("/mp/"))
        text = _get(web, e.path).decode(site.encoding)
        assert "位置：" in text, site.id
        assert "网站标识码" in text and "ICP备" in text and "公网安备" in text, site.id
        # Sidebars repeat other notices' titles: an extractor must not take them for the body.
        others = [x.title for x in load_expected(site.id) if x.path != e.path and not x.path.startswith("/mp/")]
        assert any(t in text for t in others), site.id


@pytest.mark.parametrize("site", SITES, ids=lambda s: s.id)
def test_home_page_declares_the_charset_it_is_sent_in(web, site: GovSite):
    page = fetch(web.url(site.url_prefix))
    assert page.status == 200
    declared = re.search(rb'charset="?([\w-]+)', page.body).group(1).decode()
    assert site.name in page.body.decode(declared)
    assert f'href="{site.list_path}"' in page.body.decode(declared)
