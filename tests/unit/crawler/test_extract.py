"""Article extraction on Chinese government pages: titles, dates, issuers, main text."""

from __future__ import annotations

import logging

import pytest

from crawler.extraction import ExtractionError, extract_article
from crawler.extraction.article import without_heading
from crawler.extraction.encoding import decode_page
from crawler.extraction.dates import epoch_to_iso, labelled_date, last_date, parse_date
from crawler.extraction.titles import strip_site_suffix
from demo.sites import gov_sites, load_expected

from .helpers import WEB, BodyCheck, check_body, fixture_page, html_response

TRS_URL = "http://www.kmwh.gov.cn/zwgk/tzgg/202405/t20240510_123.html"


# -- dates ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, iso", [
    ("2024年5月10日", "2024-05-10"),
    ("2024 年 05 月 10 日", "2024-05-10"),
    ("2024-05-10", "2024-05-10"),
    ("2024/5/10", "2024-05-10"),
    ("2024.05.10", "2024-05-10"),
    ("2024-05-10 09:30", "2024-05-10T09:30:00+08:00"),
    ("2024-05-10 09:30:59", "2024-05-10T09:30:00+08:00"),
    ("2024年5月10日 14:05", "2024-05-10T14:05:00+08:00"),
    ("2024年5月10日14时05分", "2024-05-10T14:05:00+08:00"),
])
def test_every_date_form_is_read(rules, text, iso):
    assert parse_date(f"……{text}……", rules.dates) == iso


def test_impossible_dates_are_not_dates(rules):
    assert parse_date("编号2024年13月40日", rules.dates) is None
    assert parse_date("文号 2024-02-30", rules.dates) is None


@pytest.mark.parametrize("line, iso", [
    ("发布时间：2024-05-10 09:30　来源：五华区", "2024-05-10T09:30:00+08:00"),
    ("发布日期：2024年5月10日", "2024-05-10"),
    ("作者：佚名 来源：区政府办 日期：2024/5/8", "2024-05-08"),
    ("时间: 2024-05-07", "2024-05-07"),
    ("【发布时间】2024-05-06", "2024-05-06"),
])
def test_labelled_dates(rules, line, iso):
    assert labelled_date(f"今天是2024年6月1日 星期六\n{line}", rules.dates) == iso


def test_a_label_without_a_date_is_skipped(rules):
    text = "办公时间：周一至周五\n发布时间：2024-05-10"
    assert labelled_date(text, rules.dates) == "2024-05-10"


def test_the_signature_date_is_the_last_one(rules):
    body = "自2024年5月15日起停止更新，2024年6月15日注销。\n某某办公室\n2024年5月10日"
    assert last_date(body, rules.dates) == "2024-05-10"


def test_wechat_epoch_is_beijing_time(rules):
    assert epoch_to_iso(1716798600, rules.dates) == "2024-05-27T16:30:00+08:00"


# -- titles -----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, title", [
    ("关于“五华发布”停止更新的公告_昆明市五华区人民政府", "关于“五华发布”停止更新的公告"),
    ("关于“雨花发布”停止更新的公告-长沙市人民政府网", "关于“雨花发布”停止更新的公告"),
    ("关于注销微博的公告_通知公告_西安市人民政府", "关于注销微博的公告"),
    ("关于注销微博的公告 | 青岛政务网", "关于注销微博的公告"),
    ("关于注销微博的公告 - 长沙市岳麓区人民政府", "关于注销微博的公告"),
    ("2024-2025年度政务新媒体工作要点", "2024-2025年度政务新媒体工作要点"),
    ("关于“某某发布”微博停止更新的说明", "关于“某某发布”微博停止更新的说明"),
])
def test_site_suffix_is_stripped(rules, raw, title):
    assert strip_site_suffix(raw, rules.titles) == title


def test_suffix_equal_to_the_pages_own_site_name_is_stripped(rules):
    assert strip_site_suffix("关于注销账号的公告_锦江区", rules.titles, ("锦江区",)) == "关于注销账号的公告"


# -- whole pages --------------------------------------------------------------------------------

def test_meta_tags_win_over_the_page(rules):
    article = extract_article(fixture_page("trs_detail.html"), TRS_URL, rules)
    assert article.title == "关于“五华发布”微信公众号停止更新的公告"
    assert article.published_at == "2024-05-10T09:30:00+08:00" and article.date_source == "meta"
    assert article.column == "通知公告" and article.site_name == "昆明市五华区人民政府"


def test_signature_is_the_issuer_before_content_source(rules):
    article = extract_article(fixture_page("trs_detail.html"), TRS_URL, rules)
    assert (article.issuer, article.issuer_source) == ("昆明市五华区人民政府办公室", "signature")


def test_content_source_when_there_is_no_signature(rules):
    html = fixture_page("trs_detail.html").replace('<p style="text-align:right">昆明市五华区人民政府办公室</p>', "")
    article = extract_article(html, TRS_URL, rules)
    assert (article.issuer, article.issuer_source) == ("五华区融媒体中心", "meta")


