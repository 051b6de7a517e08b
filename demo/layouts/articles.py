"""Ten article templates for the notices the layouts link to.

Each is written after a kind of detail page seen on real sites: TRS WCM with the guideline
meta tags; an ``ArticleTitle`` whose content holds markup (``A<div>——B</div>``, as some TRS
sites emit for a two-line title); a ``__2007年第23号`` suffix after the title; a meta date that
differs from the date shown under the title; 大汉 JCMS with the 信息公开 index table; a page
with no meta at all; an old ASP table page; a card/blog page with ``<time>``; a WeChat
article; a Zhejiang page with ``#zoom``. Every page has 上一篇/下一篇 links and furniture.
"""

from __future__ import annotations

from demo.layouts import Row
from demo.layouts.chrome import breadcrumb, footer, nav, page

ARTICLE_TEMPLATES = 10

_CLOSURE_BODY = ("为进一步规范政务新媒体管理，集中力量办好政府网站，经研究决定，“某某发布”微信公众号自2024年5月31日起停止更新，"
                 "并启动注销程序。今后相关信息请关注某某区人民政府门户网站。感谢广大网友长期以来的关注和支持！")
_PLAIN_BODY = ("根据工作安排，现将有关事项通知如下：一、请各单位高度重视，认真组织实施，确保各项工作按时完成。"
               "二、各单位要加强统筹协调，明确责任分工，及时报送工作进展情况。三、本通知自发布之日起施行。")


def _body(row: Row) -> list[str]:
    return [_CLOSURE_BODY if row.closure else _PLAIN_BODY, "特此公告。", "某某区人民政府办公室", _cn_date(row.date)]


def _cn_date(date: str) -> str:
    y, m, d = date.split("-")
    return f"{y}年{int(m)}月{int(d)}日"


def _prev_next(root: str, prev: Row | None, nxt: Row | None) -> str:
    parts = []
    if prev is not None:
        parts.append(f'<p>上一篇：<a href="{root}{prev.path}">{prev.title}</a></p>')
    if nxt is not None:
        parts.append(f'<p>下一篇：<a href="{root}{nxt.path}">{nxt.title}</a></p>')
    return f'<div class="prev-next">{"".join(parts)}</div>'


def render_article(template: int, row: Row, root: str, prev: Row | None, nxt: Row | None) -> str:
    t = template % ARTICLE_TEMPLATES
    paras = "".join(f"<p>{p}</p>" for p in _body(row))
    chrome_top = nav(root, t) + breadcrumb(root, "通知公告", f"{root}tzgg/", t)
    around = _prev_next(root, prev, nxt) + footer(root, t)
    meta = (f'<meta name="ArticleTitle" content="{row.title}"><meta name="PubDate" content="{row.date} 09:30">'
            f'<meta name="ContentSource" content="某某区人民政府办公室"><meta name="SiteName" content="某某区人民政府">'
            f'<meta name="ColumnName" content="通知公告">')
    info = f'<div class="info">发布时间：{row.date}　来源：某某区人民政府办公室</div>'
    if t == 0:  # TRS WCM
        body = f'<div class="article"><h1>{row.title}</h1>{info}<div class="TRS_Editor">{paras}</div></div>'
        return page(f"{row.title}_某某区人民政府", meta, chrome_top + body + around)
    if t == 1:  # ArticleTitle with markup in it
        marked = f'{row.title}&lt;div&gt;——某某区政务公开专栏&lt;/div&gt;'
        meta1 = meta.replace(f'content="{row.title}"', f'content="{marked}"')
        body = (f'<div class="article"><h1>{row.title}<div class="sub">——某某区政务公开专栏</div></h1>{info}'
                f'<div class="TRS_Editor">{paras}</div></div>')
        return page(f"{row.title}_某某区人民政府", meta1, chrome_top + body + around)
    if t == 2:  # __2007年第23号 suffix
        body = (f'<div class="article"><h1>{row.title}__2024年第{row.index + 3}号</h1>{info}'
                f'<div class="TRS_Editor">{paras}</div></div>')
        return page(f"{row.title}__2024年第{row.index + 3}号_某某区人民政府", "", chrome_top + body + around)
    if t == 3:  # meta date differs from the visible one (republished, meta is the edit date)
        meta3 = meta.replace(f'content="{row.date} 09:30"', 'content="2024-06-28 17:05"')
        body = f'<div class="article"><h1>{row.title}</h1>{info}<div class="TRS_Editor">{paras}</div></div>'
        return page(f"{row.title}_某某区人民政府", meta3, chrome_top + body + around)
    if t == 4:  # 大汉 JCMS with the 信息公开 index table
        table = (f'<table class="xxgk"><tr><td>索引号：</td><td>11530102MB0000000/2024-00{row.index}</td>'
                 f'<td>发布机构：</td><td>某某区人民政府</td></tr><tr><td>生成日期：</td><td>{row.date}</td>'
                 f'<td>公开方式：</td><td>主动公开</td></tr></table>')
        body = f'{table}<div class="title">{row.title}</div><div id="zoom">{paras}</div>'
        return page(f"{row.title} - 某某区人民政府", meta, chrome_top + body + around)
    if t == 5:  # no meta at all
        body = f'<h1 class="tit">{row.title}</h1><div class="source">来源：某某区人民政府办公室 发布日期：{row.date}</div><div class="con">{paras}</div>'
        return page(f"{row.title}-某某区人民政府", "", chrome_top + body + around)
    if t == 6:  # old ASP table page
        y, m, d = row.date.split("-")
        body = (f'<table width="760" align="center"><tr><td class="title" align="center">{row.title}</td></tr>'
                f'<tr><td align="center">日期：{y}-{int(m)}-{int(d)}　点击：128</td></tr><tr><td class="content">{paras}</td></tr></table>')
        return page(f"{row.title}", "", chrome_top + body + around)
    if t == 7:  # card/blog
        body = (f'<main><article><h1>{row.title}</h1><time datetime="{row.date}">{_cn_date(row.date)}</time>'
                f'<section class="content">{paras}</section></article></main>')
        return page(f"{row.title} | 某某区政务网", "", chrome_top + body + around)
    if t == 8:  # WeChat article on a /mp/s/ path
        body = (f'<div id="img-content"><h1 class="rich_media_title" id="activity-name">{row.title}</h1>'
                f'<span id="js_name">某某发布</span><div class="rich_media_content" id="js_content">{paras}</div></div>'
                f'<script>var ct = "{_epoch(row.date)}";</script>')
        return page(row.title, "", body)
    body = f'<div class="main"><h2 class="art-title">{row.title}</h2>{info}<div id="zoom">{paras}</div></div>'
    return page(f"{row.title}", meta, chrome_top + body + around)


def _epoch(date: str) -> int:
    from datetime import datetime, timedelta, timezone

    moment = datetime.fromisoformat(date).replace(hour=10, tzinfo=timezone(timedelta(hours=8)))
    return int(moment.timestamp())
