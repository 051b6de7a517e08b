"""Layouts 14-26: 博达 VSB, dl/div rows, 信息公开目录 tables, badge dates, image lists, ASP
ArticleShow, summaries under every row."""

from __future__ import annotations

from demo.layouts.families_a import _numbered, _ym, _ymd
from demo.layouts.frame import Family, ListContext, cn_date, frame


# 14. 博达 VSB: tzgg.htm then tzgg/1.htm (numbered backwards), no dates at all (held out).
def _vsb(ctx: ListContext) -> str:
    rows = "".join(f'<li id="line_u8_{k}"><a href="{ctx.href(r)}" target="_blank" title="{r.title}">{r.title}</a></li>'
                   for k, r in enumerate(ctx.rows))
    pager = f'<td>共{ctx.total_rows}条&nbsp;&nbsp;{ctx.page_no + 1}/{ctx.pages}&nbsp;'
    if ctx.page_no < ctx.pages - 1:
        pager += f'<a href="{ctx.page_href(ctx.page_no + 1)}" class="Next">下页</a> <a href="{ctx.page_href(ctx.pages - 1)}" class="Next">尾页</a>'
    if ctx.page_no > 0:
        pager += f'<a href="{ctx.page_href(0)}" class="Prev">首页</a> <a href="{ctx.page_href(ctx.page_no - 1)}" class="Prev">上页</a>'
    return frame(ctx, f'<div class="list_u8"><ul>{rows}</ul></div><table class="pb_sys_common"><tr>{pager}</td></tr></table>')


# 15. <dl><dt><a/></dt><dd>date</dd></dl> per row.
def _dl(ctx: ListContext) -> str:
    rows = "".join(f'<dl><dt><a href="{ctx.href(r)}">{r.title}</a></dt><dd>{r.date}</dd></dl>' for r in ctx.rows)
    return frame(ctx, f'<div class="dl-list">{rows}</div>{_numbered(ctx, "page")}', sidebar_first=True)


# 16. div rows with spans: title and [date].
def _div_rows(ctx: ListContext) -> str:
    rows = "".join(f'<div class="row"><span class="title"><a href="{ctx.href(r)}">{r.title}</a></span>'
                   f'<span class="date">[{r.date}]</span></div>' for r in ctx.rows)
    return frame(ctx, f'<div class="rows">{rows}</div>{_numbered(ctx, "pages")}')


# 17. 信息公开目录 table: header row, 索引号 | 名称 | 文号 | 发布日期 (held out).
def _gkml(ctx: ListContext) -> str:
    head = '<tr><th>索引号</th><th>名称</th><th>文号</th><th>发布日期</th></tr>'
    rows = "".join(f'<tr><td>11530102MB0000000/2024-{r.index:05d}</td><td class="mc"><a href="{ctx.href(r)}" '
                   f'title="{r.title}">{r.title}</a></td><td>某政办通〔2024〕{r.index + 1}号</td><td>{r.date}</td></tr>'
                   for r in ctx.rows)
    nxt = f'<a href="{ctx.page_href(ctx.page_no + 1)}">下一页</a>' if ctx.page_no < ctx.pages - 1 else ""
    prv = f'<a href="{ctx.page_href(ctx.page_no - 1)}">上一页</a>' if ctx.page_no > 0 else ""
    return frame(ctx, f'<table class="gkml">{head}{rows}</table><div class="fy">{prv}{nxt}</div>', title="政府信息公开目录")


# 18. Bootstrap list-group, dates without a year ("05-10") (held out).
def _badge(ctx: ListContext) -> str:
    rows = "".join(f'<li class="list-group-item"><a href="{ctx.href(r)}">{r.title}</a>'
                   f'<span class="badge pull-right">{r.date[5:]}</span></li>' for r in ctx.rows)
    nxt = (f'<li><a href="{ctx.page_href(ctx.page_no + 1)}" aria-label="Next">&raquo;</a></li>'
           if ctx.page_no < ctx.pages - 1 else "")
    return frame(ctx, f'<ul class="list-group">{rows}</ul><ul class="pagination">{nxt}</ul>')


# 19. Date inside the anchor text: 关于…的公告（2024年5月10日）.
def _ol_datetext(ctx: ListContext) -> str:
    rows = "".join(f'<li><a href="{ctx.href(r)}">{r.title}（{cn_date(r.date)}）</a></li>' for r in ctx.rows)
    return frame(ctx, f'<ol class="notice">{rows}</ol>{_numbered(ctx)}')


