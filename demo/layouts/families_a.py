"""Layouts 1-13: TRS WCM, 大汉 JCMS, 集约化, 浙江, 成都, ASP/GBK, card layouts."""

from __future__ import annotations

from demo.layouts.frame import Family, ListContext, cn_date, frame


def _ym(date: str) -> str:
    return date[:4] + date[5:7]


def _ymd(date: str) -> str:
    return date.replace("-", "")


def _trs_script(ctx: ListContext, ext: str = "html") -> str:
    return (f'<script language="JavaScript">var currentPage = {ctx.page_no};var countPage = {ctx.pages};'
            f'createPageHTML({ctx.pages}, {ctx.page_no}, "index", "{ext}");</script>')


# 1. TRS WCM: <ul><li><a title=…>…</a><span>date</span></li>, createPageHTML pager.
def _trs_ul(ctx: ListContext) -> str:
    rows = "".join(f'<li><a href="./{r.path.split("tzgg/", 1)[1]}" target="_blank" title="{r.title}">{r.title[:22]}</a>'
                   f'<span>{r.date}</span></li>' for r in ctx.rows)
    return frame(ctx, f'<div class="list"><ul>{rows}</ul></div><div class="page">{_trs_script(ctx)}</div>')


# 2. TRS, table rows with the date in a sibling <td>, .shtml pager pages.
def _trs_table(ctx: ListContext) -> str:
    rows = "".join(f'<tr><td class="bt"><img src="/images/dot.gif"> <a href="{ctx.href(r)}" target="_blank">{r.title}</a></td>'
                   f'<td class="rq" width="90">{r.date}</td></tr>' for r in ctx.rows)
    return frame(ctx, f'<table class="list_table" width="100%">{rows}</table>{_trs_script(ctx, "shtml")}', sidebar_first=True)


# 3. 大汉 JCMS: records as CDATA in <script type="text/xml">, the rest from dataproxy.jsp.
def _jcms(ctx: ListContext) -> str:
    records = "".join(f'<record><![CDATA[<li><a href="{ctx.href(r)}" target="_blank" title="{r.title}">{r.title}</a>'
                      f'<span class="bt_time">{r.date}</span></li>]]></record>' for r in ctx.rows)
    store = (f'<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="{ctx.root}module/web/jpage/dataproxy.jsp?page=1'
             f'&webid=3&path={ctx.root}&columnid=1229&unitid=5543&webname=某某区&permissiontype=0"></a>]]></nextgroup>'
             f'<recordset>{records}</recordset></datastore></script>')
    script = (f'<script language="javascript">var totalRecord = {ctx.total_rows};var perPage = {max(len(ctx.rows), 1)};'
              f'new Pager({{columnid:1229,unitid:5543,webid:3,totalRecord:{ctx.total_rows},perpage:{len(ctx.rows)}}});</script>')
    return frame(ctx, f'<div id="5543" class="default_pgContainer">{store}{script}</div>')


def _jcms_proxy(ctx: ListContext) -> str:
    records = "".join(f'<record><![CDATA[<li><a href="{ctx.href(r)}" target="_blank" title="{r.title}">{r.title}</a>'
                      f'<span class="bt_time">{r.date}</span></li>]]></record>' for r in ctx.rows)
    return (f'<?xml version="1.0" encoding="utf-8"?><datastore><totalrecord>{ctx.total_rows}</totalrecord>'
            f'<recordset>{records}</recordset></datastore>')


# 4. 集约化 platform: content/post_N.html, numbered pager with 下一页 links.
def _numbered(ctx: ListContext, cls: str = "pagination") -> str:
    links = []
    if ctx.page_no > 0:
        links.append(f'<a href="{ctx.page_href(0)}">首页</a><a href="{ctx.page_href(ctx.page_no - 1)}">上一页</a>')
    for n in range(ctx.pages):
        links.append(f'<span class="current">{n + 1}</span>' if n == ctx.page_no else f'<a href="{ctx.page_href(n)}">{n + 1}</a>')
    if ctx.page_no < ctx.pages - 1:
        links.append(f'<a href="{ctx.page_href(ctx.page_no + 1)}">下一页</a><a href="{ctx.page_href(ctx.pages - 1)}">尾页</a>')
    return f'<div class="{cls}">{"".join(links)}</div>'