def test_site_name_is_the_last_resort_issuer(rules):
    html = (fixture_page("trs_detail.html").replace('<p style="text-align:right">昆明市五华区人民政府办公室</p>', "")
            .replace('<meta name="ContentSource" content="五华区融媒体中心">', "")
            .replace("来源：五华区融媒体中心", ""))
    article = extract_article(html, TRS_URL, rules)
    assert (article.issuer, article.issuer_source) == ("昆明市五华区人民政府", "site_name")


def test_body_leaves_out_navigation_sidebar_and_footer(rules):
    body = extract_article(fixture_page("trs_detail.html"), TRS_URL, rules).body
    assert "停止更新" in body and "2024年5月10日" in body
    for chrome in ("当前位置", "热点专题", "网站标识码", "打印本页", "字号", "首页"):
        assert chrome not in body


def test_body_leaves_out_the_information_index_table_and_the_repeated_title(rules):
    article = extract_article(fixture_page("jcms_detail.html"), "http://www.changsha.gov.cn/art/2024/5/10/art_1.html", rules)
    assert "索引号" not in article.body and "公开方式" not in article.body
    assert not article.body.startswith(article.title)
    assert "停止更新" in article.body


def test_only_a_first_line_that_is_the_title_is_dropped():
    assert without_heading("关于“某某发布”停止更新的公告\n正文。", ("关于“某某发布”停止更新的公告",)) == "正文。"
    assert without_heading("关于 “某某发布” 停止更新的公告\n正文。", ("关于“某某发布”停止更新的公告",)) == "正文。"
    kept = "关于“某某发布”停止更新的公告，现说明如下：\n正文。"
    assert without_heading(kept, ("关于“某某发布”停止更新的公告",)) == kept
    assert without_heading("正文。", ("",)) == "正文。"


def test_trafilatura_finding_nothing_in_one_mode_is_not_a_warning(rules, caplog):
    # Precision mode finds no text in the old table layout; the default mode does. Handled,
    # so not worth a WARNING in a crawl's log and stats.
    with caplog.at_level(logging.DEBUG):
        article = extract_article(fixture_page("asp_detail_gbk.html"), "http://www.yuelu.gov.cn/ShowArticle.asp?ArticleID=9", rules)
    assert "停止更新" in article.body
    assert not [r for r in caplog.records if r.name.startswith("trafilatura") and r.levelno >= logging.WARNING]


def test_page_without_meta_tags_uses_labels_and_title_suffix(rules):
    article = extract_article(fixture_page("jcms_detail.html"), "http://www.changsha.gov.cn/art/2024/5/10/art_1.html", rules)
    assert article.title == "关于“雨花发布”抖音号停止更新的公告"
    assert (article.published_at, article.date_source) == ("2024-05-10", "label")
    assert (article.issuer, article.issuer_source) == ("长沙市雨花区委宣传部", "label")
    assert "相关文章" not in article.body and "主办单位" not in article.body


def test_old_table_layout_keeps_only_the_notice(rules):
    article = extract_article(fixture_page("asp_detail_gbk.html"), "http://www.yuelu.gov.cn/ShowArticle.asp?ArticleID=9", rules)
    assert article.title == "岳麓区关于“岳麓教育”微信公众号停止更新的公告"
    assert article.published_at == "2024-05-08"
    assert article.issuer == "长沙市岳麓区教育局"
    assert "停止更新" in article.body
    for chrome in ("停水通知", "相关文章", "您现在的位置", "湘ICP备", "点击数"):
        assert chrome not in article.body


def test_wechat_article_page(rules):
    article = extract_article(fixture_page("wechat.html"), "https://mp.weixin.qq.com/s/AbCdEf123", rules)
    assert article.wechat
    assert article.title == "告别，是为了更好地出发"
    assert (article.published_at, article.date_source) == ("2024-05-27T16:30:00+08:00", "wechat")
    assert article.body.startswith("亲爱的粉丝朋友们：") and "停止更新" in article.body
    assert "阅读原文" not in article.body
    assert (article.issuer, article.issuer_source) == ("雁塔教育", "wechat_account")


def test_wechat_page_served_elsewhere_is_recognised_by_its_markup(rules):
    article = extract_article(fixture_page("wechat.html"), "http://127.0.0.1:8765/mirror/article.html", rules)
    assert article.wechat and article.date_source == "wechat"


def test_page_stating_no_date_has_none(rules):
    article = extract_article(fixture_page("no_date.html"), "http://example.gov.cn/a.html", rules)
    assert article.published_at is None and article.date_source is None
    assert article.title == "关于“某某发布”微博停止更新的说明"


def test_date_in_url_is_used_when_the_page_states_none(rules):
    article = extract_article(fixture_page("no_date.html"), "http://example.gov.cn/2024/05/10/a.html", rules)
    assert (article.published_at, article.date_source) == ("2024-05-10", "htmldate")