# 20. Old ASP nested tables: ArticleShow.asp?ArticleID=N, [1] [2] pager.
def _asp_nested(ctx: ListContext) -> str:
    rows = "".join(f'<tr><td><table width="100%"><tr><td width="10"><img src="/images/arrow.gif"></td>'
                   f'<td><a href="{ctx.href(r)}" target="_blank">{r.title}</a></td>'
                   f'<td width="80"><font color="#999999">{r.date.replace("-", "/")}</font></td></tr></table></td></tr>'
                   for r in ctx.rows)
    nums = " ".join(f"[{n + 1}]" if n == ctx.page_no else f'<a href="{ctx.page_href(n)}">[{n + 1}]</a>'
                    for n in range(ctx.pages))
    pager = f'<tr><td align="center">第{ctx.page_no + 1}页 共{ctx.pages}页 {nums}</td></tr>'
    return frame(ctx, f'<table width="100%" cellpadding="0">{rows}{pager}</table>')


# 21. gov.cn-like boxes: <h4><a/><span class="date"/></h4>, 下一页 link to index_1.htm.
def _h4_box(ctx: ListContext) -> str:
    rows = "".join(f'<h4><a href="{ctx.href(r)}" target="_blank">{r.title}</a><span class="date">{r.date}</span></h4>'
                   for r in ctx.rows)
    nxt = f'<a href="{ctx.page_href(ctx.page_no + 1)}">下一页</a>' if ctx.page_no < ctx.pages - 1 else ""
    return frame(ctx, f'<div class="news_box">{rows}</div><div class="page">{nxt}</div>', sidebar_first=True)


# 22. A table with a column-tag link before the title: [通知] | title | date.
def _tagged_table(ctx: ListContext) -> str:
    head = '<tr><th>栏目</th><th>标题</th><th>发布日期</th></tr>'
    rows = "".join(f'<tr><td><a href="{ctx.root}tzgg/">[通知]</a></td><td><a href="{ctx.href(r)}">{r.title}</a></td>'
                   f'<td>{r.date}</td></tr>' for r in ctx.rows)
    return frame(ctx, f'<table class="tab">{head}{rows}</table>{_numbered(ctx)}')


# 23. Image + text rows: an image link without text and a title link to the same notice.
def _img_list(ctx: ListContext) -> str:
    rows = "".join(f'<li><a href="{ctx.href(r)}" class="pic"><img src="/images/n{r.index}.jpg"></a><div class="txt">'
                   f'<a href="{ctx.href(r)}">{r.title}</a><p>为做好相关工作，现将有关事项公告如下。</p>'
                   f'<span>{r.date}</span></div></li>' for r in ctx.rows)
    return frame(ctx, f'<ul class="imglist">{rows}</ul>{_numbered(ctx)}')


# 24. Date first, then a short column link, then the headline.
def _dated_prefix(ctx: ListContext) -> str:
    rows = "".join(f'<li><span class="d">{r.date}</span> <a class="lm" href="{ctx.root}tzgg/">[公告]</a> '
                   f'<a href="{ctx.href(r)}">{r.title}</a></li>' for r in ctx.rows)
    return frame(ctx, f'<ul class="news">{rows}</ul>{_numbered(ctx, "paging")}')


# 25. detail.jsp?id=N relative links with ../, a plain table.
def _detail_query(ctx: ListContext) -> str:
    rows = "".join(f'<tr><td><a href="../detail.jsp?id={r.path.rsplit("=", 1)[1]}">{r.title}</a></td><td>{r.date}</td></tr>'
                   for r in ctx.rows)
    return frame(ctx, f'<table class="list">{rows}</table>{_numbered(ctx)}')


# 26. Every row with a summary paragraph (a list with a lot of text).
def _summaries(ctx: ListContext) -> str:
    rows = "".join(f'<div class="news"><h3><a href="{ctx.href(r)}">{r.title}</a></h3>'
                   f'<p>为深入贯彻落实上级有关要求，进一步做好相关工作，切实维护人民群众切身利益，现将有关事项公告如下，请广大市民知悉并相互转告。</p>'
                   f'<span class="time">{cn_date(r.date)}</span></div>' for r in ctx.rows)
    return frame(ctx, f'<div class="newslist">{rows}</div>{_numbered(ctx)}')