def _jiyue(ctx: ListContext) -> str:
    rows = "".join(f'<li><span class="date">{r.date}</span><a href="{ctx.href(r)}" title="{r.title}">{r.title}</a></li>'
                   for r in ctx.rows)
    return frame(ctx, f'<div class="news-list"><ul>{rows}</ul></div>{_numbered(ctx)}')


# 5. 浙江 /art/Y/M/D/art_C_N.html, 第1页/共N页 with pageNum= links.
def _zj(ctx: ListContext) -> str:
    rows = "".join(f'<tr><td><a href="{ctx.href(r)}" target="_blank">{r.title}</a></td><td>[{r.date}]</td></tr>'
                   for r in ctx.rows)
    nxt = (f'<a href="{ctx.page_href(ctx.page_no + 1)}">下页</a>' if ctx.page_no < ctx.pages - 1 else '<span>下页</span>')
    prev = (f'<a href="{ctx.page_href(ctx.page_no - 1)}">上页</a>' if ctx.page_no > 0 else '<span>上页</span>')
    pager = f'<div class="pager">共{ctx.total_rows}条记录 第{ctx.page_no + 1}页/共{ctx.pages}页 {prev} {nxt}</div>'
    return frame(ctx, f'<table class="zj-list">{rows}</table>{pager}')


# 6. 成都 column-index-N.shtml (held out).
def _chengdu(ctx: ListContext) -> str:
    rows = "".join(f'<li class="clearfix"><a href="{ctx.href(r)}" target="_blank">{r.title}</a><i>{r.date}</i></li>'
                   for r in ctx.rows)
    return frame(ctx, f'<div class="list-box"><ul class="news-list">{rows}</ul></div>{_numbered(ctx, "pages")}',
                 sidebar_first=True)


# 7. Old ASP in GBK: show_N.asp rows in a table with · bullets, 第1页/共N页, list.asp?page=N.
def _asp(ctx: ListContext) -> str:
    rows = "".join(f'<tr><td width="15">·</td><td><a href="{ctx.href(r)}" target="_blank">{r.title}</a></td>'
                   f'<td width="100" align="right">{r.date.replace("-", "/")}</td></tr>' for r in ctx.rows)
    nxt = (f'<a href="{ctx.page_href(ctx.page_no + 1)}">下一页</a> <a href="{ctx.page_href(ctx.pages - 1)}">尾页</a>'
           if ctx.page_no < ctx.pages - 1 else "下一页 尾页")
    prev = (f'<a href="{ctx.page_href(0)}">首页</a> <a href="{ctx.page_href(ctx.page_no - 1)}">上一页</a>'
            if ctx.page_no > 0 else "首页 上一页")
    pager = f'<tr><td colspan="3" align="center">第{ctx.page_no + 1}页/共{ctx.pages}页 {prev} {nxt}</td></tr>'
    return frame(ctx, f'<table width="100%" border="0">{rows}{pager}</table>', charset="gb2312")


# 8. Card layout: <article><a><h2>…</h2></a><time>…</time></article>, ?page=N.
def _card_article(ctx: ListContext) -> str:
    cards = "".join(f'<article class="card"><a href="{ctx.href(r)}"><h2>{r.title}</h2></a>'
                    f'<time datetime="{r.date}">{cn_date(r.date)}</time><p>{r.title}，详见正文。</p></article>' for r in ctx.rows)
    nxt = f'<a rel="next" href="{ctx.page_href(ctx.page_no + 1)}">下一页</a>' if ctx.page_no < ctx.pages - 1 else ""
    return frame(ctx, f'<section class="cards">{cards}</section><nav class="pager">{nxt}</nav>')