@pytest.mark.parametrize("html", ["", "   \n", "\x00\x01\x02binary"])
def test_empty_and_binary_pages_raise_a_clear_error(rules, html):
    with pytest.raises(ExtractionError):
        extract_article(html, "http://example.gov.cn/x.html", rules)


def test_broken_html_is_repaired_not_fatal(rules):
    html = "<html><head><title>关于注销微博的公告_某某区人民政府</title><body><div><p>“某某发布”微博停止更新。<p>特此公告<table><tr><td>"
    article = extract_article(html, "http://example.gov.cn/x.html", rules)
    assert article.title == "关于注销微博的公告"


# -- encodings ------------------------------------------------------------------------------------

def test_gbk_page_without_charset_header_decodes_from_its_meta_tag(rules):
    html = fixture_page("asp_detail_gbk.html")
    response = html_response("http://www.yuelu.gov.cn/ShowArticle.asp?ArticleID=9", html, encoding="gbk",
                             content_type="text/html")
    assert response.encoding in ("gb18030", "gbk", "gb2312")
    article = extract_article(response.text, response.url, rules)
    assert article.title == "岳麓区关于“岳麓教育”微信公众号停止更新的公告"
    assert "“岳麓教育”微信公众号自即日起停止更新" in article.body


def test_offline_web_gbk_site_pages_decode(rules):
    site = next(s for s in gov_sites() if s.encoding == "gbk")
    entry = next(e for e in load_expected(site.id) if e.closure)
    page_id = entry.path.rsplit("=", 1)[-1]
    source = (site.root / "_asp" / f"article_{page_id}.html").read_text(encoding="utf-8")
    response = html_response(f"http://127.0.0.1{entry.path}", source, encoding=site.encoding,
                             content_type=site.content_type())
    article = extract_article(response.text, response.url, rules)
    assert article.title == entry.title
    assert article.issuer == entry.issuer
    assert (article.published_at or "")[:10] == entry.published_at[:10]


def test_offline_web_saved_pages_match_their_gold_values(rules):
    """Every static detail page of the offline web (not the ASP ones, served by an app)."""
    checked = 0
    for site in gov_sites():
        for entry in load_expected(site.id):
            file = WEB / entry.path.lstrip("/")
            if file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                continue
            article = extract_article(file.read_text(encoding="utf-8"), f"http://127.0.0.1{entry.path}", rules)
            assert article.title == entry.title, entry.path
            assert article.issuer == entry.issuer, entry.path
            assert (article.published_at or "")[:10] == entry.published_at[:10], entry.path
            # The whole notice and nothing else: no sidebar, footer, info line, index table or
            # repeated title, and no paragraph lost.
            assert check_body(article.body, entry.body) == BodyCheck([], []), entry.path
            checked += 1
    assert checked >= 20


@pytest.mark.parametrize("header", ["text/html; charset=utf-8", "text/html; charset=iso-8859-1"])
def test_gbk_page_sent_with_a_wrong_charset_header_is_decoded_again(rules, header):
    """nginx in front of an old GBK site adds "charset=utf-8": Scrapy believes the header."""
    html = fixture_page("asp_detail_gbk.html")
    response = html_response("http://www.yuelu.gov.cn/ShowArticle.asp?ArticleID=9", html, encoding="gbk",
                             content_type=header)
    decoded = decode_page(response.body, response.text, response.encoding)
    assert decoded.recoded and decoded.encoding == "gb18030"
    assert "\ufffd" not in decoded.text
    assert extract_article(decoded.text, response.url, rules).title == "岳麓区关于“岳麓教育”微信公众号停止更新的公告"


def test_a_right_header_or_a_stray_bad_byte_is_left_alone():
    body = "<html><body><p>关于“某某发布”停止更新的公告</p></body></html>".encode("utf-8")
    clean = decode_page(body, body.decode("utf-8"), "utf-8")
    assert not clean.recoded and clean.text == body.decode("utf-8")
    damaged = body.replace("公告".encode("utf-8"), b"\xff\xfe")
    text = damaged.decode("utf-8", "replace")
    kept = decode_page(damaged, text, "utf-8")
    assert not kept.recoded and kept.text == text



def test_a_page_whose_meta_says_gbk_is_read_as_gb18030_whatever_w3lib_resolves():
    """GB18030 is GBK's superset (browsers decode GBK with it); w3lib before 2.6 resolved gbk to
    it, 2.6 to gbk, whose codec fails on GB18030's four-byte characters (U+20000 in a name)."""
    title = "关于“𠀀家发布”微信公众号停止更新的公告"
    html = (f'<html><head><meta charset="gbk"><title>{title}</title></head><body><h1>{title}</h1>'
            "<p>自即日起停止更新，相关信息请关注“某某发布”。</p></body></html>")
    response = html_response("http://www.example.gov.cn/a.html", html, encoding="gb18030",
                             content_type="text/html; charset=utf-8")
    decoded = decode_page(response.body, response.text, response.encoding)
    assert decoded.recoded and decoded.encoding == "gb18030" and "𠀀家发布" in decoded.text