FAMILIES_B = [
    Family("vsb-nodate", "博达 VSB", "tzgg.htm, tzgg/1.htm, no dates",
           lambda i, d: f"info/1021/{15000 + i}.htm",
           lambda n: "tzgg.htm" if n == 0 else f"tzgg/{n}.htm", _vsb, 5, held_out=True),
    Family("dl-dd", "dl rows", "<dl><dt><a/></dt><dd>date</dd>",
           lambda i, d: f"tzgg/{_ym(d)}/t{_ymd(d)}_{16000 + i}.html",
           lambda n: "tzgg/index.html" if n == 0 else f"tzgg/index_{n}.html", _dl, 0),
    Family("div-rows", "div rows", "span title + span [date]",
           lambda i, d: f"html/{d[:4]}/{d[5:7]}{d[8:]}/{17000 + i}.html",
           lambda n: "html/tzgg/index.html" if n == 0 else f"html/tzgg/index_{n + 1}.html", _div_rows, 9),
    Family("gkml-table", "信息公开目录", "索引号 | 名称 | 文号 | 发布日期 table",
           lambda i, d: f"xxgk/gkml/{_ym(d)}/t{_ymd(d)}_{18000 + i}.html",
           lambda n: "xxgk/gkml/index.html" if n == 0 else f"xxgk/gkml/index_{n}.html", _gkml, 4, held_out=True),
    Family("badge-noyear", "bootstrap", "list-group, 05-10 dates without a year",
           lambda i, d: f"news/{19000 + i}.html",
           lambda n: "news/list.html" if n == 0 else f"news/list.html?p={n + 1}", _badge, 7, held_out=True),
    Family("ol-datetext", "ol rows", "date inside the anchor text",
           lambda i, d: f"gsgg/{_ym(d)}/t{_ymd(d)}_{20000 + i}.html",
           lambda n: "gsgg/index.html" if n == 0 else f"gsgg/index_{n}.html", _ol_datetext, 1),
    Family("asp-nested", "ASP", "nested tables, ArticleShow.asp?ArticleID=N, [1] [2]",
           lambda i, d: f"Article/ArticleShow.asp?ArticleID={2100 + i}",
           lambda n: "Article/List.asp?ClassID=5" if n == 0 else f"Article/List.asp?ClassID=5&page={n + 1}", _asp_nested, 6),
    Family("h4-box", "gov.cn style", "<h4><a/><span.date/></h4>, 下一页 to index_1.htm",
           lambda i, d: f"zhengce/{_ym(d)}/content_{22000 + i}.htm",
           lambda n: "zhengce/index.htm" if n == 0 else f"zhengce/index_{n}.htm", _h4_box, 2),
    Family("tagged-table", "table", "[通知] tag link | title | date",
           lambda i, d: f"tzgg/{_ym(d)}/t{_ymd(d)}_{23000 + i}.html",
           lambda n: "tzgg/index.html" if n == 0 else f"tzgg/index_{n}.html", _tagged_table, 3),
    Family("img-list", "image list", "image link + title link to the same notice",
           lambda i, d: f"xwzx/tpxw/{_ym(d)}/t{_ymd(d)}_{24000 + i}.html",
           lambda n: "xwzx/tpxw/index.html" if n == 0 else f"xwzx/tpxw/index_{n}.html", _img_list, 0),
    Family("dated-prefix", "date-first rows", "date, [公告] column link, headline",
           lambda i, d: f"gg/{_ym(d)}/{25000 + i}.html",
           lambda n: "gg/index.html" if n == 0 else f"gg/index_{n + 1}.html", _dated_prefix, 5),
    Family("detail-query", "JSP detail", "../detail.jsp?id=N",
           lambda i, d: f"xxgk/detail.jsp?id={26000 + i}",
           lambda n: "xxgk/tzgg/list.html" if n == 0 else f"xxgk/tzgg/list_{n + 1}.html", _detail_query, 9),
    Family("summaries", "summaries", "a summary paragraph under every row",
           lambda i, d: f"tzgg/{_ym(d)}/t{_ymd(d)}_{27000 + i}.html",
           lambda n: "tzgg/index.html" if n == 0 else f"tzgg/index_{n}.html", _summaries, 1),
]