# 9. Cards as divs, date in a sibling meta div (held out).
def _card_div(ctx: ListContext) -> str:
    cards = "".join(f'<div class="item"><a href="{ctx.href(r)}" class="item-link"><h3>{r.title}</h3>'
                    f'<p class="summary">为做好相关工作，现将有关事项公告如下。</p></a><div class="meta">{r.date}</div></div>'
                    for r in ctx.rows)
    return frame(ctx, f'<div class="items">{cards}</div>{_numbered(ctx, "pg")}')


# 10. 专题 page: blocks of headline links, no pagination.
def _zhuanti(ctx: ListContext) -> str:
    half = max(1, len(ctx.rows) // 2)
    blocks = []
    for name, rows in (("工作部署", ctx.rows[:half]), ("进展情况", ctx.rows[half:])):
        if rows:
            items = "".join(f'<li><a href="{ctx.href(r)}">{r.title}</a></li>' for r in rows)
            blocks.append(f'<div class="zt-block"><div class="zt-title">{name}</div><ul>{items}</ul></div>')
    banner = '<div class="zt-banner"><img src="banner.jpg" alt="政务新媒体规范整合专题"></div>'
    return frame(ctx, banner + "".join(blocks), title="政务新媒体规范整合专题")


# 11. A page of WeChat article links (/mp/s/…), dates in <em>.
def _wechat(ctx: ListContext) -> str:
    rows = "".join(f'<li><a href="{ctx.href(r)}" target="_blank">{r.title}</a><em>{r.date}</em></li>' for r in ctx.rows)
    return frame(ctx, f'<div class="wx-list"><h3>“某某发布”公众号文章</h3><ul>{rows}</ul></div>{_numbered(ctx)}')


# 12. ?pageNo=N with 首页/上一页/下一页/尾页 text links.
def _page_no(ctx: ListContext) -> str:
    rows = "".join(f'<li><a href="{ctx.href(r)}">{r.title}</a><span class="time">{r.date}</span></li>' for r in ctx.rows)
    return frame(ctx, f'<ul class="infoList">{rows}</ul>{_numbered(ctx, "fy")}')


# 13. javascript: pager whose target is computed by a function on the page.
def _js_pager(ctx: ListContext) -> str:
    rows = "".join(f'<li><a href="{ctx.href(r)}">{r.title}</a><span>{r.date}</span></li>' for r in ctx.rows)
    links = []
    for n in range(ctx.pages):
        links.append(f'<a href="javascript:goPage({n + 1})">{n + 1}</a>')
    if ctx.page_no < ctx.pages - 1:
        links.append(f'<a href="javascript:goPage({ctx.page_no + 2})">下一页</a>')
    script = ('<script>function goPage(n){ if(n==1){ window.location.href = "list.html"; } '
              'else { window.location.href = "list_" + n + ".html"; } }</script>')
    return frame(ctx, f'<ul class="list">{rows}</ul><div class="page">{"".join(links)}</div>{script}')


def _trs_pages(name: str, ext: str) -> callable:
    return lambda n: f"tzgg/{name}.{ext}" if n == 0 else f"tzgg/{name}_{n}.{ext}"


FAMILIES_A = [
    Family("trs-ul", "TRS WCM", "ul rows, cut headline with title=, createPageHTML",
           lambda i, d: f"tzgg/{_ym(d)}/t{_ymd(d)}_{100000 + i}.html", _trs_pages("index", "html"), _trs_ul, 0),
    Family("trs-table", "TRS WCM", "table rows, date in a sibling td, .shtml pages",
           lambda i, d: f"xxgk/tzgg/{_ym(d)}/t{_ymd(d)}_{200000 + i}.shtml",
           lambda n: "xxgk/tzgg/index.shtml" if n == 0 else f"xxgk/tzgg/index_{n}.shtml", _trs_table, 1),
    Family("jcms-cdata", "大汉 JCMS", "CDATA records, dataproxy.jsp for the rest",
           lambda i, d: f"art/{d[:4]}/{int(d[5:7])}/{int(d[8:])}/art_1229_{3000 + i}.html",
           lambda n: "col/col1229/index.html" if n == 0 else f"module/web/jpage/dataproxy.jsp?startrecord={20 * n + 1}",
           _jcms, 4, render_later=_jcms_proxy),
    Family("jiyue-post", "集约化平台", "content/post_N.html, numbered pager",
           lambda i, d: f"zwgk/tzgg/content/post_{4000 + i}.html",
           lambda n: "zwgk/tzgg/index.html" if n == 0 else f"zwgk/tzgg/index_{n + 1}.html", _jiyue, 5),
    Family("zj-art", "浙江 政务服务网", "/art/Y/M/D/art_C_N.html, 第1页/共N页, pageNum=",
           lambda i, d: f"art/{d[:4]}/{int(d[5:7])}/{int(d[8:])}/art_1562_{5000 + i}.html",
           lambda n: "col/col1562/index.html" if n == 0 else f"col/col1562/index.html?uid=4818&pageNum={n + 1}", _zj, 9),
    Family("chengdu-shtml", "成都 政府门户", "column-index-N.shtml", 
           lambda i, d: f"cdsrmzf/c147311/{d[:7]}/{d[8:]}/content_{6000 + i}.shtml",
           lambda n: f"cdsrmzf/c147311/column-index-{n + 1}.shtml", _chengdu, 3, held_out=True),
    Family("asp-gbk", "ASP (GBK)", "show_N.asp rows, 第1页/共N页, list.asp?page=N",
           lambda i, d: f"news/show_{700 + i}.asp",
           lambda n: "news/list.asp?classid=12" if n == 0 else f"news/list.asp?classid=12&page={n + 1}", _asp, 6,
           encoding="gbk"),
    Family("card-article", "cards", "<article><a><h2>, <time>, ?page=N",
           lambda i, d: f"notice/{d[:4]}/{8000 + i}.html",
           lambda n: "notice/" if n == 0 else f"notice/?page={n + 1}", _card_article, 7),
    Family("card-div", "cards", "div cards, date in a sibling div", 
           lambda i, d: f"gonggao/{_ymd(d)}/{9000 + i}.html",
           lambda n: "gonggao/index.html" if n == 0 else f"gonggao/index_{n + 1}.html", _card_div, 2, held_out=True),
    Family("zhuanti", "专题", "blocks of undated links, no pager",
           lambda i, d: f"zt/xmtzh/{_ym(d)}/t{_ymd(d)}_{11000 + i}.html",
           lambda n: "zt/xmtzh/index.html", _zhuanti, 0, paged=False),
    Family("wechat-links", "WeChat links", "links to /mp/s/ articles",
           lambda i, d: f"mp/s/WX{12000 + i}aB3dE", 
           lambda n: "wxwz/index.html" if n == 0 else f"wxwz/index_{n + 1}.html", _wechat, 8),
    Family("pageno-query", "JSP portal", "list.jsp?pageNo=N",
           lambda i, d: f"site/info/{_ymd(d)}/{13000 + i}.jhtml",
           lambda n: "site/tzgg/list.jsp" if n == 0 else f"site/tzgg/list.jsp?pageNo={n + 1}", _page_no, 5),
    Family("js-pager", "javascript pager", "javascript:goPage(N) with the URL built in a script",
           lambda i, d: f"tzgg/{_ym(d)}/t{_ymd(d)}_{14000 + i}.html",
           lambda n: "tzgg/list.html" if n == 0 else f"tzgg/list_{n + 1}.html", _js_pager, 0),
]
