"""Which links of a list page are notices (crawler/extraction/links.py): each negative and
each positive on a small page, and the rule each decision names."""

from __future__ import annotations

from crawler.extraction import list_signals, parse_html

URL = "http://h/site/tzgg/index.html"
HEADLINE = "关于做好2024年防汛抗旱工作的通知"


def _decisions(body: str, rules) -> dict[str, tuple[bool, str, tuple[str, ...]]]:
    s = list_signals(parse_html(f"<html><body>{body}</body></html>"), URL, rules)
    return {link.url.rsplit("/", 1)[-1]: (link.follow, link.rule, link.signals) for link in s.links
            if link.kind == "headline"}


def test_furniture_is_turned_down_by_the_region_it_sits_in(rules):
    d = _decisions(
        f'<div class="nav"><a href="/site/a1/t20240510_1.html">{HEADLINE}</a></div>'
        f'<div class="crumb">当前位置：<a href="/site/a2/t20240510_2.html">{HEADLINE}</a></div>'
        f'<footer><a href="/site/a3/t20240510_3.html">{HEADLINE}</a></footer>'
        f'<div><h3>友情链接</h3><ul><li><a href="/site/a4/t20240510_4.html">{HEADLINE}</a></li></ul></div>'
        f'<div class="col"><div>热点信息</div><ul><li><a href="/site/a5/t20240510_5.html">{HEADLINE}</a> 2024-05-10</li></ul></div>'
        f'<p>上一篇：<a href="/site/a6/t20240510_6.html">{HEADLINE}</a></p>', rules)
    assert d["t20240510_1.html"][:2] == (False, "region:nav")
    assert d["t20240510_2.html"][:2] == (False, "region:breadcrumb")
    assert d["t20240510_3.html"][:2] == (False, "region:footer")
    assert d["t20240510_4.html"][:2] == (False, "region:friends")
    assert d["t20240510_5.html"][:2] == (False, "region:sidebar")
    assert d["t20240510_6.html"][:2] == (False, "prev_next")


def test_each_positive_alone_is_enough(rules):
    d = _decisions(
        # a date in a sibling element (card layout), plain URL
        f'<div class="main"><article><a href="/site/n/a.html"><h2>{HEADLINE}</h2></a><time>2024-05-10</time></article>'
        # an article-shaped URL, no date, not in a group
        f'<p><a href="/site/art/2024/5/10/art_1229_3.html">{HEADLINE}</a></p>'
        # neither date nor URL shape: only the largest repeated group
        f'<ul><li><a href="/site/n/b.html">{HEADLINE}</a></li><li><a href="/site/n/c.html">{HEADLINE}一</a></li>'
        f'<li><a href="/site/n/d.html">{HEADLINE}二</a></li></ul>'
        # none of them
        f'<span><a href="/site/n/e.html">{HEADLINE}三</a></span></div>', rules)
    assert d["a.html"] == (True, "signals", ("date",))
    assert d["art_1229_3.html"] == (True, "signals", ("url_shape",))
    assert d["b.html"] == (True, "signals", ("main_group",))
    assert d["e.html"] == (False, "no_signal", ())


def test_a_sidebar_of_five_does_not_outvote_a_list_of_one(rules):
    side = "".join(f'<li><a href="/site/x/{n}.html">{HEADLINE}{n}</a></li>' for n in range(5))
    d = _decisions(f'<div class="list"><ul><li><a href="/site/n/only.html">{HEADLINE}</a></li></ul></div>'
                   f'<aside><ul>{side}</ul></aside>', rules)
    assert d["only.html"][0] is False  # no date, no URL shape, no group: nothing says notice
    assert all(d[f"{n}.html"][1] == "region:sidebar" for n in range(5))
