"""Field-by-field parsing of Weibo's mobile JSON (crawler/parsing/)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from crawler.parsing import weibo as wb
from crawler.parsing.regions import ip_region
from crawler.parsing.text import MENTION_MASK, fragment_text, html_to_text, is_truncated_preview
from crawler.parsing.times import BEIJING, iso_time, parse_since, parse_weibo_time
from core.schema import pseudonymise

EMOJI = ('<span class="url-icon"><img alt="[允悲]" src="https://h5.sinaimg.cn/m/emoticon/icon/default/d_yunbei.png" '
         'style="width:1em; height:1em;" /></span>')
LINK_CARD = ('<a data-url="http://t.cn/A6abcd" href="https://weibo.cn/sinaurl?u=http%3A%2F%2Fwww.km.gov.cn%2Fc%2F1.shtml">'
             "<span class='url-icon'><img style='width: 1rem;height: 1rem' src='https://h5.sinaimg.cn/card.png'></span>"
             '<span class="surl-text">网页链接</span></a>')
TOPIC = '<a href="https://m.weibo.cn/search?containerid=231522type%3D1"><span class="surl-text">#昆明政务新媒体#</span></a>'


# -- text -----------------------------------------------------------------------------------
def test_emoji_kept_as_alt_text_and_link_icon_dropped():
    parsed = fragment_text(f"早该关了{EMOJI}{EMOJI} 看公告{LINK_CARD}")
    assert parsed.text == "早该关了[允悲][允悲] 看公告网页链接"
    assert parsed.links == ["http://www.km.gov.cn/c/1.shtml"]


def test_topics_kept_and_weibo_links_not_reported_as_outside_links():
    parsed = fragment_text(f"{TOPIC} 今天看到公告")
    assert parsed.text == "#昆明政务新媒体# 今天看到公告"
    assert parsed.links == []


def test_line_breaks_become_newlines_and_spaces_collapse():
    assert html_to_text("第一行<br />第二行<br><br>  第三行\u3000 结束") == "第一行\n第二行\n第三行 结束"


def test_reply_prefix_dropped_and_mentions_masked():
    text = html_to_text("回复<a href='https://m.weibo.cn/n/湘江老王_2871'>@湘江老王_2871</a>:同意 @岛城小鹿_12 你看")
    assert text == f"同意 {MENTION_MASK} 你看"
    assert "湘江老王" not in text and "岛城小鹿" not in text


def test_truncated_preview_tail_removed_and_detected():
    preview = '说点基层的真实情况。我所在的街道...<a href="/status/5031988201746732">全文</a>'
    assert is_truncated_preview(preview)
    assert html_to_text(preview) == "说点基层的真实情况。我所在的街道"
    assert not is_truncated_preview("短微博")


def test_empty_text():
    assert html_to_text(None) == "" and html_to_text("") == ""


# -- times ----------------------------------------------------------------------------------
def test_ctime_format_is_timezone_aware():
    parsed = parse_weibo_time("Sat May 04 10:00:00 +0800 2024")
    assert parsed == datetime(2024, 5, 4, 10, 0, tzinfo=BEIJING)
    assert parsed.utcoffset() == timedelta(hours=8)
    assert iso_time("Sat May 04 10:00:00 +0800 2024") == "2024-05-04T10:00:00+08:00"


@pytest.mark.parametrize("value, expected", [
    ("刚刚", datetime(2024, 6, 10, 12, 30, 15, tzinfo=BEIJING)),
    ("5分钟前", datetime(2024, 6, 10, 12, 25, tzinfo=BEIJING)),
    ("3小时前", datetime(2024, 6, 10, 9, 0, tzinfo=BEIJING)),
    ("今天 08:05", datetime(2024, 6, 10, 8, 5, tzinfo=BEIJING)),
    ("昨天 23:59", datetime(2024, 6, 9, 23, 59, tzinfo=BEIJING)),
    ("05-04", datetime(2024, 5, 4, tzinfo=BEIJING)),
    ("2023-11-20", datetime(2023, 11, 20, tzinfo=BEIJING)),
    ("2024-05-16 10:00:00", datetime(2024, 5, 16, 10, 0, tzinfo=BEIJING)),
    ("2024-05-16T10:00:00+08:00", datetime(2024, 5, 16, 10, 0, tzinfo=BEIJING)),
])
def test_relative_and_short_formats(value, expected):
    now = datetime(2024, 6, 10, 12, 30, 15, tzinfo=BEIJING)
    assert parse_weibo_time(value, now) == expected


@pytest.mark.parametrize("value", [None, "", "上个月", "13-45", "Sat Foo 04 10:00:00 +0800 2024"])
def test_unrecognised_times_are_none(value):
    assert parse_weibo_time(value) is None


def test_since_accepts_dates_and_refuses_typos():
    assert parse_since("2024-05-01") == datetime(2024, 5, 1, tzinfo=BEIJING)
    assert parse_since(None) is None
    with pytest.raises(ValueError, match="2024-13-01"):
        parse_since("2024-13-01")


# -- regions --------------------------------------------------------------------------------
@pytest.mark.parametrize("label, province", [
    ("来自云南", "云南"), ("发布于 云南", "云南"), ("IP属地：湖南", "湖南"), ("来自广西壮族自治区", "广西"),
    ("来自北京市", "北京"), ("来自美国", "美国"), ("来自iPhone客户端", None), ("来自微博 weibo.com", None),
    ("", None), (None, None),
])
def test_ip_region(label, province):
    assert ip_region(label) == province


# -- ids and urls ---------------------------------------------------------------------------
def test_search_url_encodes_the_containerid():
    url = wb.search_url("http://127.0.0.1:1/weibo", "政务新媒体", 3)
    assert url.startswith("http://127.0.0.1:1/weibo/api/container/getIndex?containerid=100103type%3D1%26q%3D")
    assert url.endswith("&page_type=searchall&page=3")
    assert "page=" not in wb.search_url("https://m.weibo.cn", "停更", 1)


def test_hotflow_url_echoes_max_id_and_type():
    assert wb.hotflow_url("B", "1", "1") == "B/comments/hotflow?id=1&mid=1&max_id_type=0"
    assert wb.hotflow_url("B", "1", "1", 99, 1) == "B/comments/hotflow?id=1&mid=1&max_id=99&max_id_type=1"


# -- answers to items -----------------------------------------------------------------------
MBLOG = {
    "id": "5031720448811503", "mid": "5031720448811503", "created_at": "Mon May 06 09:12:00 +0800 2024",
    "text": f"昆明公告{EMOJI}...<a href=\"/status/5031720448811503\">全文</a>", "isLongText": True,
    "user": {"id": 5820137465, "screen_name": "春城观察者_0871"}, "reposts_count": 212,
    "comments_count": "1.2万", "attitudes_count": 1380, "region_name": "发布于 云南",
}


def test_search_page_reads_plain_and_grouped_cards():
    data = {"ok": 1, "data": {"cardlistInfo": {"page": 2}, "cards": [
        {"card_type": 11, "card_group": [{"card_type": 10}, {"card_type": 9, "mblog": {"id": "1"}}]},
        {"card_type": 9, "mblog": {"id": "2"}}, {"card_type": 9, "mblog": None}, {"card_type": 4},
    ]}}
    page = wb.parse_search(data)
    assert [m["id"] for m in page.mblogs] == ["1", "2"]
    assert page.next_page == 2
    assert wb.parse_search({"ok": 1, "data": {"cardlistInfo": {"page": None}, "cards": []}}).next_page is None


def test_post_item_uses_full_text_and_hashes_the_author():
    post = wb.post_item(MBLOG, "https://m.weibo.cn", "salt", full_html=f"昆明公告全文很长{EMOJI}", keyword="停更")
    assert post.id == "weibo:5031720448811503"
    assert post.url == "https://m.weibo.cn/detail/5031720448811503"
    assert post.text == "昆明公告全文很长[允悲]"
    assert post.created_at == "2024-05-06T09:12:00+08:00"
    assert post.region == "云南"
    assert (post.reposts, post.likes, post.comments_reported) == (212, 1380, 12000)
    assert post.author_hash == pseudonymise("weibo", 5820137465, "salt")
    assert "5820137465" not in repr(post) and "春城观察者" not in repr(post)


def test_comment_item_fields():
    row = {"id": 5031720448812510, "created_at": "Tue May 07 08:00:00 +0800 2024", "text": f"早该关了{EMOJI}",
           "like_count": 17, "source": "来自云南", "user": {"id": 123, "screen_name": "某人_1"}}
    item = wb.comment_item(row, "weibo:1", "salt", reply_to="weibo:9")
    assert (item.id, item.post_id, item.reply_to) == ("weibo:5031720448812510", "weibo:1", "weibo:9")
    assert item.text == "早该关了[允悲]"
    assert item.created_at == "2024-05-07T08:00:00+08:00"
    assert (item.likes, item.author_region) == (17, "云南")
    assert item.author_hash == pseudonymise("weibo", 123, "salt")


def test_deleted_user_has_no_author_hash():
    assert wb.comment_item({"id": 1, "text": "x", "user": None}, "weibo:1", "s").author_hash is None


def test_hotflow_and_child_pages():
    page = wb.parse_hotflow({"ok": 1, "data": {"data": [{"id": 1}, "junk"], "max_id": 77, "max_id_type": 1,
                                               "total_number": 40}})
    assert (len(page.comments), page.max_id, page.max_id_type, page.total_number) == (1, 77, 1, 40)
    child = wb.parse_child({"ok": 1, "data": [{"id": 2}], "max_id": 0, "total_number": 7})
    assert (len(child.comments), child.max_id, child.total_number) == (1, 0, 7)
    assert wb.long_text({"ok": 1, "data": {"longTextContent": "全文"}}) == "全文"
    assert wb.long_text({"ok": 1, "data": {"longTextContent": " "}}) is None


def test_inline_replies_and_reply_count():
    assert wb.inline_replies({"comments": False}) == []
    assert wb.inline_replies({"comments": [{"id": 1}, None]}) == [{"id": 1}]
    assert wb.reply_count({"total_number": "3"}) == 3
