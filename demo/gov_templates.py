"""HTML of the offline government sites, one set of templates per CMS style.

Each real CMS gives its sites a recognisable skeleton; these reproduce the parts a crawler
meets (list markup, pagination idiom, info bar, guideline meta tags, sidebars and footers
that repeat other titles) in yuqing's own words. Used by :mod:`demo.build_gov`.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

# TRS WCM writes its page bar with this script; crawlers must read the call's arguments.
TRS_PAGE_SCRIPT = """<script type="text/javascript">
// 分页：createPageHTML(总页数, 当前页(从0开始), 文件名, 扩展名)
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
  if (_nPageCount == null || _nPageCount <= 1) { return; }
  var cur = _nCurrIndex || 0, out = [];
  function pageHref(i) { return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; }
  out.push("共" + _nPageCount + "页");
  if (cur > 0) { out.push('<a href="' + pageHref(0) + '">首页</a>'); out.push('<a href="' + pageHref(cur - 1) + '">上一页</a>'); }
  for (var i = 0; i < _nPageCount; i++) {
    out.push(i == cur ? '<span class="cur">' + (i + 1) + '</span>' : '<a href="' + pageHref(i) + '">' + (i + 1) + '</a>');
  }
  if (cur < _nPageCount - 1) { out.push('<a href="' + pageHref(cur + 1) + '">下一页</a>'); out.push('<a href="' + pageHref(_nPageCount - 1) + '">尾页</a>'); }
  document.write('<div class="page">' + out.join(" ") + '</div>');
}
</script>"""


@dataclass(frozen=True)
class Link:
    href: str
    text: str
    date: str = ""  # as the list shows it


def e(text: str) -> str:
    return escape(text, quote=True)


def links_ul(links: list[Link], cls: str = "") -> str:
    rows = "\n".join(
        f'<li><a href="{e(l.href)}" target="_blank" title="{e(l.text)}">{e(l.text)}</a>'
        + (f"<span>{e(l.date)}</span>" if l.date else "") + "</li>"
        for l in links)
    return f'<ul class="{cls}">\n{rows}\n</ul>'


def footer(site: dict, style: str) -> str:
    s = site
    if style == "asp":
        return (f'<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" class="foot">'
                f'<tr><td align="center">主办：{s["host_org"]}　承办：{s["operator"]}<br>'
                f'地址：{s["address"]}　联系电话：{s["phone"]}<br>'
                f'网站标识码：{s["site_code"]}　{s["icp"]}　{s["police"]}<br>'
                f'建议使用1024×768分辨率 IE6.0以上版本浏览</td></tr></table>')
    return (f'<div class="footer"><div class="wrap">'
            f'<p><a href="#">网站地图</a> | <a href="#">关于本网</a> | <a href="#">联系我们</a> | <a href="#">隐私声明</a></p>'
            f'<p>主办单位：{s["host_org"]}　承办单位：{s["operator"]}</p>'
            f'<p>网站标识码：{s["site_code"]}　<a href="#">{s["icp"]}</a>　'
            f'<span class="ga">{s["police"]}</span></p>'
            f'<p>地址：{s["address"]}　电话：{s["phone"]}</p></div></div>')


def header(site: dict, root: str) -> str:
    nav = "".join(f'<li><a href="{root}">{n}</a></li>' for n in site.get("nav", ["首页", "政务公开", "政务服务", "互动交流"]))
    return (f'<div class="top"><div class="wrap"><span>欢迎访问{site["name"]}门户网站</span>'
            f'<span class="r"><a href="#">无障碍</a> <a href="#">长者模式</a> <a href="#">English</a></span></div></div>\n'
            f'<div class="header" style="background:{site.get("color", "#b40000")}"><div class="wrap">'
            f'<h1 class="logo"><a href="{root}">{site["name"]}</a></h1>'
            f'<form class="search" action="{root}search/" method="get"><input name="q" placeholder="请输入关键字">'
            f'<button>搜索</button></form></div></div>\n<ul class="nav wrap">{nav}</ul>')


STYLE_CSS = """<style>
body{margin:0;font:14px/1.8 "Microsoft YaHei",SimSun,sans-serif;color:#333;background:#f4f4f4}
a{color:#333;text-decoration:none}.wrap{width:1100px;margin:0 auto}.top{background:#eee;font-size:12px}
.top .r{float:right}.header{color:#fff;padding:18px 0}.header .logo a{color:#fff;font-size:30px}
.search{float:right;margin-top:-48px}.nav{list-style:none;padding:0;background:#fff;overflow:hidden}
.nav li{float:left;padding:8px 24px}.crumb{padding:10px 0}.main{overflow:hidden;background:#fff;padding:20px}
.content,.list{float:left;width:780px}.side{float:right;width:260px}.side h3{border-bottom:2px solid #c00;font-size:15px}
.list li{list-style:none;border-bottom:1px dashed #ddd;padding:6px 0}.list li span{float:right;color:#999}
.page{text-align:center;padding:16px}.page a,.page span{margin:0 4px}.page .cur{color:#c00;font-weight:bold}
h1.title{text-align:center;font-size:22px}.info{text-align:center;color:#888;border-bottom:1px solid #eee}
.footer{background:#333;color:#ccc;text-align:center;font-size:12px;padding:14px 0}.footer a{color:#ccc}
</style>"""


@dataclass(frozen=True)
class Page:
    """One detail page's content, whatever the site's style."""
    title: str
    date: str  # 2024-05-10
    time: str  # 09:30
    source: str  # 来源
    column: str
    paragraphs: list[str]  # plain text paragraphs, or raw HTML when starting with "<"
    sign: list[str]  # signature lines (issuer, date), right-aligned
    attachments: list[str]


def _body(page: Page, p_open: str, p_close: str = "</p>") -> str:
    out = []
    for para in page.paragraphs:
        out.append(para if para.startswith("<") else f"{p_open}{e(para)}{p_close}")
    for line in page.sign:
        out.append(f'<p style="text-align:right">{e(line)}</p>')
    return "\n".join(out)


def _cn_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def trs_list(site: dict, root: str, links: list[Link], side: list[Link], index: int, count: int) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="SiteName" content="{e(site['name'])}"><meta name="SiteDomain" content="{site['domain']}">
<meta name="SiteIDCode" content="{site['site_code']}"><meta name="ColumnName" content="{e(site['column'])}">
<meta name="ColumnType" content="{e(site['column'])}">
<title>{e(site['column'])}_{e(site['name'])}</title>{STYLE_CSS}{TRS_PAGE_SCRIPT}</head>
<body>{header(site, root)}
<div class="wrap crumb">当前位置：<a href="{root}">首页</a> &gt; <a href="{root}">政务公开</a> &gt; <a href="./">{e(site['column'])}</a></div>
<div class="wrap main"><div class="list"><h2>{e(site['column'])}</h2>
{links_ul(links, "xxgk_list")}
<script type="text/javascript">createPageHTML({count}, {index}, "index", "html");</script>
</div>
<div class="side"><h3>热点信息</h3>{links_ul(side)}<h3>专题专栏</h3><ul><li><a href="{root}">优化营商环境</a></li><li><a href="{root}">政务新媒体矩阵</a></li></ul></div></div>
{footer(site, "trs")}</body></html>
"""


def trs_detail(site: dict, root: str, page: Page, side: list[Link], prev: Link | None, nxt: Link | None) -> str:
    keywords = "、".join(site.get("keywords", ["通知公告"]))
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="SiteName" content="{e(site['name'])}"><meta name="SiteDomain" content="{site['domain']}">
<meta name="SiteIDCode" content="{site['site_code']}"><meta name="ColumnName" content="{e(page.column)}">
<meta name="ColumnDescription" content="{e(page.column)}"><meta name="ColumnKeywords" content="{e(keywords)}">
<meta name="ColumnType" content="{e(page.column)}">
<meta name="ArticleTitle" content="{e(page.title)}"><meta name="PubDate" content="{page.date} {page.time}">
<meta name="ContentSource" content="{e(page.source)}"><meta name="Keywords" content="{e(keywords)}">
<meta name="Author" content="{e(page.source)}"><meta name="Description" content="{e(page.title)}">
<meta name="Url" content="">
<title>{e(page.title)}_{e(site['name'])}</title>{STYLE_CSS}</head>
<body>{header(site, root)}
<div class="wrap crumb">当前位置：<a href="{root}">首页</a> &gt; <a href="{root}">政务公开</a> &gt; <a href="../">{e(page.column)}</a></div>
<div class="wrap main"><div class="content">
<h1 class="title">{e(page.title)}</h1>
<div class="info">发布时间：{page.date} {page.time}　来源：{e(page.source)}　浏览次数：<span id="clicks">{len(page.title) * 37}</span>　字号：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]</div>
<div class="view TRS_UEDITOR trs_paper_default trs_web" id="zoom">
{_body(page, '<p style="text-indent:2em">')}
</div>
{_attachments(page)}
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a>　【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
{_prev_next(prev, nxt)}
</div>
<div class="side"><h3>热点信息</h3>{links_ul(side)}<h3>政务新媒体</h3><ul><li><a href="{root}">{e(site['name'])}微信</a></li><li><a href="{root}">{e(site['name'])}微博</a></li></ul></div></div>
{footer(site, "trs")}</body></html>
"""


def _attachments(page: Page) -> str:
    if not page.attachments:
        return ""
    items = "".join(f'<li><a href="#">{e(a)}</a></li>' for a in page.attachments)
    return f'<div class="fj">附件：<ul>{items}</ul></div>'


def _prev_next(prev: Link | None, nxt: Link | None) -> str:
    p = f'<a href="{e(prev.href)}">{e(prev.text)}</a>' if prev else "没有了"
    n = f'<a href="{e(nxt.href)}">{e(nxt.text)}</a>' if nxt else "没有了"
    return f'<div class="prevnext"><p>上一篇：{p}</p><p>下一篇：{n}</p></div>'


def jcms_column(site: dict, root: str, datastore: str, side: list[Link], column_id: str,
                per_page: int, total: int) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="SiteName" content="{e(site['name'])}"><meta name="SiteDomain" content="{site['domain']}">
<meta name="SiteIDCode" content="{site['site_code']}"><meta name="ColumnName" content="{e(site['column'])}">
<meta name="ColumnType" content="{e(site['column'])}">
<title>{e(site['name'])} {e(site['column'])}</title>{STYLE_CSS}
<script type="text/javascript" src="{root}module/web/jpage/jpage.js"></script></head>
<body>{header(site, root)}
<div class="wrap crumb">您当前的位置：<a href="{root}">首页</a> &gt; <a href="{root}">信息公开</a> &gt; <a href="{root}col/col{column_id}/index.html">{e(site['column'])}</a></div>
<div class="wrap main"><div class="list"><h2>{e(site['column'])}</h2>
<div id="{column_id}"><script type="text/xml">{datastore}</script>
<script type="text/javascript">
jpage({{ target: "{column_id}", proxyUrl: "{root}module/web/jpage/dataproxy.jsp",
  perPage: {per_page}, totalRecord: {total}, groupSize: 1,
  params: {{ col: 1, appid: 1, webid: 1, path: "/", columnid: {column_id}, sourceContentType: 1, unitid: "1", webname: "{e(site['name'])}", permissiontype: 0 }} }});
</script></div>
</div>
<div class="side"><h3>最新信息</h3>{links_ul(side)}<h3>便民服务</h3><ul><li><a href="{root}">办事指南</a></li><li><a href="{root}">12345热线</a></li></ul></div></div>
{footer(site, "jcms")}</body></html>
"""


def jcms_record(link: Link) -> str:
    return (f'<li><a href="{e(link.href)}" target="_blank" title="{e(link.text)}">{e(link.text)}</a>'
            f'<span class="bt-data-time">{link.date}</span></li>')


def jcms_detail(site: dict, root: str, page: Page, side: list[Link], column_id: str, issuer: str,
                index_no: str) -> str:
    table = ""
    if site.get("xxgk_table"):
        table = (f'<table class="xxgk_table" border="1" cellspacing="0"><tr><td>索引号：</td><td>{index_no}</td>'
                 f'<td>发布机构：</td><td>{e(issuer)}</td></tr><tr><td>生成日期：</td><td>{page.date}</td>'
                 f'<td>公开方式：</td><td>主动公开</td></tr><tr><td>主题分类：</td><td>政务公开</td>'
                 f'<td>文号：</td><td></td></tr></table>')
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="SiteName" content="{e(site['name'])}"><meta name="SiteDomain" content="{site['domain']}">
<meta name="SiteIDCode" content="{site['site_code']}"><meta name="ColumnName" content="{e(page.column)}">
<meta name="ColumnType" content="{e(page.column)}"><meta name="ArticleTitle" content="{e(page.title)}">
<meta name="PubDate" content="{page.date} {page.time}"><meta name="ContentSource" content="{e(page.source)}">
<title>{e(page.title)} - {e(site['name'])}</title>{STYLE_CSS}</head>
<body>{header(site, root)}
<div class="wrap crumb">您当前的位置：<a href="{root}">首页</a> &gt; <a href="{root}">信息公开</a> &gt; <a href="{root}col/col{column_id}/index.html">{e(page.column)}</a></div>
<div class="wrap main"><div class="content">
{table}
<div class="title"><h1 class="title">{e(page.title)}</h1></div>
<div class="info"><span>日期：{page.date}</span>　<span>来源：{e(page.source)}</span>　<span>浏览次数：<script>document.write(Math.floor(Math.random()*900+100))</script></span>　<span>字体：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]</span></div>
<div id="zoom"><!--ZJEG_RSS.content.begin--><meta name="ContentStart">
{_body(page, '<p style="text-indent:2em;">')}
<meta name="ContentEnd"><!--ZJEG_RSS.content.end--></div>
{_attachments(page)}
<div class="share">【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">关闭</a>】</div>
</div>
<div class="side"><h3>最新信息</h3>{links_ul(side)}</div></div>
{footer(site, "jcms")}</body></html>
"""


ASP_META = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'


def asp_list(site: dict, root: str, links: list[Link], side: list[Link], class_id: str, page: int,
             pages: int, total: int) -> str:
    rows = "\n".join(
        f'<tr><td width="85%" class="listA">◆<a href="{l.href}" target="_blank" title="{e(l.text)}">{e(l.text)}</a></td>'
        f'<td width="15%" align="right" class="listdate">{l.date}</td></tr>' for l in links)
    url = f"list.asp?classid={class_id}&page="
    first = "首页" if page == 1 else f'<a href="list.asp?classid={class_id}">首页</a>'
    prev = "上一页" if page == 1 else f'<a href="{url}{page - 1}">上一页</a>'
    nxt = "下一页" if page == pages else f'<a href="{url}{page + 1}">下一页</a>'
    last = "尾页" if page == pages else f'<a href="{url}{pages}">尾页</a>'
    return f"""<html><head>{ASP_META}
<title>{e(site['column'])}_{e(site['name'])}</title>
<link href="{root}css/style.css" rel="stylesheet" type="text/css"></head>
<body topmargin="0" leftmargin="0">
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" bgcolor="{site.get('color', '#1c5fa8')}"><tr><td height="90"><font color="#FFFFFF" size="6"><b>{e(site['name'])}</b></font></td></tr></table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0"><tr>
<td width="230" valign="top" class="left"><table width="100%"><tr><td class="lefttitle">最新更新</td></tr>
{"".join(f'<tr><td>◆<a href="{l.href}">{e(l.text)}</a></td></tr>' for l in side)}</table></td>
<td width="750" valign="top">
<table width="100%"><tr><td class="position">您现在的位置：<a href="{root}">{e(site['name'])}</a> &gt;&gt; <a href="list.asp?classid={class_id}">{e(site['column'])}</a></td></tr></table>
<table width="100%" border="0" cellpadding="2" cellspacing="0">
{rows}
</table>
<table width="100%"><tr><td align="center" class="pagebar">共 <b>{total}</b> 篇文章　{first} {prev} {nxt} {last}　页次：<b>{page}</b>/{pages}页　<b>{len(links)}</b>篇文章/页</td></tr></table>
</td></tr></table>
{footer(site, "asp")}
</body></html>
"""


def asp_detail(site: dict, root: str, page: Page, side: list[Link], class_id: str) -> str:
    paragraphs = []
    for para in page.paragraphs:
        paragraphs.append(para if para.startswith("<") else f"<P>&nbsp;&nbsp;&nbsp;&nbsp;{e(para)}</P>")
    for line in page.sign:
        paragraphs.append(f'<P align="right">{e(line)}</P>')
    body = "\n".join(paragraphs)
    return f"""<html><head>{ASP_META}
<title>{e(page.title)}_{e(site['name'])}</title>
<link href="{root}css/style.css" rel="stylesheet" type="text/css"></head>
<body topmargin="0" leftmargin="0">
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" bgcolor="{site.get('color', '#1c5fa8')}"><tr><td height="90"><font color="#FFFFFF" size="6"><b>{e(site['name'])}</b></font></td></tr></table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0"><tr>
<td width="750" valign="top">
<table width="100%"><tr><td class="position">您现在的位置：<a href="{root}">{e(site['name'])}</a> &gt;&gt; <a href="list.asp?classid={class_id}">{e(page.column)}</a> &gt;&gt; 正文</td></tr></table>
<table width="96%" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td align="center" class="title"><font size="4"><b>{e(page.title)}</b></font></td></tr>
<tr><td align="center" class="info">作者：佚名　　来源：{e(page.source)}　　点击数：{len(page.paragraphs) * 53 + 17}　　更新时间：{_cn_date(page.date)}</td></tr>
<tr><td class="content" id="fontzoom">
{body}
</td></tr></table>
<table width="96%" align="center"><tr><td>【<a href="javascript:window.print()">打印此文</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr></table>
</td>
<td width="230" valign="top" class="right"><table width="100%"><tr><td class="lefttitle">相关文章</td></tr>
{"".join(f'<tr><td>◆<a href="{l.href}">{e(l.text)}</a></td></tr>' for l in side)}</table></td>
</tr></table>
{footer(site, "asp")}
</body></html>
"""


def wechat_article(page: Page, account: str, biz_region: str, timestamp: int, user_name: str) -> str:
    sections = []
    for para in page.paragraphs:
        sections.append(para if para.startswith("<") else
                        f'<section style="margin-bottom:16px;"><p style="line-height:1.75em;"><span style="font-size:15px;letter-spacing:1px;">{e(para)}</span></p></section>')
    for line in page.sign:
        sections.append(f'<section style="text-align:right;"><p><span style="font-size:15px;">{e(line)}</span></p></section>')
    body = "\n".join(sections)
    return f"""<!DOCTYPE html>
<html class=""><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1.0,maximum-scale=1.0,user-scalable=0,viewport-fit=cover">
<meta property="og:title" content="{e(page.title)}"><meta property="og:type" content="article">
<meta property="og:description" content="{e(page.paragraphs[0][:54] if page.paragraphs else '')}">
<meta property="og:site_name" content="微信公众平台"><meta property="twitter:card" content="summary">
<title>{e(page.title)}</title></head>
<body id="activity-detail" class="zh_CN wx_wap_page">
<div id="js_article" class="rich_media"><div class="rich_media_inner"><div id="page-content" class="rich_media_area_primary">
<div class="rich_media_area_primary_inner">
<h1 class="rich_media_title " id="activity-name">
{e(page.title)}
</h1>
<div id="meta_content" class="rich_media_meta_list">
<span class="rich_media_meta rich_media_meta_text">{e(account)}</span>
<span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a href="javascript:void(0);" class="wx_tap_link js_wx_tap_highlight weui-wa-hotarea" id="js_name">
{e(account)}
</a></span>
<span id="meta_content_hide_info"><em id="publish_time" class="rich_media_meta rich_media_meta_text"></em>
<em id="js_ip_wording_wrp" class="rich_media_meta rich_media_meta_text">发表于<span id="js_ip_wording">{e(biz_region)}</span></em></span>
</div>
<div class="rich_media_content js_underline_content autoTypeSetting24psection" id="js_content" style="visibility: hidden;">
{body}
</div>
<div id="js_tags" class="article-tag__list"></div>
<div class="rich_media_tool" id="js_toobar3"><div class="weui-flex"><a id="js_view_source" href="javascript:void(0);">阅读原文</a>
<span class="media_tool_meta">阅读 <span id="readNum3">1.2万</span></span></div></div>
</div></div></div></div>
<script type="text/javascript">
var nickname = "{e(account)}";
var user_name = "{user_name}";
var msg_title = "{e(page.title)}";
var ct = "{timestamp}";
var create_time = "{timestamp}" * 1;
</script>
<script type="text/javascript">
(function () {{
  var d = new Date(create_time * 1000), pad = function (n) {{ return n < 10 ? "0" + n : "" + n; }};
  document.getElementById("publish_time").innerHTML = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  document.getElementById("js_content").style.visibility = "visible";
}})();
</script>
</body></html>
"""
